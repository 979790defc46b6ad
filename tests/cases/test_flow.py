"""The state machine of a case: the whole path of a 承诺件 on the one clock across National
Day 2026, a 即办件 closed on the spot, and every refusal with its message."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from egov.cases import services as cases
from egov.cases.models import Case, CaseEvent, CaseRecordError
from egov.core.calendar import add_working_days
from egov.core.models import AuditEntry
from egov.core.timers import timer_state
from egov.exchange.models import OutboxMessage
from egov.exchange.transports import loopback
from egov.hall.models import Progress
from egov.supervision.models import Signal

pytestmark = pytest.mark.django_db

ACCEPTED_ON = date(2026, 9, 30)  # Wednesday; 1–7 October holiday; Saturday 10 October worked


def test_the_whole_path_of_a_promised_case_across_national_day(promised_version, staff, new_case):
    case = new_case(promised_version)
    assert case.status == "submitted"
    assert [m.name for m in case.materials.all()] == ["申请书", "营业执照"]
    assert [m.content_type for m in case.materials.all()] == ["application/pdf", "image/png"]

    cases.accept(case, by=staff["clerk"], on=ACCEPTED_ON)
    case.refresh_from_db()
    assert case.status == "accepted"
    assert case.timer.unit == "working" and case.timer.limit == 5
    # 5 working days after 30 September: 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert case.timer.due_date == date(2026, 10, 13) == promised_version.due_date(ACCEPTED_ON)

    correction = cases.request_correction(
        case,
        by=staff["clerk"],
        items=["申请书缺少签名", "营业执照复印件不清晰"],
        deadline=date(2026, 10, 20),
        on=date(2026, 10, 9),
    )
    case.refresh_from_db()
    assert case.status == "correction"
    assert timer_state(case.timer, date(2026, 10, 9)) == "paused"
    assert case.timer.pauses.get().remaining == 3  # 10, 12, 13 October were still owed

    # Nothing else can happen while the applicant corrects.
    with pytest.raises(cases.CaseError, match="waits for the applicant's correction"):
        cases.review(case, by=staff["reviewer"])

    material = promised_version.materials.get(name="申请书")
    cases.answer_correction(
        case,
        by=staff["clerk"],
        note="已补签名",
        materials=[(material, ("申请书-补正.pdf", b"%PDF-1.4\n% corrected\n%%EOF\n"))],
        on=date(2026, 10, 12),
    )
    case.refresh_from_db()
    correction.refresh_from_db()
    assert correction.answered_at is not None
    assert case.status == "accepted"
    # Resumed on Monday 12 October with 3 owed: 13, 14, 15 October. Two days later than
    # without the pause.
    assert case.timer.due_date == date(2026, 10, 15) == add_working_days(date(2026, 10, 12), 3)
    assert case.materials.filter(correction=correction).count() == 1

    cases.review(case, by=staff["reviewer"], comment="材料齐全")
    cases.decide(case, by=staff["approver"], outcome="grant")
    cases.close(case, by=staff["clerk"])
    case.refresh_from_db()
    assert case.status == "closed" and case.decision == "grant"
    assert case.timer.stopped_at is not None
    cases.deliver(case, by=staff["clerk"], comment="电子证照已发放")
    case.refresh_from_db()
    assert case.status == "delivered"

    actions = list(case.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("submit", "submitted", "submitted"),
        ("accept", "submitted", "accepted"),
        ("request_correction", "accepted", "correction"),
        ("answer_correction", "correction", "accepted"),
        ("review", "accepted", "reviewed"),
        ("decide", "reviewed", "decided"),
        ("close", "decided", "closed"),
        ("deliver", "closed", "delivered"),
    ]
    assert all(event.actor is not None for event in case.events.exclude(action="submit"))
    audited = set(
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {f"cases.{action}" for action, _f, _t in actions} <= audited

    # Every transition sent its public part outside, with the query code as key.
    messages = OutboxMessage.objects.filter(type="cases.progress", key=f"case:{case.query_code}")
    assert messages.count() == len(actions)
    report = loopback.deliver()
    assert report.quarantined == 0
    progress = Progress.objects.get(query_code=case.query_code)
    assert progress.status == "delivered"
    assert [step["action"] for step in progress.steps] == [a for a, _f, _t in actions]
    correction_step = progress.steps[2]
    assert correction_step["correction"]["items"] == ["申请书缺少签名", "营业执照复印件不清晰"]
    assert correction_step["correction"]["deadline"] == "2026-10-20"
    # No personal data and no staff names leave the internal zone.
    for step in progress.steps:
        text = str(step)
        assert "张三丰" not in text and "11010519491231002X" not in text and "clerk" not in text


def test_an_immediate_case_is_closed_on_the_spot(immediate_version, staff, new_case):
    case = new_case(immediate_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.decision == "grant"
    assert case.timer.limit == 0 and case.timer.due_date == date(2026, 3, 2)
    assert case.timer.stopped_at is not None
    assert list(case.events.values_list("action", flat=True)) == ["submit", "accept", "close"]
    assert cases.next_step(case) is None
    with pytest.raises(cases.CaseError, match="no further step"):
        cases.close(case, by=staff["clerk"])


def test_no_step_can_be_skipped_or_repeated(promised_version, staff, new_case):
    case = new_case(promised_version)
    with pytest.raises(cases.CaseError, match="the next step is .Accept"):
        cases.review(case, by=staff["reviewer"])
    with pytest.raises(cases.CaseError, match="No step can be skipped"):
        cases.decide(case, by=staff["approver"], outcome="grant")
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    with pytest.raises(cases.CaseError, match="the next step is .Review"):
        cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    with pytest.raises(cases.CaseError, match="the next step is .Review"):
        cases.close(case, by=staff["clerk"])
    cases.review(case, by=staff["reviewer"])
    with pytest.raises(cases.CaseError, match="the next step is .Decide"):
        cases.review(case, by=staff["reviewer"])
    case.refresh_from_db()
    assert case.status == "reviewed"
    assert case.events.count() == 3  # submit, accept, review: the refusals wrote nothing


def test_not_accepting_needs_a_legal_reason_of_ten_characters(promised_version, staff, new_case):
    case = new_case(promised_version)
    with pytest.raises(cases.CaseError, match="legal reason for not accepting"):
        cases.refuse_acceptance(case, by=staff["clerk"], reason="")
    with pytest.raises(cases.CaseError, match="at least 10 characters \\(now 5\\)"):
        cases.refuse_acceptance(case, by=staff["clerk"], reason="不符合条件")
    cases.refuse_acceptance(
        case,
        by=staff["clerk"],
        reason="依据《行政许可法》第三十二条，申请事项不属于本机关职权范围。",
    )
    case.refresh_from_db()
    assert case.status == "not_accepted"
    assert case.timer is None
    with pytest.raises(cases.CaseError, match="no further step"):
        cases.accept(case, by=staff["clerk"])


def test_a_refusal_needs_a_reason(promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    cases.review(case, by=staff["reviewer"])
    with pytest.raises(cases.CaseError, match="reason for the refusal"):
        cases.decide(case, by=staff["approver"], outcome="refuse", reason="no")
    cases.decide(
        case,
        by=staff["approver"],
        outcome="refuse",
        reason="经现场核查，经营场所不符合食品安全要求。",
    )
    case.refresh_from_db()
    assert (case.status, case.decision) == ("decided", "refuse")


def test_a_correction_answered_after_its_deadline_is_refused(promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    cases.request_correction(
        case,
        by=staff["clerk"],
        items=["补交申请书"],
        deadline=date(2026, 3, 10),
        on=date(2026, 3, 3),
    )
    with pytest.raises(cases.CaseError, match="deadline for the correction was 2026-03-10"):
        cases.answer_correction(case, by=staff["clerk"], on=date(2026, 3, 11))
    case.refresh_from_db()
    assert case.status == "correction" and case.timer.paused_at is not None
    # On the deadline itself it is still in time.
    cases.answer_correction(case, by=staff["clerk"], on=date(2026, 3, 10))


def test_a_second_correction_is_refused_unless_a_supervisor_overrides(
    promised_version, staff, new_case
):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    cases.request_correction(
        case,
        by=staff["clerk"],
        items=["补交申请书"],
        deadline=date(2026, 3, 10),
        on=date(2026, 3, 3),
    )
    cases.answer_correction(case, by=staff["clerk"], on=date(2026, 3, 4))
    with pytest.raises(cases.CaseError, match="everything at once"):
        cases.request_correction(
            case, by=staff["clerk"], items=["再补"], deadline=date(2026, 3, 12), on=date(2026, 3, 5)
        )
    # A clerk asking for the override is still refused: the permission is a supervisor's.
    with pytest.raises(cases.CaseError, match="everything at once"):
        cases.request_correction(
            case,
            by=staff["clerk"],
            items=["再补"],
            deadline=date(2026, 3, 12),
            override=True,
            on=date(2026, 3, 5),
        )
    cases.request_correction(
        case,
        by=staff["head"],
        items=["再补"],
        deadline=date(2026, 3, 12),
        override=True,
        on=date(2026, 3, 5),
    )
    assert case.corrections.count() == 2


def test_an_empty_correction_is_refused(promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    with pytest.raises(cases.CaseError, match="everything that is missing"):
        cases.request_correction(
            case, by=staff["clerk"], items=[" "], deadline=date(2026, 3, 10), on=date(2026, 3, 3)
        )


def test_a_hearing_pauses_the_clock_with_its_reason(promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))  # due 9 March
    cases.pause(
        case, by=staff["reviewer"], kind="hearing", reason="申请人申请听证", on=date(2026, 3, 3)
    )
    case.refresh_from_db()
    assert case.paused_for == "hearing"
    assert "申请人申请听证" in case.timer.pauses.get().reason
    with pytest.raises(cases.CaseError, match="paused"):
        cases.review(case, by=staff["reviewer"])
    cases.resume(case, by=staff["reviewer"], on=date(2026, 3, 10))
    case.refresh_from_db()
    # 4 working days were owed after 3 March (4, 5, 6, 9); resumed on the 10th: 11–16 March.
    assert case.timer.due_date == date(2026, 3, 16)
    cases.review(case, by=staff["reviewer"])


def test_supervision_watches_the_case_timer(
    promised_version, staff, new_case, django_capture_on_commit_callbacks
):
    case = new_case(promised_version)
    # Accepted long ago: the check once the acceptance commits raises a signal at once.
    with django_capture_on_commit_callbacks(execute=True):
        cases.accept(case, by=staff["clerk"], on=date(2026, 1, 5))
    case.refresh_from_db()
    assert Signal.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).exists()


def test_staff_of_another_body_cannot_act_and_roles_are_checked(promised_version, staff, new_case):
    case = new_case(promised_version)
    with pytest.raises(cases.CasePermissionError, match="not among the cases"):
        cases.accept(case, by=staff["other"])
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    cases.review(case, by=staff["reviewer"])
    with pytest.raises(cases.CasePermissionError, match="do not allow"):
        cases.decide(case, by=staff["clerk"], outcome="grant")
    cases.decide(case, by=staff["approver"], outcome="grant")


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_kept(promised_version, new_case):
    material = promised_version.materials.get(name="申请书")
    with pytest.raises(ValidationError, match="by its content"):
        new_case(promised_version, materials=[(material, ("申请书.pdf", b"MZ\x90\x00" * 64))])
    assert not Case.objects.exists()
    # The number went back with the transaction: the next case takes it (no gap).
    case = new_case(promised_version)
    assert case.query_code.endswith("-000001")


def test_events_are_never_changed_or_deleted(promised_version, new_case):
    case = new_case(promised_version)
    event = case.events.get()
    event.reason = "rewritten"
    with pytest.raises(CaseRecordError):
        event.save()
    with pytest.raises(CaseRecordError):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).reason == ""


def test_a_draft_version_takes_no_case(make_item):
    version = make_item("YC-SCJG").versions.get()
    with pytest.raises(cases.CaseError, match="published version"):
        cases.open_case(version, applicant_name="李四", materials=[])


def test_query_codes_are_unique_and_gap_free_per_year(promised_version, new_case):
    made = [new_case(promised_version, materials=[]) for _ in range(5)]
    year = datetime.date.today().year
    assert [c.query_code for c in made] == [f"YC-{year}-{n:06d}" for n in range(1, 6)]
