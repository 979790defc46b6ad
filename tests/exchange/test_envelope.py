"""Envelopes: fields, wire format, batch sealing, verification alone, attachments; and the
UUIDv7 message ids they carry."""

import base64
import dataclasses
import datetime
import hashlib
import io
import json
import threading
import uuid

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.exchange import canonical, merkle, signing
from egov.exchange.envelope import (
    SIGNED_FIELDS,
    Attachment,
    Envelope,
    EnvelopeError,
    check_attachment,
    seal_batch,
    verify,
)
from egov.exchange.ids import UUID7Generator, is_uuid7_text, uuid7, uuid7_time
from egov.exchange.signing import CachingVerifier, Ed25519Signer, TrustedKey, TrustStore

UTC = datetime.UTC
T0 = datetime.datetime(2026, 1, 1, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4


def make_envelope(seq=1, **changes) -> Envelope:
    fields = {
        "source_zone": "external",
        "key": "hall.application:42",
        "seq": seq,
        "source_body": "YC-ZWFW",
        "attachments": [
            Attachment.for_bytes(PDF, name="申请书.pdf", content_type="application/pdf")
        ],
        **changes,
    }
    payload = fields.pop("payload", {"applicant": "张三", "amount": "12.50", "items": [1, 2]})
    return Envelope.new("hall.application.submitted", payload, **fields)


def trusted(signer, zone="external", valid_from=T0, valid_until=None) -> TrustedKey:
    return TrustedKey.from_pem(
        signer.public_key_pem(), zone=zone, valid_from=valid_from, valid_until=valid_until
    )


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(EnvelopeError) as caught:
        call(*args, **kwargs)
    return caught.value.reason


def wire_dict(envelope: Envelope) -> dict:
    return json.loads(envelope.to_bytes())


def to_wire(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.fixture(scope="module")
def signer():
    return Ed25519Signer.generate()


@pytest.fixture(scope="module")
def store(signer):
    return TrustStore([trusted(signer)])


@pytest.fixture(scope="module")
def sealed(signer):
    """A sealed batch of five envelopes."""
    return seal_batch([make_envelope(seq) for seq in range(1, 6)], signer)


# --- message ids ---------------------------------------------------------------------------


def test_uuid7_has_the_version_and_variant_of_rfc_9562():
    for _ in range(100):
        value = uuid7()
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert (value.int >> 76) & 0xF == 0x7
        assert (value.int >> 62) & 0b11 == 0b10
        assert is_uuid7_text(str(value))


def test_uuid7_sorts_in_creation_order():
    ids = [uuid7() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == ids
    assert sorted(str(value) for value in ids) == [str(value) for value in ids]
    assert sorted(value.bytes for value in ids) == [value.bytes for value in ids]


def test_uuid7_carries_its_creation_time():
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    value = uuid7()
    after = datetime.datetime.now(UTC) + datetime.timedelta(milliseconds=1)
    assert before <= uuid7_time(value) <= after
    assert uuid7_time(str(value)) == uuid7_time(value)
    generator = UUID7Generator(clock=lambda: 1_700_000_000_123_456_789)
    assert uuid7_time(generator()) == datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, UTC)


def test_uuid7_stays_ordered_within_one_millisecond_and_when_the_clock_steps_back():
    readings = iter([5_000_000_000] * 5_000 + [4_000_000_000] * 5_000)
    generator = UUID7Generator(clock=lambda: next(readings))
    ids = [generator() for _ in range(10_000)]
    assert sorted(ids) == ids and len(set(ids)) == len(ids)
    assert {uuid7_time(value) for value in ids} == {datetime.datetime.fromtimestamp(5, UTC)}


def test_uuid7_moves_to_the_next_millisecond_when_the_counter_runs_out():
    generator = UUID7Generator(clock=lambda: 5_000_000_000)
    first = generator()
    generator._counter = 2**42 - 1  # as if 2**41 ids had been made in this millisecond
    second = generator()
    assert second > first
    assert uuid7_time(second) - uuid7_time(first) == datetime.timedelta(milliseconds=1)


def test_uuid7_is_unique_across_threads():
    results = []

    def make():
        results.extend(uuid7() for _ in range(5_000))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 20_000


def test_uuid7_time_refuses_other_versions():
    with pytest.raises(ValueError, match="not a UUIDv7"):
        uuid7_time(uuid.uuid4())
    assert not is_uuid7_text(str(uuid.uuid4()))
    assert not is_uuid7_text(str(uuid7()).upper())


# --- fields and wire format ----------------------------------------------------------------


def test_a_new_envelope_has_an_id_a_time_and_no_seal():
    envelope = make_envelope()
    assert is_uuid7_text(envelope.id)
    assert envelope.created_at.endswith("Z") and len(envelope.created_at) == 27
    assert abs(envelope.created_datetime - uuid7_time(envelope.id)) < datetime.timedelta(seconds=1)
    assert envelope.seal is None
    assert envelope.attachments[0].size == len(PDF)


def test_the_signed_bytes_are_the_canonical_form_of_every_field_but_the_seal(sealed):
    envelope = sealed[0]
    signed = canonical.parse(envelope.signed_bytes())
    assert tuple(signed) == SIGNED_FIELDS
    assert signed["format"] == "egov-envelope/1"
    assert envelope.signed_bytes() == canonical.canonical_bytes(
        {key: value for key, value in wire_dict(envelope).items() if key != "seal"}
    )
    unsealed = dataclasses.replace(envelope, seal=None)
    assert unsealed.signed_bytes() == envelope.signed_bytes()


def test_the_wire_form_round_trips_and_is_canonical(sealed):
    for envelope in sealed:
        data = envelope.to_bytes()
        again = Envelope.from_bytes(data)
        assert again == envelope
        assert again.to_bytes() == data
        assert canonical.canonical_bytes(json.loads(data)) == data


def test_an_unsealed_envelope_round_trips_only_when_asked_to():
    envelope = make_envelope()
    data = envelope.to_bytes()
    assert Envelope.from_bytes(data, sealed=False) == envelope
    assert refusal(Envelope.from_bytes, data) == "missing_field"


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-canonical.MAX_SAFE_INTEGER, canonical.MAX_SAFE_INTEGER)
    | st.text()
)
payloads = st.dictionaries(
    st.text(),
    st.recursive(
        json_scalars,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
        ),
        max_leaves=20,
    ),
    max_size=6,
)


