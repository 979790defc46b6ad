"""Requests on application and their legal deadlines (第30–37条): receipt, correction,
third-party consultation, extension, every answer, across 中秋节 and 国庆节 2026."""

from __future__ import annotations

import datetime

import pytest

from egov.core.models import AuditEntry
from egov.core.timers import timer_state
from egov.disclosure import services
from egov.disclosure.choices import AnswerKind, Outcome
from egov.disclosure.models import RedactionRule, RequestEvent, Status

D = datetime.date


def test_the_answer_is_due_20_working_days_after_receipt_across_the_holidays(new_request):
    request = new_request()
    assert request.number == "YCGK-2026-N00001"
    assert request.status == Status.RECEIVED
    # 25 September (中秋节) and 1–7 October (国庆节) are not counted, Saturday 10 October is.
    assert request.timer.due_date == D(2026, 10, 29)
    assert request.timer.purpose == "disclosure.answer"
    assert request.timer.owner_body.code == "YC-SCJG"
    assert new_request().number == "YCGK-2026-N00002"
    assert AuditEntry.objects.filter(action="disclosure.received").count() == 2


def test_a_correction_stops_the_clock_and_the_corrected_request_starts_it_again(new_request, staff):
    request = new_request()
    first_timer = request.timer
    request = services.ask_correction(
        request, by=staff["clerk"], text="请写明所需信息的文件名称或文号。", on=D(2026, 10, 12)
    )
    first_timer.refresh_from_db()
    assert request.status == Status.CORRECTION
    assert first_timer.stopped_at is not None and first_timer.stop_reason == "correction"
    assert request.correction_due == D(2026, 11, 2)  # 15 working days after 12 October
    request = services.receive_correction(
        request, description="永市监〔2025〕12号文件", on=D(2026, 10, 20), by=staff["clerk"]
    )
    assert request.status == Status.RECEIVED
    assert request.timer.pk != first_timer.pk
    assert request.timer.start_date == D(2026, 10, 20)
    assert request.timer.due_date == D(2026, 11, 17)  # 20 working days from the correction
    assert request.description == "永市监〔2025〕12号文件"


def test_a_correction_is_asked_once_and_within_7_working_days(new_request, staff):
    late = new_request()
    with pytest.raises(services.DisclosureError, match="within 7 working days"):
        # 12 October is the 7th working day after 24 September; the 13th is too late.
        services.ask_correction(
            late, by=staff["clerk"], text="请写明文件名称。" * 2, on=D(2026, 10, 13)
        )
    request = new_request()
    request = services.ask_correction(
        request, by=staff["clerk"], text="请写明文件名称和文号。", on=D(2026, 10, 12)
    )
    request = services.receive_correction(request, description="某文件", on=D(2026, 10, 14))
    with pytest.raises(services.DisclosureError, match="only once"):
        services.ask_correction(
            request, by=staff["clerk"], text="请再写明文件名称。", on=D(2026, 10, 15)
        )


def test_no_correction_in_time_ends_the_request(new_request, staff):
    request = new_request()
    request = services.ask_correction(
        request, by=staff["clerk"], text="请写明文件名称和文号。", on=D(2026, 9, 28), days=3
    )
    assert request.correction_due == D(2026, 10, 8)
    with pytest.raises(services.DisclosureError, match="too late"):
        services.receive_correction(request, description="某文件", on=D(2026, 10, 9))
    assert services.abandon_uncorrected(D(2026, 10, 8)) == 0
    assert services.abandon_uncorrected(D(2026, 10, 9)) == 1
    request.refresh_from_db()
    assert request.status == Status.ANSWERED
    assert request.outcome == Outcome.NO_CORRECTION
    assert request.answered_on == D(2026, 10, 9)


def test_third_party_consultation_time_is_not_counted(new_request, staff):
    request = new_request()
    request = services.consult_third_party(
        request, by=staff["clerk"], third_party="某食品公司", on=D(2026, 9, 29)
    )
    assert request.status == Status.CONSULTATION
    assert request.consultation_due == D(2026, 10, 26)  # 15 working days
    assert timer_state(request.timer, D(2026, 11, 5)) == "paused"  # never overdue meanwhile
    # 18 working days were owed on 29 September; they run again from 20 October.
    request = services.end_consultation(request, by=staff["clerk"], on=D(2026, 10, 20))
    assert request.status == Status.RECEIVED
    assert request.timer.due_date == D(2026, 11, 13)


