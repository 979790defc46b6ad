"""Sending: publish into the outbox, sequence numbers, refusals, sealing a batch, marking it
sent and acknowledged, and the attachment store."""

import dataclasses
import datetime
import hashlib
import os
import stat
import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from egov.core.models import AuditEntry
from egov.exchange import attachments as store
from egov.exchange import canonical, keys, policy, publish, services
from egov.exchange.envelope import Envelope, seal_batch, verify
from egov.exchange.models import OutboxMessage, OutboxSequence
from egov.exchange.policy import PolicyError
from egov.exchange.services import OutgoingMessage
from egov.exchange.signing import Ed25519Signer, SignatureError

from .conftest import BACKWARD, FORWARD, pdf_bytes

pytestmark = pytest.mark.django_db


def test_publish_writes_an_unsealed_envelope_to_the_outbox(exchange):
    message = publish(FORWARD, {"n": 7, "note": "申请"}, key="hall.application:1")
    row = OutboxMessage.objects.get(pk=message.pk)
    envelope = Envelope.from_bytes(bytes(row.envelope), sealed=False)
    assert envelope.id == str(row.id)
    assert envelope.payload == {"n": 7, "note": "申请"}
    assert envelope.source_zone == "external"
    assert (row.type, row.key, row.seq, row.destination) == (
        FORWARD,
        "hall.application:1",
        1,
        "internal",
    )
    assert row.status == OutboxMessage.Status.PENDING
    assert row.size == len(bytes(row.envelope)) == len(envelope.signed_bytes())


def test_a_rolled_back_transaction_publishes_nothing(exchange):
    class AbortError(Exception):
        pass

    with pytest.raises(AbortError), transaction.atomic():
        publish(FORWARD, {"n": 1}, key="k")
        assert OutboxMessage.objects.count() == 1
        raise AbortError
    assert OutboxMessage.objects.count() == 0
    assert services.take_batch("internal") is None
    # The sequence number was rolled back too: the next message of the key is number 1.
    assert publish(FORWARD, {"n": 2}, key="k").seq == 1


def test_sequence_numbers_count_per_key(exchange):
    seqs = [
        (key, publish(FORWARD, {"n": n}, key=key).seq)
        for n, key in enumerate(["a", "b", "a", "a", "b", "c"])
    ]
    assert seqs == [("a", 1), ("b", 1), ("a", 2), ("a", 3), ("b", 2), ("c", 1)]
    assert dict(OutboxSequence.objects.values_list("key", "last_seq")) == {"a": 3, "b": 2, "c": 1}


