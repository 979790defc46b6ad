"""The spool transport: its files, its directory handling, and the ferry through it."""

import datetime
import hashlib
import io
import os
import stat
from pathlib import Path
from unittest.mock import patch

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from hypothesis import given
from hypothesis import strategies as st

from egov.exchange import keys, services
from egov.exchange.ids import uuid7
from egov.exchange.models import ExchangeAlert, OutboxMessage, QuarantinedMessage
from egov.exchange.services import Batch
from egov.exchange.signing import Ed25519Signer
from egov.exchange.transports import spool
from tests.exchange.conftest import FORWARD, effect_count, make_envelope, pdf_bytes, seal

BATCH_ID = "01938a3e-5f00-7000-8000-000000000001"
SHA = "a" * 64


# --- the layout ----------------------------------------------------------------------------


def test_each_zone_reads_its_own_directory_and_writes_the_others(tmp_path):
    external = spool.Gap(tmp_path, "external")
    internal = spool.Gap(tmp_path, "internal")
    assert external.outgoing == internal.incoming == tmp_path / "to-internal"
    assert internal.outgoing == external.incoming == tmp_path / "to-external"
    # acknowledgements go back to the sender's incoming directory
    assert internal.acks_out == external.acks_in == tmp_path / "to-external" / "acks"
    assert external.rejected == tmp_path / "to-external" / "rejected"


def test_the_combined_zone_has_no_gap(tmp_path):
    with pytest.raises(ValueError, match="zone must be one of external, internal"):
        spool.Gap(tmp_path, "combined")


def test_a_missing_gap_directory_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(spool.SpoolError, match="does not exist; create it"):
        spool.Gap(tmp_path / "nowhere", "external").ensure()


def test_ensure_creates_the_directories_and_can_run_again(tmp_path):
    gap = spool.Gap(tmp_path, "internal")
    gap.ensure()
    gap.ensure()
    for directory in (gap.incoming, gap.outgoing, gap.acks_in, gap.acks_out, gap.rejected):
        assert directory.is_dir()


# --- durable files -------------------------------------------------------------------------


def test_a_file_is_written_under_a_temporary_name_and_renamed(tmp_path):
    seen = []

    def write(file):
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        file.write(b"content")

    path = spool.write_durably(tmp_path, "x.batch", write)
    assert seen == [[".tmp-x.batch"]]  # while writing, only the temporary name exists
    assert path.read_bytes() == b"content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.batch"]


def test_a_failed_write_leaves_no_file_under_the_real_name(tmp_path):
    def write(file):
        file.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        spool.write_durably(tmp_path, "x.batch", write)
    assert not (tmp_path / "x.batch").exists()


def test_write_batch_puts_attachments_first_and_one_envelope_per_line(tmp_path):
    gap = spool.Gap(tmp_path, "external")
    gap.ensure()
    blob = tmp_path / "blob"
    blob.write_bytes(b"%PDF-1.4 attachment")
    batch = Batch(
        id=BATCH_ID,
        destination="internal",
        outbox_ids=[1, 2],
        envelopes=[b'{"id":"one"}', b'{"id":"two"}'],
        attachments={SHA: str(blob)},
    )
    path = spool.write_batch(gap, batch)
    assert path == tmp_path / "to-internal" / f"{BATCH_ID}.batch"
    assert path.read_bytes() == b'{"id":"one"}\n{"id":"two"}\n'
    assert (tmp_path / "to-internal" / f"{BATCH_ID}.att" / SHA).read_bytes() == blob.read_bytes()
    leftovers = [p for p in (tmp_path / "to-internal").rglob(".tmp-*")]
    assert leftovers == []
    assert spool.message_ids(path) == ["one", "two"]


def test_an_envelope_with_a_newline_is_refused():
    with pytest.raises(ValueError, match="contains a newline"):
        spool.batch_bytes([b'{"a":1}', b'{"a":\n2}'])


def test_a_batch_id_that_could_be_a_path_is_refused(tmp_path):
    gap = spool.Gap(tmp_path, "external")
    gap.ensure()
    batch = Batch(id="../../etc", destination="internal", outbox_ids=[], envelopes=[])
    with pytest.raises(ValueError, match="is not a UUID"):
        spool.write_batch(gap, batch)


# --- reading lines -------------------------------------------------------------------------