@settings(max_examples=50)
@given(payloads)
def test_any_payload_gives_canonical_signed_and_wire_bytes(signer, store, payload):
    envelope = seal_batch([make_envelope(payload=payload)], signer)[0]
    assert envelope.payload == payload
    assert envelope.signed_bytes() == canonical.canonical_bytes(envelope.signed_dict())
    wire = envelope.to_bytes()
    assert wire == canonical.canonical_bytes(envelope.to_dict())
    received = Envelope.from_bytes(wire)
    assert received == envelope
    assert received.signed_bytes() == envelope.signed_bytes()
    verify(received, store, at=T0)


def test_the_payload_is_the_envelopes_own_copy():
    payload = {"b": 1, "a": [1]}
    envelope = make_envelope(payload=payload)
    payload["a"].append(2)
    assert envelope.payload == {"a": [1], "b": 1}
    assert list(envelope.payload) == ["a", "b"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"id": str(uuid.uuid4())}, "id"),
        ({"type": "Hall Application"}, "type"),
        ({"type": "hall"}, "type"),
        ({"schema_version": 0}, "schema_version"),
        ({"schema_version": True}, "schema_version"),
        ({"schema_version": "1"}, "schema_version"),
        ({"source_zone": "dmz"}, "source_zone"),
        ({"source_body": "YC/ZWFW"}, "source_body"),
        ({"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
        ({"created_at": "2026-02-30T00:00:00.000000Z"}, "created_at"),
        ({"created_at": "2026-01-01T00:00:00.000000+00:00"}, "created_at"),
        ({"key": ""}, "key"),
        ({"key": "a\nb"}, "key"),
        ({"key": "a\ud800"}, "key"),
        ({"seq": 0}, "seq"),
        ({"seq": 2**53}, "seq"),
        ({"payload": []}, "payload"),
        ({"payload": {"amount": 12.5}}, "payload.amount"),
        ({"payload": {"when": datetime.date(2026, 1, 1)}}, "payload.when"),
        ({"attachments": [{"sha256": "00" * 32}]}, "attachments[0]"),
        ({"classification": 1}, "classification"),
    ],
)
def test_invalid_fields_are_refused_with_the_field_named(changes, field):
    fields = dataclasses.asdict(make_envelope())
    fields["attachments"] = []
    fields.update(changes)
    with pytest.raises(EnvelopeError) as caught:
        Envelope(**fields)
    assert caught.value.reason == "bad_field"
    assert caught.value.message.startswith(field)


