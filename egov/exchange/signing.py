"""Signatures for the exchange: signers, verifiers, key files, the trust store, batches.

- A :class:`Signer` signs bytes with the private key of this zone; :class:`Ed25519Signer` is
  the default. An SM2 signer (software or a hardware module) is another class with the same
  three members; see docs/exchange/envelope.md.
- A :class:`Verifier` checks a signature made with one of the other zone's keys, and refuses
  with a :class:`SignatureError` whose ``reason`` says why. :class:`TrustStore` is the
  verifier of record; :class:`CachingVerifier` wraps it to check each batch signature once.
- A key id is the first 16 hex digits of SHA-256 over the raw public key (for Ed25519 the 32
  bytes of RFC 8032; for SM2 the 65-byte uncompressed point) — see :func:`key_id_for`.
- Private keys live in files outside the database: :func:`generate_key_pair` writes the
  private key as PKCS#8 PEM with mode 0600 and the public key beside it;
  :func:`load_signer` refuses a private key file that others can read.
- :func:`sign_batch` signs the Merkle root of a batch once; :func:`verify_in_batch` checks one
  message of it alone, with its proof.

What is signed for a batch (:func:`batch_message`)::

    b"egov-exchange-batch/1" 0x00 <hash name, ASCII> 0x00 <root, raw bytes>

The context string keeps these signatures from being valid for anything else; the hash name
keeps a root computed with one hash from being presented as a root of another.
"""

import datetime
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import ZONES, merkle

ED25519 = "ed25519"
KEY_ID_LENGTH = 16
BATCH_CONTEXT = b"egov-exchange-batch/1\x00"

# Reason codes of SignatureError.
UNKNOWN_KEY = "unknown_key"
EXPIRED_KEY = "expired_key"
KEY_NOT_YET_VALID = "key_not_yet_valid"
BAD_PROOF = "bad_proof"
BAD_SIGNATURE = "bad_signature"


class SignatureError(Exception):
    """A signature, key or proof that is refused; ``reason`` is one of the codes above."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class KeyFileError(Exception):
    """A key file that cannot be written or used; the message says how to fix it."""


def key_id_for(public_key: bytes) -> str:
    """The key id of a raw public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:KEY_ID_LENGTH]


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


# --- the interfaces ------------------------------------------------------------------------


@runtime_checkable
class Signer(Protocol):
    """Signs with this zone's private key.

    ``algorithm`` names the signature algorithm (``"ed25519"``, ``"sm2"``); ``key_id`` is
    :func:`key_id_for` of the public key; ``sign`` returns the signature of ``data``.
    """

    key_id: str
    algorithm: str

    def sign(self, data: bytes) -> bytes: ...


@runtime_checkable
class Verifier(Protocol):
    """Checks signatures made with the other zone's keys.

    ``key_for`` returns the key with ``key_id`` if it is trusted at ``at`` (default: now), and
    raises :class:`SignatureError` (``unknown_key``, ``expired_key``,
    ``key_not_yet_valid``) otherwise. ``verify`` does the same and checks ``signature`` over
    ``data`` with the key (``bad_signature``), returning the key on success.
    """

    def key_for(self, key_id: str, *, at: datetime.datetime | None = None) -> "TrustedKey": ...

    def verify(
        self, key_id: str, data: bytes, signature: bytes, *, at: datetime.datetime | None = None
    ) -> "TrustedKey": ...


# --- algorithms ----------------------------------------------------------------------------

# For each signature algorithm: from the raw public key to a function (data, signature) -> bool.
PublicKeyCheck = Callable[[bytes, bytes], bool]
_ALGORITHMS: dict[str, Callable[[bytes], PublicKeyCheck]] = {}


def register_algorithm(name: str, make_check: Callable[[bytes], PublicKeyCheck]) -> None:
    """Teach trusted keys a signature algorithm (e.g. "sm2"): ``make_check(raw_public_key)``
    returns a function that tells whether a signature over some data is valid."""
    _ALGORITHMS[name] = make_check


def _ed25519_check(public_key: bytes) -> PublicKeyCheck:
    key = Ed25519PublicKey.from_public_bytes(public_key)

    def check(data: bytes, signature: bytes) -> bool:
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    return check


register_algorithm(ED25519, _ed25519_check)


class Ed25519Signer:
    """A :class:`Signer` holding an Ed25519 private key (RFC 8032)."""

    algorithm = ED25519

    def __init__(self, private_key: Ed25519PrivateKey):
        self._private_key = private_key
        self.public_key = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id_for(self.public_key)

    @classmethod
    def generate(cls) -> "Ed25519Signer":
        """A signer with a new key that exists only in memory (tests, benchmarks)."""
        return cls(Ed25519PrivateKey.generate())

    def sign(self, data: bytes) -> bytes:
        return self._private_key.sign(data)

    def public_key_pem(self) -> bytes:
        return self._private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def private_key_pem(self, passphrase: bytes | None = None) -> bytes:
        encryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return self._private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def __repr__(self) -> str:
        return f"<Ed25519Signer {self.key_id}>"


