"""Receiving: exactly-once apply, per-key order, gaps, handler errors, requeue, keys."""

import dataclasses
import datetime
import pickle
import uuid

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core.models import AuditEntry
from egov.exchange import canonical, keys, merkle, publish, registry, services
from egov.exchange import envelope as envelope_module
from egov.exchange import handler as exchange_handler
from egov.exchange.envelope import Envelope, EnvelopeError, seal_batch
from egov.exchange.ids import uuid7
from egov.exchange.models import (
    ExchangeAlert,
    InboxMessage,
    InboxSequence,
    QuarantinedMessage,
)
from egov.exchange.signing import Ed25519Signer
from egov.exchange.transports import spool

from .conftest import (
    BACKWARD,
    FLAKY,
    FLAKY_STATE,
    FORWARD,
    effect_count,
    effects,
    files_of,
    make_envelope,
    no_files,
    pdf_bytes,
    record_effect,
    seal,
)

pytestmark = pytest.mark.django_db


def receive(items, batch_id=None, attachment=no_files, **options):
    return services.receive_batch(
        items, batch_id=batch_id or uuid.uuid4().hex, attachment=attachment, **options
    )


def test_a_published_batch_is_applied_once_even_if_imported_again(exchange):
    for n in range(5):
        publish(FORWARD, {"n": n}, key=f"app:{n % 2}")
    batch = services.take_batch("internal")
    first = receive(batch.envelopes, batch.id)
    assert (first.applied, first.duplicates, first.quarantined) == (5, 0, 0)
    again = receive(batch.envelopes, batch.id)
    assert (again.applied, again.duplicates, again.quarantined) == (0, 5, 0)
    assert effect_count() == 5
    assert effects("app:0") == [("app:0", 1), ("app:0", 2), ("app:0", 3)]
    rows = InboxMessage.objects.all()
    assert {row.status for row in rows} == {"applied"}
    assert {row.batch for row in rows} == {batch.id}
    assert all(row.envelope is None for row in rows)


def test_the_same_envelope_in_another_batch_is_a_replay(exchange):
    [raw] = seal([make_envelope()], exchange.signer)
    assert receive([raw], "batch-1").applied == 1
    report = receive([raw], "batch-2")
    assert report.reasons == {"replayed": 1}
    held = QuarantinedMessage.objects.get()
    assert held.reason == "replayed"
    assert "batch-1" in held.detail and "batch-2" in held.detail
    assert effect_count() == 1


def test_each_crossing_is_audited_per_batch_and_verdict(exchange):
    good = make_envelope({"n": 1}, key="a")
    bad_type = make_envelope({"n": 1}, key="b", type="test.no.such")
    waiting = make_envelope({"n": 1}, key="c", seq=2)
    items = seal([good, bad_type, waiting], exchange.signer)
    receive(items, "audited")
    entries = {
        entry.action: entry.detail
        for entry in AuditEntry.objects.filter(object_type="exchange.batch", object_id="audited")
    }
    assert set(entries) == {"exchange.applied", "exchange.quarantined", "exchange.waiting"}
    [applied] = entries["exchange.applied"]["messages"]
    assert applied[:2] == [good.id, FORWARD]
    assert applied[2] == InboxMessage.objects.get(message_id=good.id).sha256
    [held] = entries["exchange.quarantined"]["messages"]
    assert (held[0], held[3]) == (bad_type.id, "unknown_type")
    assert entries["exchange.waiting"]["messages"][0][0] == waiting.id


