"""The message archive: daily files of every crossing, each linked to the day before by its
SHA-256; a changed byte, a missing file or a missing record is found and named."""

import datetime
import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.exchange import archive
from egov.exchange.envelope import Envelope, seal_batch
from egov.exchange.models import ArchiveFile
from egov.exchange.services import Batch
from egov.exchange.signing import Ed25519Signer

pytestmark = pytest.mark.django_db

DAY1 = datetime.date(2026, 3, 1)
DAY2 = datetime.date(2026, 3, 2)
DAY3 = datetime.date(2026, 3, 4)  # 3 March had no traffic: no file, the chain skips it
AT = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)


def exchange_settings(directory: Path) -> dict:
    return {"ARCHIVE_DIR": str(directory)}


@pytest.fixture
def archive_dir(tmp_path):
    directory = tmp_path / "archive"
    with override_settings(EGOV_EXCHANGE=exchange_settings(directory)):
        yield directory
    # closed files are read-only; let tmp_path clean up
    for path in directory.glob("*.jsonl"):
        path.chmod(0o644)


def record(n: int, verdict: str = "applied") -> dict:
    return {
        "id": f"01a22860-0512-77cc-828a-{n:012d}",
        "type": "hall.application.submitted",
        "direction": "external->internal",
        "sha256": hashlib.sha256(str(n).encode()).hexdigest(),
        "verdict": verdict,
        "batch": "b1",
        "time": AT,
    }


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def three_days():
    """Appends on three days with a gap, the last day left open."""
    archive.append([record(1), record(2)], day=DAY1)
    archive.append([record(3)], day=DAY2)
    archive.append([record(4), record(5), record(6)], day=DAY3)


def writable(path: Path) -> Path:
    path.chmod(0o644)
    return path


# --- writing ------------------------------------------------------------------------------


def test_the_first_file_starts_with_a_header_linked_to_the_genesis(archive_dir):
    assert (
        archive.append([record(1), record(2, verdict="quarantined:bad_signature")], day=DAY1) == 2
    )
    path = archive_dir / "exchange-2026-03-01.jsonl"
    header, first, second = lines(path)
    assert header == {
        "format": archive.FORMAT,
        "day": "2026-03-01",
        "prev_day": None,
        "prev_sha256": archive.GENESIS,
    }
    assert first == {**record(1), "time": "2026-03-01T08:30:00.000000+00:00"}
    assert second["verdict"] == "quarantined:bad_signature"
    row = ArchiveFile.objects.get(day=DAY1)
    assert (row.path, row.count, row.prev_sha256, row.closed_at) == (path.name, 2, "0" * 64, None)


def test_a_new_day_closes_the_day_before_and_links_to_its_hash(archive_dir):
    archive.append([record(1)], day=DAY1)
    archive.append([record(2)], day=DAY1)
    archive.append([record(3)], day=DAY3)

    day1 = ArchiveFile.objects.get(day=DAY1)
    day1_path = archive_dir / day1.path
    assert day1.closed_at is not None
    assert day1.count == 2
    assert day1.sha256 == hashlib.sha256(day1_path.read_bytes()).hexdigest()
    assert oct(day1_path.stat().st_mode & 0o777) == oct(0o444)

    header = lines(archive_dir / "exchange-2026-03-04.jsonl")[0]
    assert header["prev_day"] == "2026-03-01"
    assert header["prev_sha256"] == day1.sha256
    assert ArchiveFile.objects.get(day=DAY3).prev_sha256 == day1.sha256
    assert archive.verify_archive() == archive.ArchiveReport(intact=True, checked=2)


def test_close_day_records_the_final_hash_once(archive_dir):
    archive.append([record(1), record(2)], day=DAY1)
    row = archive.close_day(DAY1)
    data = (archive_dir / row.path).read_bytes()
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.count == 2
    closed_at = row.closed_at
    again = archive.close_day(DAY1)
    assert (again.sha256, again.closed_at) == (row.sha256, closed_at)
    assert archive.verify_archive().intact


def test_a_day_without_traffic_has_nothing_to_close(archive_dir):
    assert archive.close_day(DAY1) is None
    assert not ArchiveFile.objects.exists()


def test_today_cannot_be_closed(archive_dir):
    with pytest.raises(archive.ArchiveError, match="has not ended yet"):
        archive.close_day(timezone.localdate())


def test_appends_go_to_today_by_default(archive_dir):
    archive.append([record(1)])
    assert ArchiveFile.objects.get().day == timezone.localdate()


