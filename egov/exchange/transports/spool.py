"""The spool transport: batches of sealed envelopes as files in a gap directory.

A gap directory is what sits between the zones: a folder both deployments can reach (a
gatekeeper appliance's shared folder, a removable disk, a directory on one host). Layout
(docs/deploy/zones.md)::

    GAP/
      to-internal/                  written by the external zone, read by the internal zone
        <batch-id>.att/<sha256>     the attachment files of a batch (written first)
        <batch-id>.batch            one sealed envelope per line (written last)
        acks/<batch-id>.ack         the internal zone's acknowledgements of its own batches,
                                    written here by the external zone
        rejected/                   files the internal importer refused (kept for operators)
      to-external/                  the same, the other way round

Every file is written under a temporary name (``.tmp-…``, which the importer ignores),
fsync'd, renamed into place atomically, and its directory fsync'd: a reader sees either a
whole file or none. Batch ids are UUIDv7s, so files in name order are in the order they were
written.

Sender (``export``):  services.take_batch → attachments, then the batch file → mark_sent.
Receiver (``import``): each ``*.batch`` in name order → services.receive_batch → the ack,
durably, into ``to-<sender>/acks/`` → the batch file and its attachments are deleted.
Sender again (``import``): each ack → services.mark_acked → the ack is deleted.

Crashes: a receiver killed after receive_batch and before its ack imports the batch again
(receive_batch is idempotent); a sender killed after writing a batch and before mark_sent
marks the newest batch still waiting in the gap as sent when it starts again. Anything in the
incoming directory that is not a batch — a wrong name, an unreadable file, binary garbage, a
truncated last line — never stops the importer: it ends in quarantine with a reason and the
file is moved to ``rejected/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import fcntl
import gc
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .. import EXTERNAL, INTERNAL, ZONES, canonical

logger = logging.getLogger(__name__)

TMP_PREFIX = ".tmp-"
BATCH_SUFFIX = ".batch"
ACK_SUFFIX = ".ack"
ATTACHMENTS_SUFFIX = ".att"
ACKS = "acks"
REJECTED = "rejected"
EXPORT_LOCK = ".export.lock"
IMPORT_LOCK = ".import.lock"
ACK_FORMAT = "egov-spool-ack/1"

# A line longer than this is not an envelope (envelopes carry attachments by reference).
MAX_LINE_BYTES = 16 * 1024 * 1024
# What is kept in quarantine of a file or line that is refused whole (the file itself is
# kept in rejected/).
QUARANTINE_PREFIX_BYTES = 1024 * 1024
MAX_ACK_BYTES = 64 * 1024

_BATCH_ID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SHA256 = re.compile(r"[0-9a-f]{64}")

# Reasons for files refused whole (the codes are services.REASONS).
NOT_AN_ENVELOPE = "not_an_envelope"
TOO_LARGE = "too_large"
TRUNCATED = "truncated"


class SpoolError(RuntimeError):
    """The gap directory cannot be used (missing, not writable, busy)."""


class SpoolBusyError(SpoolError):
    """Another ferry of this zone is exporting or importing in the same gap directory."""


def other_zone(zone: str) -> str:
    if zone not in ZONES:
        raise ValueError(f"zone must be one of {', '.join(ZONES)}, not {zone!r}")
    return INTERNAL if zone == EXTERNAL else EXTERNAL


def is_batch_id(text: str) -> bool:
    return bool(_BATCH_ID.fullmatch(text))


# --- durable files -------------------------------------------------------------------------


def fsync_directory(directory: Path) -> None:
    """Make the entries of ``directory`` (new, renamed, deleted files) durable."""
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_durably(
    directory: Path, name: str, write: Callable, *, sync_directory: bool = True
) -> Path:
    """Write ``directory/name`` so that a reader sees all of it or nothing.

    ``write(file)`` writes the content into a temporary file ``.tmp-<name>`` in the same
    directory, which is fsync'd and renamed to ``name`` (replacing a file of that name); the
    directory is fsync'd unless ``sync_directory`` is false (the caller does it once for
    several files).
    """
    target = directory / name
    temporary = directory / f"{TMP_PREFIX}{name}"
    with open(temporary, "wb") as file:
        write(file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, target)
    if sync_directory:
        fsync_directory(directory)
    return target


def write_bytes_durably(directory: Path, name: str, data: bytes) -> Path:
    return write_durably(directory, name, lambda file: file.write(data))


def _open_regular(path: Path) -> int:
    """A descriptor for reading ``path``; refuse a symbolic link or anything not a file.

    Everything in the gap may be hostile: a link named like a batch must not make the
    importer read (and quarantine) a file of this zone.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise IsADirectoryError(f"{path.name} is not a regular file")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_prefix(path: Path, limit: int) -> bytes:
    """Up to ``limit`` bytes from the start of a regular file (OSError if it is none)."""
    with os.fdopen(_open_regular(path), "rb") as file:
        return file.read(limit)