def _read(path: Path, max_line_bytes: int = spool.MAX_LINE_BYTES):
    with open(path, "rb") as file:
        reader = spool.LineReader(file, max_line_bytes=max_line_bytes)
        return list(reader), reader


# Lines as an envelope starts them (with "{"), then any bytes but a newline.
_line = st.binary(max_size=200).filter(lambda b: b"\n" not in b).map(lambda b: b"{" + b)


@given(st.lists(_line, max_size=30))
def test_lines_written_are_the_lines_read(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("b") / "x.batch"
    path.write_bytes(spool.batch_bytes(lines))
    items, reader = _read(path)
    assert items == lines
    assert reader.complete
    assert reader.lines == len(lines)


@given(st.lists(_line, min_size=1, max_size=10), st.data())
def test_a_file_cut_anywhere_inside_its_last_line_is_incomplete(tmp_path_factory, lines, data):
    content = spool.batch_bytes(lines)
    cut = data.draw(st.integers(len(content) - len(lines[-1]), len(content) - 1))
    path = tmp_path_factory.mktemp("b") / "x.batch"
    path.write_bytes(content[:cut])
    items, reader = _read(path)
    assert not reader.complete or cut == len(content) - len(lines[-1])
    # every byte that arrived is passed on: the cut line too, to be refused as truncated
    assert b"\n".join(items) == content[:cut].rstrip(b"\n")


def test_an_overlong_line_is_set_aside_and_the_next_lines_still_read(tmp_path):
    path = tmp_path / "x.batch"
    path.write_bytes(b"first\n" + b"x" * 100 + b"\nlast\n")
    items, reader = _read(path, max_line_bytes=50)
    assert items == [b"first", b"last"]
    assert [(prefix[:3], length) for prefix, length in reader.oversized] == [(b"xxx", 100)]
    assert reader.complete


def test_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "x.batch"
    path.write_bytes(b"\n\na\n \r\nb\n")
    items, _ = _read(path)
    assert items == [b"a", b"b"]


# --- attachments on the receiving side -----------------------------------------------------


def test_attachment_lookup_reads_only_hash_named_files_in_its_directory(tmp_path):
    directory = tmp_path / "b.att"
    directory.mkdir()
    (directory / SHA).write_bytes(b"bytes")
    (tmp_path / "secret").write_bytes(b"not for the gap")
    os.symlink(tmp_path / "secret", directory / ("b" * 64))
    lookup = spool.attachment_lookup(directory)
    assert lookup(SHA) == b"bytes"
    assert lookup("c" * 64) is None  # missing
    assert lookup("b" * 64) is None  # a link out of the gap is not followed
    assert lookup("../secret") is None
    assert lookup(SHA.upper()) is None


def test_a_link_named_like_a_batch_is_not_read(tmp_path):
    (tmp_path / "secret").write_bytes(b"this zone's data")
    os.symlink(tmp_path / "secret", tmp_path / f"{BATCH_ID}.batch")
    with pytest.raises(OSError):
        spool.read_prefix(tmp_path / f"{BATCH_ID}.batch", 100)


# --- acknowledgements ----------------------------------------------------------------------


def test_an_ack_reads_back_as_written():
    ack = spool.Ack(
        batch=BATCH_ID,
        zone="internal",
        at="2026-01-01T00:00:00.000000Z",
        applied=3,
        quarantined=1,
        reasons={"bad_signature": 1},
    )
    assert spool.Ack.from_bytes(ack.to_bytes()) == ack
    assert b"\n" not in ack.to_bytes()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        b'{"format":"egov-spool-ack/1"}',
        b"\x89PNG\r\n\x1a\n",
        spool.Ack(batch=BATCH_ID, zone="internal", at="x")
        .to_bytes()
        .replace(b'"applied":0', b'"applied":-1'),
        spool.Ack(batch=BATCH_ID, zone="internal", at="x")
        .to_bytes()
        .replace(BATCH_ID.encode(), b"../x"),
    ],
)
def test_anything_else_is_not_an_ack(data):
    with pytest.raises(ValueError):
        spool.Ack.from_bytes(data)


# --- locks and crash leftovers -------------------------------------------------------------


