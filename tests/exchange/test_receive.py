"""Receiving: exactly-once apply, per-key order, gaps, handler errors, requeue, keys."""

import datetime
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core.models import AuditEntry
from egov.exchange import publish, services
from egov.exchange.models import (
    ExchangeAlert,
    InboxMessage,
    InboxSequence,
    QuarantinedMessage,
)
from egov.exchange.signing import Ed25519Signer

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
