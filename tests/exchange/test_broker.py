"""The broker transport against the real RabbitMQ (127.0.0.1:5672) and NATS JetStream
(127.0.0.1:4222): its frames, the plumbing (publish, consume, acknowledge, redelivery,
order, parts), and the exchange end to end through it.

Every test uses its own queue / stream / subject names and deletes them afterwards. A broker
that is not reachable skips its tests with how to start it, unless the environment variable
CI is set: then they fail. EGOV_TEST_RABBITMQ_URL and EGOV_TEST_NATS_URL point the tests at
other servers.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pika
import pika.exceptions
import pytest
from django.db import transaction
from django.db.models import Count
from hypothesis import given
from hypothesis import strategies as st

from egov.exchange import keys, services
from egov.exchange.ids import uuid7
from egov.exchange.models import OutboxMessage, QuarantinedMessage
from egov.exchange.services import Batch, ReceiveReport
from egov.exchange.signing import Ed25519Signer
from egov.exchange.transports import broker
from egov.exchange.transports.broker import (
    BrokerError,
    BrokerTransport,
    FrameError,
    ReceiverBusyError,
    read_frame,
    write_frame,
)
from tests.exchange.conftest import (
    FORWARD,
    effect_count,
    effects,
    make_envelope,
    pdf_bytes,
    seal,
)

REPO = Path(__file__).resolve().parents[2]
URLS = {  # another address through EGOV_TEST_RABBITMQ_URL / EGOV_TEST_NATS_URL
    "rabbitmq": os.environ.get("EGOV_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"),
    "nats": os.environ.get("EGOV_TEST_NATS_URL", "nats://127.0.0.1:4222"),
}
HOW_TO_START = {
    "rabbitmq": "start RabbitMQ on 127.0.0.1:5672 with the guest user "
    "(systemctl start rabbitmq-server)",
    "nats": "start NATS with JetStream on 127.0.0.1:4222 "
    "(systemctl start nats-server, or nats-server -js -a 127.0.0.1 -p 4222)",
}


# --- the real brokers, one set of names per test -------------------------------------------


@dataclass
class Broker:
    kind: str  # rabbitmq or nats
    url: str
    options: dict
    opened: list

    def open(self, zone: str, **changes) -> BrokerTransport:
        transport = BrokerTransport(self.url, zone=zone, **{**self.options, **changes})
        self.opened.append(transport)
        return transport


def _unreachable(kind: str, error: Exception):
    message = f"{kind} is not reachable ({error}); {HOW_TO_START[kind]}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _delete_names(kind: str, url: str, options: dict) -> None:
    if kind == "nats":
        import asyncio

        import nats

        async def delete():
            connection = await nats.connect(url)
            try:
                await connection.jetstream().delete_stream(options["stream"])
            finally:
                await connection.close()

        # On a thread of its own: the browser tests may leave an event loop running here.
        cleanup = threading.Thread(target=lambda: asyncio.run(delete()))
        cleanup.start()
        cleanup.join()
        return
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        prefix = options["prefix"]
        for zone in ("external", "internal"):
            for queue in (f"{prefix}.to-{zone}", f"{prefix}.to-{zone}.acks"):
                channel = connection.channel()
                try:
                    channel.queue_delete(queue)
                    channel.close()
                except pika.exceptions.ChannelClosedByBroker:
                    pass
    finally:
        connection.close()


@pytest.fixture(params=["rabbitmq", "rabbitmq-quorum", "nats"])
def brokers(request):
    kind = request.param.split("-")[0]
    url = URLS[kind]
    name = uuid.uuid4().hex[:12]
    options = {"prefix": f"egovtest-{name}.exchange", "stream": f"EGOVTEST_{name.upper()}"}
    if request.param == "rabbitmq-quorum":
        options["queue_type"] = "quorum"
    try:
        BrokerTransport(url, zone="internal", **options).close()
    except BrokerError as error:
        _unreachable(kind, error)
    setup = Broker(kind, url, options, [])
    yield setup
    for transport in setup.opened:
        transport.close()
    _delete_names(kind, url, options)


def make_batch(tmp_path: Path, count: int = 3, *, attachments=(), key: str = "k") -> Batch:
    """A batch of real sealed envelopes from the external zone, with its files on disk."""
    envelopes = [
        make_envelope({"n": n}, key=key, seq=n + 1, attachments=attachments) for n in range(count)
    ]
    files = {}
    for _, _, data in attachments:
        sha256 = hashlib.sha256(data).hexdigest()
        path = tmp_path / sha256
        path.write_bytes(data)
        files[sha256] = str(path)
    return Batch(
        id=uuid7().hex,
        destination="internal",
        outbox_ids=list(range(count)),
        envelopes=seal(envelopes, Ed25519Signer.generate()),
        attachments=files,
    )


def drain(transport: BrokerTransport) -> list[broker.IncomingBatch]:
    """Every batch waiting for the transport's zone, acknowledged."""
    received = []
    while (incoming := transport.next_batch()) is not None:
        transport.acknowledge(incoming)
        received.append(incoming)
    return received


