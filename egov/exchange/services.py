"""The verbs of the exchange. Transports (loopback, spool, broker) and commands call these;
modules call only ``publish`` (via ``egov.exchange.publish``) and register handlers.

Sending:   publish → (ferry) take_batch → transport writes it durably → mark_sent
           … the other side acknowledges → mark_acked
Receiving: transport reads raw items → receive_batch → for each item, in this order:
           envelope format, signature and trusted key, attachment hashes, policy (type
           known, direction, schema, size, real attachment types, classification), then
           the idempotent apply (inbox unique on (source, id), handler in the same
           transaction, per-key order by seq). Any failure → quarantine with its reason.

docs/decisions/0006-exchange-receiving.md explains the choices made here (transactions per
chunk, batch ids, ordering scope in combined mode, one audit entry per batch and verdict).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from . import ZONES, archive, canonical, keys, merkle, policy, registry, signing
from . import attachments as store
from . import envelope as envelopes
from .envelope import Attachment, Envelope, EnvelopeError
from .ids import uuid7
from .models import (
    ExchangeAlert,
    InboxMessage,
    InboxSequence,
    OutboxMessage,
    OutboxSequence,
    QuarantinedMessage,
)

logger = logging.getLogger(__name__)

# Quarantine reasons (stable codes; the back-office translates them).
REASONS = (
    "not_an_envelope",  # bytes that are not an envelope at all (incl. malformed JSON)
    "malformed_json",
    "truncated",
    "bad_field",  # an envelope member missing, extra or of the wrong type
    "unknown_key",
    "expired_key",
    "bad_signature",
    "bad_proof",
    "zone_mismatch",
    "attachment_missing",
    "attachment_hash",
    "attachment_size",
    "unknown_type",
    "wrong_direction",
    "schema_invalid",
    "too_large",
    "attachment_type",  # the real file type is not allowed for this message type
    "classified",  # classified material must never leave the internal zone
    "replayed",  # an id already applied, arriving again in another batch
    "handler_error",
    "key_not_yet_valid",  # the key's validity starts later: check both zones' clocks
    "sequence_reused",  # a new message with a sequence number already used for its key
)

COMBINED = "combined"
CHUNK_SIZE = 1000  # items checked and applied in one database transaction
SEQUENCE_GAP = "sequence_gap"
# Quarantined bytes are kept whole up to this size (bigger input is refused as too_large
# before parsing; its head is kept as evidence, and the detail says so).
QUARANTINE_RAW_LIMIT = 16 * 1024 * 1024
# The importers of one database apply one at a time (PostgreSQL advisory lock; SQLite's
# IMMEDIATE transactions serialise writers anyway).
_IMPORT_LOCK_ID = 0x6567_6F76_0001

_READ_REASONS = {
    envelopes.TRUNCATED: "truncated",
    envelopes.MALFORMED_JSON: "malformed_json",
    envelopes.NOT_AN_ENVELOPE: "not_an_envelope",
    envelopes.UNSUPPORTED_FORMAT: "not_an_envelope",
    envelopes.MISSING_FIELD: "bad_field",
    envelopes.UNKNOWN_FIELD: "bad_field",
    envelopes.BAD_FIELD: "bad_field",
}
_VERIFY_REASONS = {
    envelopes.UNKNOWN_KEY: "unknown_key",
    envelopes.EXPIRED_KEY: "expired_key",
    envelopes.KEY_NOT_YET_VALID: "key_not_yet_valid",
    envelopes.ZONE_MISMATCH: "zone_mismatch",
    envelopes.BAD_PROOF: "bad_proof",
    envelopes.BAD_SIGNATURE: "bad_signature",
    envelopes.UNSEALED: "bad_signature",
    envelopes.UNSUPPORTED_ALGORITHM: "bad_signature",
    envelopes.ALGORITHM_MISMATCH: "bad_signature",
}
# Attachment bytes of a quarantined message are kept in the store for these reasons, so
# that re-processing after a fix finds them. (Not for hostile content: wrong hashes, types.)
_KEEP_ATTACHMENTS_FOR = frozenset(
    {"unknown_key", "expired_key", "key_not_yet_valid", "unknown_type", "schema_invalid"}
)

# Verdicts of a received item (audit actions are "exchange.<verdict>").
APPLIED = "applied"
WAITING = "waiting"
DUPLICATE = "duplicate"
QUARANTINED = "quarantined"


@dataclass
class Batch:
    """Messages taken from the outbox for one transfer."""

    id: str  # a UUIDv7 hex
    destination: str
    outbox_ids: list  # OutboxMessage primary keys, in send order
    envelopes: list[bytes]  # sealed envelope bytes, in send order
    attachments: dict[str, str] = field(default_factory=dict)  # sha256 → file path
    # [id, type, SHA-256 of the signed bytes] per message, in send order (for the audit).
    manifest: list[list[str]] = field(default_factory=list)


@dataclass
class ReceiveReport:
    applied: int = 0
    duplicates: int = 0  # already applied from this same batch (a re-import after a crash)
    waiting: int = 0  # held until an earlier message of the same key arrives
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, other: ReceiveReport) -> None:
        self.applied += other.applied
        self.duplicates += other.duplicates
        self.waiting += other.waiting
        self.quarantined += other.quarantined
        for reason, count in other.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + count


@dataclass
class ReceivedMessage:
    """What a handler receives."""

    envelope: object  # egov.exchange.envelope.Envelope
    attachments: dict[str, bytes]  # sha256 → bytes

    @property
    def payload(self) -> dict:
        return self.envelope.payload


def _this_zone() -> str:
    return settings.EGOV_ZONE


# --- sending -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingMessage:
    """One message for :func:`publish_many`: the arguments of :func:`publish`."""

    type: str
    payload: dict
    key: str
    attachments: Sequence[tuple[str, str, bytes]] = ()  # (name, content_type, bytes)
    source_body: str = ""
    classification: str = ""


def publish(
    type: str,  # noqa: A002
    payload: dict,
    *,
    key: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),  # (name, content_type, bytes)
    source_body: str = "",
    classification: str = "",
):
    """Write one message to the outbox inside the caller's transaction (rolled back with
    it). Allocates the next sequence number of ``key``; stores attachment bytes in the
    content-addressed store; refuses (ValueError with a clear message) an unknown type, a
    type that does not leave this zone, a payload that fails the type's schema or size
    limit, classified material leaving the internal zone, and whatever a registered refuser
    refuses (``policy.register_refuser``: e.g. a classified official document, in any
    direction). Returns the OutboxMessage.

    Everything is checked before the database is touched, so a refusal leaves the caller's
    transaction as it was (no savepoint needed). The envelope is built with sequence number
    1 and the real number put into its bytes once allocated (``with_seq``); the size limit
    leaves room for the longest sequence number. A caller that publishes many messages in
    one transaction can use :func:`publish_many`: the same for a list, in fewer statements."""
    message = OutgoingMessage(type, payload, key, attachments, source_body, classification)
    return _write_outbox([_draft(message)])[0]


def publish_many(messages: Iterable[OutgoingMessage]) -> list:
    """Publish several messages in the caller's transaction: what ``publish`` does for each,
    in order (the numbers of one key follow the list's order), with two statements for the
    whole list instead of two per message. All or nothing: every message is checked before
    the database is touched; if one is refused, the PolicyError names it and nothing is
    written. Returns the OutboxMessages, in order."""
    drafts = []
    for index, message in enumerate(messages):
        if type(message) is not OutgoingMessage:
            raise TypeError(
                f"item {index} is a {type(message).__name__}; publish_many takes "
                "OutgoingMessage(type, payload, key, ...) items"
            )
        try:
            drafts.append(_draft(message))
        except policy.PolicyError as error:
            raise policy.PolicyError(
                error.reason,
                f"message {index} ({message.type}, key {message.key!r}): {error.message}",
            ) from None
    return _write_outbox(drafts) if drafts else []


@dataclass
class _Draft:
    """A checked outgoing message, before its sequence number is known."""

    id: uuid.UUID
    type: str
    key: str
    destination: str
    unsealed: bytes  # its canonical bytes with sequence number 1
    files: list[bytes]
    created_at: datetime.datetime


def _draft(message: OutgoingMessage) -> _Draft:
    """Check one message and build its envelope. The only database access is the registered
    refusers' (policy.check_refusers; the office system's reads its classified documents)."""
    message_type = policy.outgoing_type(message.type, classification=message.classification)
    policy.check_refusers(message.type, message.payload, message.attachments)
    files = []
    for name, content_type, data in message.attachments:
        data = bytes(data)
        meta = Attachment.for_bytes(data, name=name, content_type=content_type)
        policy.check_attachment(message_type, meta, data)
        files.append((meta, data))
    now = timezone.now()
    message_id = uuid7()
    envelope = Envelope.new(
        message.type,
        message.payload,
        source_zone=message_type.source,
        key=message.key,
        seq=1,
        schema_version=message_type.schema_version,
        source_body=message.source_body,
        attachments=[meta for meta, _ in files],
        classification=message.classification,
        id=str(message_id),
        created_at=now,
    )
    policy.check_payload(message_type, envelope.payload)
    unsealed = envelope.to_bytes()  # the signed bytes
    policy.check_size(message_type, len(unsealed), reserve=SEQ_ROOM)
    return _Draft(
        id=message_id,
        type=message.type,
        key=message.key,
        destination=message_type.destination,
        unsealed=unsealed,
        files=[data for _, data in files],
        created_at=now,
    )


def _write_outbox(drafts: list[_Draft]) -> list[OutboxMessage]:
    """Number the drafts and insert their outbox rows, in the caller's transaction."""
    for draft in drafts:
        for content in draft.files:
            store.put(content)
    db = transaction.get_connection()
    one_statement = len(drafts) == 1 and db.vendor == "postgresql"
    with transaction.atomic(savepoint=False), db.cursor() as cursor:
        if one_statement:
            seqs = [_publish_one_postgresql(cursor, db, drafts[0])]
        else:
            seqs = _next_seqs(cursor, db, [draft.key for draft in drafts])
        messages = []
        for draft, seq in zip(drafts, seqs, strict=True):
            data = with_seq(draft.unsealed, seq)
            # Positional values in the order of the model's fields: the ORM's quick path.
            message = OutboxMessage(
                draft.id, draft.type, draft.key, seq, draft.destination, data, len(data),
                OutboxMessage.Status.PENDING, "", draft.created_at, None, None,
            )  # fmt: skip
            message._state.adding = False
            message._state.db = db.alias
            messages.append(message)
        if not one_statement:
            _insert_outbox(cursor, db, messages)
    if _this_zone() == COMBINED and settings.EGOV_EXCHANGE.get("TRANSPORT") == "loopback":
        _deliver_on_commit()
    return messages