def test_a_silent_third_party_gives_back_the_clock_after_15_working_days(new_request, staff):
    request = new_request()
    services.consult_third_party(
        request, by=staff["clerk"], third_party="某公司", on=D(2026, 9, 29)
    )
    assert services.resume_consultations(D(2026, 10, 26)) == 0
    assert services.resume_consultations(D(2026, 10, 27)) == 1
    request.refresh_from_db()
    assert request.status == Status.RECEIVED
    assert request.timer.due_date == D(2026, 11, 19)  # 18 working days after 26 October


def test_an_extension_needs_the_heads_approval_and_is_allowed_once(new_request, staff):
    request = new_request()
    with pytest.raises(services.DisclosurePermissionError):
        services.extend(
            request,
            by=staff["clerk"],
            days=20,
            reason="涉及多个科室，需调取档案。",
            on=D(2026, 10, 20),
        )
    with pytest.raises(services.DisclosureError, match="1 to 20"):
        services.extend(
            request,
            by=staff["head"],
            days=21,
            reason="涉及多个科室，需调取档案。",
            on=D(2026, 10, 20),
        )
    request = services.extend(
        request, by=staff["head"], days=20, reason="涉及多个科室，需调取档案。", on=D(2026, 10, 20)
    )
    assert request.timer.due_date == D(2026, 11, 26)
    assert request.extension_approved_by == staff["head"]
    event = request.events.get(action="extended")
    assert event.public and event.detail["due"] == "2026-11-26"
    with pytest.raises(services.DisclosureError, match="only once"):
        services.extend(
            request, by=staff["head"], days=1, reason="还需要再延长一天时间。", on=D(2026, 10, 21)
        )


def test_an_extension_after_the_limit_ended_is_refused(new_request, staff):
    request = new_request()
    with pytest.raises(services.DisclosureError, match="before it ends"):
        services.extend(
            request,
            by=staff["head"],
            days=5,
            reason="涉及多个科室，需调取档案。",
            on=D(2026, 10, 30),
        )


ANSWERS = [
    (
        AnswerKind.ALREADY_PUBLIC,
        {"where_public": "区政府网站/政府信息公开/财政信息"},
        Outcome.DISCLOSED,
    ),
    (AnswerKind.DISCLOSED, {}, Outcome.DISCLOSED),
    (
        AnswerKind.WITHHELD,
        {"outcome": Outcome.THIRD_PARTY, "legal_basis": "第十五条"},
        Outcome.THIRD_PARTY,
    ),
    (AnswerKind.NOT_EXIST, {}, Outcome.NOT_HELD),
    (AnswerKind.NOT_OURS, {"right_body": "永川区财政局"}, Outcome.NOT_HELD),
    (
        AnswerKind.CANNOT_PROVIDE,
        {"outcome": Outcome.NEEDS_MAKING, "legal_basis": "第三十八条"},
        Outcome.NEEDS_MAKING,
    ),
    (AnswerKind.NOT_HANDLED, {"outcome": Outcome.PETITION}, Outcome.PETITION),
    (AnswerKind.REPEAT, {}, Outcome.REPEAT),
    (AnswerKind.SPECIAL_REGIME, {}, Outcome.OTHER),
]


@pytest.mark.parametrize(("kind", "extra", "outcome"), ANSWERS)
def test_every_answer_of_article_36_stops_the_clock_with_its_report_row(
    new_request, staff, kind, extra, outcome
):
    request = new_request()
    request = services.answer(
        request,
        by=staff["clerk"],
        kind=kind,
        text="经审查，答复如下。",
        on=D(2026, 10, 15),
        **extra,
    )
    assert request.status == Status.ANSWERED
    assert request.answer_kind == kind
    assert request.outcome == outcome
    assert request.timer.stopped_at is not None and request.timer.stop_reason == "answered"
    assert RequestEvent.objects.filter(request=request, action="answered").count() == 1


def test_a_partial_disclosure_needs_its_redactions(new_request, staff):
    request = new_request()
    with pytest.raises(services.DisclosureError, match="redaction rule"):
        services.answer(
            request,
            by=staff["clerk"],
            kind=AnswerKind.PARTIAL,
            text="部分公开。",
            legal_basis="第三十七条",
        )
    RedactionRule.objects.create(
        kind="text",
        value="某食品公司",
        scope="all",
        request=request,
        reason="第三方商业秘密",
        created_by=staff["clerk"],
    )
    request = services.answer(
        request,
        by=staff["clerk"],
        kind=AnswerKind.PARTIAL,
        text="部分公开。",
        legal_basis="第三十七条",
    )
    assert request.outcome == Outcome.PARTIAL


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        (AnswerKind.ALREADY_PUBLIC, {}, "already public"),
        (AnswerKind.NOT_OURS, {}, "Name the body"),
        (AnswerKind.WITHHELD, {"outcome": Outcome.SECRET}, "legal basis"),
        (
            AnswerKind.WITHHELD,
            {"outcome": Outcome.DISCLOSED, "legal_basis": "x"},
            "is not a reason",
        ),
        ("nonsense", {}, "Choose the answer"),
    ],
)
def test_an_answer_missing_what_the_law_asks_is_refused(new_request, staff, kind, extra, message):
    request = new_request()
    with pytest.raises(services.DisclosureError, match=message):
        services.answer(request, by=staff["clerk"], kind=kind, text="答复。", **extra)
    request.refresh_from_db()
    assert request.status == Status.RECEIVED