@pytest.mark.parametrize(
    "name", ["", "../etc/passwd", "a/b.pdf", "a\\b.pdf", "..", "a\x00.pdf", "x" * 256]
)
def test_attachment_names_cannot_be_paths_or_empty(name):
    with pytest.raises(EnvelopeError, match="name"):
        Attachment.for_bytes(PDF, name=name, content_type="application/pdf")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"surprise": 1}, "unknown_field"),
        ({"id": None}, "bad_field"),
        ({"seq": "1"}, "bad_field"),
        ({"seq": True}, "bad_field"),
        ({"payload": "{}"}, "bad_field"),
        ({"attachments": {}}, "bad_field"),
        ({"attachments": [{"sha256": "00" * 32, "size": 1, "name": "a"}]}, "bad_field"),
        ({"seal": {"algorithm": "ed25519-sha256"}}, "bad_field"),
        ({"seal": []}, "bad_field"),
        ({"format": "egov-envelope/2"}, "unsupported_format"),
        ({"format": "something else"}, "not_an_envelope"),
    ],
)
def test_the_reader_refuses_wrong_members(sealed, changes, reason):
    data = wire_dict(sealed[0])
    data.update(changes)
    assert refusal(Envelope.from_bytes, to_wire(data)) == reason


@pytest.mark.parametrize("field", [*SIGNED_FIELDS, "seal"])
def test_the_reader_refuses_a_missing_member(sealed, field):
    data = wire_dict(sealed[0])
    del data[field]
    expected = "not_an_envelope" if field == "format" else "missing_field"
    assert refusal(Envelope.from_bytes, to_wire(data)) == expected


@pytest.mark.parametrize(
    ("seal_changes", "field"),
    [
        ({"algorithm": "Ed25519"}, "seal.algorithm"),
        ({"key_id": "ABCDEF0123456789"}, "seal.key_id"),
        ({"root": "AB" * 32}, "seal.root"),
        ({"root": "ab" * 8}, "seal.root"),
        ({"proof": [["X", "ab" * 32]]}, "seal.proof[0]"),
        ({"proof": [["L", "ab" * 31]]}, "seal.proof[0]"),
        ({"proof": [["L"]]}, "seal.proof[0]"),
        ({"proof": [["L", "ab" * 32]] * 65}, "seal.proof"),
        ({"signature": "not base64!"}, "seal.signature"),
        ({"signature": "AAAA"[:3]}, "seal.signature"),
        ({"signature": ""}, "seal.signature"),
        ({"signature": base64.urlsafe_b64encode(b"\xff" * 64).decode()}, "seal.signature"),
    ],
)
def test_the_reader_refuses_a_malformed_seal(sealed, seal_changes, field):
    data = wire_dict(sealed[0])
    data["seal"].update(seal_changes)
    with pytest.raises(EnvelopeError) as caught:
        Envelope.from_bytes(to_wire(data))
    assert caught.value.reason == "bad_field"
    assert caught.value.message.startswith(field)