# An envelope made with sequence number 1 has this in its canonical bytes exactly once at the
# top level, as the last occurrence: after "seq" come only the strings source_body,
# source_zone and type, and a string cannot hold an unescaped quote.
_SEQ_ONE = b',"seq":1,"source_body":'
_SEQ_ONE_MEMBER = b',"seq":1'
SEQ_ROOM = len(str(canonical.MAX_SAFE_INTEGER)) - 1  # bytes a sequence number may add


def with_seq(unsealed: bytes, seq: int) -> bytes:
    """The canonical bytes of an envelope made with ``seq=1``, with ``seq`` instead: the
    same bytes as building it with ``seq`` (checked by a property test)."""
    at = unsealed.rindex(_SEQ_ONE)
    rest = at + len(_SEQ_ONE_MEMBER)
    return b"".join((unsealed[:at], b',"seq":', str(seq).encode("ascii"), unsealed[rest:]))


# Keys numbered by one upsert statement (two parameters each).
_SEQ_KEYS_PER_STATEMENT = 400


def _next_seqs(cursor, db, keys: list[str]) -> list[int]:
    """The next sequence number for each of ``keys`` (in order; a key may repeat): one
    upsert per 400 distinct keys that creates each counter or advances it by the number of
    its messages, and locks its row until the transaction ends (as ``select_for_update``
    would), so that concurrent publishers of one key get 1, 2, 3 … Keys are locked in sorted
    order, so that two such statements cannot deadlock."""
    if len(keys) == 1:  # publish: the statement of the hot path, written once
        cursor.execute(_statement(db, "next_seq"), keys)
        return [cursor.fetchone()[0]]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    distinct = sorted(counts)
    last: dict[str, int] = {}
    table = _table(OutboxSequence, db)
    quote = db.ops.quote_name
    key_column, seq_column = quote("key"), quote("last_seq")
    update = (
        f"ON CONFLICT ({key_column}) DO UPDATE SET {seq_column} = {table}.{seq_column} + "
        f"excluded.{seq_column} RETURNING {key_column}, {seq_column}"
    )
    # (On PostgreSQL the keys travel as two arrays: one statement for the whole list.)
    per_statement = len(distinct) if db.vendor == "postgresql" else _SEQ_KEYS_PER_STATEMENT
    for start in range(0, len(distinct), per_statement):
        part = distinct[start : start + per_statement]
        if db.vendor == "postgresql":
            with _bound_cursor(db) as bound:
                bound.execute(
                    f"INSERT INTO {table} ({key_column}, {seq_column}) "  # noqa: S608
                    f"SELECT * FROM unnest(%s::varchar[], %s::bigint[]) {update}",
                    [part, [counts[key] for key in part]],
                )
                last.update(bound.fetchall())
        else:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {seq_column}) VALUES "  # noqa: S608
                f"{', '.join(['(%s, %s)'] * len(part))} {update}",
                [value for key in part for value in (key, counts[key])],
            )
            last.update(cursor.fetchall())
    # Each key's messages take the numbers up to its new last one, in the list's order.
    following = {key: last[key] - count + 1 for key, count in counts.items()}
    seqs = []
    for key in keys:
        seqs.append(following[key])
        following[key] += 1
    return seqs


_statements: dict[tuple[str, str], str] = {}


def _statement(db, name: str) -> str:
    """A statement of publish's hot path, written once per kind of database."""
    statement = _statements.get((db.vendor, name))
    if statement is None:
        quote = db.ops.quote_name
        if name == "next_seq":
            table = _table(OutboxSequence, db)
            key, last = quote("key"), quote("last_seq")
            statement = (
                f"INSERT INTO {table} ({key}, {last}) VALUES (%s, 1) "  # noqa: S608
                f"ON CONFLICT ({key}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
            )
        else:  # "insert_outbox"
            statement = _insert_sql(OutboxMessage, _OUTBOX_COLUMNS, db=db)
        _statements[(db.vendor, name)] = statement
    return statement


_OUTBOX_COLUMNS = ("id", "type", "key", "seq", "destination", "envelope", "size", "status")
_OUTBOX_COLUMNS += ("batch", "created_at")
_OUTBOX_TYPES = ("uuid", "varchar", "varchar", "bigint", "varchar", "bytea", "integer")
_OUTBOX_TYPES += ("varchar", "varchar", "timestamptz")


def _outbox_values(db, message: OutboxMessage) -> list:
    """The values of an outbox row, converted for the database as the ORM would."""
    return [
        message.id if db.features.has_native_uuid_field else message.id.hex,
        message.type,
        message.key,
        message.seq,
        message.destination,
        message.envelope,
        message.size,
        message.status,
        message.batch,
        db.ops.adapt_datetimefield_value(message.created_at),
    ]


def _insert_outbox(cursor, db, messages: list[OutboxMessage]) -> None:
    rows = [_outbox_values(db, message) for message in messages]
    if len(rows) == 1:
        cursor.execute(_statement(db, "insert_outbox"), rows[0])
    else:
        _insert_rows(cursor, db, OutboxMessage, _OUTBOX_COLUMNS, _OUTBOX_TYPES, rows)