def _remove_tree(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path, what: str) -> Iterator[int]:
    """Hold an exclusive lock on ``path``; SpoolBusyError if another process holds it.
    Yields the lock's descriptor (a forked worker closes its copy).

    The kernel releases the lock when the process ends, however it ends (a kill included).
    """
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SpoolBusyError(
                f"another ferry of this zone is {what} in {path.parent}; wait for it to finish "
                "(run the ferry from one place only: cron or the worker, not both)"
            ) from None
        yield descriptor
    finally:
        os.close(descriptor)


# --- the gap directory ---------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A gap directory as seen from ``zone``."""

    root: Path
    zone: str

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))
        other_zone(self.zone)  # validates the zone

    @property
    def peer(self) -> str:
        return other_zone(self.zone)

    @property
    def incoming(self) -> Path:
        """Batches for this zone, and acknowledgements of this zone's batches (acks/)."""
        return self.root / f"to-{self.zone}"

    @property
    def outgoing(self) -> Path:
        """Batches this zone sends, and its acknowledgements of the peer's batches (acks/)."""
        return self.root / f"to-{self.peer}"

    @property
    def acks_in(self) -> Path:
        return self.incoming / ACKS

    @property
    def acks_out(self) -> Path:
        return self.outgoing / ACKS

    @property
    def rejected(self) -> Path:
        return self.incoming / REJECTED

    def ensure(self) -> None:
        """Create the directories this zone reads and writes (idempotent)."""
        if not self.root.is_dir():
            raise SpoolError(
                f"the gap directory {self.root} does not exist; create it (or mount the "
                "gatekeeper's shared folder there) and give this zone's user write access"
            )
        for directory in (self.incoming, self.outgoing, self.acks_in, self.acks_out, self.rejected):
            directory.mkdir(exist_ok=True)

    def batch_path(self, batch_id: str) -> Path:
        return self.outgoing / f"{batch_id}{BATCH_SUFFIX}"


# --- writing batches -----------------------------------------------------------------------


def batch_bytes(envelopes: Iterable[bytes]) -> bytes:
    """The content of a batch file: each envelope on its own line, each line ending in \\n."""
    lines = []
    for number, envelope in enumerate(envelopes):
        if b"\n" in envelope:
            raise ValueError(
                f"envelope {number} of the batch contains a newline; canonical JSON never "
                "does, so it was not made by Envelope.to_bytes()"
            )
        lines.append(envelope)
        lines.append(b"\n")
    return b"".join(lines)


