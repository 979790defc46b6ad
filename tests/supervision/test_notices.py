"""督办 notices: a supervisor sends one about a signal, with an answer limit on the one clock;
only the body it is sent to answers it (another body neither sees nor answers it); a late
answer earns the body cards like any timer; the supervisor closes it with a reason."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.timers import timer_state
from egov.supervision.models import Signal, SupervisionNotice
from egov.supervision.services import sweep
from tests.conftest import login_verified
from tests.supervision.conftest import make_timer, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(bodies):
    make_timer(date(2026, 9, 30), body=bodies["T-SCJG"])
    sweep(today=date(2026, 10, 9))
    return Signal.objects.filter(body=bodies["T-SCJG"], kind="red").get()


def test_a_notice_is_sent_answered_by_its_body_and_closed(client, bodies, signal):
    supervisor = staff("sup", (bodies["T-JL"], "supervisor"))
    head = staff("head", (bodies["T-SCJG"], "office_head"))
    other = staff("other", (bodies["T-FGW"], "office_head"))
    login_verified(client, supervisor)
    url = reverse("supervision:notice_issue", args=[signal.pk])
    assert client.post(url, {"text": "太短"}).status_code == 400  # under 10 characters
    response = client.post(url, {"text": "请于5个工作日内说明超期原因并整改。"})
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and notice.body == bodies["T-SCJG"]
    assert (notice.timer.purpose, notice.timer.limit) == ("supervision.notice", 5)

    body_client = Client()
    login_verified(body_client, other)
    assert body_client.get(reverse("supervision:notice", args=[notice.pk])).status_code == 404
    answer = reverse("supervision:notice_act", args=[notice.pk, "answer"])
    assert body_client.post(answer, {"text": "不是我们的办件，无法回答。"}).status_code == 404
    login_verified(body_client, head)
    assert str(notice.pk) in body_client.get(reverse("supervision:notices")).content.decode()
    response = body_client.post(answer, {"text": "已查明原因：系统故障，已补办并整改完毕。"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "answered" and timer_state(notice.timer) == "stopped"
    close = reverse("supervision:notice_act", args=[notice.pk, "close"])
    assert body_client.post(close, {"text": "本单位自行关闭督办事项"}).status_code == 403
    assert client.post(close, {"text": "整改到位，予以办结。"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "closed"


def test_a_late_answer_earns_the_body_cards(bodies, signal):
    from egov.core.calendar import add_working_days
    from egov.supervision import notices

    supervisor = staff("sup", (bodies["T-JL"], "supervisor"))
    notice = notices.issue(signal, text="请说明超期原因并整改到位。", by=supervisor)
    sweep(today=add_working_days(notice.timer.due_date, 2))
    late = Signal.objects.filter(timer=notice.timer)
    assert sorted(late.values_list("kind", flat=True)) == ["red", "yellow"]
    assert {s.body for s in late} == {bodies["T-SCJG"]}