def test_a_second_ferry_of_the_same_zone_is_refused_while_the_first_runs(tmp_path):
    lock = tmp_path / spool.EXPORT_LOCK
    with spool._locked(lock, "exporting"):
        with pytest.raises(spool.SpoolBusyError, match="another ferry of this zone is exporting"):
            with spool._locked(lock, "exporting"):
                pass
    with spool._locked(lock, "exporting"):  # free again
        pass


def test_an_exporter_cleans_up_what_a_killed_exporter_left(tmp_path):
    gap = spool.Gap(tmp_path, "external")
    gap.ensure()
    out = gap.outgoing
    (out / ".tmp-x.batch").write_bytes(b"half")
    orphan = out / f"{BATCH_ID}.att"
    orphan.mkdir()
    (orphan / SHA).write_bytes(b"x")
    kept_id = BATCH_ID[:-1] + "2"
    (out / f"{kept_id}.batch").write_bytes(b"{}\n")
    kept = out / f"{kept_id}.att"
    kept.mkdir()
    (kept / SHA).write_bytes(b"x")
    (kept / f".tmp-{SHA}").write_bytes(b"x")
    spool._clean_after_crash(gap)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{kept_id}.batch", f"{kept_id}.att", "acks"]
    )
    assert [p.name for p in kept.iterdir()] == [SHA]


# --- the ferry, with the real services (both zones in this test's database) ----------------


@pytest.fixture
def split(exchange, gap):
    """The gap between two zones of this process: ``split.act(zone)`` switches the zone and
    its signing key; each zone trusts the other's key."""

    class Split:
        gap_dir = Path(exchange.config["SPOOL_DIR"])

    Split.act = staticmethod(gap)
    return Split


def _publish(count: int, *, key: str = "k", attachments=()):
    with transaction.atomic():
        return [
            services.publish(FORWARD, {"n": n}, key=key, attachments=attachments)
            for n in range(count)
        ]


def _gap_files(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and not path.name.endswith(".lock")
    )


