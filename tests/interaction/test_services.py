"""The verbs of letters: limits on the one clock (across the National Day holiday), routing
and re-routing, the reply's three hands, the one extension, ratings, and reports that never
reach the body they report on."""

from __future__ import annotations

import datetime

import pytest

from egov.core.calendar import is_working_day
from egov.core.models import AuditEntry, Timer
from egov.interaction import services
from egov.interaction.models import Letter, LetterEvent, LetterRouting, Mailbox
from egov.interaction.services import InteractionError, InteractionPermissionError

D = datetime.date


def test_every_body_of_the_directory_has_a_mailbox_and_the_head_one_is_the_governments(bodies):
    head = Mailbox.objects.get(code="head")
    assert head.kind == "head" and head.body.code == "YC-ZF"
    assert Mailbox.objects.get(code="YC-SCJG").body == bodies["YC-SCJG"]
    assert not Mailbox.objects.filter(code="YC").exists()  # the district itself: the head's


def test_registering_starts_the_acceptance_limit_which_ends_after_the_holiday(new_letter):
    letter = new_letter()
    timer = letter.acceptance_timer
    assert timer.purpose == services.ACCEPTANCE and timer.owner_body.code == "YC-ZF"
    # 15 days from 16 September is 1 October, a holiday: the limit ends on the next working
    # day, 8 October.
    assert not is_working_day(D(2026, 10, 1))
    assert timer.due_date == D(2026, 10, 8)
    assert letter.number.startswith("YCXX-2026-N")
    assert LetterEvent.objects.get(letter=letter).action == "registered"
    assert AuditEntry.objects.filter(action="interaction.registered").exists()


def test_accepting_stops_that_limit_and_starts_sixty_days(new_letter, staff):
    letter = services.accept(new_letter(), by=staff["office"], on=D(2026, 9, 18))
    assert letter.acceptance_timer.stopped_at is not None
    assert letter.handling_timer.purpose == services.HANDLING
    assert letter.handling_timer.due_date == D(2026, 11, 17)  # 60 days, a Tuesday
    # 60 days from 3 August is 2 October: after the holiday, 8 October.
    assert services.legal_due(D(2026, 8, 3), 60) == D(2026, 10, 8)


def test_declining_needs_a_reason_and_closes(new_letter, staff):
    letter = new_letter()
    with pytest.raises(InteractionError):
        services.decline(letter, by=staff["office"], reason="不")
    letter = services.decline(letter, by=staff["office"], reason="该事项已进入诉讼程序，不予受理。")
    assert letter.status == "not_accepted" and letter.acceptance_timer.stopped_at


def test_routing_re_routing_with_a_reason_and_joint_handling(new_letter, staff, bodies):
    letter = services.accept(new_letter(), by=staff["office"], on=D(2026, 9, 18))
    letter = services.route(letter, by=staff["office"], to_body=bodies["YC-MZJ"], on=D(2026, 9, 21))
    assert letter.handling_body.code == "YC-MZJ"
    assert Timer.objects.get(pk=letter.handling_timer_id).owner_body.code == "YC-MZJ"
    # 区民政局 refuses: not its matter; the letter returns to the office.
    with pytest.raises(InteractionPermissionError):
        services.refuse_routing(letter, by=staff["clerk"], reason="不属于本单位职责范围。")
    letter = services.refuse_routing(letter, by=staff["mzj"], reason="噪音执法不属于本局职责。")
    assert letter.handling_body.code == "YC-ZF"
    assert Timer.objects.get(pk=letter.handling_timer_id).owner_body.code == "YC-ZF"
    # routing again needs a reason
    with pytest.raises(InteractionError, match="reason"):
        services.route(letter, by=staff["office"], to_body=bodies["YC-SCJG"])
    letter = services.route(
        letter,
        by=staff["office"],
        to_body=bodies["YC-SCJG"],
        joint=[bodies["YC-JYW"]],
        reason="民政局退回，改由市场监管局牵头、教委协办。",
    )
    assert letter.handling_body.code == "YC-SCJG"
    active = LetterRouting.objects.filter(letter=letter, active=True)
    assert {(r.to_body.code, r.role) for r in active} == {
        ("YC-SCJG", "lead"),
        ("YC-JYW", "joint"),
    }
    # who sees it now: the office (mailbox), 市场监管局 (responsible), 教委 (joint);
    # 民政局, which refused it, no longer does.
    for name, sees in [("office", True), ("clerk", True), ("jyw", True), ("mzj", False)]:
        assert services.letters_visible_to(staff[name]).filter(pk=letter.pk).exists() is sees
    # a joint body gives an opinion but cannot draft the reply
    services.add_opinion(letter, by=staff["jyw"], text="涉及学校周边，建议联合检查。")
    with pytest.raises(InteractionPermissionError):
        services.draft_reply(letter, by=staff["jyw"], text="联合检查后已责令停止夜间施工。")
    assert [e.action for e in letter.events.all()][-3:] == [
        "routing_refused",
        "rerouted",
        "opinion",
    ]


