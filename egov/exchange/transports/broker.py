"""The broker transport: batches through RabbitMQ or NATS JetStream, for districts whose
volume outgrows a gap directory. Operators' guide: docs/exchange/brokers.md.

Addresses (a RabbitMQ queue, or a JetStream subject of the stream ``EGOV_EXCHANGE``), with
``prefix`` = ``egov.exchange`` unless configured:

- ``<prefix>.to-<zone>``: batches for ``zone``;
- ``<prefix>.to-<zone>.acks``: acknowledgements of the batches that ``zone`` sent.

Sending: ``send(batch)`` writes the batch as one *frame* and publishes it, each broker
message confirmed by the broker as stored durably, then calls ``services.mark_sent``.
Receiving: ``receive()`` takes whole frames in queue order, hands their items to
``services.receive_batch``, publishes an acknowledgement to the sender and only then
acknowledges the broker messages: a receiver that dies before that gets the batch again, and
the idempotent inbox applies nothing twice. The sender's ``receive_acks()`` turns
acknowledgements into ``services.mark_acked``.

Frame ``egov-broker/1`` (binary-safe, no base64)::

    <header: canonical JSON> 0x0A <item 1> … <item n> <attachment 1> … <attachment m>

    header = {"attachments": [{"sha256": "…", "size": 1033}, …], "batch": "<batch id>",
              "destination": "internal", "format": "egov-broker/1",
              "items": [<length of item 1>, …], "source": "external"}

A frame larger than one broker message (RabbitMQ: 8 MiB unless configured; NATS: the
server's ``max_payload`` less 16 KiB) is cut into parts published one after the other. Every
broker message carries the headers ``egov-format``, ``egov-batch``, ``egov-part`` (from 0)
and ``egov-parts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import re
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

import nats
import nats.errors
import nats.js.errors
import pika
import pika.exceptions
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

from .. import ZONES, canonical

if TYPE_CHECKING:
    from ..services import Batch, ReceiveReport
    from .spool import ExportReport, ImportReport

log = logging.getLogger(__name__)

FORMAT = "egov-broker/1"
ACK_FORMAT = "egov-broker-ack/1"
DEFAULT_PREFIX = "egov.exchange"
DEFAULT_STREAM = "EGOV_EXCHANGE"
RABBITMQ_MESSAGE_BYTES = 8 * 1024 * 1024  # below RabbitMQ 4's default max_message_size (16 MiB)
NATS_HEADROOM = 16 * 1024  # room for the headers within the server's max_payload
MAX_HEADER_BYTES = 8 * 1024 * 1024
IN_MEMORY_BYTES = 16 * 1024 * 1024  # a larger frame is staged in a temporary file
COPY_BYTES = 1024 * 1024

HEADER_FORMAT = "egov-format"
HEADER_BATCH = "egov-batch"
HEADER_PART = "egov-part"
HEADER_PARTS = "egov-parts"

# Quarantine reasons (services.REASONS) for frames that cannot be read.
NOT_AN_ENVELOPE = "not_an_envelope"
TRUNCATED = "truncated"
ZONE_MISMATCH = "zone_mismatch"

_BATCH_ID = re.compile(r"[0-9A-Za-z._-]{1,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEADER_MEMBERS = ("attachments", "batch", "destination", "format", "items", "source")
_REPORT_COUNTS = ("applied", "duplicates", "quarantined", "waiting")


class BrokerError(Exception):
    """The broker cannot be reached, refused an operation, or is set up differently than
    this transport needs. The message says what to do."""


class ReceiverBusyError(BrokerError):
    """Another receiver holds this queue (or one stopped less than its idle time ago)."""


class FrameError(ValueError):
    """A frame that cannot be read; ``reason`` is a quarantine reason of services.REASONS."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def other_zone(zone: str) -> str:
    return ZONES[1 - ZONES.index(zone)]


