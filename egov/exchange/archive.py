"""The message archive: every crossing, kept as one file per day, each file hash-linked to the
one before.

A day's file ``exchange-YYYY-MM-DD.jsonl`` under ``EGOV_EXCHANGE["ARCHIVE_DIR"]`` holds

- a header line: ``{"day": "2026-03-02", "format": "egov-exchange-archive/1",
  "prev_day": "2026-03-01", "prev_sha256": "<SHA-256 of that day's closed file>"}``
  (the first file of an archive names no day and 64 zeros);
- then one line per message that crossed, sent or received:
  ``{"batch", "direction", "id", "sha256", "time", "type", "verdict"}``.

Lines are JSON with sorted keys, no spaces, UTF-8, ending in ``\\n``. A day is *closed* once
it has ended (``close_day``, or automatically when the next day's file is started): its
SHA-256 and line count are recorded in ``ArchiveFile`` and the file is made read-only. The next
file's header carries that hash, so a changed byte in an old file, or a missing file, breaks
the chain where it happened; ``verify_archive`` walks the chain and names the first break.
Days without traffic have no file; the chain skips them.

Writers in several processes (ferry, importer, worker) take an exclusive lock on
``ARCHIVE_DIR/.lock`` while they write; each ``append`` is one write followed by fsync.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import ArchiveFile

FORMAT = "egov-exchange-archive/1"
GENESIS = "0" * 64
RECORD_FIELDS = ("id", "type", "direction", "sha256", "verdict", "batch", "time")
_RECORD_FIELD_SET = frozenset(RECORD_FIELDS)
FILE_NAME = re.compile(r"^exchange-(\d{4}-\d{2}-\d{2})\.jsonl$")

# Verdicts written by the services (a quarantined message: "quarantined:<reason>").
SENT = "sent"
APPLIED = "applied"
DUPLICATE = "duplicate"
WAITING = "waiting"
QUARANTINED = "quarantined"


class ArchiveError(Exception):
    """The archive cannot do what was asked; the message says why and what to do."""


# --- where --------------------------------------------------------------------------------


def archive_dir() -> Path:
    return Path(settings.EGOV_EXCHANGE["ARCHIVE_DIR"])


def file_name(day: datetime.date) -> str:
    return f"exchange-{day.isoformat()}.jsonl"


def path_of(row: ArchiveFile) -> Path:
    """The file of a row (rows keep the name relative to the archive directory)."""
    return archive_dir() / row.path


@contextlib.contextmanager
def _locked():
    directory = archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield directory
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# What json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) makes,
# with one encoder instead of one per line.
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def _json_line(data: Mapping) -> bytes:
    return _ENCODE(data).encode("utf-8") + b"\n"


# --- records ------------------------------------------------------------------------------


def _time_text(value) -> str:
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise ArchiveError("an archive record's time must be aware (timezone.now())")
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return str(value)


def normalise(record: Mapping, *, times: dict | None = None) -> dict:
    """A record with exactly RECORD_FIELDS, all text; refuses a missing or extra field.
    ``times``: a cache of time texts (the records of one batch share their time)."""
    if record.keys() != _RECORD_FIELD_SET:
        missing = [name for name in RECORD_FIELDS if name not in record]
        extra = sorted(set(record) - _RECORD_FIELD_SET)
        raise ArchiveError(
            f"an archive record has exactly the fields {', '.join(RECORD_FIELDS)}; "
            f"missing: {', '.join(missing) or 'none'}, extra: {', '.join(extra) or 'none'}"
        )
    data = {name: str(record[name] if record[name] is not None else "") for name in RECORD_FIELDS}
    at = record["time"]
    if times is None or type(at) is not datetime.datetime:
        data["time"] = _time_text(at)
    else:
        text = times.get(at)
        if text is None:
            text = times[at] = _time_text(at)
        data["time"] = text
    return data


def direction(source: str, destination: str) -> str:
    return f"{source or '?'}->{destination or '?'}"


def sent_records(batch, *, at: datetime.datetime | None = None) -> list[dict]:
    """The records of a batch handed to the transport (``services.Batch``): one per sealed
    envelope, verdict ``sent``, hashed over the exact bytes that were sent. Ids and types
    come from the batch's manifest (the envelopes are read only if it has none)."""
    from .selectors import other_zone

    at = at or timezone.now()
    way = direction(other_zone(batch.destination), batch.destination)
    manifest = getattr(batch, "manifest", None) or []
    if len(manifest) == len(batch.envelopes):
        names = [(entry[0], entry[1]) for entry in manifest]
    else:
        names = [(data["id"], data["type"]) for data in map(json.loads, batch.envelopes)]
    return [
        {
            "id": message_id,
            "type": type_name,
            "direction": way,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "verdict": SENT,
            "batch": batch.id,
            "time": at,
        }
        for raw, (message_id, type_name) in zip(batch.envelopes, names, strict=True)
    ]