def open_when_free(brokers: Broker, zone: str, **changes) -> tuple[BrokerTransport, object]:
    """A receiver, once the one that died has let go (RabbitMQ notices at once; JetStream
    after the receiver's idle time). Returns it and its first batch."""
    deadline = time.monotonic() + 60
    while True:
        transport = brokers.open(zone, **changes)
        try:
            return transport, transport.next_batch()
        except ReceiverBusyError:
            transport.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# --- frames (no broker needed) -------------------------------------------------------------


def _frame_batch(tmp_path: Path, items: list[bytes], files: list[bytes]) -> Batch:
    attachments = {}
    for data in files:
        sha256 = hashlib.sha256(data).hexdigest()
        (tmp_path / sha256).write_bytes(data)
        attachments[sha256] = str(tmp_path / sha256)
    return Batch(
        id=uuid7().hex,
        destination="internal",
        outbox_ids=list(range(len(items))),
        envelopes=items,
        attachments=attachments,
    )


@given(
    items=st.lists(st.binary(max_size=300), max_size=8),
    files=st.lists(st.binary(max_size=300), max_size=4, unique=True),
)
def test_a_frame_reads_back_as_written_whatever_the_bytes(tmp_path_factory, items, files):
    batch = _frame_batch(tmp_path_factory.mktemp("frame"), items, files)
    out = io.BytesIO()
    size = write_frame(batch, source="external", out=out)
    assert size == len(out.getvalue())
    incoming = read_frame(out, size)
    assert (incoming.batch_id, incoming.source, incoming.destination) == (
        batch.id,
        "external",
        "internal",
    )
    assert incoming.items == items
    for data in files:
        assert incoming.attachment(hashlib.sha256(data).hexdigest()) == data
    assert incoming.attachment("0" * 64) is None


@given(data=st.data())
def test_a_frame_cut_short_is_truncated_and_one_too_long_is_refused(tmp_path_factory, data):
    items = data.draw(st.lists(st.binary(min_size=1, max_size=50), min_size=1, max_size=4))
    batch = _frame_batch(tmp_path_factory.mktemp("frame"), items, [b"%PDF-1.4 file"])
    out = io.BytesIO()
    size = write_frame(batch, source="external", out=out)
    whole = out.getvalue()
    cut = data.draw(st.integers(min_value=0, max_value=size - 1))
    with pytest.raises(FrameError) as refused:
        read_frame(io.BytesIO(whole[:cut]), cut)
    assert refused.value.reason == "truncated"
    with pytest.raises(FrameError) as refused:
        read_frame(io.BytesIO(whole + b"x"), size + 1)
    assert refused.value.reason == "not_an_envelope"


@pytest.mark.parametrize(
    "header",
    [
        b"[]",
        b'{"format":"egov-broker/2"}',
        b'{"attachments":[],"batch":"../x","destination":"internal","format":"egov-broker/1",'
        b'"items":[],"source":"external"}',
        b'{"attachments":[],"batch":"b","destination":"moon","format":"egov-broker/1",'
        b'"items":[],"source":"external"}',
        b'{"attachments":[],"batch":"b","destination":"internal","format":"egov-broker/1",'
        b'"items":[-1],"source":"external"}',
        b'{"attachments":[{"sha256":"ab","size":1}],"batch":"b","destination":"internal",'
        b'"format":"egov-broker/1","items":[],"source":"external"}',
        b'{"attachments":[],"batch":"b","destination":"internal","extra":1,'
        b'"format":"egov-broker/1","items":[],"source":"external"}',
        b"%PDF-1.4 not a frame",
    ],
)
def test_a_frame_header_that_is_not_ours_is_refused(header):
    data = header + b"\n"
    with pytest.raises(FrameError) as refused:
        read_frame(io.BytesIO(data), len(data))
    assert refused.value.reason == "not_an_envelope"