@pytest.mark.parametrize(
    ("data", "reason", "detail"),
    [
        (b'{"format": "egov-envelope/1", "id": ', "truncated", "truncated"),
        (b"", "truncated", "truncated"),
        (b'{"format": "egov-envelope/1" "id": 1}', "malformed_json", "malformed_json"),
        (b'{"format": "egov-envelope/1", "format": "x"}', "malformed_json", "duplicate_key"),
        (b'{"format": "egov-envelope/1", "seq": 1.0}', "malformed_json", "float_not_allowed"),
        (b'{"format": "\xff"}', "malformed_json", "invalid_utf8"),
        (PDF, "not_an_envelope", "invalid_utf8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not_an_envelope", "invalid_utf8"),
        (b"hello, this is a text file\n", "not_an_envelope", "malformed_json"),
        (b"[1, 2, 3]", "not_an_envelope", ""),
        (b'"an envelope"', "not_an_envelope", ""),
        (b'{"hello": "world"}', "not_an_envelope", ""),
    ],
)
def test_bad_input_gets_its_own_reason(data, reason, detail):
    with pytest.raises(EnvelopeError) as caught:
        Envelope.from_bytes(data)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_trailing_garbage_and_every_truncation_of_an_envelope_are_refused(sealed):
    data = sealed[0].to_bytes()
    assert Envelope.from_bytes(data + b"\n") == sealed[0]  # JSON whitespace is harmless
    with pytest.raises(EnvelopeError) as caught:
        Envelope.from_bytes(data + b"{}")
    assert (caught.value.reason, caught.value.detail) == ("malformed_json", "trailing_data")
    for cut in range(len(data)):
        assert refusal(Envelope.from_bytes, data[:cut]) == "truncated"


# --- sealing and verification --------------------------------------------------------------


def test_every_envelope_of_a_batch_of_1000_verifies_alone(signer, store):
    envelopes = [make_envelope(seq, key=f"hall.application:{seq}") for seq in range(1, 1001)]
    batch = seal_batch(envelopes, signer)
    assert len({envelope.seal.root for envelope in batch}) == 1
    assert len({envelope.seal.signature for envelope in batch}) == 1
    assert max(len(envelope.seal.proof) for envelope in batch) == 10
    assert [envelope.id for envelope in batch] == [envelope.id for envelope in envelopes]
    for envelope in batch:
        received = Envelope.from_bytes(envelope.to_bytes())
        assert verify(received, store, at=T0) is None


def test_sealing_does_not_change_the_envelopes_given(signer):
    envelopes = [make_envelope(1)]
    sealed = seal_batch(envelopes, signer)
    assert envelopes[0].seal is None and sealed[0].seal is not None
    assert seal_batch([], signer) == []


def test_a_flipped_byte_in_the_payload_is_refused(sealed, store):
    data = sealed[2].to_bytes()
    tampered = data.replace("张三".encode(), "李四".encode())
    assert tampered != data
    assert refusal(verify, Envelope.from_bytes(tampered), store, at=T0) == "bad_proof"
    amount = data.index(b'"12.50"')
    tampered = data[:amount] + b'"92.50"' + data[amount + 7 :]
    assert refusal(verify, Envelope.from_bytes(tampered), store, at=T0) == "bad_proof"


def test_no_single_bit_flip_anywhere_yields_an_accepted_envelope(signer, store):
    batch = seal_batch([make_envelope(seq, attachments=[]) for seq in range(1, 4)], signer)
    wire = batch[2].to_bytes()
    assert verify(Envelope.from_bytes(wire), store, at=T0) is None
    for position in range(len(wire)):
        for bit in range(8):
            flipped = bytearray(wire)
            flipped[position] ^= 1 << bit
            with pytest.raises(EnvelopeError):
                verify(Envelope.from_bytes(bytes(flipped)), store, at=T0)