def test_a_closed_day_takes_no_more_records(archive_dir):
    archive.append([record(1)], day=DAY1)
    archive.close_day(DAY1)
    with pytest.raises(archive.ArchiveError, match="is closed"):
        archive.append([record(2)], day=DAY1)


def test_an_earlier_day_than_the_last_file_is_refused(archive_dir):
    archive.append([record(1)], day=DAY2)
    with pytest.raises(archive.ArchiveError, match="check the system clock"):
        archive.append([record(2)], day=DAY1)


def test_a_record_with_a_missing_or_extra_field_is_refused(archive_dir):
    incomplete = record(1)
    del incomplete["sha256"]
    with pytest.raises(archive.ArchiveError, match="missing: sha256, extra: none"):
        archive.append([incomplete], day=DAY1)
    with pytest.raises(archive.ArchiveError, match="extra: payload"):
        archive.append([{**record(1), "payload": "x"}], day=DAY1)
    assert not ArchiveFile.objects.exists()


def test_nothing_to_append_writes_nothing(archive_dir):
    assert archive.append([], day=DAY1) == 0
    assert not archive_dir.exists() or not list(archive_dir.glob("*.jsonl"))


def test_a_file_whose_row_was_rolled_back_gets_its_row_again(archive_dir):
    with transaction.atomic():
        archive.append([record(1)], day=DAY1)
        transaction.set_rollback(True)
    assert not ArchiveFile.objects.exists()
    archive.append([record(2)], day=DAY1)
    row = archive.close_day(DAY1)
    assert row.count == 2
    assert archive.verify_archive().intact


def test_sent_records_hash_the_exact_bytes_sent(archive_dir):
    signer = Ed25519Signer.generate()
    envelopes = [
        Envelope.new("cases.status.changed", {"n": n}, source_zone="internal", key="c:1", seq=n)
        for n in (1, 2)
    ]
    sealed = [e.to_bytes() for e in seal_batch(envelopes, signer)]
    batch = Batch(id="batch-7", destination="external", outbox_ids=[], envelopes=sealed)
    records = archive.sent_records(batch, at=AT)
    assert [r["id"] for r in records] == [e.id for e in envelopes]
    assert {r["direction"] for r in records} == {"internal->external"}
    assert {r["verdict"] for r in records} == {"sent"}
    assert records[0]["sha256"] == hashlib.sha256(sealed[0]).hexdigest()
    assert archive.append(records, day=DAY1) == 2
    manifest = [[e.id, e.type, "0" * 64] for e in envelopes]
    with_manifest = Batch(
        id="batch-7", destination="external", outbox_ids=[], envelopes=sealed, manifest=manifest
    )
    assert archive.sent_records(with_manifest, at=AT) == records


def test_a_received_record_of_unreadable_bytes_keeps_their_hash():
    raw = b"\x00not an envelope"
    item = archive.received_record(
        raw, verdict="quarantined", reason="not_an_envelope", batch_id="b9", at=AT
    )
    assert item["verdict"] == "quarantined:not_an_envelope"
    assert item["id"] == "" and item["type"] == ""
    assert item["direction"] == "?->?"
    assert item["sha256"] == hashlib.sha256(raw).hexdigest()
    envelope = Envelope.new("hall.x", {}, source_zone="external", key="k", seq=1)
    assert archive.received_record(raw, verdict="applied", batch_id="b", envelope=envelope)[
        "direction"
    ] == ("external->internal")


# --- checking -----------------------------------------------------------------------------


def test_an_intact_archive_verifies(archive_dir):
    three_days()
    assert archive.verify_archive() == archive.ArchiveReport(intact=True, checked=3)


def test_an_empty_archive_verifies(archive_dir):
    assert archive.verify_archive().intact


def test_a_changed_byte_in_an_old_file_is_found(archive_dir):
    three_days()
    path = writable(archive_dir / "exchange-2026-03-01.jsonl")
    data = bytearray(path.read_bytes())
    position = data.index(b'"verdict":"applied"') + len('"verdict":"a')
    data[position] = ord("B")  # "aBplied": still JSON, still a record
    path.write_bytes(bytes(data))
    report = archive.verify_archive()
    assert not report.intact
    assert report.broken_day == DAY1
    assert report.checked == 0
    assert "changed after it was closed" in report.problem


def test_a_changed_hash_in_the_database_is_found(archive_dir):
    three_days()
    ArchiveFile.objects.filter(day=DAY1).update(sha256="f" * 64)
    report = archive.verify_archive()
    assert report.broken_day == DAY1  # the recorded hash no longer matches the file


