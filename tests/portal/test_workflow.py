"""Three-level review (初审 → 复审 → 终审) on Wagtail workflows, through the admin with
verified logins: an editor cannot publish or skip a level, a reviewer cannot approve at a
level that is not theirs, and the page goes live only after 终审. Every publication is
audited; scheduled pages are published by the worker's periodic task."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from wagtail.models import Workflow, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from egov.core.audit import verify_chain
from egov.core.models import AuditEntry
from egov.portal import services
from egov.portal.models import ArticlePage, BodyArea
from egov.portal.permissions import finished_review_of_latest_revision
from egov.portal.services import ReviewLevel
from egov.portal.tasks import publish_scheduled
from tests.conftest import login_verified
from tests.portal.conftest import add_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(portal, bodies):
    town = bodies["YC-QF"]
    made = {"editor": make_staff("qf-editor")}
    services.grant_editor(made["editor"], town)
    for level in ReviewLevel:
        made[level] = make_staff(f"qf-review-{level.value}")
        services.grant_reviewer(made[level], town, level)
    # A final reviewer of the other town: the right level, the wrong body.
    made["other_final"] = make_staff("jl-review-3")
    services.grant_reviewer(made["other_final"], bodies["YC-JL"], ReviewLevel.FINAL)
    return made


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def post_edit(client, page, **actions):
    form = client.get(edit_url(page))
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form").dict()
    data.update(actions)
    return client.post(edit_url(page), data)


def current_task_state(page):
    state = WorkflowState.objects.for_instance(page).get(status=WorkflowState.STATUS_IN_PROGRESS)
    return state.current_task_state


def approve(client, user, page):
    """``user`` presses "Approve" on the page's current review step; returns the response."""
    login_verified(client, user)
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def level_of(page) -> str:
    return current_task_state(page).task.name.split(" ")[0]


def test_a_page_goes_live_only_after_all_three_levels(client, portal, people):
    article = add_article(portal["qingfeng_news"], "青峰镇启动人居环境整治", publish=False)
    login_verified(client, people["editor"])

    # The editor's "publish" is not honoured: the page is saved as a draft, nothing more.
    post_edit(client, article, **{"action-publish": "action-publish"})
    article.refresh_from_db()
    assert not article.live
    assert not WorkflowState.objects.for_instance(article).exists()

    # Submitting starts the review at 初审.
    response = post_edit(client, article, **{"action-submit": "action-submit"})
    assert response.status_code == 302
    assert level_of(article) == "初审"

    # Nobody but a 初审 reviewer of this town can act on 初审.
    for someone in ("editor", ReviewLevel.SECOND, ReviewLevel.FINAL, "other_final"):
        response = approve(client, people[someone], article)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home"), someone
        assert level_of(article) == "初审", someone

    assert approve(client, people[ReviewLevel.FIRST], article).status_code == 302
    assert level_of(article) == "复审"
    article.refresh_from_db()
    assert not article.live

    # The 初审 reviewer cannot approve again at 复审; the final reviewer cannot jump ahead.
    for someone in (ReviewLevel.FIRST, ReviewLevel.FINAL):
        approve(client, people[someone], article)
        assert level_of(article) == "复审", someone

    approve(client, people[ReviewLevel.SECOND], article)
    assert level_of(article) == "终审"
    article.refresh_from_db()
    assert not article.live

    approve(client, people[ReviewLevel.FINAL], article)
    article.refresh_from_db()
    assert article.live
    assert article.title == "青峰镇启动人居环境整治"
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert [s.finished_by for s in state.task_states.order_by("pk")] == [
        people[ReviewLevel.FIRST],
        people[ReviewLevel.SECOND],
        people[ReviewLevel.FINAL],
    ]

    entry = AuditEntry.objects.get(action="portal.page.published", object_id=str(article.pk))
    assert entry.actor_id == people[ReviewLevel.FINAL].pk
    assert entry.body_id == BodyArea.objects.get(body__code="YC-QF").body_id
    assert entry.object_type == "portal.articlepage"
    assert entry.detail["title"] == "青峰镇启动人居环境整治"
    assert verify_chain()