def test_a_message_waits_for_its_predecessor_then_both_apply_in_order(exchange):
    first, second, third = (make_envelope({"n": seq}, key="order", seq=seq) for seq in (1, 2, 3))
    report = receive(seal([third], exchange.signer))
    assert (report.applied, report.waiting) == (0, 1)
    waiting = InboxMessage.objects.get(message_id=third.id)
    assert waiting.status == "waiting" and waiting.envelope
    assert InboxSequence.objects.get(key="order").waiting_since is not None

    report = receive(seal([first], exchange.signer))
    assert (report.applied, report.waiting) == (1, 0)  # 2 is still missing: 3 waits on
    assert effects("order") == [("order", 1)]

    report = receive(seal([second], exchange.signer))
    assert report.applied == 2  # 2, then 3 that waited for it, in one transaction
    assert effects("order") == [("order", 1), ("order", 2), ("order", 3)]
    sequence = InboxSequence.objects.get(key="order")
    assert (sequence.last_seq, sequence.waiting_since) == (3, None)
    assert InboxMessage.objects.filter(status="waiting").count() == 0
    assert InboxMessage.objects.get(message_id=third.id).envelope is None


def test_a_gap_open_too_long_raises_one_alert_until_it_closes(exchange):
    first, second = (make_envelope({"n": seq}, key="gap", seq=seq) for seq in (1, 2))
    receive(seal([second], exchange.signer))
    assert services.check_gaps() == []  # not old enough yet
    later = timezone.now() + datetime.timedelta(seconds=3601)
    [alert] = services.check_gaps(now=later)
    assert (alert.kind, alert.subject) == ("sequence_gap", "combined:gap")
    assert "number 1" in alert.detail
    assert services.check_gaps(now=later) == []  # one open alert per gap
    receive(seal([first], exchange.signer))
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert effects("gap") == [("gap", 1), ("gap", 2)]
    assert services.check_gaps(now=later + datetime.timedelta(hours=5)) == []


def test_check_gaps_resolves_an_alert_whose_gap_closed(exchange):
    receive(seal([make_envelope(key="g2", seq=2)], exchange.signer))
    later = timezone.now() + datetime.timedelta(hours=2)
    [alert] = services.check_gaps(now=later)
    InboxSequence.objects.filter(key="g2").update(waiting_since=None)  # closed elsewhere
    services.check_gaps(now=later)
    alert.refresh_from_db()
    assert alert.resolved_at is not None


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), count=st.integers(1, 8))
def test_any_order_of_arrival_applies_each_message_once_in_order(exchange, data, count):
    key = f"prop:{uuid.uuid4().hex}"
    messages = [make_envelope({"n": seq}, key=key, seq=seq) for seq in range(1, count + 1)]
    order = data.draw(st.permutations(messages))
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, count - 1)), max_size=count)))
    batches = [order[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True) if order[a:b]]
    sealed = [(uuid.uuid4().hex, seal(batch, exchange.signer)) for batch in batches]
    repeats = data.draw(st.lists(st.sampled_from(sealed), max_size=3))
    for batch_id, items in [*sealed, *repeats]:  # a re-import of a batch changes nothing
        receive(items, batch_id)
    assert effects(key) == [(key, seq) for seq in range(1, count + 1)]
    assert QuarantinedMessage.objects.filter(message_id__in=[m.id for m in messages]).count() == 0


def test_a_failing_handler_quarantines_only_its_message(exchange):
    items = seal(
        [
            make_envelope({"n": 1}, key="a"),
            make_envelope({"fail": True}, key="b", type=FLAKY),
            make_envelope({"n": 3}, key="c"),
        ],
        exchange.signer,
    )
    report = receive(items)
    assert (report.applied, report.quarantined, report.reasons) == (2, 1, {"handler_error": 1})
    held = QuarantinedMessage.objects.get()
    assert "RuntimeError: the test handler is broken" in held.detail
    assert not InboxMessage.objects.filter(message_id=held.message_id).exists()
    assert effects() == [("a", 1), ("c", 1)]