def _publish_one_postgresql(cursor, db, draft: _Draft) -> int:
    """PostgreSQL: number one message and insert its outbox row in one statement (one
    round trip instead of two): the sequence upsert in a CTE, the number written into the
    envelope's bytes by the database. Returns the number."""
    quote = db.ops.quote_name
    sequences = _table(OutboxSequence, db)
    key_column, seq_column = quote("key"), quote("last_seq")
    at = draft.unsealed.rindex(_SEQ_ONE) + len(b',"seq":')
    head, tail = draft.unsealed[:at], draft.unsealed[at + 1 :]  # around the "1"
    cursor.execute(
        f"WITH s AS (INSERT INTO {sequences} ({key_column}, {seq_column}) "  # noqa: S608
        f"VALUES (%s, 1) ON CONFLICT ({key_column}) DO UPDATE SET "
        f"{seq_column} = {sequences}.{seq_column} + 1 RETURNING {seq_column}) "
        f"INSERT INTO {_table(OutboxMessage, db)} "
        f"({', '.join(quote(column) for column in _OUTBOX_COLUMNS)}) "
        f"SELECT %s, %s, %s, s.{seq_column}, %s, "
        f"%s::bytea || convert_to(s.{seq_column}::text, 'UTF8') || %s::bytea, "
        f"%s + length(s.{seq_column}::text), %s, %s, %s FROM s RETURNING {quote('seq')}",
        [
            draft.key,
            draft.id,
            draft.type,
            draft.key,
            draft.destination,
            head,
            tail,
            len(head) + len(tail),
            OutboxMessage.Status.PENDING,
            "",
            draft.created_at,
        ],
    )
    return cursor.fetchone()[0]


def _insert_sql(model, columns: Sequence[str], suffix: str = "", *, db=None) -> str:
    quote = (db or connection).ops.quote_name
    return (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}){suffix}"
    )


def _insert_rows(cursor, db, model, columns: Sequence[str], types: Sequence[str], rows, suffix=""):
    """INSERT ``rows`` (lists of values in the order of ``columns``, converted for the
    database): with executemany on SQLite (in-process, a row costs microseconds), with one
    statement over arrays on PostgreSQL (``types``: the columns' PostgreSQL types), where
    each statement is a round trip and has its own planning. The ORM's bulk_create spends
    more on preparing 1,000 rows than the database spends on storing them."""
    if not rows:
        return
    if db.vendor == "postgresql" and not suffix:
        _copy_rows(cursor, db, model, columns, types, rows)
    elif db.vendor == "postgresql":
        quote = db.ops.quote_name
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        with _bound_cursor(db) as bound:
            bound.execute(
                f"INSERT INTO {_table(model, db)} "  # noqa: S608 - names from the model
                f"({', '.join(quote(column) for column in columns)}) "
                f"SELECT * FROM unnest({arrays}){suffix}",
                [list(column) for column in zip(*rows, strict=True)],
            )
    elif len(rows) == 1:
        cursor.execute(_insert_sql(model, columns, suffix, db=db), rows[0])
    else:
        cursor.executemany(_insert_sql(model, columns, suffix, db=db), rows)


def _copy_rows(cursor, db, model, columns: Sequence[str], types: Sequence[str], rows) -> None:
    """PostgreSQL: insert ``rows`` with one binary ``COPY … FROM STDIN`` (psycopg's
    ``Cursor.copy``), in the transaction of ``cursor``. Five times faster than an ``INSERT …
    SELECT * FROM unnest(…)`` of the same 1,000 outbox rows of 1 KB (measured: 8 ms against
    40 ms), which spends most of its time taking the bytea arrays apart. COPY checks every
    constraint an INSERT checks (a duplicate key fails the statement, and the transaction,
    the same way); it has no ON CONFLICT clause, so upserts stay INSERTs over arrays. COPY
    does not pass through Django's execute wrappers (debug SQL logging)."""
    quote = db.ops.quote_name
    statement = (
        f"COPY {_table(model, db)} ({', '.join(quote(column) for column in columns)}) "
        "FROM STDIN (FORMAT BINARY)"
    )
    with cursor.cursor.copy(statement) as copy:
        copy.set_types(list(types))
        write_row = copy.write_row
        for row in rows:
            write_row(row)


@contextlib.contextmanager
def _bound_cursor(db):
    """PostgreSQL: a cursor on ``db``'s connection (in its transaction) that sends the
    parameters apart from the statement (server-side binding, binary where psycopg can).
    Django's psycopg cursors bind on the client: a list becomes an array literal and every
    value is quoted into the statement's text, which the server then parses — for the
    1,000-row statements of a chunk, more work than the statement itself. Like COPY, it
    does not pass through Django's execute wrappers."""
    import psycopg

    db.ensure_connection()
    with psycopg.Cursor(db.connection) as cursor:
        yield cursor


def _execute(db, cursor, sql: str, params: list, *, fetch: bool = False):
    """Run ``sql`` on ``cursor``, or on PostgreSQL on a server-bound cursor (see
    _bound_cursor); the rows if ``fetch``."""
    if db.vendor == "postgresql":
        with _bound_cursor(db) as bound:
            bound.execute(sql, params)
            return bound.fetchall() if fetch else None
    cursor.execute(sql, params)
    return cursor.fetchall() if fetch else None


def _one_of(db, column: str, values: Sequence, kind: str) -> tuple[str, list]:
    """``column`` is one of ``values``: ``= ANY(array)`` on PostgreSQL (one parameter, for
    _execute), ``IN (…)`` elsewhere. ``kind``: the values' PostgreSQL type."""
    if db.vendor == "postgresql":
        return f"{column} = ANY(%s::{kind}[])", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _deliver_on_commit() -> None:
    """Combined mode: deliver on loopback as soon as the publishing transaction commits —
    one delivery per transaction, however many messages it published."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        callback is _enqueue_delivery for _, callback, _ in conn.run_on_commit
    ):
        return
    transaction.on_commit(_enqueue_delivery, robust=True)


def _enqueue_delivery() -> None:
    from .tasks import deliver_now

    deliver_now()


def take_batch(destination: str, *, limit: int = 1000) -> Batch | None:
    """Seal up to ``limit`` pending outbox messages for ``destination`` (oldest first) with
    one batch signature, and return them; None when nothing is pending. Does not change
    their status: a batch that was never written durably is simply taken again.

    The batch id is the id of its first message (a UUIDv7, as hex): taken again after a
    crash, the batch has the same id, so the receiver counts what it already applied as
    duplicates of that batch, not as replays."""
    if destination not in ZONES:
        raise ValueError(f"the destination must be one of {', '.join(ZONES)}, not {destination!r}")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    db = transaction.get_connection()
    quote = db.ops.quote_name
    # (A transaction only for PostgreSQL's setting below: on SQLite egov's transactions are
    # IMMEDIATE, and would take the write lock for this read.)
    postgresql = db.vendor == "postgresql"
    with transaction.atomic() if postgresql else contextlib.nullcontext(), db.cursor() as cursor:
        if postgresql:
            # Walk the (status, id) index in order. Each batch marked sent leaves dead
            # 'pending' entries in that index until VACUUM; an index scan marks them dead
            # and skips them from then on, where the bitmap scan the planner otherwise
            # picks re-reads every one of their heap pages, batch after batch (in a burst
            # of 100,000 messages, the last batches took 100 ms instead of 2).
            cursor.execute(
                "SELECT current_setting('enable_bitmapscan'), "
                "set_config('enable_bitmapscan', 'off', true)"
            )
            previous = cursor.fetchone()[0]
        select = (
            f"SELECT {quote('id')}, {quote('type')}, {quote('envelope')} "  # noqa: S608
            f"FROM {_table(OutboxMessage, db)} WHERE {quote('destination')} = %s "
            f"AND {quote('status')} = %s ORDER BY {quote('id')} LIMIT %s"
        )
        values = [destination, OutboxMessage.Status.PENDING, limit]
        if postgresql:
            # The envelopes in binary: a third of the time of reading them as hex text.
            with _bound_cursor(db) as bound:
                bound.execute(select, values, binary=True)
                rows = bound.fetchall()
        else:
            cursor.execute(select, values)
            rows = cursor.fetchall()
        if postgresql:  # as it was, in the caller's transaction too
            cursor.execute("SELECT set_config('enable_bitmapscan', %s, true)", [previous])
    if not rows:
        return None
    ids = [_uuid(value) for value, _, _ in rows]
    leaves = [bytes(data) for _, _, data in rows]
    sealed = []
    files = {}
    manifest = []
    for message_id, (_, type_name, _), leaf, seal in zip(
        ids, rows, leaves, _seals(keys.signer(), leaves), strict=True
    ):
        sealed.append(insert_seal(leaf, seal))
        manifest.append([str(message_id), type_name, hashlib.sha256(leaf).hexdigest()])
        if not leaf.startswith(b'{"attachments":[]'):
            for item in json.loads(leaf)["attachments"]:
                files[item["sha256"]] = str(store.path_for(item["sha256"]))
    return Batch(
        id=ids[0].hex,
        destination=destination,
        outbox_ids=ids,
        envelopes=sealed,
        attachments=files,
        manifest=manifest,
    )


def _uuid(value) -> uuid.UUID:
    """A UUID column's value as read with a cursor (a UUID, or its hex on SQLite)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)