def redact(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


# --- Frames ----------------------------------------------------------------------------------


def write_frame(batch: Batch, *, source: str, out: BinaryIO) -> int:
    """Write ``batch`` as an ``egov-broker/1`` frame to ``out``; return its size in bytes.
    Attachment files are read from the paths in ``batch.attachments``."""
    attachments = []
    for sha256, path in sorted(batch.attachments.items()):
        try:
            size = os.path.getsize(path)
        except OSError as error:
            raise BrokerError(
                f"Attachment {sha256} of batch {batch.id} cannot be read at {path} ({error}): "
                "restore the file in the attachment store; the batch stays pending until then."
            ) from error
        attachments.append((sha256, path, size))
    header = canonical.canonical_bytes(
        {
            "attachments": [{"sha256": sha, "size": size} for sha, _, size in attachments],
            "batch": batch.id,
            "destination": batch.destination,
            "format": FORMAT,
            "items": [len(item) for item in batch.envelopes],
            "source": source,
        }
    )
    written = out.write(header + b"\n")
    for item in batch.envelopes:
        written += out.write(item)
    for sha256, path, size in attachments:
        copied = 0
        with open(path, "rb") as file:
            while chunk := file.read(COPY_BYTES):
                copied += out.write(chunk)
        if copied != size:
            raise BrokerError(
                f"Attachment {sha256} at {path} changed size while batch {batch.id} was being "
                "written; attachment files must not change. Send the batch again."
            )
        written += copied
    return written


@dataclass
class RawMessage:
    """A broker message as received, not yet acknowledged."""

    headers: dict[str, str]
    body: bytes
    token: object  # what the broker needs to acknowledge it


@dataclass
class IncomingBatch:
    """A batch read from the broker and not yet acknowledged to it."""

    batch_id: str
    source: str
    destination: str
    items: list[bytes]
    attachment_ids: list[str]
    messages: list[RawMessage] = field(default_factory=list)
    _file: BinaryIO | None = None
    _places: dict[str, tuple[int, int]] = field(default_factory=dict)

    def attachment(self, sha256: str) -> bytes | None:
        """The bytes that travelled under ``sha256`` in this batch, or None."""
        place = self._places.get(sha256)
        if place is None or self._file is None:
            return None
        self._file.seek(place[0])
        return self._file.read(place[1])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_frame(file: BinaryIO, size: int) -> IncomingBatch:
    """Read a frame of ``size`` bytes from ``file`` (kept open for the attachments); raise
    FrameError with a quarantine reason if it is not a complete ``egov-broker/1`` frame."""
    file.seek(0)
    line = file.readline(MAX_HEADER_BYTES + 1)
    if not line.endswith(b"\n"):
        if len(line) > MAX_HEADER_BYTES:
            raise FrameError(NOT_AN_ENVELOPE, f"no frame header within {MAX_HEADER_BYTES} bytes")
        raise FrameError(TRUNCATED, "the frame ends inside its header")
    try:
        header = canonical.parse(line[:-1])
    except canonical.CanonicalError as error:
        reason = TRUNCATED if error.reason == canonical.TRUNCATED else NOT_AN_ENVELOPE
        raise FrameError(reason, f"the frame header is not valid JSON: {error}") from None
    _check_header(header)
    lengths = header["items"]
    sizes = [entry["size"] for entry in header["attachments"]]
    expected = len(line) + sum(lengths) + sum(sizes)
    if size < expected:
        raise FrameError(TRUNCATED, f"the frame has {size} bytes; its header announces {expected}")
    if size > expected:
        raise FrameError(
            NOT_AN_ENVELOPE, f"the frame has {size} bytes, more than the {expected} announced"
        )
    items = [file.read(length) for length in lengths]
    places = {}
    offset = len(line) + sum(lengths)
    for entry in header["attachments"]:
        places[entry["sha256"]] = (offset, entry["size"])
        offset += entry["size"]
    return IncomingBatch(
        batch_id=header["batch"],
        source=header["source"],
        destination=header["destination"],
        items=items,
        attachment_ids=[entry["sha256"] for entry in header["attachments"]],
        _file=file,
        _places=places,
    )


def _check_header(header) -> None:
    def refuse(message: str):
        raise FrameError(NOT_AN_ENVELOPE, f"frame header: {message}")

    if not isinstance(header, dict):
        refuse("not a JSON object")
    if header.get("format") != FORMAT:
        refuse(f"format {header.get('format')!r} is not {FORMAT!r}")
    if tuple(sorted(header)) != _HEADER_MEMBERS:
        refuse(f"members must be exactly {', '.join(_HEADER_MEMBERS)}")
    if not isinstance(header["batch"], str) or not _BATCH_ID.fullmatch(header["batch"]):
        refuse("batch must be 1-64 letters, digits, '.', '_' or '-'")
    for member in ("source", "destination"):
        if header[member] not in ZONES:
            refuse(f"{member} must be one of {', '.join(ZONES)}")
    items = header["items"]
    if not isinstance(items, list) or not all(type(n) is int and n >= 0 for n in items):
        refuse("items must be a list of lengths")
    attachments = header["attachments"]
    if not isinstance(attachments, list):
        refuse("attachments must be a list")
    seen = set()
    for entry in attachments:
        if (
            not isinstance(entry, dict)
            or sorted(entry) != ["sha256", "size"]
            or not isinstance(entry["sha256"], str)
            or not _SHA256.fullmatch(entry["sha256"])
            or type(entry["size"]) is not int
            or entry["size"] < 0
        ):
            refuse('each attachment must be {"sha256": <64 hex digits>, "size": <bytes>}')
        if entry["sha256"] in seen:
            refuse(f"attachment {entry['sha256']} is listed twice")
        seen.add(entry["sha256"])


def _part_headers(headers: dict[str, str]) -> tuple[str, int, int]:
    """(batch id, part, parts) from a broker message's headers; FrameError if unusable."""
    if headers.get(HEADER_FORMAT) != FORMAT:
        raise FrameError(
            NOT_AN_ENVELOPE, f"a broker message without the header {HEADER_FORMAT}: {FORMAT}"
        )
    batch_id = headers.get(HEADER_BATCH, "")
    try:
        part, parts = int(headers.get(HEADER_PART, "")), int(headers.get(HEADER_PARTS, ""))
    except ValueError:
        part = parts = -1
    if not _BATCH_ID.fullmatch(batch_id) or not 0 <= part < parts:
        raise FrameError(
            NOT_AN_ENVELOPE,
            f"broker message headers {HEADER_BATCH}={batch_id!r}, {HEADER_PART}="
            f"{headers.get(HEADER_PART)!r}, {HEADER_PARTS}={headers.get(HEADER_PARTS)!r} "
            "do not name a part of a batch",
        )
    return batch_id, part, parts


@dataclass
class _Assembly:
    """The parts of one frame received so far (consecutive, from part 0)."""

    batch_id: str
    parts: int
    messages: list[RawMessage] = field(default_factory=list)
    file: BinaryIO = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)
    )
    size: int = 0

    def add(self, message: RawMessage) -> None:
        self.messages.append(message)
        self.size += self.file.write(message.body)

    @property
    def complete(self) -> bool:
        return len(self.messages) == self.parts


