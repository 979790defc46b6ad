"""好差评: the applicant rates a finished application once; a bad rating opens a rectification
inside with a timer of 5 working days; the body calls back and records what it changed, or
appeals, and a supervisor decides the appeal. Permissions both ways, refusals with messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.cases import ratings
from egov.cases import services as cases
from egov.cases.models import Case, CaseRating, Rectification
from egov.core.calendar import add_working_days
from egov.exchange.transports import loopback
from egov.hall.models import Rating
from tests.conftest import login_verified
from tests.hall.test_apply import citizen, staff_of, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(client, item, applicant, make_staff, bodies):
    application = submitted(client, item)
    loopback.deliver()
    case = Case.objects.get()
    clerk = staff_of(make_staff, bodies, "window_clerk", name="clerk")
    cases.accept(case, by=clerk)
    cases.review(case, by=staff_of(make_staff, bodies, "reviewer"))
    cases.decide(case, by=staff_of(make_staff, bodies, "approver"), outcome="grant")
    cases.close(case, by=clerk)
    loopback.deliver()
    return application, case


def rate(client, application, **data):
    return client.post(reverse("hall:rate", args=[application.query_code]), data)


def test_a_bad_rating_opens_a_rectification_the_body_completes(
    client, finished, make_staff, bodies
):
    application, case = finished
    page = client.get(reverse("hall:application", args=[application.query_code]))
    assert 'name="score"' in page.content.decode()

    response = rate(client, application, score="1", comment="")  # a comment is required
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.content.decode()
    response = rate(client, application, score="1", comment="窗口让我跑了三次")
    assert response.status_code == 302
    assert rate(client, application, score="5").status_code == 400  # once only
    assert Rating.objects.get().score == 1
    loopback.deliver()

    rectification = Rectification.objects.get()
    assert rectification.rating.case == case and rectification.status == "open"
    timer = rectification.timer
    assert (timer.limit, timer.unit, timer.purpose) == (5, "working", "cases.rectification")
    assert timer.due_date == add_working_days(timer.start_date, 5)

    staff = Client()
    clerk = case.assignee or staff_of(make_staff, bodies, "window_clerk", name="clerk2")
    login_verified(staff, clerk)
    detail = staff.get(reverse("cases:detail", args=[case.query_code])).content.decode()
    assert "窗口让我跑了三次" in detail
    url = reverse("cases:rectify", args=[case.query_code, "complete"])
    response = staff.post(url, {"complete-text": "已调整窗口流程，一次办结。"})
    assert response.status_code == 400  # the call-back comes first
    staff.post(
        reverse("cases:rectify", args=[case.query_code, "callback"]),
        {"callback-text": "已电话回访申请人，致歉并说明原因。"},
    )
    response = staff.post(url, {"complete-text": "已调整窗口流程，一次办结。"})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == "done" and rectification.timer.stopped_at is not None

    # Another body's staff cannot act on it.
    other = staff_of(make_staff, bodies, "window_clerk", body="YC-MZJ", name="other")
    with pytest.raises(cases.CasePermissionError):
        ratings.record_callback(rectification, by=other, note="无权限的回访记录内容")


def test_an_appeal_pauses_the_timer_and_the_supervisor_decides(
    client, finished, make_staff, bodies
):
    application, case = finished
    rate(client, application, score="2", comment="态度不好，不满意")
    loopback.deliver()
    rectification = Rectification.objects.get()
    head = staff_of(make_staff, bodies, "office_head", name="head")
    ratings.appeal(rectification, by=head, reason="评价内容与本办件无关，系对其他部门的意见。")
    rectification.refresh_from_db()
    assert rectification.status == "appealed"
    assert rectification.timer.pauses.filter(resumed_on=None).exists()

    # The body cannot decide its own appeal; the supervisor can.
    with pytest.raises(cases.CasePermissionError):
        ratings.decide_appeal(rectification, by=head, upheld=True, reason="自己裁决自己的申诉")
    supervisor = staff_of(make_staff, bodies, "supervisor", body="YC", name="supervisor")
    staff = Client()
    login_verified(staff, supervisor)
    response = staff.post(
        reverse("cases:rectify", args=[case.query_code, "decide_appeal"]),
        {"decide_appeal-upheld": "1", "decide_appeal-text": "经核实，评价与本办件无关。"},
    )
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == "waived" and rectification.timer.stopped_at is not None
    assert CaseRating.objects.get().excluded is True


def test_a_good_rating_opens_nothing_and_an_unfinished_case_cannot_be_rated(
    client, item, applicant, finished
):
    application, _case = finished
    assert rate(client, application, score="5").status_code == 302
    loopback.deliver()
    assert CaseRating.objects.get().score == 5 and not Rectification.objects.exists()

    client.force_login(citizen("李四", "110105194912310021", "13900139000"))
    assert rate(client, application, score="5").status_code == 404  # not theirs
    other = submitted(client, item)
    response = rate(client, other, score="4")
    assert response.status_code == 400
    page = response.content.decode()
    assert "once it is finished" in page or "办结后才能评价" in page