def _seals(signer, leaves: list[bytes]) -> list[bytes]:
    """The canonical bytes of the seal of each leaf of a batch: one signature over the
    Merkle root (what signing.sign_batch makes), each leaf's proof path. Written by joining
    the hex of the tree's nodes, each converted once: every string in a seal (algorithm,
    key id, hex, base64) is one that canonical JSON writes as it is, between quotes. A test
    compares the result with envelope.seal_batch."""
    tree = merkle.MerkleTree(leaves, merkle.SHA256)
    signature = signer.sign(signing.batch_message(tree.root, merkle.SHA256))
    algorithm = f"{signer.algorithm}-{merkle.SHA256.name}"
    head = f'{{"algorithm":"{algorithm}","key_id":"{signer.key_id}","proof":['
    tail = (
        f'],"root":"{tree.root.hex()}",'
        f'"signature":"{base64.b64encode(signature).decode("ascii")}"}}'
    )
    levels = [[node.hex() for node in level] for level in tree.levels[:-1]]
    seals = []
    for index in range(len(leaves)):
        steps = []
        position = index
        for level in levels:
            sibling = position ^ 1
            if sibling < len(level):
                side = merkle.LEFT if position & 1 else merkle.RIGHT
                steps.append(f'["{side}","{level[sibling]}"]')
            position //= 2
        seals.append(f"{head}{','.join(steps)}{tail}".encode("ascii"))
    return seals


def insert_seal(unsealed: bytes, seal: bytes) -> bytes:
    """The wire bytes of an envelope from its unsealed canonical bytes and the canonical
    bytes of its seal object, without parsing: in canonical member order ``"seal"`` comes
    right before ``"seq"``, which is the last ``,"seq":`` in the bytes (only the strings
    ``source_body``, ``source_zone`` and ``type`` follow it, and a string cannot hold an
    unescaped quote). The same bytes as ``Envelope.with_seal(...).to_bytes()``."""
    at = unsealed.rindex(b',"seq":') + 1
    return b"".join((unsealed[:at], b'"seal":', seal, b",", unsealed[at:]))


def mark_sent(batch: Batch) -> None:
    """The batch is durably handed to the transport."""
    now = timezone.now()
    db = transaction.get_connection()
    quote = db.ops.quote_name
    native = db.features.has_native_uuid_field

    def mark() -> None:
        with db.cursor() as cursor:
            for start in range(0, len(batch.outbox_ids), 1000):
                ids = [_uuid(value) for value in batch.outbox_ids[start : start + 1000]]
                where, values = _one_of(
                    db, quote("id"), ids if native else [value.hex for value in ids], "uuid"
                )
                _execute(
                    db,
                    cursor,
                    f"UPDATE {_table(OutboxMessage, db)} SET {quote('status')} = %s, "  # noqa: S608
                    f"{quote('sent_at')} = %s, {quote('batch')} = %s "
                    f"WHERE {quote('status')} = %s AND {where}",
                    [
                        OutboxMessage.Status.SENT,
                        db.ops.adapt_datetimefield_value(now),
                        batch.id,
                        OutboxMessage.Status.PENDING,
                        *values,
                    ],
                )
        _audit_batch(
            "exchange.sent",
            batch.id,
            {"destination": batch.destination, "count": len(batch.outbox_ids)},
            batch.manifest,
        )

    _in_write_transaction(mark)
    archive.append(archive.sent_records(batch, at=now))


def mark_acked(batch_id: str) -> int:
    """The other side acknowledged the batch: its messages are done. Returns the count."""
    return _in_write_transaction(
        lambda: (
            OutboxMessage.objects.filter(batch=batch_id)
            .exclude(status=OutboxMessage.Status.ACKED)
            .update(status=OutboxMessage.Status.ACKED, acked_at=timezone.now())
        )
    )


def resend_batch(batch_id: str, *, actor=None, purpose: str = "") -> int:
    """Send again the messages of a batch that were sent and never acknowledged (a batch
    the receiver got cut short: the ``batch_incomplete`` alert). They become pending again
    and go out in the next batch; the receiver applies each message once (the ones it had
    applied before count as duplicates). Resolves the batch's ``batch_incomplete`` alert.
    Returns how many messages will be sent again; 0 if none of the batch is unacknowledged.
    """
    from egov.core import audit

    from .models import ExchangeAlert

    if not batch_id or len(batch_id) > 64:
        raise ValueError(f"{batch_id!r} is not a batch id")

    def work() -> int:
        count = OutboxMessage.objects.filter(
            batch=batch_id, status=OutboxMessage.Status.SENT
        ).update(status=OutboxMessage.Status.PENDING, batch="", sent_at=None)
        now = timezone.now()
        resolved = ExchangeAlert.objects.filter(
            kind="batch_incomplete", subject=batch_id, resolved_at__isnull=True
        ).update(resolved_at=now)
        audit.record(
            "exchange.batch.resent",
            actor=actor,
            object_type="exchange.batch",
            object_id=batch_id,
            purpose=purpose,
            detail={"messages": count, "alerts_resolved": resolved},
        )
        return count

    return _in_write_transaction(work)


def _in_write_transaction(work: Callable):
    """``work()`` in a transaction; on SQLite, waiting for the write lock by trying every
    millisecond or two. SQLite has one writer at a time and no queue: its own busy handler
    sleeps up to 100 ms between tries, and a publisher that commits transaction after
    transaction takes the lock again within a millisecond — a ferry waiting that way could
    wait until the publisher stops. Trying often, it gets one of the gaps. (Once the
    transaction has begun, nothing in it waits for the lock: a "locked" error comes from
    the BEGIN, and nothing was done yet.)"""
    db = transaction.get_connection()
    if db.vendor != "sqlite" or db.in_atomic_block:
        with transaction.atomic():
            return work()
    with db.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        patience = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 1")
    try:
        deadline = time.monotonic() + max(patience / 1000, 5)
        while True:
            try:
                with transaction.atomic():
                    return work()
            except OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(0.001)
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(patience)}")


def _audit_batch(action: str, batch_id: str, detail: dict, messages: list) -> None:
    from egov.core import audit

    audit.record(
        action,
        object_type="exchange.batch",
        object_id=batch_id[:64],
        detail={**detail, "messages": messages},
    )


# --- receiving: the checks -----------------------------------------------------------------