def test_draft_review_sign_off_reply_by_different_hands(new_letter, staff, bodies):
    letter = services.accept(
        new_letter(mailbox=Mailbox.objects.get(code="YC-SCJG"), by=staff["clerk"]),
        by=staff["clerk"],
        on=D(2026, 9, 18),
    )
    letter = services.draft_reply(letter, by=staff["clerk"], text="经查，施工单位已停止夜间施工。")
    with pytest.raises(InteractionPermissionError):
        services.review_reply(letter, by=staff["clerk"], approve=True)  # no review role
    with pytest.raises(InteractionError):
        services.review_reply(letter, by=staff["head"], approve=False, note="短")
    letter = services.review_reply(letter, by=staff["reviewer"], approve=True)
    with pytest.raises(InteractionPermissionError):
        services.sign_off(letter, by=staff["reviewer"])  # signs off: the approver or head
    letter = services.sign_off(letter, by=staff["approver"])
    letter = services.reply(letter, by=staff["clerk"], on=D(2026, 10, 9))
    assert letter.status == "replied" and letter.reply_text.startswith("经查")
    assert letter.handling_timer.stopped_at is not None
    assert letter.events.get(action="replied").detail == {"on_time": True}


def test_the_reviewer_is_not_the_writer_of_the_draft(new_letter, staff):
    mailbox = Mailbox.objects.get(code="YC-SCJG")
    letter = services.accept(new_letter(mailbox=mailbox, by=staff["head"]), by=staff["head"])
    letter = services.draft_reply(letter, by=staff["head"], text="经查，施工单位已停止夜间施工。")
    with pytest.raises(InteractionError, match="other than"):
        services.review_reply(letter, by=staff["head"], approve=True)


def test_one_extension_with_approval_and_a_reason(new_letter, staff):
    mailbox = Mailbox.objects.get(code="YC-SCJG")
    letter = services.accept(
        new_letter(mailbox=mailbox, by=staff["clerk"]), by=staff["clerk"], on=D(2026, 9, 18)
    )
    reason = "需现场监测噪音并委托第三方检测。"
    with pytest.raises(InteractionPermissionError):  # no approval permission
        services.extend(letter, by=staff["clerk"], days=30, reason=reason, on=D(2026, 10, 9))
    with pytest.raises(InteractionError):
        services.extend(letter, by=staff["head"], days=31, reason=reason, on=D(2026, 10, 9))
    with pytest.raises(InteractionError):
        services.extend(letter, by=staff["head"], days=30, reason="太忙", on=D(2026, 10, 9))
    letter = services.extend(letter, by=staff["head"], days=30, reason=reason, on=D(2026, 10, 9))
    assert letter.handling_timer.due_date == D(2026, 12, 17)  # 90 days from 18 September
    assert letter.extension_approved_by == staff["head"]
    with pytest.raises(InteractionError, match="only once"):
        services.extend(letter, by=staff["head"], days=1, reason=reason, on=D(2026, 10, 10))


def _replied(new_letter, staff):
    mailbox = Mailbox.objects.get(code="YC-SCJG")
    letter = services.accept(
        new_letter(mailbox=mailbox, by=staff["clerk"]), by=staff["clerk"], on=D(2026, 9, 18)
    )
    letter = services.draft_reply(letter, by=staff["clerk"], text="经查，施工单位已停止夜间施工。")
    letter = services.review_reply(letter, by=staff["reviewer"], approve=True)
    letter = services.sign_off(letter, by=staff["approver"])
    return services.reply(letter, by=staff["clerk"], on=D(2026, 10, 9))