def write_batch(gap: Gap, batch) -> Path:
    """Write ``batch`` (a services.Batch) into the gap: its attachments first, then the batch
    file; each durably. Returns the batch file's path."""
    if not is_batch_id(batch.id):
        raise ValueError(f"batch id {batch.id!r} is not a UUID in hex")
    if batch.attachments:
        directory = gap.outgoing / f"{batch.id}{ATTACHMENTS_SUFFIX}"
        directory.mkdir(exist_ok=True)
        for sha256, source in sorted(batch.attachments.items()):
            if not _SHA256.fullmatch(sha256):
                raise ValueError(f"attachment name {sha256!r} is not a SHA-256 in hex")
            with open(source, "rb") as original:
                write_durably(
                    directory,
                    sha256,
                    lambda file, original=original: shutil.copyfileobj(original, file, 1 << 20),
                    sync_directory=False,
                )
        fsync_directory(directory)
    # The batch file last: once it is there, everything it needs is there.
    return write_bytes_durably(
        gap.outgoing, f"{batch.id}{BATCH_SUFFIX}", batch_bytes(batch.envelopes)
    )


def message_ids(path: Path) -> list[str]:
    """The envelope ids in a batch file this zone wrote (lines that cannot be read skipped)."""
    ids = []
    with os.fdopen(_open_regular(path), "rb") as file:
        for line in file:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                ids.append(value["id"])
    return ids


# --- reading batches -----------------------------------------------------------------------


@dataclass
class LineReader:
    """The lines of a batch file as items for services.receive_batch.

    Every line without its newline is an item, the last one too when the file does not end
    in a newline (``complete`` is then False: the file was cut, and the line is refused as
    truncated unless it happens to be whole). A line longer than MAX_LINE_BYTES is not
    passed on but kept in ``oversized`` as (its first bytes, its length); empty lines are
    skipped.
    """

    file: object
    max_line_bytes: int = MAX_LINE_BYTES
    complete: bool = True
    lines: int = 0
    oversized: list[tuple[bytes, int]] = field(default_factory=list)

    def __iter__(self) -> Iterator[bytes]:
        readline = self.file.readline
        limit = self.max_line_bytes + 1
        while line := readline(limit):
            if len(line) == limit and not line.endswith(b"\n"):
                prefix, length = line[:QUARANTINE_PREFIX_BYTES], len(line)
                while (rest := readline(limit)) and not rest.endswith(b"\n"):
                    length += len(rest)
                length += len(rest.rstrip(b"\n"))
                self.complete = self.complete and rest.endswith(b"\n")
                self.oversized.append((prefix, length))
                continue
            if line.endswith(b"\n"):
                line = line[:-1]
            else:
                self.complete = False
            if line.strip(b" \t\r") == b"":
                continue
            self.lines += 1
            yield line


def attachment_lookup(directory: Path) -> Callable[[str], bytes | None]:
    """``attachment(sha256)`` for services.receive_batch: the bytes of ``directory/<sha256>``
    if it is a regular file there, else None (never a path outside ``directory``)."""

    def attachment(sha256: str) -> bytes | None:
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            return None
        try:
            with os.fdopen(_open_regular(directory / sha256), "rb") as file:
                return file.read()
        except OSError:
            return None

    return attachment