@dataclass
class _Item:
    """One received item on its way through the checks and the apply."""

    raw: bytes
    envelope: Envelope | None = None
    message_type: registry.MessageType | None = None
    sha256: str = ""  # of the signed bytes once verified; of the raw bytes if refused
    files: dict[str, bytes] | None = None  # the checked attachment bytes, by SHA-256
    reason: str = ""
    detail: str = ""
    verdict: str = ""
    batch: str = ""  # for a stored waiting message: the batch it came in
    stored_pk: int | None = None  # for a stored waiting message: its inbox row
    _message_id: uuid.UUID | None = None

    def refuse(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        self.verdict = QUARANTINED

    def __getstate__(self) -> dict:
        # The type (with its handler) is looked up again by name where the item is applied.
        return {**self.__dict__, "message_type": None}

    @property
    def message_id(self) -> uuid.UUID | None:
        if self._message_id is None and self.envelope is not None:
            self._message_id = uuid.UUID(self.envelope.id)  # the envelope is set once
        return self._message_id


class _Checker:
    """The checks of received items up to the apply (no database access)."""

    def __init__(self, attachment: Callable[[str], bytes | None], at: datetime.datetime):
        self.attachment = attachment
        self.at = at
        self.size_limit = policy.max_envelope_bytes()
        self.verifiers = {zone: keys.verifier(zone) for zone in ZONES}

    def check(self, raw) -> _Item:
        """The item, verified and with its type, or refused with a reason. Never raises for
        bad input; an error of the attachment source (the transport) does propagate."""
        if isinstance(raw, bytearray | memoryview):
            raw = bytes(raw)
        if not isinstance(raw, bytes):
            item = _Item(raw=repr(raw)[:1000].encode("utf-8", "backslashreplace"))
            item.refuse(
                "not_an_envelope",
                f"the transport handed over a {type(raw).__name__}, not bytes (its repr is kept)",
            )
            return item
        item = _Item(raw=raw)
        try:
            self._check(item)
        except _SourceError as error:
            raise error.__cause__ from None
        except Exception as error:  # a defect, or a schema that cannot be used: hold it
            logger.exception("exchange: an item could not be checked")
            item.refuse(
                "schema_invalid" if item.envelope is not None else "bad_field",
                f"the message could not be checked: {error!r}"[:1000],
            )
        return item

    def _check(self, item: _Item) -> None:
        raw = item.raw
        if len(raw) > self.size_limit:
            item.refuse(
                "too_large",
                f"{len(raw)} bytes; no message type here allows more than {self.size_limit} "
                "(with its seal); refused without reading it",
            )
            return
        try:
            item.envelope = envelope = Envelope.from_bytes(raw)
        except EnvelopeError as error:
            item.refuse(_READ_REASONS.get(error.reason, "bad_field"), error.message)
            return
        try:
            envelopes.verify(envelope, self.verifiers[envelope.source_zone], at=self.at)
        except EnvelopeError as error:
            item.refuse(_VERIFY_REASONS.get(error.reason, "bad_signature"), error.message)
            return
        files = {}
        for meta in envelope.attachments:
            try:
                data = self.attachment(meta.sha256)
            except Exception as error:
                raise _SourceError() from error
            if data is None:
                item.refuse(
                    "attachment_missing",
                    f"attachment {meta.name!r} (SHA-256 {meta.sha256}) did not arrive with "
                    "the envelope: the sender must send the batch again with its files",
                )
                return
            try:
                envelopes.check_attachment(meta, data)
            except EnvelopeError as error:
                item.refuse(error.reason, error.message)
                return
            files[meta.sha256] = bytes(data)
        item.files = files
        signed = envelope.signed_bytes()
        try:
            item.message_type = policy.check_incoming(envelope, size=len(signed), attachments=files)
        except policy.PolicyError as error:
            item.refuse(error.reason, error.message)
            return
        item.sha256 = hashlib.sha256(signed).hexdigest()


class _SourceError(Exception):
    """The attachment source failed (not the input): the import stops, to be retried."""


# --- receiving: the apply ------------------------------------------------------------------


def _scope(source_zone: str) -> str:
    """Whose sequence numbers an envelope's ``seq`` counts. A split deployment receives
    from one zone, numbered by that zone's outbox. In combined mode one outbox numbers each
    key for both directions, so the order is kept per key across both."""
    return COMBINED if _this_zone() == COMBINED else source_zone


def _scope_zones(scope: str) -> tuple[str, ...]:
    return ZONES if scope == COMBINED else (scope,)


def _lock_importer() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_ID])


class _HandlerFailedError(Exception):
    """A handler raised while a chunk was applied without savepoints: the chunk is rolled
    back and applied again with a savepoint per handler (see _receive_chunk)."""


@dataclass
class _Sequence:
    """A key's row of InboxSequence as the apply reads it."""

    last_seq: int
    waiting_since: object  # as the database returned it; None when nothing waits