def test_after_a_handler_is_fixed_requeue_applies_it_and_its_waiting_successors(exchange):
    FLAKY_STATE["broken"] = True
    items = seal(
        [make_envelope({"n": seq}, key="fix", seq=seq, type=FLAKY) for seq in (1, 2, 3)],
        exchange.signer,
    )
    report = receive(items, "b1")
    assert (report.quarantined, report.waiting) == (1, 2)
    held = QuarantinedMessage.objects.get()
    again = services.requeue(held.pk)  # still broken: held, one more attempt
    assert again.reasons == {"handler_error": 1}
    held.refresh_from_db()
    assert (held.status, held.attempts) == ("held", 2)

    FLAKY_STATE["broken"] = False
    report = services.requeue(held.pk)
    assert report.applied == 3
    assert effects("fix") == [("fix", 1), ("fix", 2), ("fix", 3)]
    held.refresh_from_db()
    assert (held.status, held.resolution) == ("requeued", "re-processed: applied")
    with pytest.raises(ValueError, match="only a held message"):
        services.requeue(held.pk)


def test_a_waiting_message_whose_handler_fails_when_its_turn_comes_is_quarantined(exchange):
    first = make_envelope({"n": 1}, key="w", seq=1, type=FLAKY)
    second = make_envelope({"fail": True}, key="w", seq=2, type=FLAKY)
    third = make_envelope({"n": 3}, key="w", seq=3, type=FLAKY)
    assert receive(seal([second, third], exchange.signer), "late").waiting == 2
    report = receive(seal([first], exchange.signer), "early")
    assert (report.applied, report.quarantined) == (1, 1)
    held = QuarantinedMessage.objects.get()
    assert (held.reason, held.message_id, held.batch) == (
        "handler_error",
        uuid.UUID(second.id),
        "late",
    )
    # No longer waiting in the inbox (so that it can be re-processed); #3 waits for it.
    assert not InboxMessage.objects.filter(message_id=second.id).exists()
    assert InboxMessage.objects.get(message_id=third.id).status == "waiting"
    assert effects("w") == [("w", 1)]


def test_unknown_key_then_trusted_then_requeued_is_applied(exchange):
    stranger = Ed25519Signer.generate()
    pdf = pdf_bytes()
    envelope = make_envelope({"n": 1}, attachments=[("a.pdf", "application/pdf", pdf)])
    report = receive(seal([envelope], stranger), attachment=files_of(("a.pdf", "", pdf)))
    assert report.reasons == {"unknown_key": 1}
    held = QuarantinedMessage.objects.get()
    assert (held.message_id, held.type, held.source_zone) == (
        uuid.UUID(envelope.id),
        FORWARD,
        "external",
    )
    exchange.trust(stranger, "external")
    report = services.requeue(held.pk)  # the attachment comes from this zone's store now
    assert report.applied == 1
    assert effect_count(envelope.id) == 1
    held.refresh_from_db()
    assert held.status == "requeued"


def test_reimporting_a_batch_after_trusting_its_key_resolves_the_held_copy(exchange):
    stranger = Ed25519Signer.generate()
    items = seal([make_envelope()], stranger)
    receive(items, "b")
    assert receive(items, "b").duplicates == 1  # held already: not held twice
    assert QuarantinedMessage.objects.count() == 1
    exchange.trust(stranger, "external")
    assert receive(items, "b").applied == 1
    assert QuarantinedMessage.objects.get().status == "requeued"


def test_a_split_internal_zone_accepts_the_trusted_external_key(exchange):
    external = Ed25519Signer.generate()
    exchange.zone("internal")
    exchange.trust(external, "external")
    report = receive(seal([make_envelope()], external))
    assert report.applied == 1
    # Its own key is not trusted in a split zone: only the other zone's.
    report = receive(seal([make_envelope(key="own")], exchange.signer))
    assert report.reasons == {"unknown_key": 1}


def test_a_key_trusted_for_the_other_zone_is_a_zone_mismatch(exchange):
    signer = Ed25519Signer.generate()
    exchange.zone("internal")
    exchange.trust(signer, "internal")
    report = receive(seal([make_envelope(source_zone="external")], signer))
    assert report.reasons == {"zone_mismatch": 1}