@dataclass
class IncomingAck:
    """An acknowledgement of a batch this zone sent, not yet acknowledged to the broker."""

    batch_id: str
    source: str
    counts: dict[str, int]
    message: RawMessage


# --- Broker connections ----------------------------------------------------------------------


class RabbitMQConnection:
    """One AMQP connection (pika's BlockingConnection) with publisher confirms."""

    def __init__(
        self,
        url: str,
        *,
        queue_type: str = "classic",
        max_message_bytes: int | None = None,
    ):
        self.url = url
        self.queue_type = queue_type
        self.max_message_bytes = max_message_bytes or RABBITMQ_MESSAGE_BYTES
        self._declared: set[str] = set()
        self._locks: set[str] = set()
        try:
            self._connection = pika.BlockingConnection(pika.URLParameters(url))
        except pika.exceptions.ProbableAuthenticationError as error:
            raise BrokerError(
                f"RabbitMQ at {redact(url)} refused the login ({error}): fix the user and "
                "password in EGOV_EXCHANGE['BROKER_URL']."
            ) from error
        except pika.exceptions.AMQPError as error:
            raise BrokerError(
                f"Cannot connect to RabbitMQ at {redact(url)} ({error!r}): start it "
                "(systemctl start rabbitmq-server) or fix EGOV_EXCHANGE['BROKER_URL']."
            ) from error
        try:
            with self._errors("opening a channel"):
                self._channel = self._connection.channel()
                self._channel.confirm_delivery()
        except BrokerError:
            self.close()
            raise

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except pika.exceptions.ChannelClosedByBroker as error:
            if error.reply_code == 405:
                raise ReceiverBusyError(
                    f"Another receiver is reading the RabbitMQ queue while {doing} "
                    f"({error.reply_text}): run one receiver per zone; try again when it ends."
                ) from error
            if error.reply_code == 403:
                raise BrokerError(
                    f"RabbitMQ refused {doing}: {error.reply_text}. Give this zone's broker "
                    "user the permissions listed in docs/exchange/brokers.md."
                ) from error
            if error.reply_code == 406:
                raise BrokerError(
                    f"RabbitMQ refused {doing}: {error.reply_text}. If a queue exists with "
                    "other settings, set EGOV_EXCHANGE['BROKER_QUEUE_TYPE'] to its type or "
                    "delete the empty queue so that it is declared again."
                ) from error
            raise BrokerError(f"RabbitMQ closed the channel while {doing}: {error}") from error
        except pika.exceptions.UnroutableError as error:
            raise BrokerError(
                f"RabbitMQ could not route a message while {doing}: the queue is missing. "
                "It is declared on first use; check that nobody deletes it."
            ) from error
        except pika.exceptions.NackError as error:
            raise BrokerError(
                f"RabbitMQ did not store a message while {doing} (negative confirm): check "
                "its disk space and logs; the batch stays pending and is sent again."
            ) from error
        except pika.exceptions.AMQPError as error:
            raise BrokerError(
                f"Lost the connection to RabbitMQ at {redact(self.url)} while {doing} "
                f"({error!r}); nothing unconfirmed counts as sent or received. Run again."
            ) from error

    def _declare(self, queue: str) -> None:
        if queue in self._declared:
            return
        arguments = {} if self.queue_type == "classic" else {"x-queue-type": self.queue_type}
        with self._errors(f"declaring the queue {queue}"):
            self._channel.queue_declare(queue, durable=True, arguments=arguments)
        self._declared.add(queue)

    def publish(self, address: str, body: bytes, headers: dict[str, str], message_id: str):
        self._declare(address)
        properties = pika.BasicProperties(
            delivery_mode=pika.DeliveryMode.Persistent,
            content_type="application/octet-stream",
            message_id=message_id,
            headers=headers,
        )
        with self._errors(f"publishing to {address}"):
            self._channel.basic_publish("", address, body, properties, mandatory=True)

    def open_receiver(self, address: str) -> None:
        """Hold the queue's receiver lock: an exclusive queue ``<address>.receiver``, which
        RabbitMQ deletes when this connection ends, however it ends."""
        if address in self._locks:
            return
        self._declare(address)
        with self._errors(f"taking the receiver lock of {address}"):
            self._channel.queue_declare(f"{address}.receiver", exclusive=True)
        self._locks.add(address)

    def get(self, address: str) -> RawMessage | None:
        with self._errors(f"reading from {address}"):
            method, properties, body = self._channel.basic_get(address, auto_ack=False)
        if method is None:
            return None
        headers = {
            key: value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
            for key, value in (properties.headers or {}).items()
        }
        return RawMessage(headers=headers, body=body, token=method.delivery_tag)

    def ack(self, message: RawMessage) -> None:
        with self._errors("acknowledging a message"):
            self._channel.basic_ack(message.token)

    def close(self) -> None:
        with contextlib.suppress(pika.exceptions.AMQPError):
            if self._connection.is_open:
                self._connection.close()