class _Applier:
    """Applies the checked items of one chunk in one transaction (see receive_batch).

    Without ``isolate`` (the common case) the handlers run without savepoints, after the
    order of the chunk has been worked out: a failing handler raises _HandlerFailedError,
    and the caller rolls the chunk back and applies it again with ``isolate``, where each
    handler runs in its own savepoint and only a failing message is quarantined."""

    def __init__(self, batch_id: str, now: datetime.datetime, source: str, *, isolate: bool):
        self.batch_id = batch_id
        self.now = now
        self.db_now = connection.ops.adapt_datetimefield_value(now)
        self.native_uuid = connection.features.has_native_uuid_field
        self.source = source
        self.isolate = isolate
        self.new_rows: list[list] = []  # inbox rows to insert, values in _INBOX_COLUMNS order
        self.applied_stored: list[int] = []
        self.dropped_stored: list[int] = []
        self.sequences: list[list] = []  # sequence rows to upsert (_sequence_upsert_sql)
        self.closed_gaps: list[str] = []
        self.drained: list[_Item] = []  # stored waiting messages run now (applied or not)
        # Without isolation: the messages to apply, by their place in their key's run (the
        # first applied message of every key, then the second ...), so that per-key order
        # holds while the messages of one type in one round go to a handler together.
        self.rounds: list[list[_Item]] = []

    def run(self, items: list[_Item]) -> None:
        _lock_importer()
        fresh = self._new_messages([item for item in items if not item.verdict])
        self._apply_in_order(fresh)
        if self.rounds:
            self._run_rounds()
        with connection.cursor() as cursor:
            db = transaction.get_connection()
            _insert_rows(cursor, db, InboxMessage, _INBOX_COLUMNS, _INBOX_TYPES, self.new_rows)
            _insert_rows(
                cursor,
                db,
                InboxSequence,
                _SEQUENCE_COLUMNS,
                _SEQUENCE_TYPES,
                self.sequences,
                _sequence_upsert_suffix(db),
            )
            applied_ids = [self._db_id(item) for item in items if item.verdict == APPLIED]
            if applied_ids:
                # Held copies of a message that has now been applied are resolved with it.
                table = _table(QuarantinedMessage)
                quote = connection.ops.quote_name
                where, values = _one_of(db, quote("message_id"), applied_ids, "uuid")
                _execute(
                    db,
                    cursor,
                    f"UPDATE {table} SET {quote('status')} = %s, "  # noqa: S608
                    f"{quote('resolved_at')} = %s, {quote('resolution')} = %s "
                    f"WHERE {quote('status')} = %s AND {where}",
                    [
                        QuarantinedMessage.Status.REQUEUED,
                        self.db_now,
                        "applied from a later delivery",
                        QuarantinedMessage.Status.HELD,
                        *values,
                    ],
                )
        if self.applied_stored:
            InboxMessage.objects.filter(pk__in=self.applied_stored).update(
                status=InboxMessage.Status.APPLIED, envelope=None, applied_at=self.now
            )
        if self.dropped_stored:
            InboxMessage.objects.filter(pk__in=self.dropped_stored).delete()
        if self.closed_gaps:
            ExchangeAlert.objects.filter(
                kind=SEQUENCE_GAP, subject__in=self.closed_gaps, resolved_at__isnull=True
            ).update(resolved_at=self.now)

    def _new_messages(self, accepted: list[_Item]) -> list[_Item]:
        """Sort out what the inbox has seen: the same batch again is a duplicate (a
        re-import after a crash), another batch is a replay."""
        ids_by_zone = defaultdict(list)
        for item in accepted:
            ids_by_zone[item.envelope.source_zone].append(self._db_id(item))
        known = {}
        db = transaction.get_connection()
        quote = db.ops.quote_name
        with db.cursor() as cursor:
            for zone, ids in ids_by_zone.items():
                where, values = _one_of(db, quote("message_id"), ids, "uuid")
                rows = _execute(
                    db,
                    cursor,
                    f"SELECT {quote('message_id')}, {quote('batch')} "  # noqa: S608
                    f"FROM {_table(InboxMessage)} WHERE {quote('source_zone')} = %s "
                    f"AND {where}",
                    [zone, *values],
                    fetch=True,
                )
                for message_id, batch in rows:
                    known[(zone, _MESSAGE_ID.to_python(message_id))] = batch
        fresh = []
        seen = set()
        for item in accepted:
            identity = (item.envelope.source_zone, item.message_id)
            if identity in known:
                if known[identity] == self.batch_id:
                    item.verdict = DUPLICATE
                else:
                    item.refuse(
                        "replayed",
                        f"message {item.envelope.id} was received already, in batch "
                        f"{known[identity]}; this copy came in batch {self.batch_id}. A "
                        "message is accepted once",
                    )
            elif identity in seen:
                item.refuse(
                    "replayed",
                    f"message {item.envelope.id} appears more than once in batch {self.batch_id}",
                )
            else:
                seen.add(identity)
                fresh.append(item)
        return fresh

    def _apply_in_order(self, fresh: list[_Item]) -> None:
        groups: dict[tuple[str, str], list[_Item]] = defaultdict(list)
        for item in fresh:
            groups[(_scope(item.envelope.source_zone), item.envelope.key)].append(item)
        if not groups:
            return
        sequences = self._load_sequences(groups)
        stored = self._load_waiting(
            [group for group, row in sequences.items() if row.waiting_since is not None]
        )
        for group, items in groups.items():
            self._apply_group(group, items, sequences.get(group), stored.get(group, {}))

    def _load_sequences(self, groups) -> dict[tuple[str, str], _Sequence]:
        keys_by_scope = defaultdict(list)
        for scope, key in groups:
            keys_by_scope[scope].append(key)
        rows = {}
        db = transaction.get_connection()
        quote = db.ops.quote_name
        with db.cursor() as cursor:
            for scope, scope_keys in keys_by_scope.items():
                where, values = _one_of(db, quote("key"), scope_keys, "varchar")
                found = _execute(
                    db,
                    cursor,
                    f"SELECT {quote('key')}, {quote('last_seq')}, "  # noqa: S608
                    f"{quote('waiting_since')} FROM {_table(InboxSequence)} "
                    f"WHERE {quote('source_zone')} = %s AND {where}",
                    [scope, *values],
                    fetch=True,
                )
                for key, last_seq, waiting_since in found:
                    rows[(scope, key)] = _Sequence(last_seq, waiting_since)
        return rows

    def _load_waiting(self, groups) -> dict[tuple[str, str], dict[int, _Item]]:
        result: dict[tuple[str, str], dict[int, _Item]] = defaultdict(dict)
        keys_by_scope = defaultdict(list)
        for scope, key in groups:
            keys_by_scope[scope].append(key)
        for scope, scope_keys in keys_by_scope.items():
            rows = InboxMessage.objects.filter(
                status=InboxMessage.Status.WAITING,
                source_zone__in=_scope_zones(scope),
                key__in=scope_keys,
            ).values_list("pk", "key", "seq", "envelope", "batch", "sha256")
            for pk, key, seq, raw, batch, sha256 in rows:
                result[(scope, key)][seq] = _Item(
                    raw=bytes(raw), sha256=sha256, batch=batch, stored_pk=pk
                )
        return result

    def _apply_group(self, group, items, row: _Sequence | None, stored: dict[int, _Item]) -> None:
        scope, key = group
        last = row.last_seq if row is not None else 0
        first_last = last
        pending: dict[int, _Item] = dict(stored)
        if len(items) > 1:
            items = sorted(items, key=lambda item: item.envelope.seq)
        for item in items:
            seq = item.envelope.seq
            if seq <= last or seq in pending:
                item.refuse(
                    "sequence_reused",
                    f"key {key!r} number {seq} was used already by another message "
                    f"({'applied' if seq <= last else 'waiting'}); the sender must not reuse "
                    "sequence numbers (was its database restored from a backup?)",
                )
            else:
                pending[seq] = item
        place = 0
        while last + 1 in pending:
            item = pending.pop(last + 1)
            if self.isolate:
                if not self._run_handler(item):
                    break
            else:
                self._plan(item, place)
                place += 1
            self._applied(item)
            last += 1
        for item in pending.values():
            if item.stored_pk is None and not item.verdict:
                item.verdict = WAITING
                self.new_rows.append(self._inbox_row(item, waiting=True))
        waiting_since = None
        if pending:
            unchanged = row is not None and row.waiting_since is not None and last == first_last
            waiting_since = row.waiting_since if unchanged else self.db_now
        elif row is not None and row.waiting_since is not None:
            self.closed_gaps.append(f"{scope}:{key}")
        if row is None or row.last_seq != last or row.waiting_since is not waiting_since:
            self.sequences.append([scope, key, last, waiting_since])

    def _plan(self, item: _Item, place: int) -> None:
        if item.stored_pk is not None and item.envelope is None:
            self._load_stored(item)
        if place == len(self.rounds):
            self.rounds.append([])
        self.rounds[place].append(item)

    def _run_rounds(self) -> None:
        """Run the handlers of the planned messages, round by round; the messages of one
        type in a round go to a batch handler in one call. Any failure: _HandlerFailedError."""
        for planned in self.rounds:
            by_type: dict[str, list[_Item]] = defaultdict(list)
            for item in planned:
                by_type[item.envelope.type].append(item)
            for type_items in by_type.values():
                message_type = type_items[0].message_type
                try:
                    handler = _handler_of(message_type, type_items[0].envelope)
                    messages = [self._message(item) for item in type_items]
                    if message_type.batch:
                        handler(messages)
                    else:
                        for message in messages:
                            handler(message)
                except Exception as error:
                    raise _HandlerFailedError() from error

    def _run_handler(self, item: _Item) -> bool:
        """Apply one message: its handler in a savepoint. False (and the message refused as
        handler_error) if the handler raises."""
        if item.stored_pk is not None and item.envelope is None:
            self._load_stored(item)
        try:
            handler = _handler_of(item.message_type, item.envelope)
            message = self._message(item)
            with transaction.atomic():
                handler([message] if item.message_type.batch else message)
        except Exception as error:
            logger.exception("exchange: the handler of %s failed", item.envelope.id)
            item.refuse(
                "handler_error",
                f"the handler of {item.envelope.type} failed: {type(error).__name__}: {error}"[
                    :2000
                ],
            )
            if item.stored_pk is not None:
                self.dropped_stored.append(item.stored_pk)  # quarantined instead of waiting
                self.drained.append(item)
            return False
        return True

    def _applied(self, item: _Item) -> None:
        item.verdict = APPLIED
        if item.stored_pk is not None:
            self.applied_stored.append(item.stored_pk)
            self.drained.append(item)
        else:
            self.new_rows.append(self._inbox_row(item, waiting=False))

    def _db_id(self, item: _Item):
        """The message id as the database stores it: a UUID, or without a UUID type its
        hex (the envelope's id was checked to be a lower-case UUID)."""
        return item.message_id if self.native_uuid else item.envelope.id.replace("-", "")

    def _message(self, item: _Item) -> ReceivedMessage:
        files = item.files if item.files is not None else self._stored_files(item.envelope)
        return ReceivedMessage(item.envelope, files)

    def _load_stored(self, item: _Item) -> None:
        item.envelope = Envelope.from_bytes(item.raw)  # checked on arrival
        item.message_type = registry.get(item.envelope.type)

    @staticmethod
    def _stored_files(envelope: Envelope) -> dict[str, bytes]:
        files = {}
        for meta in envelope.attachments:
            data = store.get(meta.sha256)
            if data is None:
                raise LookupError(
                    f"attachment {meta.sha256} is no longer in the attachment store {store.root()}"
                )
            files[meta.sha256] = data
        return files

    def _inbox_row(self, item: _Item, *, waiting: bool) -> list:
        envelope = item.envelope
        now = self.db_now
        return [
            envelope.source_zone,
            self._db_id(item),
            envelope.type,
            envelope.key,
            envelope.seq,
            self.batch_id,
            InboxMessage.Status.WAITING if waiting else InboxMessage.Status.APPLIED,
            item.raw if waiting else None,
            item.sha256,
            now,
            None if waiting else now,
        ]