# --- acknowledgements ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    """A receiver's acknowledgement of one batch.

    ``complete`` is False when the batch file was cut short (its last line had no newline):
    the sender must not take the batch as delivered.
    """

    batch: str
    zone: str  # the zone that received the batch
    at: str
    complete: bool = True
    applied: int = 0
    duplicates: int = 0
    waiting: int = 0
    quarantined: int = 0
    reasons: dict = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return canonical.canonical_bytes(
            {
                "format": ACK_FORMAT,
                "batch": self.batch,
                "zone": self.zone,
                "at": self.at,
                "complete": self.complete,
                "applied": self.applied,
                "duplicates": self.duplicates,
                "waiting": self.waiting,
                "quarantined": self.quarantined,
                "reasons": dict(self.reasons),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Ack:
        """Read an ack; ValueError saying what is wrong if it is not one."""
        value = canonical.parse(data)
        if not isinstance(value, dict) or value.get("format") != ACK_FORMAT:
            raise ValueError(f'not an acknowledgement (no "format": "{ACK_FORMAT}")')
        counts = ("applied", "duplicates", "waiting", "quarantined")
        expected = {"format", "batch", "zone", "at", "complete", "reasons", *counts}
        if set(value) != expected:
            raise ValueError(f"an acknowledgement has exactly the members {sorted(expected)}")
        if not isinstance(value["batch"], str) or not is_batch_id(value["batch"]):
            raise ValueError("the acknowledgement's batch is not a batch id")
        if value["zone"] not in ZONES or not isinstance(value["at"], str):
            raise ValueError("the acknowledgement's zone or time is malformed")
        if not isinstance(value["complete"], bool) or not isinstance(value["reasons"], dict):
            raise ValueError("the acknowledgement's complete or reasons member is malformed")
        if not all(type(value[name]) is int and value[name] >= 0 for name in counts):
            raise ValueError("the acknowledgement's counts must be whole numbers")
        return cls(**{name: value[name] for name in expected - {"format"}})

    @classmethod
    def for_report(cls, batch_id: str, zone: str, report, *, complete: bool = True) -> Ack:
        return cls(
            batch=batch_id,
            zone=zone,
            at=_now_text(),
            complete=complete,
            applied=report.applied,
            duplicates=report.duplicates,
            waiting=report.waiting,
            quarantined=report.quarantined,
            reasons=dict(report.reasons),
        )


def _now_text() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_ack(gap: Gap, ack: Ack) -> Path:
    """Write the acknowledgement of a received batch into the sender's acks/, durably."""
    return write_bytes_durably(gap.acks_out, f"{ack.batch}{ACK_SUFFIX}", ack.to_bytes())


# --- the ferry -----------------------------------------------------------------------------


@dataclass
class ExportReport:
    batches: int = 0
    messages: int = 0
    attachments: int = 0
    recovered: int = 0  # batches found in the gap after a crash and marked sent


@dataclass
class ImportReport:
    batches: int = 0
    items: int = 0
    applied: int = 0
    duplicates: int = 0
    waiting: int = 0
    quarantined: int = 0
    rejected_files: int = 0
    acks: int = 0  # acknowledgements of this zone's batches processed
    acked_messages: int = 0
    incomplete_acks: int = 0
    errors: int = 0  # batches left in place after an unexpected error (see the log)
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, report) -> None:
        self.applied += report.applied
        self.duplicates += report.duplicates
        self.waiting += report.waiting
        self.quarantined += report.quarantined
        for reason, count in report.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + count


_heap_settled = False


def _settle_heap() -> None:
    """Once per process: move the objects that exist by now (Django, the apps, settings)
    into the garbage collector's permanent generation (gc.freeze). A ferry creates and drops
    thousands of small objects per batch; without this, the collections they trigger scan
    the whole start-up heap again and again (about a tenth of an import's time)."""
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        gc.collect()
        gc.freeze()


def export(gap: Gap, *, batch_size: int | None = None, max_batches: int | None = None):
    """Send this zone's pending messages for the peer into the gap. Returns an ExportReport."""
    from .. import services

    _settle_heap()
    gap.ensure()
    batch_size = batch_size or _setting("BATCH_SIZE", 1000)
    report = ExportReport()
    with _locked(gap.outgoing / EXPORT_LOCK, "exporting"):
        _clean_after_crash(gap)
        report.recovered = _recover_unmarked_batch(gap)
        while max_batches is None or report.batches < max_batches:
            batch = services.take_batch(gap.peer, limit=batch_size)
            if batch is None:
                break
            write_batch(gap, batch)
            services.mark_sent(batch)
            report.batches += 1
            report.messages += len(batch.envelopes)
            report.attachments += len(batch.attachments)
    return report