# --- trusted keys --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustedKey:
    """A public key of the other zone, trusted from ``valid_from`` until ``valid_until``.

    The key is valid at a time ``t`` when ``valid_from <= t < valid_until`` (no end if
    ``valid_until`` is None). Both are timezone-aware.
    """

    key_id: str
    zone: str
    algorithm: str
    public_key: bytes = field(repr=False)
    valid_from: datetime.datetime
    valid_until: datetime.datetime | None = None

    def __post_init__(self):
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(
                f"unknown signature algorithm {self.algorithm!r}; "
                f"known: {', '.join(sorted(_ALGORITHMS))}"
            )
        if self.key_id != key_id_for(self.public_key):
            raise ValueError(
                f"key id {self.key_id!r} does not match the public key "
                f"(its id is {key_id_for(self.public_key)})"
            )
        if self.zone not in ZONES:
            raise ValueError(f"zone {self.zone!r} is not one of {', '.join(ZONES)}")
        for name in ("valid_from", "valid_until"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware, e.g. in UTC")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be later than valid_from")
        self._check  # noqa: B018 - fail now, not at the first message, if the key is unusable

    @classmethod
    def from_pem(
        cls,
        pem: bytes,
        *,
        zone: str,
        valid_from: datetime.datetime,
        valid_until: datetime.datetime | None = None,
    ) -> "TrustedKey":
        """A trusted Ed25519 key from its public key PEM (as written by generate_key_pair)."""
        try:
            key = serialization.load_pem_public_key(pem)
        except ValueError as error:
            raise KeyFileError(f"not a PEM public key: {error}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFileError(
                f"the public key is {type(key).__name__}, not Ed25519; keys of other "
                "algorithms are built with TrustedKey(...) directly"
            )
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return cls(key_id_for(raw), zone, ED25519, raw, valid_from, valid_until)

    @cached_property
    def _check(self) -> PublicKeyCheck:
        return _ALGORITHMS[self.algorithm](self.public_key)

    def check_valid(self, at: datetime.datetime) -> None:
        """Raise SignatureError unless this key is valid at ``at``."""
        if at < self.valid_from:
            raise SignatureError(
                KEY_NOT_YET_VALID,
                f"key {self.key_id} is valid only from {self.valid_from.isoformat()}; "
                "check the clocks of both zones, or the key's validity in the trust store",
            )
        if self.valid_until is not None and at >= self.valid_until:
            raise SignatureError(
                EXPIRED_KEY,
                f"key {self.key_id} expired at {self.valid_until.isoformat()}; the sender "
                "must sign with its current key (a message signed with an old key is accepted "
                "only until the old key's valid_until)",
            )

    def verify_signature(self, data: bytes, signature: bytes) -> bool:
        """Whether ``signature`` over ``data`` was made with this key (validity not checked)."""
        return self._check(data, signature)


class TrustStore:
    """The other zone's public keys, by key id. A :class:`Verifier`.

    Rotation: add the new key with its ``valid_from``, and give the old key a
    ``valid_until`` later than that by the overlap period (at least the longest time a
    message can spend between the zones). Messages signed with the old key are accepted
    until its ``valid_until``; afterwards they are refused as ``expired_key``.
    """

    def __init__(self, keys: Iterable[TrustedKey] = ()):
        self._keys: dict[str, TrustedKey] = {}
        for key in keys:
            self.add(key)

    def add(self, key: TrustedKey) -> None:
        if key.key_id in self._keys:
            raise ValueError(f"key {key.key_id} is already in the trust store")
        self._keys[key.key_id] = key

    def get(self, key_id: str) -> TrustedKey | None:
        return self._keys.get(key_id)

    def __iter__(self) -> Iterator[TrustedKey]:
        return iter(self._keys.values())

    def __len__(self) -> int:
        return len(self._keys)

    def key_for(self, key_id: str, *, at: datetime.datetime | None = None) -> TrustedKey:
        key = self._keys.get(key_id)
        if key is None:
            raise SignatureError(
                UNKNOWN_KEY,
                f"key {key_id!r} is not in the trust store; if the other zone has a new key, "
                "add its public key to the trust store",
            )
        key.check_valid(utc_now() if at is None else at)
        return key

    def verify(
        self, key_id: str, data: bytes, signature: bytes, *, at: datetime.datetime | None = None
    ) -> TrustedKey:
        key = self.key_for(key_id, at=at)
        if not key.verify_signature(data, signature):
            raise SignatureError(
                BAD_SIGNATURE,
                f"the signature does not match key {key_id}: the signed data or the "
                "signature was changed on the way",
            )
        return key


