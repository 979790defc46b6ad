"""Editors and reviewers per body's subtree: the groups a body's area gets, and an editor of
one town who can edit that town's pages and not another town's — through the Wagtail admin,
with a login that passed two-factor."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, WorkflowPage
from wagtail.test.utils.form_data import querydict_from_html

from egov.core.models import AuditEntry
from egov.portal import services
from egov.portal.models import ArticlePage, BodyArea
from tests.conftest import login_verified
from tests.portal.conftest import add_article, make_citizen, make_staff

pytestmark = pytest.mark.django_db

ADMIN_HOME = reverse("wagtailadmin_home")


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["portal", "articlepage", parent.pk])


def edit_form(client, page) -> dict:
    response = client.get(edit_url(page))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="page-edit-form").dict()


@pytest.fixture
def qingfeng_editor(portal, bodies):
    user = make_staff("qf-editor")
    services.grant_editor(user, bodies["YC-QF"])
    return user


def test_a_section_gets_editor_and_reviewer_groups_with_permissions_on_its_subtree(portal):
    area = BodyArea.objects.get(body__code="YC-QF")
    assert area.page.pk == portal["qingfeng"].pk
    assert area.editors.name == "青峰镇 (YC-QF) editors"
    assert [g.name for g in area.reviewer_groups()] == [
        "青峰镇 (YC-QF) reviewers 初审",
        "青峰镇 (YC-QF) reviewers 复审",
        "青峰镇 (YC-QF) reviewers 终审",
    ]
    granted = set(
        GroupPagePermission.objects.filter(group=area.editors).values_list(
            "page_id", "permission__codename"
        )
    )
    assert granted == {
        (area.page.pk, "add_page"),
        (area.page.pk, "change_page"),
        (area.page.pk, "lock_page"),
    }
    # Nobody in a body's groups may publish: publishing is the review's conclusion.
    area_groups = [area.editors, *area.reviewer_groups()]
    assert not GroupPagePermission.objects.filter(
        group__in=area_groups, permission__codename="publish_page"
    ).exists()
    assert WorkflowPage.objects.get(page=area.page).workflow == area.workflow
    tasks = [t.specific for t in area.workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [t.name for t in tasks] == ["初审 · 青峰镇", "复审 · 青峰镇", "终审 · 青峰镇"]
    assert [list(t.groups.all()) for t in tasks] == [[g] for g in area.reviewer_groups()]
    for group in area_groups:
        assert group.permissions.filter(codename="access_admin").exists()


def test_opening_an_area_again_changes_nothing_and_a_body_owns_one_area(portal, bodies):
    groups = Group.objects.count()
    area = services.open_body_area(bodies["YC-QF"], portal["qingfeng"])
    assert area == BodyArea.objects.get(body=bodies["YC-QF"])
    assert Group.objects.count() == groups
    with pytest.raises(services.PortalError, match="already owns"):
        services.open_body_area(bodies["YC-QF"], portal["jinlong"])
    with pytest.raises(services.PortalError, match="already belongs to another body"):
        services.open_body_area(bodies["YC-SCJG"], portal["jinlong"])


def test_editor_of_one_town_edits_that_towns_pages(client, portal, qingfeng_editor):
    article = add_article(portal["qingfeng_news"], "青峰镇开展春耕备耕")
    login_verified(client, qingfeng_editor)
    data = edit_form(client, article)
    data["title"] = "青峰镇开展春耕备耕工作"
    response = client.post(edit_url(article), data)
    assert response.status_code == 302
    assert response["Location"] == edit_url(article)
    article.refresh_from_db()
    assert article.draft_title == "青峰镇开展春耕备耕工作"
    assert client.get(add_url(portal["qingfeng_news"])).status_code == 200


def test_editor_of_one_town_cannot_edit_another_towns_pages(client, portal, qingfeng_editor):
    own = add_article(portal["qingfeng_news"], "青峰镇新闻")
    other = add_article(portal["jinlong_news"], "金龙镇召开党委会")
    login_verified(client, qingfeng_editor)
    data = edit_form(client, own)  # a well-formed form, posted to the other town's page
    data["title"] = "改写的标题"
    data["slug"] = other.slug

    assert client.get(edit_url(other)).url == ADMIN_HOME
    response = client.post(edit_url(other), data)
    assert response.status_code == 302 and response.url == ADMIN_HOME
    other.refresh_from_db()
    assert other.title == other.draft_title == "金龙镇召开党委会"
    assert other.revisions.count() == 1

    assert client.get(add_url(portal["jinlong_news"])).url == ADMIN_HOME
    assert client.get(edit_url(portal["home"])).url == ADMIN_HOME
    assert not ArticlePage.objects.filter(title="改写的标题").exists()


def test_the_explorer_shows_an_editor_only_their_own_section(client, portal, qingfeng_editor):
    add_article(portal["jinlong_news"], "金龙镇召开党委会")
    login_verified(client, qingfeng_editor)
    own = client.get(reverse("wagtailadmin_explore", args=[portal["qingfeng"].pk]))
    assert own.status_code == 200 and "青峰动态" in own.content.decode()
    # Asked for the other town's column, the explorer takes them back to their own section.
    other = client.get(reverse("wagtailadmin_explore", args=[portal["jinlong_news"].pk]))
    assert other.status_code == 302
    assert other.url == reverse("wagtailadmin_explore", args=[portal["qingfeng"].pk])


def test_the_portals_editors_work_on_the_whole_portal(client, portal, bodies):
    user = make_staff("portal-editor")
    services.grant_editor(user, bodies["YC-ZF"])
    login_verified(client, user)
    for page in (portal["home"], portal["news"], portal["qingfeng"], portal["jinlong_news"]):
        assert client.get(edit_url(page)).status_code == 200


def test_granting_is_audited_and_refused_for_citizens_and_bodies_without_an_area(portal, bodies):
    editor = make_staff("granted")
    services.grant_editor(editor, bodies["YC-QF"])
    entry = AuditEntry.objects.get(action="portal.editor.granted")
    assert (entry.body_id, entry.object_id) == (bodies["YC-QF"].pk, str(editor.pk))

    with pytest.raises(services.PortalError, match="not an active staff account"):
        services.grant_editor(make_citizen("citizen"), bodies["YC-QF"])
    with pytest.raises(services.PortalError, match="has no site or section"):
        services.grant_editor(editor, bodies["YC-SCJG"])
    assert editor.groups.count() == 1


def test_a_reviewer_holds_one_level(portal, bodies):
    user = make_staff("second")
    group = services.grant_reviewer(user, bodies["YC-QF"], services.ReviewLevel.SECOND)
    assert group == BodyArea.objects.get(body=bodies["YC-QF"]).second_reviewers
    assert list(user.groups.all()) == [group]


def test_a_section_made_in_the_cms_becomes_its_bodys_area(client, portal, bodies):
    admin = make_staff("root")
    admin.is_superuser = True
    admin.save()
    login_verified(client, admin)
    url = reverse("wagtailadmin_pages:add", args=["portal", "sectionpage", portal["towns"].pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form").dict()
    data.update({"title": "区市场监管局", "slug": "scjg", "body": str(bodies["YC-SCJG"].pk)})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    area = BodyArea.objects.get(body=bodies["YC-SCJG"])
    assert area.page.title == "区市场监管局"
    # and the same body cannot take a second section
    data.update({"title": "另一个", "slug": "scjg-2"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already has its own part of the site group" in response.content.decode()