def test_an_editor_cannot_publish_even_a_page_they_just_made(client, portal, people):
    login_verified(client, people["editor"])
    url = reverse(
        "wagtailadmin_pages:add", args=["portal", "articlepage", portal["qingfeng_news"].pk]
    )
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form").dict()
    data.update({"title": "未经审核的稿件", "slug": "unreviewed", "action-publish": "1"})
    data["content"] = (
        '{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
    )
    response = client.post(url, data)
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="unreviewed")
    assert not page.live
    assert not AuditEntry.objects.filter(action="portal.page.published").filter(
        object_id=str(page.pk)
    )


def test_publishing_permission_is_the_final_approvers_for_that_revision_only(
    client, portal, people
):
    article = add_article(portal["qingfeng_news"], "审核后的稿件", publish=False)
    final = people[ReviewLevel.FINAL]
    assert not article.permissions_for_user(final).can_publish()
    login_verified(client, people["editor"])
    post_edit(client, article, **{"action-submit": "action-submit"})
    for level in ReviewLevel:
        approve(client, people[level], article)
    article.refresh_from_db()
    assert article.live
    assert finished_review_of_latest_revision(article, final)
    assert not finished_review_of_latest_revision(article, people[ReviewLevel.SECOND])
    # A new draft is a new revision: nobody's review covers it.
    article.save_revision(user=people["editor"])
    article.refresh_from_db()
    assert not article.permissions_for_user(final).can_publish()


def test_the_sites_workflow_is_a_setting_and_sections_keep_their_own(portal):
    settings = portal["settings"]
    home, qingfeng = portal["home"], portal["qingfeng"]
    portal_workflow = BodyArea.objects.get(page=home).workflow
    assert settings.review_workflow == portal_workflow
    assert WorkflowPage.objects.get(page=home).workflow == portal_workflow

    other = Workflow.objects.create(name="两级审核")
    settings.review_workflow = other
    settings.save()
    assert WorkflowPage.objects.get(page=home).workflow == other
    assert portal["news"].get_workflow() == other
    assert qingfeng.get_workflow() == BodyArea.objects.get(page=qingfeng).workflow

    settings.review_workflow = None
    settings.save()
    assert not WorkflowPage.objects.filter(page=home).exists()
    assert qingfeng.get_workflow() == BodyArea.objects.get(page=qingfeng).workflow


def test_every_publication_is_audited_with_its_body(portal):
    article = add_article(portal["jinlong_news"], "金龙镇举办农民丰收节")
    entries = AuditEntry.objects.filter(action="portal.page.published", object_id=str(article.pk))
    assert entries.count() == 1
    assert entries[0].body.code == "YC-JL"
    assert entries[0].actor_id is None  # published by a script, not a person
    article.save_revision().publish()
    assert entries.count() == 2


def test_scheduled_pages_are_published_by_the_periodic_task(portal):
    article = add_article(portal["news"], "定时发布的通知", publish=False)
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    assert not article.live
    scheduled = AuditEntry.objects.get(action="portal.page.scheduled", object_id=str(article.pk))
    assert scheduled.detail["title"] == "定时发布的通知"

    publish_scheduled.call_local()
    article.refresh_from_db()
    assert not article.live  # not yet time

    # An hour passes: the go-live time (in the revision and its approval) is now behind us.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    publish_scheduled.call_local()
    article.refresh_from_db()
    assert article.live
    entry = AuditEntry.objects.get(action="portal.page.published", object_id=str(article.pk))
    assert entry.actor_id is None
    assert "scheduled_for" in entry.detail


def test_the_scheduled_publishing_task_runs_every_minute():
    due = {task.name for task in HUEY.read_periodic(datetime.datetime(2026, 3, 2, 9, 31))}
    assert "portal.publish_scheduled" in due
    assert publish_scheduled.name == "portal.publish_scheduled"