def _statuses() -> dict:
    return dict(
        OutboxMessage.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


@pytest.mark.django_db
def test_messages_cross_once_and_their_acknowledgement_comes_back(split):
    pdf = pdf_bytes()
    gap = split.act("external")
    _publish(3, attachments=[("form.pdf", "application/pdf", pdf)])

    exported = spool.export(gap, batch_size=2)
    assert (exported.batches, exported.messages) == (2, 3)
    files = _gap_files(split.gap_dir)
    assert len([name for name in files if name.endswith(".batch")]) == 2
    assert sum(name.endswith("/" + hashlib.sha256(pdf).hexdigest()) for name in files) == 2
    assert _statuses() == {"sent": 3}

    imported = spool.import_(split.act("internal"))
    assert (imported.batches, imported.applied, imported.quarantined) == (2, 3, 0)
    assert effect_count() == 3
    assert [name.split("/")[:2] for name in _gap_files(split.gap_dir)] == [
        ["to-external", "acks"]
    ] * 2

    assert spool.import_(split.act("internal")).batches == 0  # nothing twice
    acked = spool.import_(split.act("external"))
    assert (acked.acks, acked.acked_messages) == (2, 3)
    assert _statuses() == {"acked": 3}
    assert _gap_files(split.gap_dir) == []
    assert effect_count() == 3


@pytest.mark.django_db
def test_a_batch_imported_again_after_a_crash_applies_nothing_twice(split):
    gap = split.act("external")
    _publish(4)
    spool.export(gap)
    [batch_file] = split.gap_dir.glob("to-internal/*.batch")
    content = batch_file.read_bytes()

    spool.import_(split.act("internal"))
    # killed after its ack was written, before the batch file was deleted:
    batch_file.write_bytes(content)
    again = spool.import_(split.act("internal"))
    assert (again.applied, again.duplicates, again.quarantined) == (0, 4, 0)
    assert effect_count() == 4

    acked = spool.import_(split.act("external"))
    assert acked.acks == 1
    assert _statuses() == {"acked": 4}


@pytest.mark.django_db
def test_an_exporter_killed_before_marking_its_batch_sent_does_not_send_it_twice(split):
    gap = split.act("external")
    gap.ensure()
    _publish(3)
    batch = services.take_batch("internal")
    spool.write_batch(gap, batch)  # … and killed here, before mark_sent

    again = spool.export(gap)
    assert (again.recovered, again.batches) == (1, 0)
    assert _statuses() == {"sent": 3}
    assert len(list(split.gap_dir.glob("to-internal/*.batch"))) == 1
    assert spool.export(gap).recovered == 0  # it is sent now: nothing more to recover


@pytest.mark.django_db
def test_a_batch_written_again_while_it_was_imported_is_kept_for_the_next_import(split):
    gap = split.act("external")
    gap.ensure()
    _publish(2)
    first = services.take_batch("internal")
    spool.write_batch(gap, first)
    batch_file = gap.batch_path(first.id)
    # The importer reads the batch; meanwhile the exporter (restarted) writes it again with
    # one more message under the same id.
    _publish(1, key="later")
    again = services.take_batch("internal")
    assert again.id == first.id and len(again.envelopes) == 3
    internal = split.act("internal")
    receive = services.receive_batch

    def receive_then_rewrite(items, **options):
        report = receive(items, **options)
        spool.write_batch(gap, again)
        return report

    with patch.object(services, "receive_batch", receive_then_rewrite):
        spool.import_(internal)
    assert batch_file.exists()  # the new file was not deleted with the old one
    assert spool.import_(internal).applied == 1
    assert effect_count() == 3


def _hostile_gap_files(signer) -> dict[str, bytes]:
    """name → content of files that are not good batches."""
    [good] = seal([make_envelope({"n": 1}, key="cut")], signer)
    binary_id, cut_id = uuid7().hex, uuid7().hex
    return {
        "notes.txt": "这不是批次文件\n".encode(),
        "garbage.batch": b"\x7fELF\x02\x01\x01" + bytes(range(256)),
        f"{binary_id}.batch": b"\x00\xff\xfe\n\x89PNG\r\n\x1a\n",
        f"{cut_id}.batch": good + b"\n" + good[:-40],  # cut inside its last line
        "README": b"",
    }


@pytest.mark.django_db
def test_the_importer_quarantines_what_is_not_a_batch_and_goes_on(split):
    gap = split.act("external")
    _publish(2, key="good")
    spool.export(gap)
    hostile = _hostile_gap_files(keys.signer())
    for name, content in hostile.items():
        (gap.outgoing / name).write_bytes(content)
    (gap.outgoing / "a-directory").mkdir()
    (split.gap_dir / "secret").write_bytes(b"must not be read")
    os.symlink(split.gap_dir / "secret", gap.outgoing / f"{uuid7().hex}.batch")

    internal = split.act("internal")
    report = spool.import_(internal)
    assert report.applied == 3  # the two good messages and the whole line of the cut file
    assert effect_count() == 3
    held = dict(
        QuarantinedMessage.objects.values_list("reason")
        .annotate(n=Count("pk"))
        .values_list("reason", "n")
    )
    # notes.txt, garbage.batch, README, a-directory, the link: refused whole; the binary
    # batch's three lines and the cut line: one by one
    assert held == {"not_an_envelope": 8, "truncated": 1}
    assert not QuarantinedMessage.objects.filter(raw=b"must not be read").exists()
    rejected = sorted(path.name for path in internal.rejected.iterdir())
    assert len(rejected) == 6  # everything but the binary batch, whose lines were held
    assert sorted(p.name for p in internal.incoming.iterdir() if not p.name.startswith(".")) == [
        "acks",
        "rejected",
    ]
    assert spool.import_(internal).quarantined == 0  # nothing is refused twice

    # The sender learns that one batch arrived cut short, and keeps it unacknowledged.
    sender = spool.import_(split.act("external"))
    assert sender.incomplete_acks == 1
    assert ExchangeAlert.objects.filter(kind="batch_incomplete").count() == 1


@pytest.mark.django_db
def test_an_overlong_line_is_quarantined_as_too_large(split, monkeypatch):
    monkeypatch.setattr(spool, "MAX_LINE_BYTES", 100)
    internal = split.act("internal")
    internal.ensure()
    (internal.incoming / f"{uuid7().hex}.batch").write_bytes(b"{" + b"x" * 500 + b"}\n")
    report = spool.import_(internal)
    assert report.reasons == {"too_large": 1}
    row = QuarantinedMessage.objects.get()
    assert "502 bytes" in row.detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        (f"{BATCH_ID}.ack", b"not json"),
        (f"{BATCH_ID}.ack", spool.Ack(batch=BATCH_ID, zone="external", at="x").to_bytes()),
        (
            f"{BATCH_ID}.ack",
            spool.Ack(batch=BATCH_ID[:-1] + "9", zone="internal", at="x").to_bytes(),
        ),
        ("forged.ack", spool.Ack(batch=BATCH_ID, zone="internal", at="x").to_bytes()),
    ],
)
def test_a_bad_acknowledgement_acknowledges_nothing(split, name, content):
    gap = split.act("external")
    gap.ensure()
    _publish(1)
    batch = services.take_batch("internal")
    services.mark_sent(batch)
    (gap.acks_in / name.replace(BATCH_ID, batch.id)).write_bytes(
        content.replace(BATCH_ID.encode(), batch.id.encode())
    )
    report = spool.import_(gap)
    assert (report.acks, report.acked_messages, report.rejected_files) == (0, 0, 1)
    assert _statuses() == {"sent": 1}
    assert QuarantinedMessage.objects.get().reason == "not_an_envelope"