def _handler_of(message_type: registry.MessageType | None, envelope: Envelope) -> Callable:
    handler = message_type.handler if message_type is not None else None
    if handler is None:
        raise LookupError(f"no handler is registered for {envelope.type} any more")
    return handler


def _table(model, db=None) -> str:
    return (db or connection).ops.quote_name(model._meta.db_table)


# Inbox and sequence rows are written with _insert_rows.
_INBOX_COLUMNS = ("source_zone", "message_id", "type", "key", "seq", "batch", "status")
_INBOX_COLUMNS += ("envelope", "sha256", "received_at", "applied_at")
_MESSAGE_ID = InboxMessage._meta.get_field("message_id")


_INBOX_TYPES = ("varchar", "uuid", "varchar", "varchar", "bigint", "varchar", "varchar")
_INBOX_TYPES += ("bytea", "varchar", "timestamptz", "timestamptz")
_SEQUENCE_COLUMNS = ("source_zone", "key", "last_seq", "waiting_since")
_SEQUENCE_TYPES = ("varchar", "varchar", "bigint", "timestamptz")


def _sequence_upsert_suffix(db) -> str:
    quote = db.ops.quote_name
    return (
        f" ON CONFLICT ({quote('source_zone')}, {quote('key')}) DO UPDATE SET "
        f"{quote('last_seq')} = excluded.{quote('last_seq')}, "
        f"{quote('waiting_since')} = excluded.{quote('waiting_since')}"
    )


def _quarantine_row(item: _Item, batch_id: str, now: datetime.datetime) -> QuarantinedMessage:
    envelope = item.envelope
    raw = item.raw
    detail = item.detail
    if len(raw) > QUARANTINE_RAW_LIMIT:
        detail += f" (only the first {QUARANTINE_RAW_LIMIT} of {len(raw)} bytes are kept)"
        raw = raw[:QUARANTINE_RAW_LIMIT]
    return QuarantinedMessage(
        reason=item.reason,
        detail=detail,
        source_zone=envelope.source_zone if envelope is not None else "",
        message_id=item.message_id,
        type=envelope.type if envelope is not None else "",
        batch=batch_id[:64],
        raw=raw,
        sha256=hashlib.sha256(item.raw).hexdigest(),
        received_at=now,
    )


def _keep_attachments(item: _Item, attachment: Callable[[str], bytes | None]) -> None:
    """Keep the files of a message held for a reason a fix can cure, for re-processing."""
    if item.envelope is None or item.reason not in _KEEP_ATTACHMENTS_FOR:
        return
    for meta in item.envelope.attachments:
        if meta.size > registry.DEFAULT_MAX_ATTACHMENT_BYTES or store.exists(meta.sha256):
            continue
        data = (item.files or {}).get(meta.sha256) or attachment(meta.sha256)
        if data is not None and len(data) == meta.size:
            store.put(data)


def _store_accepted_files(items: list[_Item]) -> None:
    """The files of accepted messages go to this zone's store before the apply: a handler,
    or a message waiting for its predecessor, reads them from there later."""
    for item in items:
        if item.files and not item.verdict:
            for data in item.files.values():
                store.put(data)


def _audit_chunk(
    items: list[_Item], applier: _Applier, batch_id: str, source: str, requeued: bool
) -> None:
    by_verdict: dict[str, list] = defaultdict(list)
    for item in [*items, *applier.drained]:
        envelope = item.envelope
        entry = [
            envelope.id if envelope is not None else "",
            envelope.type if envelope is not None else "",
            item.sha256 or hashlib.sha256(item.raw).hexdigest(),
        ]
        if item.verdict == QUARANTINED:
            entry.append(item.reason)
        by_verdict[item.verdict].append(entry)
    for verdict, messages in by_verdict.items():
        detail = {"count": len(messages), "source": source}
        if requeued:
            detail["requeued"] = True
        _audit_batch(f"exchange.{verdict}", batch_id, detail, messages)


def _count(report: ReceiveReport, items: list[_Item], applier: _Applier) -> None:
    for item in [*items, *applier.drained]:
        if item.verdict == APPLIED:
            report.applied += 1
        elif item.verdict == WAITING:
            report.waiting += 1
        elif item.verdict == DUPLICATE:
            report.duplicates += 1
        elif item.verdict == QUARANTINED:
            report.quarantined += 1
            report.reasons[item.reason] = report.reasons.get(item.reason, 0) + 1


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def receive_batch(
    items: Iterable[bytes],
    *,
    batch_id: str,
    attachment: Callable[[str], bytes | None],
    source: str = "",
    now: datetime.datetime | None = None,
) -> ReceiveReport:
    """Check and apply received items (each the bytes of one envelope, or of anything that
    arrived). ``attachment(sha256)`` returns the bytes that travelled alongside, or None.
    Idempotent: importing the same batch again applies nothing twice.

    Never raises for bad input: each bad item is quarantined with its reason, and the rest
    go on. Items are checked, then applied in chunks of CHUNK_SIZE, each chunk in one
    transaction (see _receive_chunk for what a failing handler costs). ``now`` is the time
    of checking (key validity, times recorded); default: now.

    The same in two steps, which may run in two processes: ``check_received`` (everything
    before the database) and ``receive_checked`` (the rest)."""
    _check_batch_id(batch_id)
    now = now or timezone.now()
    checker = _Checker(attachment, now)
    report = ReceiveReport()
    for chunk in _chunks(items, CHUNK_SIZE):
        checked = _check_chunk(checker, chunk, attachment)
        report.add(_receive_chunk(checked, batch_id=batch_id, now=now, source=source))
    return report


class CheckedItems(list):
    """What ``check_received`` returns: the received items, checked, in chunks; picklable,
    so that a transport can check in another process (the handlers' types are looked up
    again by name when applied)."""

    def __init__(self, chunks, now: datetime.datetime):
        super().__init__(chunks)
        self.now = now


def check_received(
    items: Iterable[bytes],
    *,
    attachment: Callable[[str], bytes | None],
    now: datetime.datetime | None = None,
) -> CheckedItems:
    """The first step of ``receive_batch``: read and check every item (format, signature,
    attachments, policy) without the database; the attachments of accepted messages go to
    this zone's store. Never raises for bad input (an error of ``attachment`` propagates)."""
    now = now or timezone.now()
    checker = _Checker(attachment, now)
    return CheckedItems(
        [_check_chunk(checker, chunk, attachment) for chunk in _chunks(items, CHUNK_SIZE)], now
    )


def receive_checked(checked: CheckedItems, *, batch_id: str, source: str = "") -> ReceiveReport:
    """The second step of ``receive_batch``: apply what ``check_received`` returned (per
    chunk, one transaction each), with the time of its checks."""
    _check_batch_id(batch_id)
    report = ReceiveReport()
    for chunk in checked:
        for item in chunk:
            if item.envelope is not None and not item.verdict and item.message_type is None:
                item.message_type = registry.get(item.envelope.type)
        report.add(_receive_chunk(chunk, batch_id=batch_id, now=checked.now, source=source))
    return report


def _check_batch_id(batch_id: str) -> None:
    if not batch_id or len(batch_id) > 64:
        raise ValueError("batch_id must be 1 to 64 characters (the transport's batch id)")


def _check_chunk(checker: _Checker, chunk: list, attachment) -> list[_Item]:
    checked = [checker.check(raw) for raw in chunk]
    _store_accepted_files(checked)
    for item in checked:
        if item.verdict == QUARANTINED:
            _keep_attachments(item, attachment)
    return checked