def test_a_changed_signature_is_refused(sealed, store):
    envelope = sealed[0]
    raw = bytearray(base64.b64decode(envelope.seal.signature))
    raw[10] ^= 1
    changed = dataclasses.replace(envelope.seal, signature=base64.b64encode(raw).decode())
    assert refusal(verify, envelope.with_seal(changed), store, at=T0) == "bad_signature"


def test_a_proof_or_a_seal_from_elsewhere_is_refused(sealed, signer, store):
    first, second = sealed[0], sealed[1]
    swapped = dataclasses.replace(first.seal, proof=second.seal.proof)
    assert refusal(verify, first.with_seal(swapped), store, at=T0) == "bad_proof"
    other_batch = seal_batch([make_envelope(9)], signer)[0]
    assert refusal(verify, first.with_seal(other_batch.seal), store, at=T0) == "bad_proof"


def test_an_unknown_key_is_refused(sealed):
    stranger = Ed25519Signer.generate()
    store = TrustStore([trusted(stranger)])
    assert refusal(verify, sealed[0], store, at=T0) == "unknown_key"


def test_rotation_an_expired_key_is_refused_a_key_in_its_overlap_is_accepted():
    old, new = Ed25519Signer.generate(), Ed25519Signer.generate()
    switch, overlap = T0 + 24 * HOUR, 6 * HOUR
    store = TrustStore(
        [
            trusted(old, valid_from=T0, valid_until=switch + overlap),
            trusted(new, valid_from=switch),
        ]
    )
    by_old = seal_batch([make_envelope(1)], old)[0]
    by_new = seal_batch([make_envelope(2)], new)[0]
    assert verify(by_old, store, at=switch - HOUR) is None
    assert refusal(verify, by_new, store, at=switch - HOUR) == "key_not_yet_valid"
    assert verify(by_old, store, at=switch + HOUR) is None  # in the overlap
    assert verify(by_new, store, at=switch + HOUR) is None
    assert refusal(verify, by_old, store, at=switch + overlap) == "expired_key"
    assert verify(by_new, store, at=switch + overlap) is None


def test_validity_is_judged_at_checking_time_not_at_the_claimed_creation_time():
    old = Ed25519Signer.generate()
    store = TrustStore([trusted(old, valid_from=T0, valid_until=T0 + HOUR)])
    backdated = seal_batch([make_envelope(1, created_at=T0 + datetime.timedelta(minutes=5))], old)
    assert refusal(verify, backdated[0], store, at=T0 + 2 * HOUR) == "expired_key"
    assert refusal(verify, backdated[0], store) == "expired_key"  # default: now


def test_a_key_of_the_other_zone_cannot_vouch_for_this_zone(sealed, signer):
    store = TrustStore([trusted(signer, zone="internal")])
    assert refusal(verify, sealed[0], store, at=T0) == "zone_mismatch"


def test_the_algorithm_named_must_be_known_and_match_the_key(sealed, store):
    envelope = sealed[0]
    for algorithm, reason in [
        ("ed25519-md5", "unsupported_algorithm"),
        ("sm2-sha256", "algorithm_mismatch"),
    ]:
        relabelled = envelope.with_seal(dataclasses.replace(envelope.seal, algorithm=algorithm))
        assert refusal(verify, relabelled, store, at=T0) == reason
    assert refusal(verify, dataclasses.replace(envelope, seal=None), store) == "unsealed"