class NatsConnection:
    """One NATS connection with JetStream (nats-py is asyncio; each call runs on this
    connection's own event loop, so that the connection outlives a single call)."""

    def __init__(
        self,
        url: str,
        *,
        stream: str,
        subjects: list[str],
        max_message_bytes: int | None = None,
        receiver_idle_seconds: float = 60,
        timeout: float = 10,
    ):
        self.url = url
        self.stream = stream
        self.subjects = subjects
        self.receiver_idle_seconds = receiver_idle_seconds
        self.timeout = timeout
        self._receivers: dict[str, tuple[str, object, str]] = {}  # consumer, subscription, inbox
        self._closed = False
        # The client runs on an event loop of its own thread, so the transport works the same
        # whether its caller is plain synchronous code or already inside an event loop.
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="egov-exchange-nats", daemon=True
        )
        self._thread.start()
        try:
            self._run(self._connect())
        except BaseException:
            self._stop_loop()
            raise
        limit = self._nc.max_payload - NATS_HEADROOM
        self.max_message_bytes = min(max_message_bytes or limit, limit)

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    async def _connect(self) -> None:
        async def quiet(error):  # errors are raised to the caller instead of logged twice
            return None

        try:
            self._nc = await nats.connect(
                self.url,
                connect_timeout=self.timeout,
                allow_reconnect=False,
                max_reconnect_attempts=1,
                reconnect_time_wait=0.1,
                error_cb=quiet,
            )
        except (TimeoutError, nats.errors.Error, OSError) as error:
            raise BrokerError(
                f"Cannot connect to NATS at {redact(self.url)} ({error!r}): start it with "
                "JetStream enabled (nats-server -js, or systemctl start nats-server) or fix "
                "EGOV_EXCHANGE['BROKER_URL']."
            ) from error
        self._js = self._nc.jetstream(timeout=self.timeout)
        try:
            await self._ensure_stream()
        except BaseException:
            await self._nc.close()
            raise

    async def _ensure_stream(self) -> None:
        try:
            info = await self._js.stream_info(self.stream)
        except nats.js.errors.NotFoundError:
            await self._js.add_stream(
                StreamConfig(
                    name=self.stream,
                    subjects=self.subjects,
                    storage=StorageType.FILE,
                    retention=RetentionPolicy.WORK_QUEUE,
                    duplicate_window=120,
                )
            )
            return
        except (nats.errors.NoRespondersError, nats.js.errors.ServiceUnavailableError) as error:
            raise BrokerError(
                f"NATS at {redact(self.url)} has no JetStream: start nats-server with -js."
            ) from error
        except (TimeoutError, nats.errors.Error) as error:
            raise BrokerError(
                f"Cannot read the JetStream stream {self.stream}: {error!r}"
            ) from error
        config = info.config
        missing = [s for s in self.subjects if not any(_covers(p, s) for p in config.subjects)]
        if missing or config.retention != RetentionPolicy.WORK_QUEUE:
            raise BrokerError(
                f"The JetStream stream {self.stream} exists with other settings (subjects "
                f"{config.subjects}, retention {config.retention}); it needs the subjects "
                f"{self.subjects} with work-queue retention. See docs/exchange/brokers.md."
            )

    def publish(self, address: str, body: bytes, headers: dict[str, str], message_id: str):
        # message_id is not sent as Nats-Msg-Id on purpose: see below.
        async def publish():
            # No Nats-Msg-Id: a batch sent again (its sender stopped before mark_sent) must
            # reach the receiver again, whose acknowledgement then marks it (duplicates are
            # the inbox's job, as with RabbitMQ).
            return await self._js.publish(address, body, stream=self.stream, headers=headers)

        try:
            self._run(publish())
        except (TimeoutError, nats.errors.Error) as error:
            raise BrokerError(
                f"JetStream did not confirm a message to {address} ({error!r}); the batch "
                "stays pending and is sent again."
            ) from error

    def open_receiver(self, address: str) -> None:
        """Create this session's consumer of ``address``. The stream is a work queue, which
        allows one consumer per subject: a second receiver is refused, and one that dies
        leaves its consumer until ``receiver_idle_seconds`` have passed. A new consumer
        starts at the oldest message not acknowledged, so redelivery keeps the order."""
        if address in self._receivers:
            return

        async def open_():
            config = ConsumerConfig(
                filter_subject=address,
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL,
                ack_wait=max(600.0, self.receiver_idle_seconds * 2),
                max_deliver=-1,
                max_ack_pending=-1,
                inactive_threshold=self.receiver_idle_seconds,
            )
            info = await self._js.add_consumer(self.stream, config)
            inbox = self._nc.new_inbox()
            subscription = await self._nc.subscribe(inbox)
            return info.name, subscription, inbox

        try:
            self._receivers[address] = self._run(open_())
        except nats.js.errors.BadRequestError as error:
            if error.err_code == 10100:  # filtered consumer not unique on workqueue stream
                raise ReceiverBusyError(
                    f"Another receiver is reading {address} from JetStream, or one stopped "
                    f"less than {self.receiver_idle_seconds:g} seconds ago: run one receiver "
                    "per zone; try again later."
                ) from error
            raise BrokerError(f"JetStream refused a consumer of {address}: {error}") from error
        except (TimeoutError, nats.errors.Error) as error:
            raise BrokerError(f"JetStream refused a consumer of {address}: {error!r}") from error

    def get(self, address: str) -> RawMessage | None:
        consumer, subscription, inbox = self._receivers[address]

        async def next_message():
            request = json.dumps({"batch": 1, "no_wait": True}).encode()
            subject = f"$JS.API.CONSUMER.MSG.NEXT.{self.stream}.{consumer}"
            await self._nc.publish(subject, request, reply=inbox)
            return await subscription.next_msg(timeout=self.timeout)

        try:
            message = self._run(next_message())
        except (TimeoutError, nats.errors.Error) as error:
            raise BrokerError(
                f"JetStream did not answer a read of {address} ({error!r}); this receiver's "
                "consumer may have been removed after being idle. Run again."
            ) from error
        headers = message.headers or {}
        status = headers.get("Status")
        if status in ("404", "408"):  # no message waiting
            return None
        if status:
            raise BrokerError(
                f"JetStream answered a read of {address} with status {status} "
                f"{headers.get('Description', '')}. Run again."
            )
        egov_headers = {k: v for k, v in headers.items() if k.startswith("egov-")}
        return RawMessage(headers=egov_headers, body=message.data, token=message)

    def ack(self, message: RawMessage) -> None:
        try:
            self._run(message.token.ack_sync(timeout=self.timeout))
        except (TimeoutError, nats.errors.Error) as error:
            raise BrokerError(
                f"JetStream did not confirm an acknowledgement ({error!r}); the message will "
                "be delivered again, and the inbox applies nothing twice."
            ) from error

    def close(self) -> None:
        async def close():
            for consumer, subscription, _ in self._receivers.values():
                with contextlib.suppress(nats.errors.Error, asyncio.TimeoutError):
                    await subscription.unsubscribe()
                with contextlib.suppress(nats.errors.Error, asyncio.TimeoutError):
                    await self._js.delete_consumer(self.stream, consumer)
            with contextlib.suppress(nats.errors.Error, asyncio.TimeoutError):
                await self._nc.close()

        if self._closed:
            return
        self._closed = True
        try:
            self._run(close())
        finally:
            self._receivers.clear()
            self._stop_loop()


