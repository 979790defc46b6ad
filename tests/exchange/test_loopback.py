"""The loopback transport (combined mode) and the worker's tasks."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from egov.exchange import attachments as store
from egov.exchange import publish, services, tasks
from egov.exchange.models import (
    ExchangeAlert,
    InboxMessage,
    OutboxMessage,
    QuarantinedMessage,
)
from egov.exchange.transports import loopback

from .conftest import BACKWARD, FORWARD, effect_count, effects, make_envelope, pdf_bytes, seal

pytestmark = pytest.mark.django_db


def test_delivery_applies_each_message_exactly_once(exchange):
    for n in range(3):
        publish(FORWARD, {"n": n}, key="app:1")
    first = loopback.deliver()
    second = loopback.deliver()
    assert (first.applied, second.applied, second.duplicates) == (3, 0, 0)
    assert effects() == [("app:1", 1), ("app:1", 2), ("app:1", 3)]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"acked"}
    assert InboxMessage.objects.filter(status="applied").count() == 3


def test_a_delivery_cut_short_before_it_was_marked_is_not_applied_twice(exchange):
    for n in range(4):
        publish(FORWARD, {"n": n}, key=f"k{n}")
    batch = services.take_batch("internal")
    services.receive_batch(batch.envelopes, batch_id=batch.id, attachment=store.get)
    # … the process died here: nothing was marked sent. The next delivery sends it again.
    report = loopback.deliver()
    assert (report.applied, report.duplicates, report.quarantined) == (0, 4, 0)
    assert effect_count() == 4
    assert QuarantinedMessage.objects.count() == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"acked"}


def test_both_directions_and_attachments_travel(exchange):
    pdf = pdf_bytes("公告")
    publish(FORWARD, {"n": 1}, key="in", attachments=[("a.pdf", "application/pdf", pdf)])
    publish(BACKWARD, {"n": 2}, key="out")
    report = loopback.deliver(limit=1)
    assert report.applied == 2
    assert sorted(effects()) == [("in", 1), ("out", 1)]
    assert set(InboxMessage.objects.values_list("source_zone", flat=True)) == {
        "external",
        "internal",
    }


def test_an_attachment_changed_in_the_store_is_caught(exchange):
    pdf = pdf_bytes("changed")
    message = publish(FORWARD, {"n": 1}, key="k", attachments=[("a.pdf", "application/pdf", pdf)])
    [path] = services.take_batch("internal").attachments.values()
    with open(path, "r+b") as file:
        file.seek(20)
        file.write(b"X")
    report = loopback.deliver()
    assert report.reasons == {"attachment_hash": 1}
    assert QuarantinedMessage.objects.get().message_id == message.id
    assert effect_count() == 0


def test_publish_delivers_when_its_transaction_commits(
    exchange, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for n in range(5):
                publish(FORWARD, {"n": n}, key="instant")
            assert effect_count() == 0  # not before the commit
    assert len(callbacks) == 1  # one delivery for the whole transaction
    assert effects("instant") == [("instant", seq) for seq in range(1, 6)]


def test_a_rolled_back_publish_is_never_delivered(exchange, django_capture_on_commit_callbacks):
    class RollbackError(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RollbackError), transaction.atomic():
            publish(FORWARD, {"n": 1}, key="gone")
            raise RollbackError
    assert callbacks == []
    assert loopback.deliver().applied == 0
    assert effect_count() == 0
    assert OutboxMessage.objects.count() == 0


def test_loopback_refuses_a_split_zone(exchange):
    exchange.zone("internal")
    with pytest.raises(RuntimeError, match="combined mode"):
        loopback.deliver()


def test_the_periodic_tasks_deliver_and_watch_gaps(exchange):
    publish(FORWARD, {"n": 1}, key="periodic")
    tasks.deliver_periodically()  # the test worker runs tasks at once
    assert effects("periodic") == [("periodic", 1)]

    [raw] = seal([make_envelope(key="hole", seq=2)], exchange.signer)
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    services.receive_batch([raw], batch_id="hole", attachment=store.get, now=long_ago)
    tasks.check_gaps()
    assert ExchangeAlert.objects.get().subject == "combined:hole"


def test_the_tasks_do_nothing_outside_combined_mode(exchange):
    publish(FORWARD, {"n": 1}, key="stay")
    exchange.zone("external")
    tasks.deliver_now()
    assert OutboxMessage.objects.get().status == "pending"
