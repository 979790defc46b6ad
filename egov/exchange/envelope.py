"""The envelope of an exchange message: its fields, wire format, sealing and verification.

An envelope travels as the canonical JSON (see :mod:`egov.exchange.canonical`) of one object::

    {
      "attachments": [{"content_type": ..., "name": ..., "sha256": ..., "size": ...}, ...],
      "classification": "",
      "created_at": "2026-11-29T08:15:02.123456Z",
      "format": "egov-envelope/1",
      "id": "<UUIDv7>",
      "key": "<per-aggregate key>",
      "payload": {...},
      "schema_version": 1,
      "seal": {"algorithm": "ed25519-sha256", "key_id": ..., "proof": [["L", <hex>], ...],
               "root": <hex>, "signature": <base64>},
      "seq": 1,
      "source_body": "",
      "source_zone": "external",
      "type": "hall.application.submitted"
    }

The **signed bytes** of an envelope are the canonical JSON of that object without ``"seal"``:
the members ``attachments, classification, created_at, format, id, key, payload,
schema_version, seq, source_body, source_zone, type`` (:data:`SIGNED_FIELDS`). They are the
leaf of the envelope in the Merkle tree of its batch; the seal holds the batch's root, the
envelope's proof path and the one signature over the root. Attachment bytes travel alongside
the envelope; it carries their SHA-256 and size, and :func:`check_attachment` compares them.

Every refusal is an :class:`EnvelopeError` with a ``reason`` code (the constants below), so
the importer can quarantine the input with a specific reason.
"""

import base64
import copy
import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import BinaryIO

from . import ZONES, canonical, merkle, signing
from .ids import is_uuid7_text, uuid7

FORMAT = "egov-envelope/1"
_FORMAT_FAMILY = "egov-envelope/"

# Reason codes of EnvelopeError.
MALFORMED_JSON = "malformed_json"
TRUNCATED = "truncated"
NOT_AN_ENVELOPE = "not_an_envelope"
UNSUPPORTED_FORMAT = "unsupported_format"
MISSING_FIELD = "missing_field"
UNKNOWN_FIELD = "unknown_field"
BAD_FIELD = "bad_field"
UNSEALED = "unsealed"
UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
ALGORITHM_MISMATCH = "algorithm_mismatch"
ZONE_MISMATCH = "zone_mismatch"
UNKNOWN_KEY = signing.UNKNOWN_KEY
EXPIRED_KEY = signing.EXPIRED_KEY
KEY_NOT_YET_VALID = signing.KEY_NOT_YET_VALID
BAD_PROOF = signing.BAD_PROOF
BAD_SIGNATURE = signing.BAD_SIGNATURE
ATTACHMENT_HASH = "attachment_hash"
ATTACHMENT_SIZE = "attachment_size"

SIGNED_FIELDS = (
    "attachments",
    "classification",
    "created_at",
    "format",
    "id",
    "key",
    "payload",
    "schema_version",
    "seq",
    "source_body",
    "source_zone",
    "type",
)
SEAL_FIELDS = ("algorithm", "key_id", "proof", "root", "signature")
ATTACHMENT_FIELDS = ("content_type", "name", "sha256", "size")
_MEMBER_SETS = {
    fields: frozenset(fields) for fields in (SIGNED_FIELDS, SEAL_FIELDS, ATTACHMENT_FIELDS)
}
_SEALED_MEMBERS = frozenset((*SIGNED_FIELDS, "seal"))

MAX_TYPE_LENGTH = 100
MAX_KEY_LENGTH = 200
MAX_CLASSIFICATION_LENGTH = 32
MAX_NAME_LENGTH = 255
MAX_SIGNATURE_BYTES = 1024

_TYPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_BODY = re.compile(r"[A-Za-z0-9._-]{0,64}")
_CREATED_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_ALGORITHM = re.compile(r"[a-z0-9]{1,20}-[a-z0-9]{1,20}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_HASH_HEX = re.compile(r"(?:[0-9a-f]{2}){16,64}")


class EnvelopeError(ValueError):
    """An envelope that is refused. ``reason`` is a code above; ``detail`` refines it (for
    malformed JSON, the :class:`~egov.exchange.canonical.CanonicalError` reason)."""

    def __init__(self, reason: str, message: str, detail: str = ""):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


def _bad(field: str, message: str) -> EnvelopeError:
    return EnvelopeError(BAD_FIELD, f"{field}: {message}")


def _check_str(field: str, value, pattern: re.Pattern | None = None, max_length: int = 0) -> None:
    if type(value) is not str:
        raise _bad(field, f"must be a string, not {type(value).__name__}")
    if max_length and len(value) > max_length:
        raise _bad(field, f"is {len(value)} characters long; at most {max_length} are allowed")
    if pattern is not None and not pattern.fullmatch(value):
        raise _bad(field, f"{value[:80]!r} does not have the required form {pattern.pattern}")


def _check_int(field: str, value, minimum: int) -> None:
    if type(value) is not int:
        raise _bad(field, f"must be an integer, not {type(value).__name__}")
    if not minimum <= value <= canonical.MAX_SAFE_INTEGER:
        raise _bad(field, f"{value} is out of range ({minimum} to 2**53 - 1)")


def _check_text(field: str, value, max_length: int, *, required: bool) -> None:
    _check_str(field, value, max_length=max_length)
    if required and not value:
        raise _bad(field, "must not be empty")
    if _CONTROL.search(value):
        raise _bad(field, "contains control characters")


def _check_members(where: str, data, expected: tuple[str, ...]) -> None:
    """Exactly the members ``expected`` (used inside the envelope: attachments, seal)."""
    if type(data) is not dict:
        raise _bad(where, f"must be an object, not {type(data).__name__}")
    if data.keys() == _MEMBER_SETS[expected]:
        return
    missing = sorted(set(expected) - data.keys())
    extra = sorted(data.keys() - set(expected))
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if extra:
            problems.append(f"unexpected {', '.join(extra)}")
        raise _bad(where, f"{'; '.join(problems)} (members are {', '.join(expected)})")


def _hex_bytes(text: str) -> bytes | None:
    """The bytes of lower-case hex ``text``; None if it is anything else."""
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return None
    return raw if raw.hex() == text else None


def format_timestamp(moment: datetime.datetime) -> str:
    """An aware datetime as the envelope writes it: UTC, microseconds, 'Z'."""
    if moment.utcoffset() is None:
        raise ValueError("the time must be timezone-aware")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Attachment:
    """What an envelope says about one attached file; the bytes travel alongside."""

    sha256: str
    size: int
    name: str
    content_type: str

    def __post_init__(self):
        where = f"attachment {self.name!r}" if type(self.name) is str else "attachment"
        _check_str(f"{where}.sha256", self.sha256, _SHA256_HEX)
        _check_int(f"{where}.size", self.size, 0)
        _check_text(f"{where}.name", self.name, MAX_NAME_LENGTH, required=True)
        if "/" in self.name or "\\" in self.name or self.name in (".", ".."):
            raise _bad(f"{where}.name", "a file name must not contain / or \\ or be . or ..")
        _check_str(f"{where}.content_type", self.content_type, _CONTENT_TYPE, 255)

    @classmethod
    def for_bytes(cls, data: bytes, *, name: str, content_type: str) -> "Attachment":
        return cls(hashlib.sha256(data).hexdigest(), len(data), name, content_type)

    @classmethod
    def from_dict(cls, data, where: str = "attachment") -> "Attachment":
        _check_members(where, data, ATTACHMENT_FIELDS)
        return cls(data["sha256"], data["size"], data["name"], data["content_type"])

    def to_dict(self) -> dict:
        return {
            "content_type": self.content_type,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
        }


# (algorithm, key id, root, signature) of seals that passed their checks → (root bytes,
# signature bytes): the members all envelopes of a batch share are checked once per batch.
_checked_seals: dict[tuple[str, str, str, str], tuple[bytes, bytes]] = {}
_CHECKED_SEALS_SIZE = 1024


@dataclass(frozen=True)
class Seal:
    """The signature part: the batch's algorithm, key, root and signature, and the proof path
    of this envelope in the batch. ``root`` and proof hashes are lower-case hex; the
    signature is base64 (RFC 4648, with padding)."""

    algorithm: str
    key_id: str
    root: str
    proof: tuple[tuple[str, str], ...]
    signature: str

    def __post_init__(self):
        # The members every envelope of a batch shares are checked once per batch (the
        # cache holds only seals that passed); the proof, which differs, every time.
        shared = (self.algorithm, self.key_id, self.root, self.signature)
        try:
            decoded = _checked_seals.get(shared)
        except TypeError:  # an unhashable member: not a seal that passed
            decoded = None
        if decoded is None:
            _check_str("seal.algorithm", self.algorithm, _ALGORITHM)
            _check_str("seal.key_id", self.key_id, _KEY_ID)
            _check_str("seal.root", self.root, _HASH_HEX)
        proof = self.proof
        if type(proof) not in (list, tuple) or len(proof) > merkle.MAX_PROOF_LENGTH:
            raise _bad("seal.proof", f"must be a list of at most {merkle.MAX_PROOF_LENGTH} steps")
        size = len(self.root)
        for step in proof:
            if type(step) not in (list, tuple) or len(step) != 2:
                raise self._bad_step()
            side, sibling = step
            if (side != merkle.LEFT and side != merkle.RIGHT) or type(sibling) is not str:
                raise self._bad_step()
            if len(sibling) != size:
                raise self._bad_step()
        siblings = _hex_bytes("".join([sibling for _, sibling in proof]))
        if siblings is None:
            raise self._bad_step()
        if decoded is None:
            signature = None
            if type(self.signature) is str and len(self.signature) <= 2 * MAX_SIGNATURE_BYTES:
                try:
                    signature = base64.b64decode(self.signature, validate=True)
                except ValueError:  # binascii.Error, or characters outside ASCII
                    pass
            if not signature or base64.b64encode(signature).decode("ascii") != self.signature:
                raise _bad("seal.signature", "must be non-empty standard base64 with padding")
            decoded = (bytes.fromhex(self.root), signature)
            if len(_checked_seals) >= _CHECKED_SEALS_SIZE:
                _checked_seals.clear()
            _checked_seals[shared] = decoded
        # The decoded forms, for verification.
        object.__setattr__(self, "proof", tuple(map(tuple, proof)))
        object.__setattr__(self, "root_bytes", decoded[0])
        object.__setattr__(self, "sibling_bytes", siblings)  # the proof's hashes, joined
        object.__setattr__(self, "signature_bytes", decoded[1])

    @property
    def proof_bytes(self) -> list[tuple[str, bytes]]:
        """The proof path with its hashes as bytes (merkle.Proof)."""
        length = len(self.root_bytes)
        siblings = self.sibling_bytes
        return [
            (step[0], siblings[index * length : (index + 1) * length])
            for index, step in enumerate(self.proof)
        ]

    def _bad_step(self) -> EnvelopeError:
        for index, step in enumerate(self.proof):
            where = f"seal.proof[{index}]"
            if type(step) not in (list, tuple) or len(step) != 2:
                return _bad(where, 'must be a pair ["L" or "R", hex hash]')
            side, sibling = step
            if side not in (merkle.LEFT, merkle.RIGHT):
                return _bad(where, f'the side must be "L" or "R", not {side!r}')
            if type(sibling) is not str or _hex_bytes(sibling) is None:
                return _bad(where, "the hash must be lower-case hex")
            if len(sibling) != len(self.root):
                return _bad(where, "the hash is not as long as the root")
        return _bad("seal.proof", "is malformed")

    @classmethod
    def from_dict(cls, data) -> "Seal":
        _check_members("seal", data, SEAL_FIELDS)
        return cls(
            data["algorithm"], data["key_id"], data["root"], data["proof"], data["signature"]
        )

    def to_dict(self) -> dict:
        return {
            "algorithm": self.algorithm,
            "key_id": self.key_id,
            "proof": [[side, sibling] for side, sibling in self.proof],
            "root": self.root,
            "signature": self.signature,
        }


@dataclass(frozen=True)
class Envelope:
    """One exchange message. Construct with :meth:`new`; every instance is valid.

    Treat an envelope as immutable, its payload included: the payload is the envelope's own
    copy (in canonical member order), and the signed bytes are computed once.
    """

    id: str
    type: str
    schema_version: int
    source_zone: str
    source_body: str
    created_at: str
    key: str
    seq: int
    payload: dict
    attachments: tuple[Attachment, ...] = ()
    classification: str = ""
    seal: Seal | None = None

    def __post_init__(self):
        if not is_uuid7_text(self.id):
            raise _bad("id", f"{str(self.id)[:60]!r} is not a lower-case UUIDv7")
        _check_str("type", self.type, _TYPE, MAX_TYPE_LENGTH)
        _check_int("schema_version", self.schema_version, 1)
        if self.source_zone not in ZONES:
            raise _bad("source_zone", f"{self.source_zone!r} is not one of {', '.join(ZONES)}")
        _check_str("source_body", self.source_body, _BODY)
        _check_str("created_at", self.created_at, _CREATED_AT)
        try:
            datetime.datetime.fromisoformat(self.created_at[:-1])
        except ValueError as error:
            raise _bad("created_at", str(error)) from None
        _check_text("key", self.key, MAX_KEY_LENGTH, required=True)
        _check_int("seq", self.seq, 1)
        if type(self.payload) is not dict:
            raise _bad("payload", f"must be an object, not {type(self.payload).__name__}")
        try:
            object.__setattr__(self, "payload", canonical.normalise(self.payload))
        except canonical.CanonicalError as error:
            raise _bad("payload" + error.path[1:], error.message) from None
        if type(self.attachments) not in (list, tuple):
            raise _bad("attachments", "must be a list")
        attachments = tuple(
            item if type(item) is Attachment else Attachment.from_dict(item, f"attachments[{i}]")
            for i, item in enumerate(self.attachments)
        )
        object.__setattr__(self, "attachments", attachments)
        _check_text(
            "classification", self.classification, MAX_CLASSIFICATION_LENGTH, required=False
        )
        if self.seal is not None and type(self.seal) is not Seal:
            raise _bad("seal", "must be a Seal")

    @classmethod
    def new(
        cls,
        type: str,
        payload: dict,
        *,
        source_zone: str,
        key: str,
        seq: int,
        schema_version: int = 1,
        source_body: str = "",
        attachments=(),
        classification: str = "",
        id: str | None = None,
        created_at: datetime.datetime | None = None,
    ) -> "Envelope":
        """A new, unsealed envelope with a fresh UUIDv7 id, created now unless told otherwise."""
        return cls(
            id=id or str(uuid7()),
            type=type,
            schema_version=schema_version,
            source_zone=source_zone,
            source_body=source_body,
            created_at=format_timestamp(created_at or datetime.datetime.now(datetime.UTC)),
            key=key,
            seq=seq,
            payload=payload,
            attachments=attachments,
            classification=classification,
        )

    @property
    def created_datetime(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.created_at[:-1]).replace(tzinfo=datetime.UTC)

    def signed_dict(self) -> dict:
        """The envelope as a JSON object without its seal: what the signature covers."""
        return {
            "attachments": [attachment.to_dict() for attachment in self.attachments],
            "classification": self.classification,
            "created_at": self.created_at,
            "format": FORMAT,
            "id": self.id,
            "key": self.key,
            "payload": self.payload,
            "schema_version": self.schema_version,
            "seq": self.seq,
            "source_body": self.source_body,
            "source_zone": self.source_zone,
            "type": self.type,
        }

    def __getstate__(self) -> dict:
        # Pickled without the cached signed bytes (computed again when needed).
        state = self.__dict__.copy()
        state.pop("_signed_bytes", None)
        return state

    def signed_bytes(self) -> bytes:
        """The canonical bytes of every field except the seal (see :data:`SIGNED_FIELDS`)."""
        cached = self.__dict__.get("_signed_bytes")
        if cached is None:
            # signed_dict() is normalised already: its members are written in canonical
            # order, the payload was normalised on construction and the other fields checked.
            cached = canonical.encode_normalised(self.signed_dict())
            object.__setattr__(self, "_signed_bytes", cached)
        return cached

    def to_dict(self) -> dict:
        """The envelope as a JSON object, members in canonical order, the seal if any."""
        data = self.signed_dict()
        if self.seal is not None:
            data["seal"] = self.seal.to_dict()
            data = dict(sorted(data.items()))  # the seal to its place; all names are ASCII
        return data

    def to_bytes(self) -> bytes:
        """The wire form: canonical JSON, with the seal if there is one."""
        return canonical.encode_normalised(self.to_dict())

    def with_seal(self, seal: Seal) -> "Envelope":
        """A copy of this envelope with ``seal`` (the signed part is unchanged)."""
        if type(seal) is not Seal:
            raise TypeError("with_seal() takes a Seal")
        sealed = copy.copy(self)
        object.__setattr__(sealed, "seal", seal)
        return sealed

    @classmethod
    def from_dict(cls, data, *, sealed: bool = True) -> "Envelope":
        """An envelope from its JSON object; refuse missing, unexpected or malformed fields.

        With ``sealed=False`` the object must have no seal (an envelope not yet sent).
        """
        if type(data) is not dict:
            raise EnvelopeError(
                NOT_AN_ENVELOPE, f"the data is a JSON {_json_kind(data)}, not an envelope object"
            )
        marker = data.get("format")
        if marker != FORMAT:
            if type(marker) is str and marker.startswith(_FORMAT_FAMILY):
                raise EnvelopeError(
                    UNSUPPORTED_FORMAT,
                    f"envelope format {marker[:40]!r} is not supported; this side reads "
                    f"{FORMAT}: update egov on this side",
                )
            raise EnvelopeError(
                NOT_AN_ENVELOPE, f'the object has no "format": "{FORMAT}" member; not an envelope'
            )
        expected = _SEALED_MEMBERS if sealed else _MEMBER_SETS[SIGNED_FIELDS]
        if data.keys() != expected:
            missing = sorted(expected - data.keys())
            if missing:
                raise EnvelopeError(MISSING_FIELD, f"the envelope lacks {', '.join(missing)}")
            extra = sorted(data.keys() - expected)
            raise EnvelopeError(UNKNOWN_FIELD, f"unexpected member(s) {', '.join(extra)}")
        attachments = data["attachments"]
        if type(attachments) is not list:
            raise _bad("attachments", f"must be a list, not {_json_kind(attachments)}")
        return cls(
            id=data["id"],
            type=data["type"],
            schema_version=data["schema_version"],
            source_zone=data["source_zone"],
            source_body=data["source_body"],
            created_at=data["created_at"],
            key=data["key"],
            seq=data["seq"],
            payload=data["payload"],
            attachments=[
                Attachment.from_dict(item, f"attachments[{index}]")
                for index, item in enumerate(attachments)
            ],
            classification=data["classification"],
            seal=Seal.from_dict(data["seal"]) if sealed else None,
        )

    @classmethod
    def from_bytes(cls, data: bytes, *, sealed: bool = True) -> "Envelope":
        """An envelope from its wire form, parsed strictly (see :func:`canonical.parse`)."""
        envelope = cls._from_bytes_quickly(data, sealed)
        if envelope is not None:
            return envelope
        try:
            value = canonical.parse(data)
        except canonical.CanonicalError as error:
            if error.reason == canonical.TRUNCATED:
                raise EnvelopeError(TRUNCATED, str(error), error.reason) from None
            if not bytes(data[:64]).lstrip(b" \t\r\n").startswith(b"{"):
                raise EnvelopeError(
                    NOT_AN_ENVELOPE,
                    f"the data is not a JSON object ({error}); it is not an envelope",
                    error.reason,
                ) from None
            raise EnvelopeError(MALFORMED_JSON, str(error), error.reason) from None
        return cls.from_dict(value, sealed=sealed)

    @classmethod
    def _from_bytes_quickly(cls, data, sealed: bool) -> "Envelope | None":
        """The envelope of ``data`` when the quick way accepts it, else None (then the strict
        way decides, and says what is wrong). Whenever it returns an envelope, the strict
        way returns the same one: json's decoder with canonical.QUICK_DECODER's hooks
        refuses malformed JSON, duplicate keys, fractions and NaN; a document with 64
        brackets or more is left to the strict way (depth); and from_dict checks the type
        and range of every member of an envelope — integers within ±(2**53 - 1), strings
        by pattern or free of control characters and lone surrogates, the payload through
        canonical.normalise — which refuses what the strict parser's integer and surrogate
        checks would."""
        if type(data) is not bytes:
            return None
        try:
            text = data.decode("utf-8")
            if text.count("[") + text.count("{") >= canonical.MAX_DEPTH:
                return None
            return cls.from_dict(canonical.QUICK_DECODER.decode(text), sealed=sealed)
        except Exception:  # noqa: BLE001 - the strict way says what is wrong
            return None


def _json_kind(value) -> str:
    if isinstance(value, bool) or value is None:
        return "literal"
    for kind, name in ((dict, "object"), (list, "array"), (str, "string"), (int, "number")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def seal_batch(
    envelopes, signer: signing.Signer, hasher: merkle.HashFunction = merkle.SHA256
) -> list["Envelope"]:
    """Sealed copies of ``envelopes``, in order: one signature over the Merkle root of their
    signed bytes, each envelope carrying its own proof path. An empty list gives []."""
    envelopes = list(envelopes)
    if not envelopes:
        return []
    batch = signing.sign_batch(signer, [e.signed_bytes() for e in envelopes], hasher)
    algorithm = f"{signer.algorithm}-{hasher.name}"
    root = batch.root.hex()
    signature = base64.b64encode(batch.signature).decode("ascii")
    return [
        envelope.with_seal(
            Seal(
                algorithm,
                signer.key_id,
                root,
                tuple((side, sibling.hex()) for side, sibling in proof),
                signature,
            )
        )
        for envelope, proof in zip(envelopes, batch.proofs, strict=True)
    ]


def verify(
    envelope: Envelope, trust_store: signing.Verifier, at: datetime.datetime | None = None
) -> None:
    """Check an envelope alone against the other zone's keys; raise EnvelopeError if refused.

    In this order: it is sealed (``unsealed``); its algorithm is known
    (``unsupported_algorithm``); its key is trusted at ``at``, default now (``unknown_key``,
    ``expired_key``, ``key_not_yet_valid``), of the algorithm named (``algorithm_mismatch``)
    and of the zone the envelope claims to come from (``zone_mismatch``); its proof leads to
    the root (``bad_proof``); the signature over the root is valid (``bad_signature``).

    Key validity is judged at the time of checking, not at the envelope's ``created_at``:
    the sender chooses ``created_at``, so someone holding a retired key could backdate it.
    ``trust_store`` is any :class:`~egov.exchange.signing.Verifier`; pass a
    :class:`~egov.exchange.signing.CachingVerifier` to check each batch signature only once.
    """
    seal = envelope.seal
    if seal is None:
        raise EnvelopeError(UNSEALED, "the envelope has no seal; seal it with seal_batch()")
    signature_algorithm, _, hash_name = seal.algorithm.partition("-")
    hasher = merkle.HASH_FUNCTIONS.get(hash_name)
    if hasher is None:
        raise EnvelopeError(
            UNSUPPORTED_ALGORITHM,
            f"algorithm {seal.algorithm!r} uses the unknown hash {hash_name!r} "
            f"(known: {', '.join(sorted(merkle.HASH_FUNCTIONS))})",
        )
    try:
        key = trust_store.key_for(seal.key_id, at=at)
        if key.algorithm != signature_algorithm:
            raise EnvelopeError(
                ALGORITHM_MISMATCH,
                f"the envelope says {signature_algorithm}, but key {key.key_id} is a "
                f"{key.algorithm} key",
            )
        if key.zone != envelope.source_zone:
            raise EnvelopeError(
                ZONE_MISMATCH,
                f"the envelope claims to come from the {envelope.source_zone} zone, but key "
                f"{key.key_id} belongs to the {key.zone} zone",
            )
        if not _proof_leads_to_root(envelope.signed_bytes(), seal, hasher):
            raise EnvelopeError(
                BAD_PROOF,
                "the envelope is not part of the signed batch: its content or its proof path "
                "was changed on the way",
            )
        message = signing.batch_message(seal.root_bytes, hasher)
        trust_store.verify(seal.key_id, message, seal.signature_bytes, at=at)
    except signing.SignatureError as error:
        raise EnvelopeError(error.reason, error.message) from None


def _proof_leads_to_root(leaf: bytes, seal: Seal, hasher: merkle.HashFunction) -> bool:
    """merkle.verify for a seal whose proof was checked when it was read (sides "L" or
    "R", hashes as long as the root): the same hashing, without re-checking each step."""
    length = len(seal.root_bytes)
    siblings = seal.sibling_bytes
    node = merkle.NODE_PREFIX
    if hasher is merkle.SHA256:  # the common case, without a call per step
        sha256 = hashlib.sha256
        current = sha256(merkle.LEAF_PREFIX + leaf).digest()
        if len(current) != length:
            return False
        start = 0
        for side, _ in seal.proof:
            sibling = siblings[start : start + length]
            start += length
            if side == merkle.LEFT:
                current = sha256(node + sibling + current).digest()
            else:
                current = sha256(node + current + sibling).digest()
        return hmac.compare_digest(current, seal.root_bytes)
    return merkle.verify(leaf, seal.proof_bytes, seal.root_bytes, hasher)


def check_attachment(meta: Attachment, data: bytes | BinaryIO) -> None:
    """Check attachment bytes (or a binary file, read to its end) against the envelope's
    record of them; raise EnvelopeError ``attachment_size`` or ``attachment_hash``."""
    digest = hashlib.sha256()
    if isinstance(data, bytes | bytearray | memoryview):
        size = len(data)
        if size == meta.size:
            digest.update(data)
    else:
        size = 0
        while chunk := data.read(1 << 20):
            size += len(chunk)
            if size > meta.size:
                break
            digest.update(chunk)
    if size != meta.size:
        raise EnvelopeError(
            ATTACHMENT_SIZE,
            f"attachment {meta.name!r} has {'more than ' if size > meta.size else ''}{size} "
            f"bytes; the envelope says {meta.size}: the file was cut short or replaced",
        )
    if digest.hexdigest() != meta.sha256:
        raise EnvelopeError(
            ATTACHMENT_HASH,
            f"attachment {meta.name!r} does not match its SHA-256 in the envelope: "
            "the file was changed on the way",
        )