def _covers(pattern: str, subject: str) -> bool:
    """Whether the NATS subject ``pattern`` (with ``*`` and ``>``) matches ``subject``."""
    wanted, tokens = pattern.split("."), subject.split(".")
    for index, part in enumerate(wanted):
        if part == ">":
            return len(tokens) > index
        if index >= len(tokens) or part not in ("*", tokens[index]):
            return False
    return len(tokens) == len(wanted)


# --- The transport ---------------------------------------------------------------------------


class BrokerTransport:
    """Send this zone's batches to the other zone and receive the other zone's, through
    RabbitMQ (``amqp://``) or NATS JetStream (``nats://``). Use as a context manager, or
    call ``close()``; run one receiver per zone at a time (a second one is refused)."""

    def __init__(
        self,
        url: str,
        *,
        zone: str,
        prefix: str = DEFAULT_PREFIX,
        stream: str = DEFAULT_STREAM,
        queue_type: str = "classic",
        max_message_bytes: int | None = None,
        receiver_idle_seconds: float = 60,
        timeout: float = 10,
    ):
        if zone not in ZONES:
            raise ValueError(
                f"The broker transport connects two zones: zone must be one of "
                f"{', '.join(ZONES)}, not {zone!r}."
            )
        self.zone = zone
        self.prefix = prefix
        self._assembly: _Assembly | None = None
        self._failed = False
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme in ("amqp", "amqps"):
            self._connection = RabbitMQConnection(
                url, queue_type=queue_type, max_message_bytes=max_message_bytes
            )
        elif scheme in ("nats", "tls"):
            self._connection = NatsConnection(
                url,
                stream=stream,
                subjects=[a(z) for z in ZONES for a in (self.batch_address, self.ack_address)],
                max_message_bytes=max_message_bytes,
                receiver_idle_seconds=receiver_idle_seconds,
                timeout=timeout,
            )
        else:
            raise BrokerError(
                f"EGOV_EXCHANGE['BROKER_URL'] {redact(url)!r} names no broker this transport "
                "knows: use amqp://user:password@host:5672/%2F (RabbitMQ) or "
                "nats://host:4222 (NATS JetStream)."
            )

    @property
    def max_message_bytes(self) -> int:
        return self._connection.max_message_bytes

    def batch_address(self, zone: str) -> str:
        """Where batches for ``zone`` wait."""
        return f"{self.prefix}.to-{zone}"

    def ack_address(self, zone: str) -> str:
        """Where acknowledgements of the batches ``zone`` sent wait."""
        return f"{self.prefix}.to-{zone}.acks"

    def __enter__(self) -> BrokerTransport:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """End the connection. Whatever was received and not acknowledged is delivered
        again to the next receiver, in order."""
        if self._assembly is not None:
            self._assembly.file.close()
            self._assembly = None
        self._connection.close()

    # Sending

    def send(self, batch: Batch) -> None:
        """Hand ``batch`` durably to the broker, then record it as sent."""
        from .. import services

        self.publish_batch(batch)
        services.mark_sent(batch)

    def publish_batch(self, batch: Batch) -> int:
        """Publish ``batch`` and wait for the broker's confirmation of every part; return the
        number of broker messages. Publishing the same batch again is harmless."""
        if batch.destination not in ZONES or batch.destination == self.zone:
            raise ValueError(
                f"Batch {batch.id} is for {batch.destination!r}: from the {self.zone} zone a "
                f"batch goes to the {other_zone(self.zone)} zone."
            )
        address = self.batch_address(batch.destination)
        parts = 0
        for headers, body in self.frame_parts(batch):
            self.publish_message(address, body, headers, message_id=f"{batch.id}.{parts}")
            parts += 1
        return parts

    def frame_parts(self, batch: Batch) -> Iterator[tuple[dict[str, str], bytes]]:
        """The broker messages of ``batch``: (headers, body) in publishing order."""
        with tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES) as frame:
            size = write_frame(batch, source=self.zone, out=frame)
            parts = max(1, math.ceil(size / self.max_message_bytes))
            frame.seek(0)
            for index in range(parts):
                headers = {
                    HEADER_FORMAT: FORMAT,
                    HEADER_BATCH: batch.id,
                    HEADER_PART: str(index),
                    HEADER_PARTS: str(parts),
                }
                yield headers, frame.read(self.max_message_bytes)

    def publish_message(
        self, address: str, body: bytes, headers: dict[str, str], *, message_id: str
    ) -> None:
        """Publish one broker message and wait until the broker has stored it."""
        self._connection.publish(address, body, headers, message_id)

    # Receiving

    def receive(self, *, limit: int = 100) -> list[tuple[str, ReceiveReport]]:
        """Receive up to ``limit`` batches for this zone, in order: check and apply each
        (services.receive_batch), acknowledge it to the sender, then to the broker.
        Returns (batch id, report) per batch. After an error, close this transport: the
        batch it held goes to the next receiver."""
        from .. import services

        results = []
        while len(results) < limit:
            incoming = self.next_batch()
            if incoming is None:
                break
            try:
                report = services.receive_batch(
                    incoming.items,
                    batch_id=incoming.batch_id,
                    attachment=incoming.attachment,
                    source=incoming.source,
                )
                self.publish_ack(incoming.batch_id, to=incoming.source, report=report)
                self.acknowledge(incoming)
            except BaseException:
                self._failed = True
                raise
            finally:
                incoming.close()
            results.append((incoming.batch_id, report))
        return results

    def next_batch(self) -> IncomingBatch | None:
        """The next complete batch for this zone, not yet acknowledged; None when there is
        none (parts of a batch still being published stay for the next call). A frame that
        cannot be read is quarantined; an incomplete transfer (its sender stopped before the
        last part, so the batch was never marked sent) is discarded with a warning."""
        if self._failed:
            raise BrokerError(
                "A batch received in this session could not be applied and is still held by "
                "it: close this transport; the next one receives that batch again, in order."
            )
        address = self.batch_address(self.zone)
        self._connection.open_receiver(address)
        while True:
            message = self._connection.get(address)
            if message is None:
                return None
            try:
                batch_id, part, parts = _part_headers(message.headers)
            except FrameError as error:
                self._discard_assembly()
                self._quarantine(message.body, error, batch_id="", messages=[message])
                continue
            assembly = self._assembly
            if assembly is not None and not (
                batch_id == assembly.batch_id
                and part == len(assembly.messages)
                and parts == assembly.parts
            ):
                self._discard_assembly()
                assembly = None
            if assembly is None:
                if part != 0:
                    log.warning(
                        "Discarded part %d of %d of batch %s without its beginning (an "
                        "incomplete transfer; the sender sends the messages again).",
                        part + 1,
                        parts,
                        batch_id,
                    )
                    self._connection.ack(message)
                    continue
                assembly = self._assembly = _Assembly(batch_id, parts)
            assembly.add(message)
            if not assembly.complete:
                continue
            self._assembly = None
            incoming = self._read_assembly(assembly)
            if incoming is not None:
                return incoming

    def _read_assembly(self, assembly: _Assembly) -> IncomingBatch | None:
        try:
            incoming = read_frame(assembly.file, assembly.size)
            if incoming.batch_id != assembly.batch_id:
                raise FrameError(
                    NOT_AN_ENVELOPE,
                    f"the frame of batch {incoming.batch_id} arrived under the name "
                    f"{assembly.batch_id}",
                )
            if incoming.destination != self.zone or incoming.source != other_zone(self.zone):
                raise FrameError(
                    ZONE_MISMATCH,
                    f"a frame from {incoming.source} to {incoming.destination} arrived in "
                    f"the queue of the {self.zone} zone",
                )
        except FrameError as error:
            assembly.file.seek(0)
            raw = assembly.file.read()
            assembly.file.close()
            self._quarantine(raw, error, batch_id=assembly.batch_id, messages=assembly.messages)
            return None
        incoming.messages = assembly.messages
        return incoming

    def _quarantine(
        self, raw: bytes, error: FrameError, *, batch_id: str, messages: list[RawMessage]
    ) -> None:
        from .. import services

        log.warning("Quarantined a broker frame of batch %r: %s", batch_id, error)
        try:
            services.quarantine(raw, reason=error.reason, detail=str(error), batch_id=batch_id)
        except BaseException:
            self._failed = True  # the frame is still held by this session
            raise
        for message in messages:
            self._connection.ack(message)

    def _discard_assembly(self) -> None:
        assembly, self._assembly = self._assembly, None
        if assembly is None:
            return
        log.warning(
            "Discarded %d of %d parts of batch %s: the rest never followed (the sender "
            "stopped before publishing it, so it did not mark the batch sent and sends the "
            "messages again).",
            len(assembly.messages),
            assembly.parts,
            assembly.batch_id,
        )
        assembly.file.close()
        for message in assembly.messages:
            self._connection.ack(message)

    def acknowledge(self, incoming: IncomingBatch) -> None:
        """Tell the broker that ``incoming`` is done with: it is not delivered again."""
        for message in incoming.messages:
            self._connection.ack(message)

    # Acknowledgements

    def publish_ack(self, batch_id: str, *, to: str, report: ReceiveReport) -> None:
        """Tell the zone ``to`` that its batch ``batch_id`` is received (durably: applied,
        waiting for an earlier message, or quarantined here)."""
        counts = {name: getattr(report, name) for name in _REPORT_COUNTS}
        body = canonical.canonical_bytes(
            {"batch": batch_id, "counts": counts, "format": ACK_FORMAT, "source": self.zone}
        )
        headers = {HEADER_FORMAT: ACK_FORMAT, HEADER_BATCH: batch_id}
        self.publish_message(self.ack_address(to), body, headers, message_id=f"{batch_id}.ack")

    def next_ack(self) -> IncomingAck | None:
        """The next acknowledgement of a batch this zone sent, not yet acknowledged to the
        broker; None when there is none. An unreadable one is logged and dropped (an
        acknowledgement only lets the sender forget; its messages stay in the outbox)."""
        address = self.ack_address(self.zone)
        self._connection.open_receiver(address)
        while True:
            message = self._connection.get(address)
            if message is None:
                return None
            try:
                return _read_ack(message, zone=self.zone)
            except FrameError as error:
                log.error("Dropped an unreadable acknowledgement from %s: %s", address, error)
                self._connection.ack(message)

    def receive_acks(self, *, limit: int = 1000) -> tuple[int, int]:
        """Record up to ``limit`` acknowledgements (services.mark_acked); return the number
        of acknowledgements and of messages they acknowledged."""
        from .. import services

        count = messages = 0
        while count < limit:
            ack = self.next_ack()
            if ack is None:
                break
            messages += services.mark_acked(ack.batch_id)
            self._connection.ack(ack.message)
            count += 1
        return count, messages

    # The ferry's two verbs, as for the spool (transports.spool.export / import_)

    def export(
        self, *, batch_size: int | None = None, max_batches: int | None = None
    ) -> ExportReport:
        """Send this zone's pending messages for the other zone, batch after batch. Returns
        a spool.ExportReport."""
        from django.conf import settings

        from .. import services
        from .spool import ExportReport

        batch_size = batch_size or settings.EGOV_EXCHANGE.get("BATCH_SIZE", 1000)
        report = ExportReport()
        while max_batches is None or report.batches < max_batches:
            batch = services.take_batch(other_zone(self.zone), limit=batch_size)
            if batch is None:
                break
            self.send(batch)
            report.batches += 1
            report.messages += len(batch.envelopes)
            report.attachments += len(batch.attachments)
        return report

    def import_(self, *, max_batches: int = 1000) -> ImportReport:
        """Record the acknowledgements of this zone's batches, then receive the other zone's
        batches in order. Returns a spool.ImportReport. An error while applying a batch
        stops the import (later batches must wait: the order is kept) and is counted in
        ``errors``; the batch comes again at the next run."""
        from .spool import ImportReport

        report = ImportReport()
        report.acks, report.acked_messages = self.receive_acks()
        try:
            for _, received in self.receive(limit=max_batches):
                report.batches += 1
                report.add(received)
                report.items += received.applied + received.duplicates
                report.items += received.waiting + received.quarantined
        except BrokerError:
            raise
        except Exception:  # a database outage, a defect: stop here, keep the order
            log.exception("A batch from the broker could not be imported; it comes again")
            report.errors += 1
        return report