def _clean_after_crash(gap: Gap) -> None:
    """Remove what a killed exporter of this zone left: temporary files, and attachment
    directories whose batch file was never written (or was already imported)."""
    for path in gap.outgoing.iterdir():
        name = path.name
        if name.startswith(TMP_PREFIX):
            _remove_tree(path)
        elif name.endswith(ATTACHMENTS_SUFFIX) and is_batch_id(name[: -len(ATTACHMENTS_SUFFIX)]):
            batch_file = gap.outgoing / (name[: -len(ATTACHMENTS_SUFFIX)] + BATCH_SUFFIX)
            if not batch_file.exists():
                _remove_tree(path)
            elif path.is_dir():
                for inner in path.iterdir():
                    if inner.name.startswith(TMP_PREFIX):
                        _remove_tree(inner)


def _recover_unmarked_batch(gap: Gap) -> int:
    """An exporter killed between writing a batch file and mark_sent leaves a batch in the
    gap whose messages are still pending; they would be sent again. Only the newest batch
    can be in that state (mark_sent follows each write): mark it sent."""
    from .. import services

    batches = sorted(
        path
        for path in gap.outgoing.glob(f"*{BATCH_SUFFIX}")
        if is_batch_id(path.name[: -len(BATCH_SUFFIX)])
    )
    if not batches:
        return 0
    newest = batches[-1]
    batch_id = newest.name[: -len(BATCH_SUFFIX)]
    # The batch id is the id of its first message (services.take_batch), and mark_sent marks
    # a batch's messages in one transaction: the batch is unmarked exactly when that message
    # is still pending. Checked without reading the file, on every pass of a ferry.
    if not _any_pending([str(uuid.UUID(batch_id))]):
        return 0
    try:
        ids = message_ids(newest)
    except OSError:
        return 0  # imported meanwhile
    if not ids or not _any_pending(ids):
        return 0
    batch = services.Batch(id=batch_id, destination=gap.peer, outbox_ids=ids, envelopes=[])
    services.mark_sent(batch)
    return 1


def _any_pending(ids: list[str]) -> bool:
    from ..models import OutboxMessage

    return OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.PENDING).exists()


def import_(gap: Gap) -> ImportReport:
    """Process the acknowledgements of this zone's batches, then import the batches the peer
    sent, in name order. Returns an ImportReport.

    With two batches or more waiting, a worker process (forked from this one) reads and
    checks the next batch — format, signatures, attachments, policy: everything before the
    database — while this process applies the one before (services.check_received and
    services.receive_checked); the second CPU core does half of the work. Without a
    worker (``EGOV_EXCHANGE["CHECK_IN_WORKER"] = False``, one batch, a very large file, or
    a worker that died) a batch is read and checked here, as a stream."""
    _settle_heap()
    gap.ensure()
    report = ImportReport()
    with _locked(gap.incoming / IMPORT_LOCK, "importing") as lock:
        for path in gap.acks_out.iterdir():  # what a killed importer left
            if path.name.startswith(TMP_PREFIX):
                _remove_tree(path)
        _process_acks(gap, report)
        entries = []
        for path in sorted(gap.incoming.iterdir()):
            name = path.name
            if name.startswith(".") or name in (ACKS, REJECTED):
                continue
            if name.endswith(ATTACHMENTS_SUFFIX) and is_batch_id(name[: -len(ATTACHMENTS_SUFFIX)]):
                if path.is_dir() and not path.is_symlink():
                    continue  # a batch's attachments, read with it
            is_batch = name.endswith(BATCH_SUFFIX) and is_batch_id(name[: -len(BATCH_SUFFIX)])
            entries.append((path, is_batch))
        prepared = _prepared_batches(gap, [path for path, is_batch in entries if is_batch], lock)
        try:
            for path, is_batch in entries:
                if not is_batch:
                    _reject_file(
                        gap,
                        path,
                        NOT_AN_ENVELOPE,
                        f"{path.name!r} is not a batch file (<batch id>{BATCH_SUFFIX}) nor a "
                        f"batch's attachments (<batch id>{ATTACHMENTS_SUFFIX}/)",
                        report,
                    )
                    continue
                read = next(prepared)
                try:
                    _import_batch(gap, path, report, read)
                except Exception:  # a database outage, a defect: keep the file, go on
                    logger.exception(
                        "batch %s could not be imported; it is kept for the next run", path.name
                    )
                    report.errors += 1
        finally:
            prepared.close()
    return report