def received_record(
    raw: bytes,
    *,
    verdict: str,
    batch_id: str,
    reason: str = "",
    envelope=None,
    destination: str = "",
    at: datetime.datetime | None = None,
) -> dict:
    """The record of one item received, hashed over the exact bytes that arrived:
    ``verdict`` is ``applied``, ``duplicate``, ``waiting`` or ``quarantined`` (with its
    ``reason``, written ``quarantined:<reason>``). ``envelope`` (when the bytes could be read
    as one) gives id, type and source zone; ``destination`` defaults to the other zone."""
    from .selectors import other_zone

    source = getattr(envelope, "source_zone", "")
    return {
        "id": getattr(envelope, "id", ""),
        "type": getattr(envelope, "type", ""),
        "direction": direction(source, destination or other_zone(source)),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "verdict": f"{verdict}:{reason}" if reason else verdict,
        "batch": batch_id,
        "time": at or timezone.now(),
    }


# --- writing ------------------------------------------------------------------------------


def _read_header(path: Path) -> dict:
    with open(path, "rb") as file:
        first = file.readline()
    try:
        header = json.loads(first)
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ArchiveError(f"{path} does not start with an archive header ({FORMAT})")
    return header


def _row_from_file(day: datetime.date) -> ArchiveFile | None:
    """The row of ``day``, re-created from the file's header if the file exists without one
    (a row written in a transaction that was rolled back)."""
    row = ArchiveFile.objects.filter(day=day).first()
    if row is not None:
        return row
    path = archive_dir() / file_name(day)
    if not path.exists():
        return None
    header = _read_header(path)
    return ArchiveFile.objects.create(
        day=day, path=file_name(day), prev_sha256=header["prev_sha256"]
    )


def _close(row: ArchiveFile) -> ArchiveFile:
    path = path_of(row)
    if not path.exists():
        raise ArchiveError(
            f"the archive file of {row.day} ({path}) is missing, so it cannot be closed; "
            "restore it from a backup, then run 'manage.py exchange_archive verify'"
        )
    data = path.read_bytes()
    row.sha256 = hashlib.sha256(data).hexdigest()
    row.count = max(data.count(b"\n") - 1, 0)
    row.closed_at = timezone.now()
    row.save(update_fields=["sha256", "count", "closed_at"])
    path.chmod(0o444)
    return row


def _close_open_days_before(day: datetime.date) -> None:
    for row in ArchiveFile.objects.filter(day__lt=day, closed_at__isnull=True).order_by("day"):
        _close(row)


def _start_file(day: datetime.date) -> ArchiveFile:
    """Close the days before, then write the header of ``day``'s new file durably."""
    _close_open_days_before(day)
    previous = (
        ArchiveFile.objects.filter(day__lt=day, closed_at__isnull=False).order_by("-day").first()
    )
    header = {
        "format": FORMAT,
        "day": day.isoformat(),
        "prev_day": previous.day.isoformat() if previous else None,
        "prev_sha256": previous.sha256 if previous else GENESIS,
    }
    directory = archive_dir()
    path = directory / file_name(day)
    temporary = directory / f".{file_name(day)}.tmp"
    with open(temporary, "wb") as file:
        file.write(_json_line(header))
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    _fsync_directory(directory)
    row, _created = ArchiveFile.objects.update_or_create(
        day=day,
        defaults={"path": file_name(day), "prev_sha256": header["prev_sha256"], "count": 0},
    )
    return row


def _writable_row(day: datetime.date) -> ArchiveFile:
    row = _row_from_file(day)
    if row is not None and row.closed_at is not None:
        raise ArchiveError(
            f"the archive of {day} is closed (its hash is chained into the next day): records "
            "of a crossing go into the file of the day they are archived"
        )
    later = ArchiveFile.objects.filter(day__gt=day).order_by("day").first()
    if later is not None:
        raise ArchiveError(
            f"the archive already has a file for {later.day}, after {day}: check the system "
            "clock; records cannot be added to an earlier day"
        )
    if row is None:
        return _start_file(day)
    if not path_of(row).exists():
        raise ArchiveError(
            f"the archive file of {day} ({path_of(row)}) is recorded but missing: restore it "
            "from a backup and run 'manage.py exchange_archive verify' before archiving more"
        )
    return row