def test_a_refused_publish_leaves_the_callers_transaction_usable(exchange):
    with transaction.atomic():
        publish(FORWARD, {"n": 1}, key="k")
        with pytest.raises(PolicyError):
            publish(FORWARD, {"n": "not a number"}, key="k")
        publish(FORWARD, {"n": 3}, key="k")
    assert list(OutboxMessage.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("kwargs", "reason", "words"),
    [
        ({"type": "test.no.such", "payload": {"n": 1}}, "unknown_type", "not registered"),
        ({"type": FORWARD, "payload": {"n": "x"}}, "schema_invalid", "$.n"),
        ({"type": FORWARD, "payload": {"n": 1, "extra": 2}}, "schema_invalid", "extra"),
        ({"type": FORWARD, "payload": {"n": 1, "note": "x" * 5000}}, "too_large", "limit"),
        (
            {"type": BACKWARD, "payload": {"n": 1}, "classification": "秘密"},
            "classified",
            "never leave the internal zone",
        ),
        (
            {
                "type": FORWARD,
                "payload": {"n": 1},
                "attachments": [("a.pdf", "application/pdf", b"\x7fELF\x02\x01\x01" + bytes(64))],
            },
            "attachment_type",
            "application/x-executable",
        ),
        (
            {
                "type": FORWARD,
                "payload": {"n": 1},
                "attachments": [("a.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))],
            },
            "attachment_type",
            "does not accept",
        ),
    ],
)
def test_publish_refuses_with_a_reason(exchange, kwargs, reason, words):
    kwargs = dict(kwargs)
    with pytest.raises(PolicyError) as caught:
        publish(kwargs.pop("type"), kwargs.pop("payload"), key="k", **kwargs)
    assert caught.value.reason == reason
    assert words in str(caught.value)
    assert OutboxMessage.objects.count() == 0


def test_publish_refuses_a_float_and_a_bad_key(exchange):
    with pytest.raises(ValueError, match="floating-point"):
        publish(FORWARD, {"n": 1.5}, key="k")
    with pytest.raises(ValueError, match="key"):
        publish(FORWARD, {"n": 1}, key="")
    assert OutboxMessage.objects.count() == 0


def test_a_zone_sends_only_the_types_that_leave_it(exchange):
    exchange.zone("internal")
    with pytest.raises(PolicyError) as caught:
        publish(FORWARD, {"n": 1}, key="k")
    assert caught.value.reason == "wrong_direction"
    assert "this deployment is the internal zone" in str(caught.value)
    assert publish(BACKWARD, {"n": 1}, key="k").destination == "external"
    exchange.zone("external")
    assert publish(FORWARD, {"n": 1}, key="k").destination == "internal"
    with pytest.raises(PolicyError):
        publish(BACKWARD, {"n": 1}, key="k")


def test_classified_material_may_travel_inwards(exchange):
    message = publish(FORWARD, {"n": 1}, key="k", classification="内部")
    assert Envelope.from_bytes(bytes(message.envelope), sealed=False).classification == "内部"


def test_attachments_are_stored_by_their_hash(exchange):
    pdf = pdf_bytes()
    message = publish(
        FORWARD, {"n": 1}, key="k", attachments=[("申请书.pdf", "application/pdf", pdf)]
    )
    digest = hashlib.sha256(pdf).hexdigest()
    assert store.get(digest) == pdf
    envelope = Envelope.from_bytes(bytes(message.envelope), sealed=False)
    assert [(a.name, a.sha256, a.size) for a in envelope.attachments] == [
        ("申请书.pdf", digest, len(pdf))
    ]
    batch = services.take_batch("internal")
    assert batch.attachments == {digest: str(store.path_for(digest))}


def test_take_batch_seals_pending_messages_oldest_first(exchange):
    published = [publish(FORWARD, {"n": n}, key=f"k{n % 2}") for n in range(5)]
    batch = services.take_batch("internal", limit=3)
    assert batch.outbox_ids == [message.id for message in published[:3]]
    assert batch.id == published[0].id.hex
    assert batch.destination == "internal"
    verifier = keys.verifier("external")
    roots = set()
    for raw, message in zip(batch.envelopes, published, strict=False):
        envelope = Envelope.from_bytes(raw)
        verify(envelope, verifier)  # raises if anything is wrong
        assert envelope.id == str(message.id)
        roots.add(envelope.seal.root)
    assert len(roots) == 1  # one signature for the batch
    assert [entry[0] for entry in batch.manifest] == [str(m.id) for m in published[:3]]
    assert services.take_batch("external") is None


def test_a_batch_taken_again_is_the_same_batch(exchange):
    for n in range(4):
        publish(FORWARD, {"n": n}, key="k")
    first = services.take_batch("internal")
    again = services.take_batch("internal")
    assert (again.id, again.envelopes) == (first.id, first.envelopes)
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 4


def test_mark_sent_and_mark_acked(exchange):
    for n in range(3):
        publish(FORWARD, {"n": n}, key="k")
    batch = services.take_batch("internal")
    services.mark_sent(batch)
    assert set(OutboxMessage.objects.values_list("status", "batch")) == {("sent", batch.id)}
    assert services.take_batch("internal") is None
    sent = AuditEntry.objects.get(action="exchange.sent")
    assert sent.object_id == batch.id
    assert [entry[0] for entry in sent.detail["messages"]] == [str(i) for i in batch.outbox_ids]
    assert services.mark_acked(batch.id) == 3
    assert services.mark_acked(batch.id) == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"acked"}
    assert OutboxMessage.objects.filter(acked_at__isnull=True).count() == 0


SPLICE_SIGNER = Ed25519Signer.generate()
payloads = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.dictionaries(st.text(max_size=10), payloads, max_size=5),
    key=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
    ),
    body=st.from_regex(r"[A-Za-z0-9._-]{0,12}", fullmatch=True),
    count=st.integers(1, 5),
)
@example(  # the payload holds what the splicing looks for
    payload={"p": {"a": 1, "seq": 1, "source_body": ',"seq":1,"source_body":'}},
    key='k,"seq":1,"source_body":',
    body="",
    count=3,
)
def test_splicing_the_seal_gives_the_same_bytes_as_the_envelope_does(payload, key, body, count):
    """take_batch inserts each seal into the stored bytes without parsing them, and publish
    puts the sequence number into bytes made with number 1."""
    signer = SPLICE_SIGNER
    envelopes = [
        Envelope.new(
            "test.splice.check",
            payload,
            source_zone="external",
            key=key,
            seq=seq,
            source_body=body,
        )
        for seq in (1, *(10**seq + seq for seq in range(1, count)))
    ]
    sealed = seal_batch(envelopes, signer)
    first = envelopes[0]
    for plain in envelopes:  # publish builds with seq 1 and puts the number in the bytes
        assert (
            services.with_seq(first.to_bytes(), plain.seq)
            == dataclasses.replace(first, seq=plain.seq).to_bytes()
        )
    for plain, with_seal in zip(envelopes, sealed, strict=True):
        seal_bytes = with_seal.to_bytes()
        spliced = services.insert_seal(plain.to_bytes(), _canonical_seal(with_seal.seal.to_dict()))
        assert spliced == seal_bytes