# A batch file up to this size may be read and checked by the worker process (larger ones are
# read here, as a stream, so that memory stays bounded).
WORKER_MAX_BATCH_BYTES = 64 * 1024 * 1024


@dataclass
class _ReadBatch:
    """A batch file read and checked (services.check_received), by the worker process."""

    identity: tuple  # of the file that was read (_identity)
    checked: object  # services.CheckedItems
    lines: int
    complete: bool
    oversized: list[tuple[bytes, int]]
    unreadable: str = ""  # the file could not be opened: why


def _read_and_check(gap: Gap, path: Path) -> _ReadBatch | None:
    """In the worker process: read the batch file at ``path`` and check its items. None if
    the file is gone (imported meanwhile)."""
    from .. import services

    batch_id = path.name[: -len(BATCH_SUFFIX)]
    try:
        descriptor = _open_regular(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return _ReadBatch((), None, 0, True, [], unreadable=str(error))
    with os.fdopen(descriptor, "rb") as file:
        identity = _identity(os.fstat(file.fileno()))
        lines = LineReader(file, max_line_bytes=MAX_LINE_BYTES)
        attachments = attachment_lookup(gap.incoming / f"{batch_id}{ATTACHMENTS_SUFFIX}")
        checked = services.check_received(lines, attachment=attachments)
    return _ReadBatch(identity, checked, lines.lines, lines.complete, lines.oversized)


def _prepared_batches(gap: Gap, paths: list[Path], lock: int) -> Iterator[Future | None]:
    """For each of ``paths``, in order: a future of its _ReadBatch from the worker process,
    or None (read it here). The worker is always one batch ahead: while this process
    applies one batch, it checks the next."""
    worker = None
    if len(paths) > 1 and _setting("CHECK_IN_WORKER", True):
        # Forked: the worker has this process's settings, keys and registered types, and
        # never touches the database (it ends with os._exit, leaving the inherited
        # connection alone). It closes its copy of the import lock and ends with this
        # process, however this one ends.
        worker = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(os.getpid(), lock),
        )

    def submit(index: int) -> Future | None:
        if worker is None or index >= len(paths):
            return None
        try:
            if paths[index].lstat().st_size > WORKER_MAX_BATCH_BYTES:
                return None
            return worker.submit(_read_and_check, gap, paths[index])
        except (OSError, BrokenProcessPool):
            return None

    try:
        ahead = submit(0)
        for index in range(len(paths)):
            current, ahead = ahead, submit(index + 1)
            yield current
    finally:
        if worker is not None:
            worker.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int, lock: int) -> None:
    """In the worker process: let go of the import lock (only the ferry holds it), and end
    as soon as the ferry ends — a ferry killed with SIGKILL must not leave a worker behind
    that would hold the lock's file open."""
    os.close(lock)
    with contextlib.suppress(OSError, AttributeError):  # Linux: die with the parent
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the ferry ended before the line above
        os._exit(1)

    def watch() -> None:  # elsewhere: look every half second
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


_PR_SET_PDEATHSIG = 1