def test_answering_during_a_consultation_ends_it(new_request, staff):
    request = new_request()
    services.consult_third_party(
        request, by=staff["clerk"], third_party="某公司", on=D(2026, 9, 29)
    )
    request = services.answer(
        request, by=staff["clerk"], kind=AnswerKind.DISCLOSED, text="予以公开。", on=D(2026, 10, 9)
    )
    assert request.status == Status.ANSWERED
    assert request.timer.paused_at is None and request.timer.stopped_at is not None


def test_the_fee_by_count_follows_the_applicants_requests_of_the_month(new_request, staff):
    requests = [new_request() for _ in range(11)]
    other_month = new_request(received_on=D(2026, 10, 8))
    tenth, eleventh = requests[9], requests[10]
    assert services.requests_in_month(eleventh) == 11
    assert services.requests_in_month(other_month) == 1
    tenth = services.answer(
        tenth,
        by=staff["clerk"],
        kind=AnswerKind.DISCLOSED,
        text="予以公开。",
        fee_method="by_count",
    )
    eleventh = services.answer(
        eleventh,
        by=staff["clerk"],
        kind=AnswerKind.DISCLOSED,
        text="予以公开。",
        fee_method="by_count",
    )
    assert (tenth.fee_amount, eleventh.fee_amount) == (0, 100)
    paged = services.answer(
        requests[0],
        by=staff["clerk"],
        kind=AnswerKind.DISCLOSED,
        text="予以公开。",
        fee_method="by_pages",
        pages=101,
    )
    assert paged.fee_amount == 720


def test_staff_of_another_body_cannot_act_and_the_refusal_changes_nothing(new_request, staff):
    request = new_request()
    with pytest.raises(services.DisclosurePermissionError):
        services.answer(request, by=staff["other"], kind=AnswerKind.DISCLOSED, text="予以公开。")
    with pytest.raises(services.DisclosurePermissionError):
        services.ask_correction(request, by=staff["supervisor"], text="请写明文件名称和文号。")
    request.refresh_from_db()
    assert request.status == Status.RECEIVED
    assert list(services.requests_visible_to(staff["other"])) == []
    assert list(services.requests_visible_to(staff["supervisor"])) == [request]
    # the clerk of the body may
    services.answer(request, by=staff["clerk"], kind=AnswerKind.DISCLOSED, text="予以公开。")


def test_events_are_kept_as_written(new_request):
    from egov.disclosure.models import DisclosureRecordError

    event = new_request().events.get()
    event.note = "changed"
    with pytest.raises(DisclosureRecordError):
        event.save()
    with pytest.raises(DisclosureRecordError):
        event.delete()


def test_supervision_sees_the_answer_timer_when_it_runs_late(new_request):
    from egov.supervision import services as supervision
    from egov.supervision.models import Signal

    request = new_request()
    supervision.sweep(D(2026, 11, 5))
    kinds = set(Signal.objects.filter(timer=request.timer).values_list("kind", flat=True))
    assert kinds & {"warning", "yellow", "red"}, kinds
    signal = Signal.objects.filter(timer=request.timer).first()
    assert (signal.subject_type, signal.subject_id) == (
        "disclosure.disclosurerequest",
        str(request.pk),
    )
    assert signal.body.code == "YC-SCJG"


def test_the_signal_of_a_late_request_links_to_the_request(client, new_request, staff):
    from egov.supervision import services as supervision
    from egov.supervision.models import Signal
    from tests.conftest import login_verified

    request = new_request()
    supervision.sweep(D(2026, 11, 5))
    signal = Signal.objects.filter(timer=request.timer).first()
    login_verified(client, staff["supervisor"])
    page = client.get(f"/staff/supervision/signals/{signal.pk}/").content.decode()
    assert f"/staff/disclosure/{request.number}/" in page