def _canonical_seal(seal: dict) -> bytes:
    return canonical.canonical_bytes(seal)


# --- keys and the attachment store ---------------------------------------------------------


def test_combined_mode_makes_its_key_on_first_use(exchange):
    path = exchange.dir / "keys" / "signing.key"
    assert not path.exists()
    signer = keys.signer()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.public_key_path(path).read_bytes() == signer.public_key_pem()
    keys.reset()
    assert keys.signer().key_id == signer.key_id  # loaded, not made again


def test_a_split_zone_refuses_to_invent_a_key(exchange):
    exchange.settings.EGOV_ZONE = "external"
    with pytest.raises(Exception, match="exchange_keygen"):
        keys.signer()
    assert not (exchange.dir / "keys" / "signing.key").exists()


def test_trusted_json_is_read_with_validity_windows(exchange):
    other = Ed25519Signer.generate()
    exchange.zone("internal")
    exchange.trust(other, "external", valid_until="2030-01-01T00:00:00Z")
    verifier = keys.verifier("external")
    assert verifier.key_for(other.key_id).zone == "external"
    later = datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(SignatureError) as caught:
        verifier.key_for(other.key_id, at=later)
    assert caught.value.reason == "expired_key"


def test_a_broken_trusted_json_says_what_is_wrong(exchange):
    exchange.trusted_dir.mkdir(parents=True)
    (exchange.trusted_dir / "trusted.json").write_text('{"keys": [{"file": "x.pem"}]}')
    with pytest.raises(Exception, match="zone"):
        keys.verifier("external")


def test_the_store_writes_atomically_and_never_twice(exchange):
    data = os.urandom(5000)
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    path = store.path_for(digest)
    assert path.read_bytes() == data
    assert path.parent.parent.parent == store.root()
    modified = path.stat().st_mtime_ns
    assert store.put(data) == digest
    assert path.stat().st_mtime_ns == modified
    assert not [name for name in os.listdir(path.parent) if name.endswith(".tmp")]
    assert store.get("0" * 64) is None
    assert store.get("../../etc/passwd") is None
    with pytest.raises(ValueError):
        store.path_for("ABC")