# --- the commands --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_ferry_command_exports_and_imports(split):
    split.act("external")
    _publish(2)
    out = io.StringIO()
    call_command("exchange_ferry", "export", "--gap", str(split.gap_dir), stdout=out)
    assert "exported 1 batch(es), 2 message(s)" in out.getvalue()
    split.act("internal")
    out = io.StringIO()
    call_command("exchange_ferry", "both", "--gap", str(split.gap_dir), stdout=out)
    assert "2 applied" in out.getvalue()
    assert effect_count() == 2


@pytest.mark.django_db
def test_the_ferry_refuses_the_combined_zone_and_a_missing_gap(exchange, tmp_path):
    with pytest.raises(CommandError, match="EGOV_ZONE=combined"):
        call_command("exchange_ferry", "both", "--gap", str(tmp_path))
    exchange.zone("external")
    with pytest.raises(CommandError, match="does not exist; create it"):
        call_command("exchange_ferry", "both", "--gap", str(tmp_path / "missing"))


@pytest.mark.django_db
def test_a_second_ferry_run_is_refused_while_one_runs(split):
    gap = split.act("external")
    gap.ensure()
    with spool._locked(gap.outgoing / spool.EXPORT_LOCK, "exporting"):
        with pytest.raises(CommandError, match="another ferry of this zone is exporting"):
            call_command("exchange_ferry", "export", "--gap", str(split.gap_dir))


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(tmp_path, settings):
    settings.EGOV_ZONE = "internal"
    settings.EGOV_EXCHANGE = {
        **settings.EGOV_EXCHANGE,
        "SIGNING_KEY": str(tmp_path / "k" / "s.key"),
    }
    out = io.StringIO()
    call_command("exchange_keygen", stdout=out)
    private = tmp_path / "k" / "s.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (tmp_path / "k" / "s.key.public.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY")
    assert "exchange_trust add s.key.public.pem --zone internal" in out.getvalue()
    with pytest.raises(CommandError, match="keys are never overwritten"):
        call_command("exchange_keygen")
    call_command("exchange_keygen", "--out", str(tmp_path / "rotation"), stdout=io.StringIO())
    [new] = (tmp_path / "rotation").glob("internal-*.key")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    keys.reset()