def _import_batch(gap: Gap, path: Path, report: ImportReport, prepared: Future | None) -> None:
    from .. import services

    batch_id = path.name[: -len(BATCH_SUFFIX)]
    attachments_dir = gap.incoming / f"{batch_id}{ATTACHMENTS_SUFFIX}"
    read = None
    if prepared is not None:
        try:
            read = prepared.result()
        except BrokenProcessPool:  # the worker died: read and check the batch here
            logger.warning("the checking worker stopped; batch %s is checked here", batch_id)
        else:
            if read is None:
                return  # gone: imported meanwhile
    if read is not None:
        if read.unreadable:
            detail = f"cannot read {path.name}: {read.unreadable}"
            _reject_file(gap, path, NOT_AN_ENVELOPE, detail, report)
            return
        received = services.receive_checked(read.checked, batch_id=batch_id)
        identity, complete, count = read.identity, read.complete, read.lines
        oversized = read.oversized
    else:
        try:
            descriptor = _open_regular(path)
        except FileNotFoundError:
            return
        except OSError as error:
            _reject_file(gap, path, NOT_AN_ENVELOPE, f"cannot read {path.name}: {error}", report)
            return
        with os.fdopen(descriptor, "rb") as file:
            identity = _identity(os.fstat(file.fileno()))
            lines = LineReader(file, max_line_bytes=MAX_LINE_BYTES)
            received = services.receive_batch(
                lines, batch_id=batch_id, attachment=attachment_lookup(attachments_dir)
            )
        complete, count, oversized = lines.complete, lines.lines, lines.oversized
    for prefix, length in oversized:
        services.quarantine(
            prefix,
            reason=TOO_LARGE,
            detail=f"a line of {length} bytes in batch {batch_id}; at most {MAX_LINE_BYTES} "
            f"are read (the first {len(prefix)} are kept here)",
            batch_id=batch_id,
        )
        received.quarantined += 1
        received.reasons[TOO_LARGE] = received.reasons.get(TOO_LARGE, 0) + 1
    report.batches += 1
    report.items += count + len(oversized)
    report.add(received)
    _make_durable()
    write_ack(gap, Ack.for_report(batch_id, gap.zone, received, complete=complete))
    if complete:
        # Unless the sender wrote the batch again meanwhile (killed before it could mark it
        # sent, it takes the same messages again under the same batch id): then the new file
        # and its attachments stay, to be imported next.
        if _unlink_if_same(path, identity):
            fsync_directory(gap.incoming)
            _remove_tree(attachments_dir)
    else:
        # A batch file cut short: what it held was received, the rest never came; the sender
        # is told (its messages stay unacknowledged) and the file is kept for the operator.
        logger.warning("batch %s was cut short; moved to %s", batch_id, gap.rejected)
        _move_to_rejected(gap, path)
        if attachments_dir.exists():
            _move_to_rejected(gap, attachments_dir)
        report.rejected_files += 1


def _identity(status: os.stat_result) -> tuple:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _unlink_if_same(path: Path, identity: tuple) -> bool:
    """Delete ``path`` if it is still the file that was read; True if it was deleted."""
    try:
        if _identity(path.lstat()) != identity:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _make_durable() -> None:
    """Make what receive_batch committed durable before the ack tells the sender so.

    PostgreSQL commits are durable once they return (synchronous_commit, its default).
    SQLite in WAL mode with synchronous=NORMAL (egov's setting) appends each commit to the
    write-ahead log without an fsync: durable across a killed process, not across a power
    cut. So here a passive checkpoint (which keeps the log short, syncing the log and then
    the database file as it copies) and an fsync of the log file itself: a checkpoint that
    a reader holds back copies nothing and syncs nothing, the fsync still makes every
    commit so far durable (a commit is either still in the log, or was copied into the
    database file by a checkpoint that synced it before the log was reused).
    """
    from django.db import connection

    # (Inside a transaction — a test's — there is nothing committed to make durable yet.)
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    if connection.is_in_memory_db():
        return
    try:
        descriptor = os.open(f"{connection.settings_dict['NAME']}-wal", os.O_RDONLY)
    except FileNotFoundError:  # no log: every commit is in the database file, synced
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reject_file(gap: Gap, path: Path, reason: str, detail: str, report: ImportReport) -> None:
    """Quarantine (the start of) a file that is not a batch, then move it to rejected/."""
    from .. import services

    try:
        raw = read_prefix(path, QUARANTINE_PREFIX_BYTES)
        size = path.lstat().st_size
    except FileNotFoundError:
        return
    except OSError as error:
        raw, size = b"", 0
        detail = f"{detail}; it is not a file that can be read ({error.strerror or error})"
    kept = f"; moved to {gap.rejected.name}/ in {gap.incoming}"
    if len(raw) < size:
        kept += f" ({size} bytes, the first {len(raw)} kept here)"
    services.quarantine(raw, reason=reason, detail=detail + kept)
    report.quarantined += 1
    report.reasons[reason] = report.reasons.get(reason, 0) + 1
    report.rejected_files += 1
    _move_to_rejected(gap, path)