def test_publish_ids_are_unique_uuid7(exchange):
    ids = [publish(FORWARD, {"n": n}, key="k").id for n in range(20)]
    assert len(set(ids)) == 20
    assert all(isinstance(i, uuid.UUID) and i.version == 7 for i in ids)
    assert ids == sorted(ids)


# --- publish_many --------------------------------------------------------------------------


def test_publish_many_numbers_each_key_in_the_lists_order(exchange):
    publish(FORWARD, {"n": 0}, key="a")
    messages = services.publish_many(
        [OutgoingMessage(FORWARD, {"n": n}, key) for n, key in enumerate("abacbaa", start=1)]
    )
    assert [(m.key, m.seq) for m in messages] == [
        ("a", 2), ("b", 1), ("a", 3), ("c", 1), ("b", 2), ("a", 4), ("a", 5),
    ]  # fmt: skip
    assert publish(FORWARD, {"n": 9}, key="a").seq == 6
    rows = {row.id: row for row in OutboxMessage.objects.all()}
    for message in messages:
        row = rows[message.id]
        assert (row.key, row.seq, bytes(row.envelope)) == (
            message.key,
            message.seq,
            bytes(message.envelope),
        )
        envelope = Envelope.from_bytes(bytes(row.envelope), sealed=False)
        assert (envelope.id, envelope.key, envelope.seq) == (str(row.id), row.key, row.seq)
        assert envelope.to_bytes() == bytes(row.envelope)  # canonical, with its own number
    assert dict(OutboxSequence.objects.values_list("key", "last_seq")) == {"a": 6, "b": 2, "c": 1}
    assert services.publish_many([]) == []


def test_publish_many_is_all_or_nothing_and_rolls_back_with_the_caller(exchange):
    good = OutgoingMessage(FORWARD, {"n": 1}, "k")
    with transaction.atomic():
        publish(FORWARD, {"n": 0}, key="k")
        with pytest.raises(PolicyError) as caught:
            services.publish_many([good, OutgoingMessage(FORWARD, {"n": "one"}, "k"), good])
        assert caught.value.reason == "schema_invalid"
        assert "message 1 (test.effect.record, key 'k')" in str(caught.value)
        assert OutboxMessage.objects.count() == 1  # nothing of the list was written
        assert [m.seq for m in services.publish_many([good, good])] == [2, 3]
    assert OutboxMessage.objects.count() == 3

    class AbortError(Exception):
        pass

    with pytest.raises(AbortError), transaction.atomic():
        services.publish_many([good] * 3)
        raise AbortError
    assert OutboxMessage.objects.count() == 3
    assert publish(FORWARD, {"n": 4}, key="k").seq == 4
    with pytest.raises(TypeError, match="OutgoingMessage"):
        services.publish_many([{"type": FORWARD, "payload": {"n": 1}, "key": "k"}])


def test_publish_many_spreads_many_keys_over_several_statements(exchange, monkeypatch):
    monkeypatch.setattr(services, "_SEQ_KEYS_PER_STATEMENT", 3)
    keys_ = [f"key{n % 7}" for n in range(30)]
    messages = services.publish_many([OutgoingMessage(FORWARD, {"n": 1}, key) for key in keys_])
    seen: dict[str, int] = {}
    for message, key in zip(messages, keys_, strict=True):
        seen[key] = seen.get(key, 0) + 1
        assert (message.key, message.seq) == (key, seen[key])