def test_a_batch_hashed_with_sm3_verifies_and_says_so(signer, store):
    batch = seal_batch([make_envelope(seq) for seq in range(1, 4)], signer, merkle.SM3)
    assert {envelope.seal.algorithm for envelope in batch} == {"ed25519-sm3"}
    for envelope in batch:
        verify(Envelope.from_bytes(envelope.to_bytes()), store, at=T0)
    relabelled = dataclasses.replace(batch[0].seal, algorithm="ed25519-sha256")
    assert refusal(verify, batch[0].with_seal(relabelled), store, at=T0) == "bad_proof"


def test_a_caching_verifier_gives_the_same_verdicts(signer):
    store = TrustStore([trusted(signer, valid_until=T0 + HOUR)])
    verifier = CachingVerifier(store)
    batch = seal_batch([make_envelope(seq) for seq in range(1, 50)], signer)
    for envelope in batch:
        assert verify(envelope, verifier, at=T0) is None
    tampered = dataclasses.replace(batch[0], seal=None, payload={"x": 1}).with_seal(batch[0].seal)
    assert refusal(verify, tampered, verifier, at=T0) == "bad_proof"
    assert refusal(verify, batch[1], verifier, at=T0 + HOUR) == "expired_key"


class P256Signer:
    """A second signature algorithm, plugged in the way SM2 would be (see the docs)."""

    algorithm = "p256"

    def __init__(self):
        self._key = ec.generate_private_key(ec.SECP256R1())
        self.public_key = self._key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.key_id = signing.key_id_for(self.public_key)

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))


def p256_check(public_key: bytes):
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)

    def check(data: bytes, signature: bytes) -> bool:
        try:
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

    return check


def test_another_signature_algorithm_plugs_in_through_the_signer_interface():
    signing.register_algorithm("p256", p256_check)
    signer = P256Signer()
    assert isinstance(signer, signing.Signer)
    store = TrustStore(
        [TrustedKey(signer.key_id, "external", "p256", signer.public_key, valid_from=T0)]
    )
    batch = seal_batch([make_envelope(seq) for seq in range(1, 4)], signer, merkle.SM3)
    assert batch[0].seal.algorithm == "p256-sm3"
    for envelope in batch:
        verify(Envelope.from_bytes(envelope.to_bytes()), store, at=T0)
    tampered = dataclasses.replace(batch[0], seal=None, seq=7).with_seal(batch[0].seal)
    assert refusal(verify, tampered, store, at=T0) == "bad_proof"


# --- attachments ---------------------------------------------------------------------------


def test_attachment_bytes_that_match_are_accepted():
    meta = Attachment.for_bytes(PDF, name="a.pdf", content_type="application/pdf")
    assert meta.sha256 == hashlib.sha256(PDF).hexdigest()
    check_attachment(meta, PDF)
    check_attachment(meta, io.BytesIO(PDF))


def test_a_flipped_byte_in_an_attachment_is_refused():
    meta = Attachment.for_bytes(PDF, name="a.pdf", content_type="application/pdf")
    for position in (0, len(PDF) // 2, len(PDF) - 1):
        changed = bytearray(PDF)
        changed[position] ^= 0x40
        assert refusal(check_attachment, meta, bytes(changed)) == "attachment_hash"
        assert refusal(check_attachment, meta, io.BytesIO(changed)) == "attachment_hash"


def test_a_short_or_long_attachment_is_refused():
    meta = Attachment.for_bytes(PDF, name="a.pdf", content_type="application/pdf")
    for data in (PDF[:-1], PDF + b"\x00", b""):
        assert refusal(check_attachment, meta, data) == "attachment_size"
        assert refusal(check_attachment, meta, io.BytesIO(data)) == "attachment_size"


def test_attachment_metadata_is_signed(sealed, store):
    envelope = sealed[0]
    other = Attachment.for_bytes(b"other", name="申请书.pdf", content_type="application/pdf")
    swapped = dataclasses.replace(envelope, attachments=[other], seal=None).with_seal(envelope.seal)
    assert refusal(verify, swapped, store, at=T0) == "bad_proof"