def test_a_rewritten_old_file_with_its_record_updated_breaks_the_next_link(archive_dir):
    three_days()
    path = writable(archive_dir / "exchange-2026-03-01.jsonl")
    path.write_bytes(path.read_bytes().replace(b"applied", b"Applied"))
    new_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    ArchiveFile.objects.filter(day=DAY1).update(sha256=new_hash)
    report = archive.verify_archive()
    assert report.broken_day == DAY2
    assert "does not link to the file of 2026-03-01" in report.problem


def test_a_deleted_middle_file_is_found(archive_dir):
    three_days()
    (archive_dir / "exchange-2026-03-02.jsonl").unlink()
    report = archive.verify_archive()
    assert report.broken_day == DAY2
    assert report.checked == 1
    assert "exchange-2026-03-02.jsonl is missing" in report.problem


def test_a_deleted_middle_file_and_its_record_break_the_next_link(archive_dir):
    three_days()
    (archive_dir / "exchange-2026-03-02.jsonl").unlink()
    ArchiveFile.objects.filter(day=DAY2).delete()
    report = archive.verify_archive()
    assert report.broken_day == DAY3
    assert "does not link to the file of 2026-03-01" in report.problem


def test_a_file_without_its_record_is_found(archive_dir):
    three_days()
    ArchiveFile.objects.filter(day=DAY2).delete()
    report = archive.verify_archive()
    assert report.broken_day == DAY2
    assert "not recorded in the database" in report.problem


def test_an_interrupted_last_write_is_found(archive_dir):
    three_days()
    path = archive_dir / "exchange-2026-03-04.jsonl"
    with open(path, "ab") as file:
        file.write(b'{"id":"01a2')
    report = archive.verify_archive()
    assert report.broken_day == DAY3
    assert "last line is incomplete" in report.problem


def test_a_deleted_open_file_stops_further_appends(archive_dir):
    archive.append([record(1)], day=DAY1)
    (archive_dir / "exchange-2026-03-01.jsonl").unlink()
    with pytest.raises(archive.ArchiveError, match="recorded but missing"):
        archive.append([record(2)], day=DAY1)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    counts=st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=5),
    data=st.data(),
)
def test_any_changed_byte_of_a_closed_file_is_found_at_that_day(db, counts, data):
    """Whatever the days and their records, flipping any one byte of any closed file makes
    verification fail, at that file's day or before."""
    days = [DAY1 + datetime.timedelta(days=2 * i) for i in range(len(counts))]
    with tempfile.TemporaryDirectory() as directory, transaction.atomic():
        with override_settings(EGOV_EXCHANGE=exchange_settings(Path(directory))):
            n = 0
            for day, count in zip(days, counts, strict=True):
                archive.append([record(n + i) for i in range(count)], day=day)
                n += count
            assert archive.verify_archive().intact
            victim = data.draw(st.sampled_from(days[:-1]), label="closed day")
            path = writable(Path(directory) / archive.file_name(victim))
            content = bytearray(path.read_bytes())
            position = data.draw(st.integers(0, len(content) - 1), label="byte")
            content[position] ^= data.draw(st.integers(1, 255), label="xor")
            path.write_bytes(bytes(content))
            report = archive.verify_archive()
            assert not report.intact
            assert report.broken_day == victim
        transaction.set_rollback(True)


# --- the command --------------------------------------------------------------------------


def test_the_verify_command_says_intact(archive_dir, capsys):
    three_days()
    call_command("exchange_archive", "verify")
    assert "archive intact: 3 daily files" in capsys.readouterr().out


def test_the_verify_command_fails_naming_the_broken_day(archive_dir):
    three_days()
    (archive_dir / "exchange-2026-03-02.jsonl").unlink()
    with pytest.raises(CommandError, match=r"archive broken at 2026-03-02 .*is missing"):
        call_command("exchange_archive", "verify")


def test_the_close_command_closes_the_given_day(archive_dir, capsys):
    archive.append([record(1)], day=DAY1)
    call_command("exchange_archive", "close", "--day", "2026-03-01")
    row = ArchiveFile.objects.get(day=DAY1)
    assert f"closed 2026-03-01: 1 messages, sha256 {row.sha256}" in capsys.readouterr().out


def test_the_close_command_closes_yesterday_by_default(archive_dir, capsys):
    call_command("exchange_archive", "close")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert f"nothing was archived on {yesterday}" in capsys.readouterr().out


def test_the_close_command_refuses_a_bad_day(archive_dir):
    with pytest.raises(CommandError, match="--day must be a date like 2026-03-01"):
        call_command("exchange_archive", "close", "--day", "1 March")
    with pytest.raises(CommandError, match="has not ended yet"):
        call_command("exchange_archive", "close", "--day", timezone.localdate().isoformat())
