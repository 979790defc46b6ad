"""Consultations on drafts (征集意见) and surveys: staff of a body publish them (scoped, with
permission, refused otherwise), residents comment (held until moderated, throttled) and answer
a survey once (a unique constraint), staff publish the feedback, the results page counts, and
a consultation left without feedback more than 3 months after its period is "unanswered"."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client

from egov.core.models import AuditEntry
from egov.interaction import participation
from egov.interaction.models import (
    Comment,
    Consultation,
    Question,
    Survey,
    SurveyResponse,
)
from tests.conftest import login_verified
from tests.hall.conftest import citizen
from tests.services.conftest import pdf_bytes, png_bytes

D = datetime.date
OPENS, CLOSES = D(2026, 3, 2), D(2026, 3, 31)
QUESTIONS = """[single] 您多久乘坐一次公交？
- 每天
- 每周
- 很少
[multiple] 您希望增加哪些线路？
- 城区
- 乡镇
[text] 其他建议 *
"""


@pytest.fixture
def manager(staff):
    return staff["office_head"]  # 区人民政府, office head: may manage consultations


@pytest.fixture
def resident(client, bodies):
    user = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    client.force_login(user)
    return user


def _staff(user) -> Client:
    other = Client()
    login_verified(other, user)
    return other


@pytest.fixture
def draft(manager, bodies, clock):
    clock(D(2026, 3, 1))
    return participation.publish_consultation(
        body=bodies["YC-ZF"],
        by=manager,
        title="永川区公共交通发展规划（征求意见稿）",
        text="第一条 为促进公共交通优先发展，制定本规划。第二条 ……",
        opens_on=OPENS,
        closes_on=CLOSES,
    )


@pytest.fixture
def survey(manager, bodies, clock):
    clock(D(2026, 4, 1))
    form_data = {
        "body": bodies["YC-ZF"].pk,
        "title": "公交出行满意度调查",
        "opens_on": "2026-04-01",
        "closes_on": "2026-04-30",
        "questions": QUESTIONS,
    }
    response = _staff(manager).post("/interaction/manage/surveys/new/", form_data)
    assert response.status_code == 302
    return Survey.objects.get()


# --- consultations: staff ------------------------------------------------------------------


def test_a_body_publishes_a_draft_with_a_pdf_checked_by_content(manager, bodies, clock):
    clock(D(2026, 3, 1))
    client = _staff(manager)
    assert client.get("/interaction/manage/consultations/new/").status_code == 200
    data = {
        "body": bodies["YC-ZF"].pk,
        "title": "永川区公共交通发展规划（征求意见稿）",
        "text": "第一条 为促进公共交通优先发展，制定本规划。",
        "opens_on": "2026-03-02",
        "closes_on": "2026-03-31",
    }
    fake = SimpleUploadedFile("draft.pdf", png_bytes(), content_type="application/pdf")
    response = client.post("/interaction/manage/consultations/new/", {**data, "attachment": fake})
    assert response.status_code == 400
    assert 'id="id_attachment_error"' in response.content.decode()
    assert "永川区公共交通发展规划" in response.content.decode()  # what was typed is kept
    assert not Consultation.objects.exists()

    real = SimpleUploadedFile("规划.pdf", pdf_bytes("draft"), content_type="application/pdf")
    response = client.post("/interaction/manage/consultations/new/", {**data, "attachment": real})
    assert response.status_code == 302
    row = Consultation.objects.get()
    assert (row.body, row.attachment_name) == (bodies["YC-ZF"], "规划.pdf")
    assert AuditEntry.objects.filter(action="interaction.consultation.published").count() == 1
    clock(D(2026, 3, 5))
    download = Client().get(f"/interaction/consultations/{row.pk}/draft/")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"%PDF"


def test_the_period_cannot_end_before_it_starts_and_input_is_kept(manager, bodies, clock):
    clock(D(2026, 3, 1))
    response = _staff(manager).post(
        "/interaction/manage/consultations/new/",
        {
            "body": bodies["YC-ZF"].pk,
            "title": "养老服务条例草案",
            "text": "第一条 为规范养老服务，制定本条例。",
            "opens_on": "2026-03-31",
            "closes_on": "2026-03-02",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_closes_on_error"' in page and "养老服务条例草案" in page


def test_staff_pages_need_the_permission_and_the_body(staff, bodies, draft, clock):
    clock(D(2026, 3, 10))
    # a window clerk has no permission for consultations
    clerk = _staff(staff["clerk"])
    assert clerk.get("/interaction/manage/").status_code == 403
    assert clerk.get("/interaction/manage/consultations/new/").status_code == 403
    assert clerk.get(f"/interaction/manage/consultations/{draft.pk}/").status_code == 403
    # an office head of another body may manage, but not this body's consultation
    other = _staff(staff["mzj_head"])
    assert other.get("/interaction/manage/").status_code == 200
    assert other.get(f"/interaction/manage/consultations/{draft.pk}/").status_code == 404
    response = other.post(
        "/interaction/manage/consultations/new/",
        {
            "body": bodies["YC-ZF"].pk,
            "title": "不属于本机关的草案",
            "text": "第一条 不属于本机关的草案正文。",
            "opens_on": "2026-03-02",
            "closes_on": "2026-03-31",
        },
    )
    assert response.status_code == 400 and 'id="id_body_error"' in response.content.decode()
    # a resident is not staff
    resident = Client()
    resident.force_login(citizen())
    assert resident.get("/interaction/manage/").status_code == 403
    # anonymous: to the login page
    assert Client().get("/interaction/manage/").status_code == 302
    # the service refuses too
    with pytest.raises(participation.PermissionDenied):
        participation.publish_feedback(
            draft, by=staff["mzj_head"], text="采纳了部分意见。理由如下。"
        )
    # the body's website editor may
    editor = participation_editor(staff, bodies)
    assert _staff(editor).get(f"/interaction/manage/consultations/{draft.pk}/").status_code == 200


def participation_editor(staff, bodies):
    from egov.accounts.models import User
    from egov.directory.models import Membership, Role

    user = User.objects.create_user(
        username="editor", kind=User.Kind.STAFF, is_staff=True, password="Staff-test-2026"
    )
    Membership.objects.create(
        user=user, organisation=bodies["YC-ZF"], role=Role.objects.get(code="editor")
    )
    return User.objects.get(pk=user.pk)


# --- consultations: comments, moderation, feedback ----------------------------------------


def test_a_comment_is_held_until_approved_and_published_masked(
    client, resident, manager, draft, clock
):
    clock(D(2026, 3, 10))
    url = f"/interaction/consultations/{draft.pk}/"
    text = "建议增加夜班公交。我的电话13912345678，欢迎联系。"
    response = client.post(url, {"text": text})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.HELD and comment.author == resident
    assert "夜班公交" not in Client().get(url).content.decode()

    staff_client = _staff(manager)
    page = staff_client.get(f"/interaction/manage/consultations/{draft.pk}/").content.decode()
    assert "夜班公交" in page
    assert AuditEntry.objects.filter(action="person.list").count() == 1  # the read, audited
    moderate = f"/interaction/manage/consultations/{draft.pk}/comments/{comment.pk}/"
    assert staff_client.post(moderate, {f"c{comment.pk}-decision": "approve"}).status_code == 302
    public = Client().get(url).content.decode()
    assert "夜班公交" in public
    assert "13912345678" not in public and "139****5678" in public
    assert "李四光" not in public and "李**" not in public  # the author is never shown


def test_rejecting_needs_a_reason_and_a_rejected_comment_stays_hidden(
    client, resident, manager, draft, clock
):
    clock(D(2026, 3, 10))
    url = f"/interaction/consultations/{draft.pk}/"
    client.post(url, {"text": "这是一条包含辱骂内容的评论。"})
    comment = Comment.objects.get()
    staff_client = _staff(manager)
    moderate = f"/interaction/manage/consultations/{draft.pk}/comments/{comment.pk}/"
    response = staff_client.post(moderate, {f"c{comment.pk}-decision": "reject"})
    assert response.status_code == 400
    assert f'id="id_c{comment.pk}-reason_error"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD
    response = staff_client.post(
        moderate, {f"c{comment.pk}-decision": "reject", f"c{comment.pk}-reason": "含有辱骂内容"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.reason) == (Comment.Status.REJECTED, "含有辱骂内容")
    assert "辱骂" not in Client().get(url).content.decode()
    assert AuditEntry.objects.filter(action="interaction.comment.moderated").count() == 1


def test_comments_need_a_residents_login_an_open_period_and_are_throttled(
    client, resident, staff, draft, clock
):
    url = f"/interaction/consultations/{draft.pk}/"
    clock(D(2026, 3, 10))
    anonymous = Client().post(url, {"text": "匿名评论内容。"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert _staff(staff["clerk"]).post(url, {"text": "工作人员评论。"}).status_code == 403
    short = client.post(url, {"text": "好"})
    assert short.status_code == 400 and 'id="id_text_error"' in short.content.decode()
    for n in range(participation.COMMENTS_PER_DAY):
        assert client.post(url, {"text": f"第{n}条意见：建议增加线路。"}).status_code == 302
    response = client.post(url, {"text": "再一条意见：建议增加线路。"})
    assert response.status_code == 429
    assert "再一条意见" in response.content.decode()  # kept
    assert Comment.objects.count() == participation.COMMENTS_PER_DAY

    clock(D(2026, 4, 1))  # the period has ended
    response = client.post(url, {"text": "期满后的意见：建议增加线路。"})
    assert response.status_code == 400
    assert Comment.objects.count() == participation.COMMENTS_PER_DAY
    assert Client().get("/interaction/consultations/").status_code == 200


def test_the_feedback_is_published_after_the_period_and_shown(manager, draft, clock):
    feedback = f"/interaction/manage/consultations/{draft.pk}/feedback/"
    clock(D(2026, 3, 31))  # the last day of the period
    staff_client = _staff(manager)
    response = staff_client.post(feedback, {"feedback": "共收到意见12条，采纳8条：增加夜班公交。"})
    assert response.status_code == 400 and 'id="id_feedback_error"' in response.content.decode()
    clock(D(2026, 4, 10))
    staff_client = _staff(manager)
    assert staff_client.post(feedback, {"feedback": "太短"}).status_code == 400
    response = staff_client.post(feedback, {"feedback": "共收到意见12条，采纳8条：增加夜班公交。"})
    assert response.status_code == 302
    page = Client().get(f"/interaction/consultations/{draft.pk}/").content.decode()
    assert "采纳8条" in page


def test_a_consultation_without_feedback_3_months_after_its_period_is_unanswered(
    manager, bodies, draft, clock
):
    assert participation.feedback_due(draft) == D(2026, 6, 30)
    assert participation.unanswered_consultations(D(2026, 6, 30)) == []
    assert participation.unanswered_consultations(D(2026, 7, 1)) == [draft]
    clock(D(2026, 7, 2))  # published late: no longer unanswered (the inspector sees it late)
    participation.publish_feedback(draft, by=manager, text="共收到意见12条，采纳8条，理由如下。")
    assert participation.unanswered_consultations(D(2026, 7, 2)) == []

    items = list(
        participation.ConsultationFeedbackSource().consultations(
            [bodies["YC-ZF"].pk],
            datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    )
    assert len(items) == 1
    assert items[0].received_at.date() == D(2026, 4, 1)  # the day after the period
    assert items[0].answered_at is not None and items[0].body_id == bodies["YC-ZF"].pk
    assert (
        list(participation.ConsultationFeedbackSource().consultations([0], items[0].received_at))
        == []
    )


def test_pages_in_both_languages(draft, clock):
    clock(D(2026, 3, 10))
    en = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = en.get(f"/interaction/consultations/{draft.pk}/").content.decode()
    assert 'lang="en"' in page and "Comments" in page and "Log in to comment" in page
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = zh.get("/interaction/consultations/").content.decode()
    assert 'lang="zh-Hans"' in page and "永川区公共交通发展规划" in page


# --- surveys ------------------------------------------------------------------------------


def test_a_survey_is_written_as_text_and_bad_lines_are_named(manager, bodies, clock):
    clock(D(2026, 4, 1))
    response = _staff(manager).post(
        "/interaction/manage/surveys/new/",
        {
            "body": bodies["YC-ZF"].pk,
            "title": "公交出行满意度调查",
            "opens_on": "2026-04-01",
            "closes_on": "2026-04-30",
            "questions": "[single] 只有一个选项？\n- 是\n您好吗",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_questions_error"' in page
    assert "只有一个选项" in page  # kept
    assert not Survey.objects.exists()
    assert _staff(manager).get("/interaction/manage/surveys/new/").status_code == 200


def test_one_response_per_person_and_the_results(client, resident, survey, clock):
    clock(D(2026, 4, 10))
    single, multiple, text = survey.questions.all()
    assert [q.kind for q in (single, multiple, text)] == ["single", "multiple", "text"]
    assert text.required is False
    daily, weekly, _rarely = single.choices.all()
    town, country = multiple.choices.all()
    url = f"/interaction/surveys/{survey.pk}/"
    # a required question left out: named next to it, the rest kept
    response = client.post(url, {f"q{multiple.pk}": [town.pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_q{single.pk}_error"' in page and "checked" in page
    response = client.post(
        url,
        {
            f"q{single.pk}": daily.pk,
            f"q{multiple.pk}": [town.pk, country.pk],
            f"q{text.pk}": "希望开通夜班车",
        },
    )
    assert response.status_code == 302
    again = client.post(url, {f"q{single.pk}": weekly.pk, f"q{multiple.pk}": [town.pk]})
    assert again.status_code == 409
    assert SurveyResponse.objects.count() == 1

    other = citizen(name="王五", id_number="11010519491231002X", mobile="13900000001")
    participation.respond(
        survey, by=other, answers={single.pk: [weekly.pk], multiple.pk: [town.pk]}
    )
    results = participation.results(survey)
    assert [(c["count"], c["percent"]) for c in results[0]["choices"]] == [
        (1, 50.0),
        (1, 50.0),
        (0, 0),
    ]
    assert [(c["count"], c["percent"]) for c in results[1]["choices"]] == [(2, 100.0), (1, 50.0)]
    assert results[2]["texts"] == 1

    page = Client().get(f"/interaction/surveys/{survey.pk}/results/").content.decode()
    assert "<caption>" in page and "100.0%" in page and "50.0%" in page
    assert 'id="survey-chart-data"' in page and "interaction/survey-charts.js" in page
    assert "希望开通夜班车" not in page  # written answers are counted, not published


def test_the_database_refuses_a_second_response(resident, survey):
    SurveyResponse.objects.create(survey=survey, respondent=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, respondent=resident)


def test_a_survey_is_answered_only_while_open_and_by_a_resident(
    client, resident, staff, survey, clock
):
    single = survey.questions.get(kind=Question.Kind.SINGLE)
    data = {f"q{single.pk}": single.choices.first().pk}
    url = f"/interaction/surveys/{survey.pk}/"
    clock(D(2026, 4, 10))
    assert Client().post(url, data).status_code == 302  # to the login page
    assert _staff(staff["clerk"]).post(url, data).status_code == 403
    clock(D(2026, 5, 1))
    response = client.post(url, data)
    assert response.status_code == 400 and SurveyResponse.objects.count() == 0
    assert "This survey is not open." in Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