def _read_ack(message: RawMessage, *, zone: str) -> IncomingAck:
    try:
        data = canonical.parse(message.body)
    except canonical.CanonicalError as error:
        raise FrameError(NOT_AN_ENVELOPE, f"not JSON: {error}") from None
    if (
        not isinstance(data, dict)
        or data.get("format") != ACK_FORMAT
        or sorted(data) != ["batch", "counts", "format", "source"]
        or not isinstance(data["batch"], str)
        or not _BATCH_ID.fullmatch(data["batch"])
        or data["source"] != other_zone(zone)
        or not isinstance(data["counts"], dict)
        or sorted(data["counts"]) != sorted(_REPORT_COUNTS)
        or not all(type(n) is int and n >= 0 for n in data["counts"].values())
    ):
        raise FrameError(NOT_AN_ENVELOPE, f"not an {ACK_FORMAT} from the {other_zone(zone)} zone")
    return IncomingAck(data["batch"], data["source"], data["counts"], message)


def transport_from_settings(zone: str | None = None) -> BrokerTransport:
    """The broker transport configured in ``settings.EGOV_EXCHANGE`` for this zone.

    Keys: ``BROKER_URL`` (required), and optionally ``BROKER_PREFIX`` (default
    ``egov.exchange``), ``BROKER_STREAM`` (``EGOV_EXCHANGE``), ``BROKER_QUEUE_TYPE``
    (``classic``; ``quorum`` on a RabbitMQ cluster), ``BROKER_MAX_MESSAGE_BYTES`` and
    ``BROKER_RECEIVER_IDLE_SECONDS`` (60, NATS only)."""
    from django.conf import settings

    config = settings.EGOV_EXCHANGE
    url = config.get("BROKER_URL", "")
    if not url:
        raise BrokerError(
            "EGOV_EXCHANGE['BROKER_URL'] is empty: set EGOV_EXCHANGE_BROKER_URL to "
            "amqp://user:password@host:5672/%2F (RabbitMQ) or nats://host:4222 (NATS)."
        )
    zone = zone or settings.EGOV_ZONE
    if zone not in ZONES:
        raise BrokerError(
            f"The broker transport connects two zones, and this deployment runs as {zone!r}: "
            "set EGOV_ZONE to external or internal (combined mode delivers on loopback)."
        )
    scheme = urllib.parse.urlsplit(url).scheme
    transport = config.get("TRANSPORT", "")
    expected = {"rabbitmq": ("amqp", "amqps"), "nats": ("nats", "tls")}.get(transport)
    if expected and scheme not in expected:
        raise BrokerError(
            f"EGOV_EXCHANGE['TRANSPORT'] is {transport!r} but BROKER_URL "
            f"{redact(url)!r} is a {scheme}:// address: make them agree."
        )
    return BrokerTransport(
        url,
        zone=zone,
        prefix=config.get("BROKER_PREFIX", DEFAULT_PREFIX),
        stream=config.get("BROKER_STREAM", DEFAULT_STREAM),
        queue_type=config.get("BROKER_QUEUE_TYPE", "classic"),
        max_message_bytes=config.get("BROKER_MAX_MESSAGE_BYTES"),
        receiver_idle_seconds=config.get("BROKER_RECEIVER_IDLE_SECONDS", 60),
    )