def test_an_attachment_file_that_is_missing_stops_the_send_with_what_to_do(tmp_path):
    batch = _frame_batch(tmp_path, [b"x"], [b"file"])
    for path in batch.attachments.values():
        os.unlink(path)
    with pytest.raises(BrokerError, match="cannot be read at .*restore the file"):
        write_frame(batch, source="external", out=io.BytesIO())


# --- configuration and unreachable brokers (no broker needed) ------------------------------


@pytest.mark.parametrize(
    "url, how",
    [
        ("amqp://guest:secret@127.0.0.1:1/%2F", "systemctl start rabbitmq-server"),
        ("nats://127.0.0.1:1", "nats-server -js"),
    ],
)
def test_a_broker_that_is_not_running_is_refused_with_how_to_start_it(url, how):
    with pytest.raises(BrokerError) as refused:
        BrokerTransport(url, zone="external")
    assert how in str(refused.value)
    assert "secret" not in str(refused.value)  # the password is never shown


def test_an_unknown_broker_address_or_zone_is_refused():
    with pytest.raises(BrokerError, match="amqp://.*nats://"):
        BrokerTransport("redis://127.0.0.1:6379", zone="external")
    with pytest.raises(ValueError, match="connects two zones"):
        BrokerTransport(URLS["nats"], zone="combined")


def test_the_settings_must_name_a_broker_and_a_zone(settings):
    settings.EGOV_ZONE = "external"
    settings.EGOV_EXCHANGE = {**settings.EGOV_EXCHANGE, "BROKER_URL": "", "TRANSPORT": "nats"}
    with pytest.raises(BrokerError, match="BROKER_URL'] is empty"):
        broker.transport_from_settings()
    settings.EGOV_EXCHANGE = {**settings.EGOV_EXCHANGE, "BROKER_URL": URLS["rabbitmq"]}
    with pytest.raises(BrokerError, match="is 'nats' but BROKER_URL"):
        broker.transport_from_settings()
    settings.EGOV_ZONE = "combined"
    settings.EGOV_EXCHANGE = {**settings.EGOV_EXCHANGE, "TRANSPORT": "rabbitmq"}
    with pytest.raises(BrokerError, match="set EGOV_ZONE to external or internal"):
        broker.transport_from_settings()


def test_the_settings_give_a_transport_for_this_zone(settings, brokers):
    settings.EGOV_ZONE = "internal"
    settings.EGOV_EXCHANGE = {
        **settings.EGOV_EXCHANGE,
        "BROKER_URL": brokers.url,
        "TRANSPORT": brokers.kind,
        "BROKER_PREFIX": brokers.options["prefix"],
        "BROKER_STREAM": brokers.options["stream"],
        "BROKER_QUEUE_TYPE": brokers.options.get("queue_type", "classic"),
    }
    with broker.transport_from_settings() as transport:
        assert transport.zone == "internal"
        assert transport.batch_address("internal") == brokers.options["prefix"] + ".to-internal"
        assert transport.next_batch() is None


# --- the plumbing, on the real brokers -----------------------------------------------------


def test_a_batch_sent_is_received_once_with_its_attachments(brokers, tmp_path):
    pdf = pdf_bytes()
    batch = make_batch(tmp_path, attachments=[("form.pdf", "application/pdf", pdf)])
    sender = brokers.open("external")
    assert sender.publish_batch(batch) == 1

    receiver = brokers.open("internal")
    incoming = receiver.next_batch()
    assert (incoming.batch_id, incoming.source) == (batch.id, "external")
    assert incoming.items == batch.envelopes
    assert incoming.attachment(hashlib.sha256(pdf).hexdigest()) == pdf
    assert incoming.attachment("f" * 64) is None
    receiver.acknowledge(incoming)
    assert receiver.next_batch() is None
    receiver.close()

    assert brokers.open("internal").next_batch() is None  # never again
    assert brokers.open("external").next_batch() is None  # nothing went the wrong way