def test_key_validity_is_judged_when_checked(exchange):
    old = Ed25519Signer.generate()
    future = Ed25519Signer.generate()
    exchange.zone("internal")
    exchange.trust(old, "external", valid_until="2021-01-01T00:00:00Z")
    exchange.trust(future, "external", valid_from="2999-01-01T00:00:00Z")
    report = receive(seal([make_envelope(key="old")], old))
    assert report.reasons == {"expired_key": 1}
    report = receive(seal([make_envelope(key="future")], future))
    assert report.reasons == {"key_not_yet_valid": 1}
    then = datetime.datetime(2020, 6, 1, tzinfo=datetime.UTC)
    assert receive(seal([make_envelope(key="then")], old), now=then).applied == 1


def test_a_reused_sequence_number_is_held(exchange):
    receive(seal([make_envelope({"n": 1}, key="r", seq=1)], exchange.signer))
    report = receive(seal([make_envelope({"n": 2}, key="r", seq=1)], exchange.signer))
    assert report.reasons == {"sequence_reused": 1}
    receive(seal([make_envelope({"n": 3}, key="r", seq=3)], exchange.signer))
    report = receive(seal([make_envelope({"n": 4}, key="r", seq=3)], exchange.signer))
    assert report.reasons == {"sequence_reused": 1}
    assert effects("r") == [("r", 1)]


def test_a_waiting_message_keeps_its_attachments_for_later(exchange):
    pdf = pdf_bytes("waiting")
    first = make_envelope({"n": 1}, key="att", seq=1)
    second = make_envelope(
        {"n": 2}, key="att", seq=2, attachments=[("b.pdf", "application/pdf", pdf)]
    )
    assert receive(seal([second], exchange.signer), attachment=files_of(("", "", pdf))).waiting == 1
    # The transport's copy is gone; the message applies with the bytes from the store.
    assert receive(seal([first], exchange.signer)).applied == 2
    [detail] = AuditEntry.objects.filter(
        action="exchange.test.effect", object_id=second.id
    ).values_list("detail", flat=True)
    assert detail["attachments"] == [second.attachments[0].sha256]


def test_messages_from_both_zones_share_a_keys_order_in_combined_mode(exchange):
    inwards = make_envelope({"n": 1}, key="case:1", seq=1)
    outwards = make_envelope({"n": 2}, key="case:1", seq=2, type=BACKWARD, source_zone="internal")
    assert receive(seal([outwards], exchange.signer)).waiting == 1
    assert receive(seal([inwards], exchange.signer)).applied == 2
    assert effects("case:1") == [("case:1", 1), ("case:1", 2)]