def test_trust_adds_lists_retires_and_removes_keys(tmp_path, settings):
    settings.EGOV_ZONE = "internal"
    settings.EGOV_EXCHANGE = {**settings.EGOV_EXCHANGE, "TRUSTED_KEYS_DIR": str(tmp_path / "t")}
    old, new = Ed25519Signer.generate(), Ed25519Signer.generate()
    for signer in (old, new):
        (tmp_path / f"{signer.key_id}.pem").write_bytes(signer.public_key_pem())
    call_command(
        "exchange_trust", "add", str(tmp_path / f"{old.key_id}.pem"), "--zone", "external",
        "--valid-from", "2026-01-01T00:00:00Z", stdout=io.StringIO(),
    )  # fmt: skip
    call_command(
        "exchange_trust", "add", str(tmp_path / f"{new.key_id}.pem"), "--zone", "external",
        "--valid-from", "2026-06-01T08:00:00+08:00", stdout=io.StringIO(),
    )  # fmt: skip
    call_command(
        "exchange_trust", "retire", old.key_id, "--valid-until", "2026-06-08T00:00:00Z",
        stdout=io.StringIO(),
    )  # fmt: skip
    trusted = {key.key_id: key for key in keys.load_trusted_keys(tmp_path / "t")}
    assert set(trusted) == {old.key_id, new.key_id}
    assert trusted[old.key_id].valid_until == datetime.datetime(2026, 6, 8, tzinfo=datetime.UTC)
    assert trusted[new.key_id].valid_from == datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    assert trusted[new.key_id].zone == "external"
    out = io.StringIO()
    call_command("exchange_trust", "list", stdout=out)
    assert old.key_id in out.getvalue() and "expired_key" in out.getvalue()
    call_command("exchange_trust", "remove", old.key_id, stdout=io.StringIO())
    assert [key.key_id for key in keys.load_trusted_keys(tmp_path / "t")] == [new.key_id]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--zone", "internal"], "this deployment is the internal zone"),
        (["--zone", "external", "--valid-from", "2026-01-01"], "has no time zone"),
        (["--zone", "external", "--valid-from", "soon"], "is not an ISO 8601 time"),
    ],
)
def test_trust_refuses_what_would_be_a_mistake(tmp_path, settings, arguments, message):
    settings.EGOV_ZONE = "internal"
    settings.EGOV_EXCHANGE = {**settings.EGOV_EXCHANGE, "TRUSTED_KEYS_DIR": str(tmp_path / "t")}
    pem = tmp_path / "k.pem"
    pem.write_bytes(Ed25519Signer.generate().public_key_pem())
    with pytest.raises(CommandError, match=message):
        call_command("exchange_trust", "add", str(pem), *arguments)
    assert keys.load_trusted_keys(tmp_path / "t") == []


def test_trust_refuses_a_file_that_is_not_a_public_key(tmp_path, settings):
    settings.EGOV_ZONE = "internal"
    settings.EGOV_EXCHANGE = {**settings.EGOV_EXCHANGE, "TRUSTED_KEYS_DIR": str(tmp_path / "t")}
    (tmp_path / "x.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
    with pytest.raises(CommandError, match="not a PEM public key"):
        call_command("exchange_trust", "add", str(tmp_path / "x.pem"), "--zone", "external")


@pytest.mark.django_db
def test_the_worker_ferries_split_zones_every_minute(split, exchange):
    from egov.exchange import tasks

    exchange.configure(TRANSPORT="spool")
    split.act("external")
    _publish(2)
    tasks.ferry_periodically.call_local()  # exports
    assert _statuses() == {"sent": 2}
    split.act("internal")
    tasks.ferry_periodically.call_local()  # imports, acknowledges
    assert effect_count() == 2
    split.act("external")
    tasks.ferry_periodically.call_local()  # reads the acknowledgement
    assert _statuses() == {"acked": 2}


@pytest.mark.django_db
def test_a_batch_received_cut_short_is_sent_again_and_applied_once(split, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from egov.core.models import AuditEntry

    external = split.act("external")
    _publish(3, key="cut")
    spool.export(external)
    (batch_file,) = [p for p in external.outgoing.iterdir() if p.name.endswith(".batch")]
    lines = batch_file.read_bytes().split(b"\n")
    batch_file.write_bytes(b"\n".join(lines[:2]) + b"\n" + lines[2][:-30])  # third line cut

    internal = split.act("internal")
    assert spool.import_(internal).applied == 2
    external = split.act("external")
    assert spool.import_(external).incomplete_acks == 1
    alert = ExchangeAlert.objects.get(kind="batch_incomplete")

    call_command("exchange_resend", alert.subject)
    assert "3 messages" in capsys.readouterr().out
    assert _statuses() == {OutboxMessage.Status.PENDING: 3}
    with pytest.raises(CommandError, match="nothing to send again"):
        call_command("exchange_resend", alert.subject)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert AuditEntry.objects.filter(action="exchange.batch.resent", object_id=alert.subject)

    spool.export(external)
    report = spool.import_(split.act("internal"))
    assert (report.applied, report.duplicates) == (1, 2)
    assert effect_count() == 3
    spool.import_(split.act("external"))
    assert _statuses() == {OutboxMessage.Status.ACKED: 3}