def test_batches_are_received_in_the_order_they_were_sent(brokers, tmp_path):
    sender = brokers.open("external")
    batches = [make_batch(tmp_path, count=n + 1, key=f"k{n}") for n in range(6)]
    for batch in batches:
        sender.publish_batch(batch)
    received = drain(brokers.open("internal"))
    assert [incoming.batch_id for incoming in received] == [batch.id for batch in batches]
    assert [incoming.items for incoming in received] == [batch.envelopes for batch in batches]


def test_a_receiver_that_stops_without_acknowledging_gets_the_batch_again_in_order(
    brokers, tmp_path
):
    sender = brokers.open("external")
    first, second = make_batch(tmp_path, key="a"), make_batch(tmp_path, key="b")
    sender.publish_batch(first)
    sender.publish_batch(second)

    stopping = brokers.open("internal")
    assert stopping.next_batch().batch_id == first.id
    stopping.close()  # without acknowledging

    received = drain(brokers.open("internal"))
    assert [incoming.batch_id for incoming in received] == [first.id, second.id]


def test_a_receiver_killed_before_acknowledging_gets_the_batch_again_in_order(brokers, tmp_path):
    sender = brokers.open("external", max_message_bytes=1024)  # batches of several parts
    first, second = make_batch(tmp_path, key="a"), make_batch(tmp_path, key="b")
    assert sender.publish_batch(first) > 1
    assert sender.publish_batch(second) > 1

    options = {**brokers.options, "receiver_idle_seconds": 2}
    script = (
        "import os, signal, sys\n"
        "from egov.exchange.transports.broker import BrokerTransport\n"
        f"transport = BrokerTransport({brokers.url!r}, zone='internal', **{options!r})\n"
        "print(transport.next_batch().batch_id, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert killed.stdout.strip() == first.id

    receiver, incoming = open_when_free(brokers, "internal", receiver_idle_seconds=2)
    assert (incoming.batch_id, incoming.items) == (first.id, first.envelopes)
    receiver.acknowledge(incoming)
    assert [later.batch_id for later in drain(receiver)] == [second.id]


def test_a_second_receiver_of_a_zone_is_refused_while_one_runs(brokers, tmp_path):
    brokers.open("external").publish_batch(make_batch(tmp_path))
    first = brokers.open("internal")
    assert first.next_batch() is not None
    second = brokers.open("internal")
    with pytest.raises(ReceiverBusyError, match="run one receiver per zone"):
        second.next_batch()
    # the sender of the same zone's acknowledgements is another queue: not refused
    assert brokers.open("internal").next_ack() is None


def test_a_batch_larger_than_one_broker_message_travels_in_parts(brokers, tmp_path):
    files = [(f"f{n}.pdf", "application/pdf", pdf_bytes(str(n) * 20_000)) for n in range(3)]
    batch = make_batch(tmp_path, count=5, attachments=files)
    sender = brokers.open("external", max_message_bytes=8 * 1024)
    parts = sender.publish_batch(batch)
    size = write_frame(batch, source="external", out=io.BytesIO())
    assert parts == math.ceil(size / (8 * 1024)) > 1
    [incoming] = drain(brokers.open("internal"))
    assert incoming.items == batch.envelopes
    for _, _, data in files:
        assert incoming.attachment(hashlib.sha256(data).hexdigest()) == data
    assert len(incoming.messages) == parts


def test_a_large_attachment_is_cut_to_each_brokers_own_limit(brokers, tmp_path):
    big = pdf_bytes("x" * (3 * 1024 * 1024))  # more than NATS's default 1 MiB message
    batch = make_batch(tmp_path, count=1, attachments=[("big.pdf", "application/pdf", big)])
    sender = brokers.open("external")
    parts = sender.publish_batch(batch)
    assert parts == (1 if brokers.kind == "rabbitmq" else 4)
    [incoming] = drain(brokers.open("internal"))
    assert incoming.attachment(hashlib.sha256(big).hexdigest()) == big


def test_an_incomplete_transfer_is_discarded_and_what_follows_still_arrives(brokers, tmp_path):
    sender = brokers.open("external", max_message_bytes=1024)
    cut, resent, after = (make_batch(tmp_path, count=4, key=k) for k in "abc")
    address = sender.batch_address("internal")
    parts = list(sender.frame_parts(cut))
    assert len(parts) > 2
    for number, (headers, body) in enumerate(parts[:2]):  # the sender died here
        sender.publish_message(address, body, headers, message_id=f"{cut.id}.{number}")
    sender.publish_batch(resent)
    for number, (headers, body) in enumerate(parts[1:2]):  # a stray part, without part 0
        sender.publish_message(address, body, headers, message_id=f"stray.{number}")
    sender.publish_batch(cut)  # sent again, whole, after a restart
    sender.publish_batch(after)

    receiver = brokers.open("internal")
    received = drain(receiver)
    assert [incoming.batch_id for incoming in received] == [resent.id, cut.id, after.id]
    assert received[1].items == cut.envelopes
    receiver.close()
    assert brokers.open("internal").next_batch() is None  # the fragments are gone


def test_parts_still_being_published_wait_for_the_rest(brokers, tmp_path):
    sender = brokers.open("external", max_message_bytes=1024)
    batch = make_batch(tmp_path, count=4)
    address = sender.batch_address("internal")
    parts = list(sender.frame_parts(batch))
    receiver = brokers.open("internal")
    for number, (headers, body) in enumerate(parts):
        assert receiver.next_batch() is None  # not complete yet
        sender.publish_message(address, body, headers, message_id=f"{batch.id}.{number}")
    incoming = receiver.next_batch()
    assert incoming.items == batch.envelopes


def test_acknowledgements_go_back_to_the_sender(brokers, tmp_path):
    receiver = brokers.open("internal")
    receiver.publish_ack("batch-1", to="external", report=ReceiveReport(applied=3, waiting=1))
    receiver.publish_ack("batch-2", to="external", report=ReceiveReport(duplicates=2))
    assert receiver.next_ack() is None  # the internal zone's own acks queue is empty

    sender = brokers.open("external")
    first = sender.next_ack()
    assert (first.batch_id, first.source) == ("batch-1", "internal")
    assert first.counts == {"applied": 3, "duplicates": 0, "quarantined": 0, "waiting": 1}
    sender.close()  # not acknowledged: it comes again

    again = brokers.open("external")
    assert [again.next_ack().batch_id, again.next_ack().batch_id] == ["batch-1", "batch-2"]


def test_an_unreadable_acknowledgement_is_dropped(brokers):
    sender = brokers.open("internal")
    address = sender.ack_address("external")
    headers = {broker.HEADER_FORMAT: broker.ACK_FORMAT, broker.HEADER_BATCH: "b"}
    sender.publish_message(address, b'{"not":"an ack"}', headers, message_id="bad")
    sender.publish_ack("good", to="external", report=ReceiveReport(applied=1))
    assert brokers.open("external").next_ack().batch_id == "good"


# --- through the exchange: publish → take_batch → broker → receive_batch → ack -------------


@pytest.fixture
def zones(exchange, brokers):
    """Both zones in this test's database, each with its own key, trusting the other's;
    ``zones.act(zone)`` switches to a zone and returns a transport for it, as a new run of
    the ferry would (the transports opened before are closed)."""

    def act(zone: str, **changes) -> BrokerTransport:
        for transport in brokers.opened:
            transport.close()
        exchange.configure(SIGNING_KEY=str(exchange.dir / "keys" / f"{zone}.key"))
        exchange.zone(zone)
        return brokers.open(zone, **changes)

    for zone in ("internal", "external"):
        act(zone)
        exchange.trust(keys.signer(), zone)

    class Zones:
        pass

    Zones.act = staticmethod(act)
    return Zones


def _publish(count: int, *, key: str = "k", attachments=()):
    with transaction.atomic():
        return [
            services.publish(FORWARD, {"n": n}, key=key, attachments=attachments)
            for n in range(count)
        ]


def _statuses() -> dict:
    rows = OutboxMessage.objects.values_list("status").annotate(n=Count("pk"))
    return dict(rows.values_list("status", "n"))


@pytest.mark.django_db
def test_messages_cross_once_and_their_acknowledgement_comes_back(zones):
    pdf = pdf_bytes()
    sender = zones.act("external")
    _publish(3, attachments=[("form.pdf", "application/pdf", pdf)])
    exported = sender.export(batch_size=2)
    assert (exported.batches, exported.messages) == (2, 3)
    assert _statuses() == {"sent": 3}

    imported = zones.act("internal").import_()
    assert (imported.batches, imported.applied, imported.quarantined) == (2, 3, 0)
    assert effect_count() == 3
    assert zones.act("internal").import_().batches == 0  # nothing twice

    acked = zones.act("external").import_()
    assert (acked.acks, acked.acked_messages) == (2, 3)
    assert _statuses() == {"acked": 3}
    assert effect_count() == 3


@pytest.mark.django_db
def test_a_receiver_that_dies_after_applying_and_before_acknowledging_applies_nothing_twice(
    zones,
):
    sender = zones.act("external")
    _publish(4)
    sender.export()
    dying = zones.act("internal")
    incoming = dying.next_batch()
    first = services.receive_batch(
        incoming.items, batch_id=incoming.batch_id, attachment=incoming.attachment
    )
    assert first.applied == 4
    dying.close()  # gone before its acknowledgements (to the sender, to the broker)

    again = zones.act("internal").import_()
    assert (again.batches, again.applied, again.duplicates, again.quarantined) == (1, 0, 4, 0)
    assert effect_count() == 4
    assert zones.act("external").import_().acked_messages == 4
    assert _statuses() == {"acked": 4}


@pytest.mark.django_db
def test_a_sender_that_dies_before_marking_its_batch_sent_sends_it_again_harmlessly(zones):
    sender = zones.act("external")
    _publish(3)
    sender.publish_batch(services.take_batch("internal"))  # … and killed before mark_sent
    assert _statuses() == {"pending": 3}

    assert zones.act("external").export().batches == 1  # the same batch, again
    imported = zones.act("internal").import_()
    assert (imported.batches, imported.applied, imported.duplicates) == (2, 3, 3)
    assert effect_count() == 3
    acked = zones.act("external").import_()
    assert (acked.acks, acked.acked_messages) == (2, 3)
    assert _statuses() == {"acked": 3}


@pytest.mark.django_db
def test_a_frame_that_is_not_a_batch_is_quarantined_and_the_next_still_arrives(zones):
    sender = zones.act("external")
    address = sender.batch_address("internal")
    sender.publish_message(address, b"%PDF-1.4 dropped here", {}, message_id="junk")
    headers = {
        broker.HEADER_FORMAT: broker.FORMAT,
        broker.HEADER_BATCH: "wrongway",
        broker.HEADER_PART: "0",
        broker.HEADER_PARTS: "1",
    }
    # a frame from the internal zone to itself, dropped into the internal zone's queue
    body = io.BytesIO()
    wrong_way = Batch(id="wrongway", destination="internal", outbox_ids=[], envelopes=[b"x"])
    write_frame(wrong_way, source="internal", out=body)
    sender.publish_message(address, body.getvalue(), headers, message_id="wrongway.0")
    _publish(2)
    sender.export()

    imported = zones.act("internal").import_()
    assert (imported.batches, imported.applied) == (1, 2)
    held = dict(QuarantinedMessage.objects.values_list("reason", "raw"))
    assert set(held) == {"not_an_envelope", "zone_mismatch"}
    assert bytes(held["not_an_envelope"]) == b"%PDF-1.4 dropped here"
    assert effect_count() == 2
    assert zones.act("internal").import_().batches == 0


@pytest.mark.django_db
def test_an_import_that_fails_keeps_the_batch_and_the_order(zones, exchange):
    sender = zones.act("external")
    _publish(2, key="a")
    sender.export()
    _publish(2, key="b")
    sender.export()

    failing = zones.act("internal")
    listing = exchange.trusted_dir / keys.TRUSTED_FILE
    good = listing.read_text()
    listing.write_text("{ broken by hand")  # an operator's slip: nothing can be verified
    report = failing.import_()
    assert (report.errors, report.batches) == (1, 0)
    with pytest.raises(BrokerError, match="close this transport"):
        failing.next_batch()  # the failed batch is held: nothing may overtake it
    failing.close()

    listing.write_text(good)
    imported = zones.act("internal").import_()
    assert (imported.errors, imported.batches, imported.applied) == (0, 2, 4)
    assert effects() == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]