def _move_to_rejected(gap: Gap, path: Path) -> None:
    target = gap.rejected / path.name
    if target.exists() or target.is_symlink():
        target = gap.rejected / f"{path.name}.{_now_text().replace(':', '')}"
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return
    except OSError as error:
        logger.error("cannot move %s to %s: %s", path, gap.rejected, error)
        return
    fsync_directory(gap.incoming)
    fsync_directory(gap.rejected)


def _process_acks(gap: Gap, report: ImportReport) -> None:
    from .. import services

    for path in sorted(gap.acks_in.iterdir()):
        name = path.name
        if name.startswith("."):
            continue
        problem = ""
        ack = None
        if not (name.endswith(ACK_SUFFIX) and is_batch_id(name[: -len(ACK_SUFFIX)])):
            problem = f"{name!r} in {ACKS}/ is not an acknowledgement (<batch id>{ACK_SUFFIX})"
        else:
            try:
                ack = Ack.from_bytes(read_prefix(path, MAX_ACK_BYTES + 1))
            except FileNotFoundError:
                continue
            except (OSError, ValueError) as error:
                problem = f"{name!r} in {ACKS}/ cannot be read as an acknowledgement: {error}"
            else:
                if ack.batch != name[: -len(ACK_SUFFIX)] or ack.zone != gap.peer:
                    problem = f"{name!r} acknowledges batch {ack.batch} from zone {ack.zone}"
        if problem:
            _reject_file(gap, path, NOT_AN_ENVELOPE, problem, report)
            continue
        report.acks += 1
        if ack.complete:
            report.acked_messages += services.mark_acked(ack.batch)
        else:
            report.incomplete_acks += 1
            _raise_alert(
                "batch_incomplete",
                ack.batch,
                f"the {ack.zone} zone received batch {ack.batch} cut short (the file ended "
                f"inside a line): {ack.applied} applied, {ack.quarantined} quarantined. Its "
                "messages stay unacknowledged here; the file is in the receiver's rejected/.",
            )
        path.unlink()
        fsync_directory(gap.acks_in)


def _raise_alert(kind: str, subject: str, detail: str) -> None:
    from django.utils import timezone

    from ..models import ExchangeAlert

    ExchangeAlert.objects.get_or_create(
        kind=kind,
        subject=subject,
        resolved_at=None,
        defaults={"detail": detail, "raised_at": timezone.now()},
    )


def _setting(name: str, default):
    from django.conf import settings

    return getattr(settings, "EGOV_EXCHANGE", {}).get(name, default)


def gap_for_this_zone(root: str | os.PathLike | None = None) -> Gap:
    """The gap directory of the settings (EGOV_EXCHANGE["SPOOL_DIR"]) for this zone."""
    from django.conf import settings

    zone = settings.EGOV_ZONE
    if zone not in ZONES:
        raise SpoolError(
            f"the spool transport joins two zones; this deployment is EGOV_ZONE={zone}. Set "
            "EGOV_ZONE=external or internal (the combined zone uses the loopback transport)"
        )
    return Gap(Path(root or _setting("SPOOL_DIR", "")), zone)