class CachingVerifier:
    """A :class:`Verifier` that remembers signatures it has found valid.

    The messages of a batch share one signature over one root; with this wrapper it is checked
    once per batch instead of once per message. Key validity is still checked on every call.
    """

    def __init__(self, verifier: Verifier, max_entries: int = 4096):
        self._verifier = verifier
        self._max_entries = max_entries
        self._valid: dict[tuple[str, bytes, bytes], None] = {}

    def key_for(self, key_id: str, *, at: datetime.datetime | None = None) -> TrustedKey:
        return self._verifier.key_for(key_id, at=at)

    def verify(
        self, key_id: str, data: bytes, signature: bytes, *, at: datetime.datetime | None = None
    ) -> TrustedKey:
        entry = (key_id, data, signature)
        if entry in self._valid:
            return self._verifier.key_for(key_id, at=at)
        key = self._verifier.verify(key_id, data, signature, at=at)
        if len(self._valid) >= self._max_entries:
            del self._valid[next(iter(self._valid))]
        self._valid[entry] = None
        return key


# --- key files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFiles:
    key_id: str
    private_key_path: Path
    public_key_path: Path


def generate_key_pair(directory: str | os.PathLike, *, passphrase: bytes | None = None) -> KeyFiles:
    """Make an Ed25519 key pair and write it to ``directory`` (created with mode 0700).

    The private key goes to ``ed25519-<key id>.private.pem`` (PKCS#8, mode 0600, encrypted if
    a passphrase is given), the public key to ``ed25519-<key id>.public.pem``
    (SubjectPublicKeyInfo, mode 0644). Existing files are never overwritten.
    """
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    signer = Ed25519Signer.generate()
    files = KeyFiles(
        signer.key_id,
        directory / f"ed25519-{signer.key_id}.private.pem",
        directory / f"ed25519-{signer.key_id}.public.pem",
    )
    _write_new_file(files.private_key_path, signer.private_key_pem(passphrase), 0o600)
    try:
        _write_new_file(files.public_key_path, signer.public_key_pem(), 0o644)
    except BaseException:
        files.private_key_path.unlink()
        raise
    _fsync_directory(directory)
    return files


def _write_new_file(path: Path, content: bytes, mode: int) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise KeyFileError(f"{path} exists already; key files are never overwritten") from None
    try:
        os.fchmod(descriptor, mode)  # the umask may have taken bits away; set exactly these
        os.write(descriptor, content)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def load_signer(path: str | os.PathLike, *, passphrase: bytes | None = None) -> Ed25519Signer:
    """The signer of an Ed25519 private key file; refuse one that group or others may read."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(
            f"no private key at {path}; create one with generate_key_pair (exchange_keygen)"
        ) from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"{path} is accessible to other users (mode {stat.filemode(mode)}); "
            f"run chmod 600 {path}"
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase)
    except (ValueError, TypeError) as error:
        raise KeyFileError(f"cannot read the private key in {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} holds a {type(key).__name__}, not an Ed25519 private key")
    return Ed25519Signer(key)


def load_trusted_key(
    path: str | os.PathLike,
    *,
    zone: str,
    valid_from: datetime.datetime,
    valid_until: datetime.datetime | None = None,
) -> TrustedKey:
    """A trusted key from a public key PEM file of the other zone."""
    path = Path(path)
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"no public key at {path}") from None
    return TrustedKey.from_pem(pem, zone=zone, valid_from=valid_from, valid_until=valid_until)


# --- batches -------------------------------------------------------------------------------


def batch_message(root: bytes, hasher: merkle.HashFunction = merkle.SHA256) -> bytes:
    """The bytes actually signed for a batch with ``root``."""
    return BATCH_CONTEXT + hasher.name.encode("ascii") + b"\x00" + root


class SignedBatch(NamedTuple):
    root: bytes
    signature: bytes
    proofs: list[merkle.Proof]


def sign_batch(
    signer: Signer, leaves: Sequence[bytes], hasher: merkle.HashFunction = merkle.SHA256
) -> SignedBatch:
    """Sign a batch with one signature over its Merkle root; each leaf gets its proof."""
    tree = merkle.MerkleTree(leaves, hasher)
    signature = signer.sign(batch_message(tree.root, hasher))
    return SignedBatch(tree.root, signature, tree.proofs())


def verify_in_batch(
    verifier: Verifier,
    leaf_bytes: bytes,
    proof: merkle.Proof,
    root: bytes,
    signature: bytes,
    key_id: str,
    *,
    hasher: merkle.HashFunction = merkle.SHA256,
    at: datetime.datetime | None = None,
) -> TrustedKey:
    """Check one message of a signed batch alone; return the key that signed it.

    In this order: the key is trusted at ``at`` (``unknown_key``, ``expired_key``,
    ``key_not_yet_valid``), the proof leads from the message to ``root`` (``bad_proof``), the
    signature over the root is valid (``bad_signature``). Raise SignatureError otherwise.
    """
    verifier.key_for(key_id, at=at)
    if not merkle.verify(leaf_bytes, proof, root, hasher):
        raise SignatureError(
            BAD_PROOF,
            "the message is not part of the signed batch: its content or its proof path was "
            "changed on the way",
        )
    return verifier.verify(key_id, batch_message(root, hasher), signature, at=at)