def _receive_chunk(
    items: list[_Item], *, batch_id: str, now: datetime.datetime, source: str
) -> ReceiveReport:
    """Apply a chunk in one transaction, its handlers without savepoints; if a handler
    raises, roll the chunk back and apply it again with a savepoint per handler, so that
    only the failing message is quarantined (handler_error) and the others apply."""
    checked = [(item.verdict, item.reason, item.detail) for item in items]
    try:
        return _apply_chunk(items, batch_id=batch_id, now=now, source=source, isolate=False)
    except _HandlerFailedError:
        for item, (verdict, reason, detail) in zip(items, checked, strict=True):
            item.verdict, item.reason, item.detail = verdict, reason, detail
    return _apply_chunk(items, batch_id=batch_id, now=now, source=source, isolate=True)


def _apply_chunk(
    items: list[_Item], *, batch_id: str, now: datetime.datetime, source: str, isolate: bool
) -> ReceiveReport:
    report = ReceiveReport()
    with transaction.atomic():
        applier = _Applier(batch_id, now, source, isolate=isolate)
        applier.run(items)
        refused = [item for item in items if item.verdict == QUARANTINED]
        held = set()
        if refused:  # held already if this batch is imported again
            held = set(
                QuarantinedMessage.objects.filter(
                    batch=batch_id,
                    sha256__in=[hashlib.sha256(item.raw).hexdigest() for item in refused],
                ).values_list("sha256", flat=True)
            )
        rows = []
        for item in refused:
            row = _quarantine_row(item, batch_id, now)
            if row.sha256 in held:
                item.verdict = DUPLICATE
                continue
            held.add(row.sha256)
            rows.append(row)
        rows += [
            _quarantine_row(item, item.batch, now)
            for item in applier.drained
            if item.verdict == QUARANTINED
        ]
        QuarantinedMessage.objects.bulk_create(rows, batch_size=200)
        _audit_chunk(items, applier, batch_id, source, requeued=False)
        _count(report, items, applier)
    _archive_received([*items, *applier.drained], batch_id, now)
    return report


def _archive_received(entries: list, batch_id: str, now: datetime.datetime) -> None:
    """Append what crossed to the day's archive file, after the commit: a rolled-back chunk
    is archived when it is imported again (then with the verdict it gets then)."""
    archive.append(
        archive.received_record(
            entry.raw,
            verdict=entry.verdict,
            reason=entry.reason if entry.verdict == QUARANTINED else "",
            batch_id=entry.batch or batch_id,
            envelope=entry.envelope,
            at=now,
        )
        for entry in entries
    )


# --- quarantine ----------------------------------------------------------------------------


def quarantine(raw: bytes, *, reason: str, detail: str = "", batch_id: str = "", envelope=None):
    """Hold ``raw`` with its reason (visible in the back-office, re-processable)."""
    if reason not in REASONS:
        raise ValueError(f"unknown quarantine reason {reason!r}; use one of {', '.join(REASONS)}")
    raw = bytes(raw)
    item = _Item(raw=raw, envelope=envelope)
    item.refuse(reason, detail)
    row = _quarantine_row(item, batch_id, timezone.now())
    if batch_id:
        existing = QuarantinedMessage.objects.filter(batch=row.batch, sha256=row.sha256).first()
        if existing is not None:
            return existing
    row.save(force_insert=True)
    return row


def requeue(quarantined_id: int, *, now: datetime.datetime | None = None) -> ReceiveReport:
    """Process a quarantined message again (after a fix: a key trusted, a handler fixed).

    The stored bytes go through every check again, with attachments from this zone's store;
    the message keeps the batch it arrived in. If it passes, the quarantine row is marked
    re-processed; if not, it stays held with the new reason and one more attempt."""
    now = now or timezone.now()
    row = QuarantinedMessage.objects.filter(pk=quarantined_id).first()
    if row is None:
        raise ValueError(f"there is no quarantined message {quarantined_id}")
    if row.status != QuarantinedMessage.Status.HELD:
        raise ValueError(
            f"quarantined message {quarantined_id} is {row.get_status_display()} already; "
            "only a held message can be re-processed"
        )
    item = _Checker(store.get, now).check(bytes(row.raw))
    _store_accepted_files([item])
    report = ReceiveReport()
    with transaction.atomic():
        row = QuarantinedMessage.objects.select_for_update().get(pk=quarantined_id)
        if row.status != QuarantinedMessage.Status.HELD:
            raise ValueError(f"quarantined message {quarantined_id} was re-processed meanwhile")
        applier = _Applier(row.batch, now, "requeue", isolate=True)
        applier.run([item])
        if item.verdict == QUARANTINED:
            row.reason = item.reason
            row.detail = item.detail
            row.attempts += 1
            if item.envelope is not None:
                row.source_zone = item.envelope.source_zone
                row.message_id = item.message_id
                row.type = item.envelope.type
            row.save(
                update_fields=["reason", "detail", "attempts", "source_zone", "message_id", "type"]
            )
        else:
            row.status = QuarantinedMessage.Status.REQUEUED
            row.resolved_at = now
            row.resolution = f"re-processed: {item.verdict}"
            row.save(update_fields=["status", "resolved_at", "resolution"])
        drained_refused = [item for item in applier.drained if item.verdict == QUARANTINED]
        QuarantinedMessage.objects.bulk_create(
            [_quarantine_row(entry, entry.batch, now) for entry in drained_refused]
        )
        _audit_chunk([item], applier, row.batch or "requeue", "requeue", requeued=True)
        _count(report, [item], applier)
    _archive_received([item, *applier.drained], row.batch or "requeue", now)
    return report


# --- sequence gaps -------------------------------------------------------------------------


def check_gaps(now: datetime.datetime | None = None) -> list[ExchangeAlert]:
    """Raise a ``sequence_gap`` alert for each key whose messages have waited for a missing
    predecessor longer than GAP_ALERT_SECONDS, and resolve the alerts of gaps that closed.
    Returns the alerts raised now. Run periodically by the worker (tasks.py)."""
    now = now or timezone.now()
    threshold = now - datetime.timedelta(seconds=settings.EGOV_EXCHANGE["GAP_ALERT_SECONDS"])
    raised = []
    with transaction.atomic():
        open_alerts = set(
            ExchangeAlert.objects.filter(kind=SEQUENCE_GAP, resolved_at__isnull=True).values_list(
                "subject", flat=True
            )
        )
        gaps = InboxSequence.objects.filter(waiting_since__lte=threshold).order_by("waiting_since")
        current = set()
        for gap in gaps:
            subject = f"{gap.source_zone}:{gap.key}"[:250]
            current.add(subject)
            if subject in open_alerts:
                continue
            waiting = InboxMessage.objects.filter(
                status=InboxMessage.Status.WAITING,
                source_zone__in=_scope_zones(gap.source_zone),
                key=gap.key,
            ).order_by("seq")
            count = waiting.count()
            first = waiting.values_list("seq", flat=True).first()
            raised.append(
                ExchangeAlert.objects.create(
                    kind=SEQUENCE_GAP,
                    subject=subject,
                    detail=(
                        f"{count} message(s) of key {gap.key!r} have waited since "
                        f"{gap.waiting_since.isoformat()} for number {gap.last_seq + 1} "
                        f"(the next waiting is number {first}): find the missing message "
                        "in the quarantine or ask the sending zone to send it again"
                    ),
                    raised_at=now,
                )
            )
        closed = open_alerts - current
        stale = [subject for subject in closed if not _gap_still_open(subject)]
        if stale:
            ExchangeAlert.objects.filter(
                kind=SEQUENCE_GAP, subject__in=stale, resolved_at__isnull=True
            ).update(resolved_at=now)
    return raised


def _gap_still_open(subject: str) -> bool:
    scope, _, key = subject.partition(":")
    return InboxSequence.objects.filter(
        source_zone=scope, key=key, waiting_since__isnull=False
    ).exists()