def append(records: Iterable[Mapping], *, day: datetime.date | None = None) -> int:
    """Append crossing records (dicts with RECORD_FIELDS; see ``sent_records`` and
    ``received_record``) to the file of ``day`` (today, local time, by default), starting
    that file — and closing the days before — if it is the day's first crossing. One write
    and one fsync per call. Returns the number of records written.

    Call it after the transaction that recorded the crossing has committed (a crossing that
    was rolled back is retried and archived then)."""
    times: dict = {}
    lines = [_json_line(normalise(record, times=times)) for record in records]
    if not lines:
        return 0
    day = day or timezone.localdate()
    with _locked(), transaction.atomic():
        row = _writable_row(day)
        with open(path_of(row), "ab") as file:
            file.write(b"".join(lines))
            file.flush()
            os.fsync(file.fileno())
        ArchiveFile.objects.filter(pk=row.pk).update(count=F("count") + len(lines))
    return len(lines)


def close_day(day: datetime.date) -> ArchiveFile | None:
    """Close ``day`` (and any open day before it): record its final SHA-256 and its count,
    make the file read-only. Only a day that has ended can be closed. Returns its row, or
    None if nothing crossed that day. Closing a closed day again changes nothing."""
    today = timezone.localdate()
    if day >= today:
        raise ArchiveError(
            f"{day} has not ended yet (today is {today}): a day can be closed from the next "
            "day on; close yesterday with 'manage.py exchange_archive close'"
        )
    with _locked(), transaction.atomic():
        _close_open_days_before(day)
        row = _row_from_file(day)
        if row is None or row.closed_at is not None:
            return row
        return _close(row)


# --- checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveReport:
    intact: bool
    checked: int  # files checked before the first break (all of them when intact)
    broken_day: datetime.date | None = None
    problem: str = ""


def _files_on_disk() -> dict[datetime.date, Path]:
    directory = archive_dir()
    if not directory.is_dir():
        return {}
    found = {}
    for path in directory.iterdir():
        match = FILE_NAME.match(path.name)
        if match:
            found[datetime.date.fromisoformat(match.group(1))] = path
    return found


def _check_lines(data: bytes) -> str:
    """A problem with the record lines of a file's bytes, or ''."""
    if not data.endswith(b"\n"):
        return "its last line is incomplete (a write was interrupted)"
    for number, line in enumerate(data.split(b"\n")[1:-1], start=2):
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return f"line {number} is not JSON"
        if not isinstance(record, dict) or set(record) != set(RECORD_FIELDS):
            return f"line {number} is not an archive record"
    return ""


def _check_file(row: ArchiveFile | None, day, path: Path | None, prev) -> tuple[str, str]:
    """(problem, sha256 to chain to): the problem is '' when this link holds."""
    prev_day, prev_sha = prev
    name = file_name(day)
    if row is None:
        return f"{name} is not recorded in the database (its ArchiveFile row was deleted)", ""
    if path is None or not path.exists():
        return f"{name} is missing from {archive_dir()}", ""
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    try:
        header = json.loads(data.split(b"\n", 1)[0])
    except (UnicodeDecodeError, json.JSONDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return f"{name} does not start with an archive header", actual
    if header.get("day") != day.isoformat():
        return f"{name}'s header names the day {header.get('day')!r}", actual
    after = f"the file of {prev_day}" if prev_day else "the start of the archive"
    if header.get("prev_sha256") != prev_sha or row.prev_sha256 != prev_sha:
        return (
            f"{name} does not link to {after}: its header carries "
            f"{header.get('prev_sha256')}, but {after} hashes to {prev_sha} "
            "(a file before it was changed, removed or replaced)",
            actual,
        )
    if row.closed_at is not None:
        if actual != row.sha256:
            return (
                f"{name} was changed after it was closed: SHA-256 {actual}, recorded {row.sha256}",
                actual,
            )
        count = data.count(b"\n") - 1
        if count != row.count:
            return f"{name} has {count} records, recorded {row.count}", actual
    problem = _check_lines(data)
    return (f"{name}: {problem}" if problem else ""), actual


def verify_archive() -> ArchiveReport:
    """Walk the archive from its first day: every recorded file present, every header
    linking to the hash of the file before, every closed file unchanged since it was
    closed, no file without its record. Returns the first break, naming the day and why."""
    rows = {row.day: row for row in ArchiveFile.objects.order_by("day")}
    on_disk = _files_on_disk()
    days = sorted(set(rows) | set(on_disk))
    prev = (None, GENESIS)
    for checked, day in enumerate(days):
        row = rows.get(day)
        problem, actual = _check_file(row, day, on_disk.get(day), prev)
        if not problem and row.closed_at is None and day != days[-1]:
            problem = f"{file_name(day)} was never closed, yet a later day follows it"
        if problem:
            return ArchiveReport(intact=False, checked=checked, broken_day=day, problem=problem)
        prev = (day, actual)
    return ArchiveReport(intact=True, checked=len(days))