def test_big_batches_are_applied_in_chunks(exchange, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 7)
    items = seal(
        [make_envelope({"n": n}, key=f"c{n % 3}", seq=n // 3 + 1) for n in range(30)],
        exchange.signer,
    )
    report = receive(items, "chunks")
    assert report.applied == 30
    assert effects("c1") == [("c1", seq) for seq in range(1, 11)]
    assert ExchangeAlert.objects.count() == 0


def test_requeue_of_an_unknown_id_says_so(exchange):
    with pytest.raises(ValueError, match="no quarantined message 999"):
        services.requeue(999)


# --- applying without a savepoint per message, batch handlers ------------------------------

BATCHED = "test.effect.batched"
BATCH_CALLS: list[list[tuple[str, int]]] = []
BATCH_STATE = {"fail_on": None}


def record_batch(messages) -> None:
    BATCH_CALLS.append([(message.envelope.key, message.envelope.seq) for message in messages])
    for message in messages:
        record_effect(message)  # one row each, in the chunk's transaction
        if message.payload.get("n") == BATCH_STATE["fail_on"]:
            raise RuntimeError("the batch handler is broken for this message")


@pytest.fixture
def batched(message_types):
    registry.register(
        registry.MessageType(
            name=BATCHED,
            direction=("external", "internal"),
            schema={"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
            handler=record_batch,
            batch=True,
        )
    )
    BATCH_CALLS.clear()
    BATCH_STATE["fail_on"] = None
    yield
    registry.unregister(BATCHED)
    BATCH_CALLS.clear()
    BATCH_STATE["fail_on"] = None


def test_the_registry_decorator_registers_a_batch_handler():
    @exchange_handler(
        "test.decorated.batch", direction=("external", "internal"), schema={}, batch=True
    )
    def handle(messages):
        pass

    try:
        assert registry.get("test.decorated.batch").batch is True
    finally:
        registry.unregister("test.decorated.batch")


def test_a_batch_handler_gets_one_message_per_key_at_a_time_in_each_keys_order(exchange, batched):
    messages = [
        make_envelope({"n": 10 * key + seq}, key=f"k{key}", seq=seq, type=BATCHED)
        for seq in (1, 2, 3)
        for key in range(4)
    ]
    report = receive(seal(messages[::-1], exchange.signer), "batched")  # any order of arrival
    assert report.applied == 12
    assert [len(call) for call in BATCH_CALLS] == [4, 4, 4]  # one call per round
    for call in BATCH_CALLS:
        assert len({key for key, _ in call}) == len(call)  # never two of one key
    for key in range(4):
        assert effects(f"k{key}") == [(f"k{key}", seq) for seq in (1, 2, 3)]
    again = receive(seal(messages[:1], exchange.signer), "another")  # a replay
    assert again.reasons == {"replayed": 1}
    assert effect_count() == 12


def test_a_batch_handler_and_a_message_handler_share_a_keys_order(exchange, batched):
    items = seal(
        [
            make_envelope({"n": 2}, key="mixed", seq=2, type=BATCHED),
            make_envelope({"n": 1}, key="mixed", seq=1),  # FORWARD: a handler per message
            make_envelope({"n": 3}, key="mixed", seq=3, type=BATCHED),
        ],
        exchange.signer,
    )
    assert receive(items).applied == 3
    assert effects("mixed") == [("mixed", 1), ("mixed", 2), ("mixed", 3)]


def test_a_failing_batch_handler_quarantines_only_its_message_and_its_keys_successors_wait(
    exchange, batched
):
    BATCH_STATE["fail_on"] = 12
    messages = [
        make_envelope({"n": 10 * key + seq}, key=f"k{key}", seq=seq, type=BATCHED)
        for key in range(3)
        for seq in (1, 2, 3)
    ]
    report = receive(seal(messages, exchange.signer), "failing")
    # k1 number 2 fails: k1 number 3 waits for it; everything else applies, each once
    assert (report.applied, report.quarantined, report.waiting) == (7, 1, 1)
    assert report.reasons == {"handler_error": 1}
    held = QuarantinedMessage.objects.get()
    assert "broken for this message" in held.detail
    assert held.message_id == uuid.UUID(messages[4].id)
    assert effects("k0") == [("k0", 1), ("k0", 2), ("k0", 3)]
    assert effects("k1") == [("k1", 1)]  # the first attempt's rows were rolled back
    assert effects("k2") == [("k2", 1), ("k2", 2), ("k2", 3)]
    assert effect_count() == 7
    assert InboxMessage.objects.get(message_id=messages[5].id).status == "waiting"

    BATCH_STATE["fail_on"] = None
    assert services.requeue(held.pk).applied == 2  # the fixed handler; its successor too
    assert effects("k1") == [("k1", 1), ("k1", 2), ("k1", 3)]


def test_the_messages_applied_before_a_failing_one_are_applied_once(exchange):
    items = seal(
        [make_envelope({"n": n}, key=f"w{n}", type=FLAKY) for n in range(5)]
        + [make_envelope({"fail": True}, key="w-fail", type=FLAKY)],
        exchange.signer,
    )
    FLAKY_STATE["broken"] = False
    report = receive(items, "wrote")
    assert (report.applied, report.quarantined) == (5, 1)
    assert effect_count() == 5  # nothing from the rolled-back first attempt
    assert AuditEntry.objects.filter(object_id="wrote", action="exchange.applied").count() == 1


# --- checking in one step, applying in another (the spool's worker process) ----------------


def test_checked_items_survive_pickling_and_apply_as_receive_batch_would(exchange):
    pdf = pdf_bytes("checked")
    good = make_envelope({"n": 1}, key="c", attachments=[("a.pdf", "application/pdf", pdf)])
    waiting = make_envelope({"n": 3}, key="c", seq=3)
    stranger = Ed25519Signer.generate()
    items = [
        *seal([good, waiting], exchange.signer),
        *seal([make_envelope({"n": 9}, key="s")], stranger),
        b"not an envelope",
    ]
    checked = services.check_received(items, attachment=files_of(("", "", pdf)))
    checked = pickle.loads(pickle.dumps(checked))  # noqa: S301 - our own bytes
    report = services.receive_checked(checked, batch_id="two-steps", source="test")
    assert (report.applied, report.waiting, report.quarantined) == (1, 1, 2)
    assert report.reasons == {"unknown_key": 1, "not_an_envelope": 1}
    assert effects("c") == [("c", 1)]
    # the same batch again, in one step: the same verdicts as duplicates
    again = receive(items, "two-steps", attachment=files_of(("", "", pdf)))
    assert (again.applied, again.duplicates) == (0, 4)


@pytest.mark.parametrize("worker", [True, False])
def test_the_importer_gives_the_same_verdicts_with_or_without_its_worker(
    exchange, gap, worker, monkeypatch
):
    exchange.configure(CHECK_IN_WORKER=worker)
    external = gap("external")
    pdf = pdf_bytes("spool")
    with transaction.atomic():
        for n in range(7):
            publish(FORWARD, {"n": n}, key=f"g{n % 3}")
        publish(FORWARD, {"n": 7}, key="pdf", attachments=[("a.pdf", "application/pdf", pdf)])
    assert spool.export(external, batch_size=3).batches == 3
    [good] = seal([make_envelope({"n": 1}, key="late", seq=2)], keys.signer())
    hostile = spool.Gap(external.root, "external").outgoing / f"{uuid7().hex}.batch"
    hostile.write_bytes(b"\x00\xff not json\n" + good + b"\n" + good[:-30])

    applied_in_two_steps = []
    receive_checked = services.receive_checked

    def spy(checked, **options):
        applied_in_two_steps.append(options["batch_id"])
        return receive_checked(checked, **options)

    monkeypatch.setattr(services, "receive_checked", spy)
    report = spool.import_(gap("internal"))
    # with the worker, each batch was checked there and applied here
    assert len(applied_in_two_steps) == (4 if worker else 0)
    assert (report.batches, report.applied, report.waiting) == (4, 8, 1)
    assert report.reasons == {"not_an_envelope": 1, "truncated": 1}
    assert effects("g0") == [("g0", 1), ("g0", 2), ("g0", 3)]
    assert effect_count() == 8
    assert spool.import_(gap("internal")).batches == 0
    assert spool.import_(gap("external")).acked_messages == 8


# --- reading envelopes the quick way -------------------------------------------------------


def _strictly(data: bytes):
    """Envelope.from_bytes without its quick way: the reference it must agree with."""
    try:
        value = canonical.parse(data)
    except canonical.CanonicalError as error:
        return ("refused", error.reason)
    try:
        return Envelope.from_dict(value)
    except EnvelopeError as error:
        return ("refused", error.reason)
    except Exception as error:  # noqa: BLE001 - a defect would show here
        return ("refused", type(error).__name__)


_SEALED = seal(
    [
        make_envelope({"n": 1, "note": "申请 ✓", "deep": [[{"a": [1, 2]}]]}, key="q"),
        make_envelope({"n": 2}, key="q2", attachments=[("a.pdf", "application/pdf", pdf_bytes())]),
    ],
    Ed25519Signer.generate(),
)
_NASTY = [
    b'"n":1.5',
    b'"n":1e3',
    b'"n":NaN',
    b'"n":9007199254740993',
    b'"n":' + b"9" * 5000,
    b'"note":"\\ud800"',
    b'"note":"\\u0000"',
    b'"n":1,"n":2',
    b'"seq":2,"seq":3',
    b"[" * 70 + b"]" * 70,
    b'"type":"test.effect.record","type":"x.y"',
    b"\xff",
    b"\xef\xbb\xbf",
    b" \n",
    b'"key":"a\\u2028b"',
    b'"signature":"\xc3\xa9=="',
]


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from(_SEALED),
    position=st.integers(0, 4000),
    insert=st.sampled_from(_NASTY) | st.binary(max_size=8),
    cut=st.integers(0, 3),
)
def test_the_quick_way_of_reading_an_envelope_agrees_with_the_strict_way(
    base, position, insert, cut
):
    at = position % (len(base) + 1)
    data = base[:at] + insert + base[at + cut :]
    quick = Envelope._from_bytes_quickly(data, True)
    strict = _strictly(data)
    if quick is not None:
        assert quick == strict  # accepted: the very same envelope
        assert quick.signed_bytes() == strict.signed_bytes()
    try:
        result = Envelope.from_bytes(data)
    except EnvelopeError:
        assert isinstance(strict, tuple)  # refused by both
    else:
        assert result == strict


def test_the_quick_way_reads_every_sealed_envelope_it_is_given():
    for data in _SEALED:
        assert Envelope._from_bytes_quickly(data, True) == _strictly(data)


@pytest.mark.parametrize(
    "value",
    [
        b"1.5",
        b"1e3",
        b"-0.0",
        b"NaN",
        b"Infinity",
        b"9007199254740992",  # 2**53: one more than the largest safe integer
        b"-9007199254740991",  # the smallest safe integer: accepted by both
        b"9" * 5000,
        b'"\\ud800"',
        b'"\\udc00x"',
        b"[" * 62 + b"]" * 62,  # accepted by both
        b"[" * 63 + b"]" * 63,  # 64 deep counted from the envelope: refused by both
        b'1,"n":2',  # a duplicate key
        b'{"a":1,"a":1}',
        b'"x"',
    ],
)
def test_a_hostile_value_is_read_the_same_way_by_both(value):
    data = _SEALED[0].replace(b'"n":1', b'"n":' + value, 1)
    quick = Envelope._from_bytes_quickly(data, True)
    strict = _strictly(data)
    assert quick is None or quick == strict
    if isinstance(strict, tuple):
        assert quick is None
        with pytest.raises(EnvelopeError):
            Envelope.from_bytes(data)
    else:
        assert Envelope.from_bytes(data) == strict


@settings(max_examples=60, deadline=None)
@given(count=st.integers(1, 40), data=st.data())
def test_a_proof_is_checked_as_merkle_verify_does(count, data):
    signer = Ed25519Signer.generate()
    sealed = seal_batch([make_envelope({"n": n}, key=f"p{n}") for n in range(count)], signer)
    envelope = sealed[data.draw(st.integers(0, count - 1))]
    other = sealed[data.draw(st.integers(0, count - 1))]
    moved = dataclasses.replace(envelope, seal=other.seal)  # right when other is envelope
    for candidate in (envelope, moved):
        seal_ = candidate.seal
        expected = merkle.verify(candidate.signed_bytes(), seal_.proof_bytes, seal_.root_bytes)
        quick = envelope_module._proof_leads_to_root(candidate.signed_bytes(), seal_, merkle.SHA256)
        assert quick is expected
        assert quick is (candidate.seal is envelope.seal or other.id == envelope.id)


def test_a_seal_checked_once_per_batch_still_refuses_a_forged_envelope(exchange):
    good, second = seal(
        [make_envelope({"n": 1}, key="f"), make_envelope({"n": 2}, key="g")], exchange.signer
    )
    assert receive([good], "seen").applied == 1  # the batch's seal is now known good
    forged = second.replace(b'"n":2', b'"n":3')
    assert receive([forged], "seen").reasons == {"bad_proof": 1}
    assert receive([second], "seen").applied == 1