def test_a_bad_rating_reopens_once_with_thirty_days(new_letter, staff):
    letter = _replied(new_letter, staff)
    first_timer = letter.handling_timer
    letter = services.rate(letter, rating="dissatisfied", comment="仍有噪音", on=D(2026, 10, 12))
    assert letter.status == "accepted" and letter.reopened == 1
    assert letter.handling_timer != first_timer
    assert letter.handling_timer.due_date == D(2026, 11, 11)  # 30 days
    assert letter.handling_timer.stopped_at is None
    letter = services.draft_reply(
        letter, by=staff["clerk"], text="复查：已安装隔音屏障并限时施工。"
    )
    letter = services.review_reply(letter, by=staff["reviewer"], approve=True)
    letter = services.sign_off(letter, by=staff["approver"])
    letter = services.reply(letter, by=staff["clerk"], on=D(2026, 10, 20))
    letter = services.rate(letter, rating="dissatisfied", on=D(2026, 10, 21))
    assert letter.status == "closed" and letter.reopened == 1  # once only


def test_a_good_rating_from_a_follow_up_call_closes(new_letter, staff):
    letter = _replied(new_letter, staff)
    letter = services.rate(
        letter, rating="satisfied", by=staff["clerk"], follow_up=True, on=D(2026, 10, 12)
    )
    assert letter.status == "closed" and letter.closed_on == D(2026, 10, 12)


def test_a_report_never_reaches_the_body_it_reports_on(new_letter, staff, bodies):
    report = new_letter(
        category="report",
        subject="举报市场监管局工作人员收受好处",
        text="市场监管局某科室人员收受商户好处。",
        accused_body=bodies["YC-SCJG"],
    )
    assert report.accused_body.code == "YC-SCJG"
    report = services.accept(report, by=staff["office"], on=D(2026, 9, 18))
    # the accused body's staff, whatever their role, never see it
    for name in ("clerk", "reviewer", "approver", "head"):
        assert not services.letters_visible_to(staff[name]).filter(pk=report.pk).exists()
    # it cannot be routed to that body, neither as responsible nor jointly
    with pytest.raises(InteractionError, match="reports on"):
        services.route(report, by=staff["office"], to_body=bodies["YC-SCJG"])
    with pytest.raises(InteractionError, match="reports on"):
        services.route(
            report, by=staff["office"], to_body=bodies["YC-MZJ"], joint=[bodies["YC-SCJG"]]
        )
    services.route(report, by=staff["office"], to_body=bodies["YC-MZJ"])
    assert services.letters_visible_to(staff["mzj"]).filter(pk=report.pk).exists()
    assert services.letters_visible_to(staff["supervisor"]).filter(pk=report.pk).exists()
    # the accused body's own mailbox cannot take a report on it
    with pytest.raises(InteractionError):
        new_letter(
            mailbox=Mailbox.objects.get(code="YC-SCJG"),
            category="report",
            accused_body=bodies["YC-SCJG"],
            by=staff["clerk"],
        )


def test_a_report_cannot_name_a_body_already_handling_it(new_letter, staff, bodies):
    report = services.accept(new_letter(category="report"), by=staff["office"])
    report = services.route(report, by=staff["office"], to_body=bodies["YC-MZJ"])
    with pytest.raises(InteractionError):
        services.set_accused_body(report, by=staff["mzj"], body=bodies["YC-MZJ"])
    report = services.set_accused_body(report, by=staff["mzj"], body=bodies["YC-SCJG"])
    assert not services.letters_visible_to(staff["clerk"]).filter(pk=report.pk).exists()


def test_staff_act_only_on_the_letters_they_see_with_their_roles(new_letter, staff):
    letter = new_letter()
    with pytest.raises(InteractionPermissionError):
        services.accept(letter, by=staff["clerk"])  # 市场监管局 does not see the head's mailbox
    with pytest.raises(InteractionPermissionError):
        services.accept(letter, by=staff["supervisor"])  # sees it, may not handle it
    assert Letter.objects.get(pk=letter.pk).status == "registered"


def test_an_event_is_kept_as_written(new_letter):
    from egov.interaction.models import InteractionRecordError

    event = new_letter().events.get()
    event.note = "changed"
    with pytest.raises(InteractionRecordError):
        event.save()
    with pytest.raises(InteractionRecordError):
        event.delete()