def test_a_batch_is_sealed_exactly_as_seal_batch_seals_it(exchange):
    """take_batch writes the seals by joining hex strings; Ed25519 signatures are
    deterministic, so the bytes must be those of envelope.seal_batch."""
    for count in (1, 2, 3, 5, 8, 13, 17):
        services.publish_many(
            [OutgoingMessage(FORWARD, {"n": n}, f"s{n % 4}") for n in range(count)]
        )
        batch = services.take_batch("internal")
        unsealed = [
            Envelope.from_bytes(bytes(row.envelope), sealed=False)
            for row in OutboxMessage.objects.filter(pk__in=batch.outbox_ids).order_by("id")
        ]
        expected = [envelope.to_bytes() for envelope in seal_batch(unsealed, keys.signer())]
        assert batch.envelopes == expected
        services.mark_sent(batch)
        assert not OutboxMessage.objects.filter(pk__in=batch.outbox_ids, status="pending")


# --- the quick schema check ----------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-50, 50)
    | st.sampled_from(["", "a", "ab", "abc", "x1"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c", "n"]), children, max_size=3)
    ),
    max_leaves=8,
)
_type_names = st.sampled_from(["object", "array", "string", "integer", "number", "boolean", "null"])


def _schemas(depth: int = 2):
    leaf = st.fixed_dictionaries(
        {},
        optional={
            "type": _type_names | st.lists(_type_names, min_size=1, max_size=3, unique=True),
            "minimum": st.integers(-5, 5),
            "maximum": st.integers(-5, 5),
            "exclusiveMinimum": st.integers(-5, 5),
            "exclusiveMaximum": st.integers(-5, 5),
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 3),
            "minItems": st.integers(0, 2),
            "maxItems": st.integers(0, 2),
            "minProperties": st.integers(0, 2),
            "maxProperties": st.integers(0, 2),
            "enum": st.lists(
                st.none() | st.booleans() | st.integers(-2, 2) | st.just("a"),
                min_size=1,
                max_size=3,
            ),
            "const": st.none() | st.booleans() | st.integers(-2, 2) | st.just("ab"),
            "pattern": st.sampled_from(["^a", "b", "[0-9]", "^$"]),
            "required": st.lists(st.sampled_from(["a", "b", "n"]), max_size=2, unique=True),
            "title": st.just("an annotation"),
        },
    )
    if depth == 0:
        return leaf | st.booleans()
    child = _schemas(depth - 1)
    return st.one_of(
        leaf,
        st.builds(
            lambda base, properties, extra: {**base, "properties": properties, **extra},
            leaf,
            st.dictionaries(st.sampled_from(["a", "b", "n"]), child, max_size=2),
            st.fixed_dictionaries({}, optional={"additionalProperties": child}),
        ),
        st.builds(lambda base, items: {**base, "items": items}, leaf, child),
        st.builds(lambda parts: {"allOf": parts}, st.lists(child, min_size=1, max_size=2)),
        st.builds(lambda parts: {"anyOf": parts}, st.lists(child, min_size=1, max_size=2)),
    )


@settings(max_examples=400, deadline=None)
@given(schema=_schemas(), value=_json_values)
def test_the_quick_schema_check_agrees_with_jsonschema(schema, value):
    quick = policy.compile_schema(schema)
    assert quick is not None
    assert quick(value) == Draft202012Validator(schema).is_valid(value)


def test_a_schema_the_quick_check_does_not_know_is_left_to_jsonschema(exchange, message_types):
    schema = {
        "type": "object",
        "properties": {"when": {"type": "string", "format": "date"}},
        "patternProperties": {"^x": {"type": "integer"}},
    }
    assert policy.compile_schema(schema) is None
    assert policy.compile_schema({"type": "object", "format": "date"}) is not None
    message_type = dataclasses.replace(message_types[FORWARD], name="test.quick", schema=schema)
    policy.check_payload(message_type, {"when": "2026-11-29", "x1": 1})
    with pytest.raises(PolicyError, match=r"at \$\.x1"):
        policy.check_payload(message_type, {"when": "2026-11-29", "x1": "one"})
    with pytest.raises(PolicyError, match=r"at \$\.when"):
        policy.check_payload(message_type, {"when": "29.11.2026"})
