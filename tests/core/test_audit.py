"""The hash-chained audit log: appending, the canonical form, tamper detection by
verify_chain and ``manage.py audit_verify``, and the append-only model."""

import datetime
import decimal
import hashlib
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.models import F, QuerySet
from django.test import RequestFactory

from egov.accounts.models import User
from egov.core.audit import (
    GENESIS_HASH,
    HASHED_FIELDS,
    PERSON_VIEW,
    canonical_json,
    entry_hash,
    record,
    record_person_view,
    verify_chain,
)
from egov.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, email=f"{username}@example.org", **extra)


def quoted_table() -> str:
    return connection.ops.quote_name(AuditEntry._meta.db_table)


def raw_sql(sql: str, params: list) -> None:
    """What an attacker with database access does: no model, no manager in the way."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", quoted_table()), params)


def raw_update_purpose(entry_id: int, purpose: str) -> None:
    raw_sql("UPDATE {table} SET purpose = %s WHERE id = %s", [purpose, entry_id])


def raw_delete(entry_id: int) -> None:
    raw_sql("DELETE FROM {table} WHERE id = %s", [entry_id])


def bypass() -> QuerySet:
    """A plain queryset, past any guard a manager may add."""
    return QuerySet(model=AuditEntry)


def append(n: int) -> list[AuditEntry]:
    return [
        record("test.event", object_type="test.thing", object_id=str(i), purpose=f"step {i}")
        for i in range(n)
    ]


def audit_verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def audit_verify_fails() -> CommandError:
    with pytest.raises(CommandError) as caught:
        audit_verify()
    assert caught.value.returncode == 1
    return caught.value


# --- appending -----------------------------------------------------------------------------


def test_the_first_entry_follows_the_genesis_hash_and_moves_the_head():
    entry = record("test.event", purpose="first")
    assert entry.prev_hash == GENESIS_HASH
    head = AuditHead.objects.get()
    assert (head.last_id, head.last_hash) == (entry.pk, entry.hash)


def test_each_entry_carries_the_hash_of_the_one_before():
    entries = append(4)
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in entries}) == 4


def test_the_hash_is_sha256_of_prev_hash_and_canonical_json():
    actor = make_user("clerk")
    entry = record(
        "person.view",
        actor=actor,
        object_type="accounts.citizenidentity",
        object_id="7",
        purpose="审核 case review",
        detail={"b": 1, "a": ["永川", 2]},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    at = stored.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    expected_json = (
        (
            '{"action":"person.view","actor_id":ACTOR,"actor_label":"clerk","at":"AT",'
            '"body_id":null,"detail":{"a":["永川",2],"b":1},"ip_address":null,'
            '"object_id":"7","object_type":"accounts.citizenidentity","purpose":"审核 case review"}'
        )
        .replace("ACTOR", str(actor.pk))
        .replace("AT", at)
    )
    fields = {name: getattr(stored, name) for name in HASHED_FIELDS}
    assert canonical_json(fields) == expected_json.encode("utf-8")
    assert at.endswith("+00:00") and len(at.split(".")[1]) == len("000000+00:00")
    digest = hashlib.sha256((GENESIS_HASH + expected_json).encode("utf-8")).hexdigest()
    assert stored.hash == digest == entry_hash(GENESIS_HASH, fields)


def test_detail_is_stored_as_json_and_still_verifies():
    record(
        "test.event",
        detail={
            "when": datetime.date(2026, 2, 13),
            "amount": decimal.Decimal("1.50"),
            "ratios": [1e20, 0.5],
            "count": 3,
        },
    )
    entry = AuditEntry.objects.get()
    assert entry.detail == {
        "when": "2026-02-13",
        "amount": "1.50",
        "ratios": ["1e+20", "0.5"],
        "count": 3,
    }
    assert verify_chain()


def test_a_purpose_too_long_for_the_column_is_refused_not_cut():
    with pytest.raises(ValueError, match="at most 200"):
        record("test.event", purpose="x" * 201)
    assert not AuditEntry.objects.exists()


def test_an_entry_needs_an_action():
    with pytest.raises(ValueError, match="action"):
        record("")


def test_a_rolled_back_append_leaves_no_gap_in_the_chain():
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.event", purpose="undone with the change it described")
        raise RuntimeError("the change failed")
    append(2)
    report = verify_chain()
    assert report.intact and report.checked == 4


def test_appends_interleaved_with_other_transactions_stay_linear():
    # Writers that open their own transactions, nested or not, each see the head as the
    # last writer left it.
    with transaction.atomic():
        record("a")
        with transaction.atomic():
            record("b")
        record("c")
    record("d")
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["a", "b", "c", "d"]
    assert [e.prev_hash for e in entries] == [GENESIS_HASH] + [e.hash for e in entries[:-1]]
    assert verify_chain()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_from_threads_keep_the_chain_linear():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database has table locks that refuse a second writer")
    errors = []

    def writer(number):
        try:
            for i in range(5):
                record("test.thread", object_id=f"{number}-{i}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.intact and report.checked == 20
    assert AuditEntry.objects.values("prev_hash").distinct().count() == 20


# --- record_person_view --------------------------------------------------------------------


def test_record_person_view_writes_who_from_where_whom_and_why():
    staff = make_user("reviewer", kind=User.Kind.STAFF)
    citizen = User.objects.create_citizen(mobile="13812341234", email="citizen@example.org")
    request = RequestFactory().get("/staff/people/1/", REMOTE_ADDR="10.1.2.3")
    request.user = staff

    entry = record_person_view(request, citizen, purpose="case review")

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == PERSON_VIEW
    assert stored.actor_id == staff.pk
    assert stored.actor_label == "reviewer"
    assert stored.ip_address == "10.1.2.3"
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(citizen.pk))
    assert stored.purpose == "case review"
    assert stored.detail == {"path": "/staff/people/1/"}
    assert verify_chain()


def test_record_person_view_needs_a_purpose():
    request = RequestFactory().get("/")
    request.user = make_user("reviewer")
    with pytest.raises(ValueError, match="purpose"):
        record_person_view(request, request.user, purpose="")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("remote_addr", "stored"),
    [
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
        ("not an address", None),
        ("", None),
    ],
)
def test_the_address_is_stored_in_the_form_the_database_gives_back(remote_addr, stored):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    request.user = make_user("reviewer")
    record_person_view(request, request.user, purpose="check")
    assert AuditEntry.objects.get().ip_address == stored
    assert verify_chain()


# --- tamper detection ----------------------------------------------------------------------


def test_an_intact_chain_is_reported_with_its_length():
    append(5)
    assert audit_verify().strip() == "audit chain intact: 5 entries"


def test_an_empty_log_is_intact():
    assert audit_verify().strip() == "audit chain intact: 0 entries"


def test_a_purpose_edited_with_sql_is_named_by_audit_verify():
    entries = append(5)
    raw_update_purpose(entries[2].pk, "routine check")

    error = audit_verify_fails()
    assert f"#{entries[2].pk}:" in str(error)
    assert "content was changed" in str(error)
    report = verify_chain()
    assert (report.broken_id, report.checked) == (entries[2].pk, 2)


@pytest.mark.parametrize(
    "change",
    [
        {"action": "test.other"},
        {"actor_label": "someone else"},
        {"object_type": "test.other"},
        {"object_id": "999"},
        {"ip_address": "10.9.9.9"},
        {"detail": {"path": "/elsewhere/"}},
        {"at": F("at") + datetime.timedelta(microseconds=1)},
        {"actor_id": 999},
        {"prev_hash": "f" * 64},
    ],
    ids=lambda change: next(iter(change)),
)
def test_an_edit_of_any_hashed_field_is_detected(change):
    entries = append(4)
    bypass().filter(pk=entries[1].pk).update(**change)
    report = verify_chain()
    assert not report.intact
    assert report.broken_id == entries[1].pk


def test_a_row_rewritten_with_a_fresh_hash_is_betrayed_by_the_next_row():
    entries = append(4)
    forged = AuditEntry.objects.values().get(pk=entries[1].pk)
    forged["purpose"] = "routine check"
    bypass().filter(pk=entries[1].pk).update(
        purpose="routine check", hash=entry_hash(forged["prev_hash"], forged)
    )
    report = verify_chain()
    assert report.broken_id == entries[2].pk
    assert f"entry #{entries[1].pk} was rewritten" in report.reason


def test_a_deleted_middle_row_is_named_by_the_row_after_it():
    entries = append(5)
    raw_delete(entries[2].pk)

    error = audit_verify_fails()
    assert f"#{entries[3].pk}:" in str(error)
    assert "deleted" in str(error)


def test_a_deleted_first_row_is_detected():
    entries = append(3)
    raw_delete(entries[0].pk)
    report = verify_chain()
    assert report.broken_id == entries[1].pk
    assert "start of the log" in report.reason


def test_a_deleted_tail_is_detected_through_the_head():
    entries = append(5)
    raw_delete(entries[4].pk)
    raw_delete(entries[3].pk)

    error = audit_verify_fails()
    assert f"#{entries[4].pk}" in str(error)
    assert "at the end were deleted" in str(error)


def test_a_log_emptied_entirely_is_detected_through_the_head():
    entries = append(2)
    raw_sql("DELETE FROM {table}", [])
    report = verify_chain()
    assert not report.intact and report.broken_id == entries[1].pk


def test_a_deleted_head_is_detected():
    append(2)
    QuerySet(model=AuditHead).all().delete()
    report = verify_chain()
    assert not report.intact
    assert "head is missing" in report.reason


def test_an_entry_added_behind_the_head_is_detected():
    entries = append(2)
    # Saved through the model, with a correct-looking link, but not through record().
    fields = {
        "at": entries[1].at,
        "actor_id": None,
        "actor_label": "",
        "body_id": None,
        "action": "test.forged",
        "object_type": "",
        "object_id": "",
        "purpose": "",
        "ip_address": None,
        "detail": {},
    }
    stray = AuditEntry.objects.create(
        **fields, prev_hash=entries[1].hash, hash=entry_hash(entries[1].hash, fields)
    )
    report = verify_chain()
    assert report.broken_id == stray.pk
    assert "without going through the audit log" in report.reason


def test_verification_reads_in_chunks_and_still_finds_a_late_break():
    entries = append(9)
    assert verify_chain(chunk_size=2).checked == 9
    raw_update_purpose(entries[7].pk, "changed")
    report = verify_chain(chunk_size=2)
    assert (report.broken_id, report.checked) == (entries[7].pk, 7)


# --- append-only through the ORM -----------------------------------------------------------


def test_an_entry_cannot_be_saved_again():
    entry = record("test.event", purpose="original")
    entry.purpose = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get().purpose == "original"


def test_an_entry_cannot_be_deleted():
    entry = record("test.event")
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_queryset_update_and_delete_are_refused(operation):
    record("test.event", purpose="original")
    with pytest.raises(PermissionError):
        if operation == "update":
            AuditEntry.objects.all().update(purpose="changed")
        else:
            AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().purpose == "original"
