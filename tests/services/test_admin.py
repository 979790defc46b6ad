"""The back-office of service items: what each role may do (its permissions) on which items
(its data scope) — every allowed action next to the refused one."""

import bs4
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from egov.accounts.models import User
from egov.services import services
from egov.services.models import ServiceItem, ServiceItemVersion
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

Status = ServiceItemVersion.Status
ITEMS = reverse("admin:services_serviceitem_changelist")
VERSIONS = reverse("admin:services_serviceitemversion_changelist")
ADD_ITEM = reverse("admin:services_serviceitem_add")


def version_url(version) -> str:
    return reverse("admin:services_serviceitemversion_change", args=[version.pk])


def item_url(item) -> str:
    return reverse("admin:services_serviceitem_change", args=[item.pk])


@pytest.fixture
def world(bodies, make_staff, make_item):
    """Two towns, each with one published item and one draft; their staff; a supervisor."""
    qingfeng = make_item("YC-QF", name="青峰镇宅基地申请")
    jinlong = make_item("YC-JL", name="金龙镇高龄津贴")
    for item in (qingfeng, jinlong):
        services.publish_version(item.versions.get(), None)
        services.new_draft(item)
    return {
        "qf_item": qingfeng,
        "jl_item": jinlong,
        "qf_draft": qingfeng.versions.get(status=Status.DRAFT),
        "jl_draft": jinlong.versions.get(status=Status.DRAFT),
        "qf_clerk": make_staff("qf-clerk", bodies["YC-QF"], "window_clerk"),
        "qf_head": make_staff("qf-head", bodies["YC-QF"], "office_head"),
        "jl_head": make_staff("jl-head", bodies["YC-JL"], "office_head"),
        "supervisor": make_staff("watcher", bodies["YC-JW"], "supervisor"),
        "bodies": bodies,
    }


def change_form(client, url):
    """The change form's data as a browser would send it (a ticked box without a value
    attribute sends "on")."""
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="serviceitemversion_form")
    form = bs4.BeautifulSoup(html, "html.parser").find("form", id="serviceitemversion_form")
    for box in form.find_all("input", type="checkbox", checked=True):
        if "value" not in box.attrs:
            data.setlist(box["name"], ["on"])
    return data


def act(client, url, action, objects, **extra):
    """Run an admin action; ``extra`` is more form data, except HTTP_* request headers."""
    headers = {name: value for name, value in extra.items() if name.startswith("HTTP_")}
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects]}
    data.update({name: value for name, value in extra.items() if name not in headers})
    return client.post(url, data, follow=True, **headers)


def test_staff_see_only_the_items_of_their_bodies(client, world):
    login_verified(client, world["qf_clerk"])
    page = client.get(ITEMS, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert world["qf_item"].implementation_code in page.content.decode()
    assert world["jl_item"].implementation_code not in page.content.decode()
    assert "offered (version 1)" in page.content.decode()
    versions = client.get(VERSIONS).content.decode()
    assert "青峰镇宅基地申请" in versions and "金龙镇高龄津贴" not in versions

    assert client.get(version_url(world["qf_draft"])).status_code == 200
    assert client.get(item_url(world["qf_item"])).status_code == 200
    # Another body's item and draft are "not found": a redirect to the index, nothing shown.
    for url in (version_url(world["jl_draft"]), item_url(world["jl_item"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("admin:index")


def test_the_supervisor_sees_every_body_and_changes_nothing(client, world):
    login_verified(client, world["supervisor"])
    page = client.get(ITEMS).content.decode()
    assert world["qf_item"].implementation_code in page
    assert world["jl_item"].implementation_code in page
    assert client.get(version_url(world["jl_draft"])).status_code == 200  # read-only
    response = client.post(version_url(world["jl_draft"]), {"name": "改名"})
    assert response.status_code == 403
    assert client.get(ADD_ITEM).status_code == 403


def test_a_clerk_edits_a_draft_of_their_body_and_not_another(client, world):
    login_verified(client, world["qf_clerk"])
    url = version_url(world["qf_draft"])
    form = change_form(client, url)
    form["name"] = "青峰镇宅基地申请（修订）"
    form["promised_limit"] = "4"
    response = client.post(url, form)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    world["qf_draft"].refresh_from_db()
    assert world["qf_draft"].name == "青峰镇宅基地申请（修订）"
    assert world["qf_draft"].promised_limit == 4
    assert world["qf_draft"].life_events == ["employment"]  # the checkboxes kept their values

    other = version_url(world["jl_draft"])
    response = client.post(other, {**form, "name": "越权修改"})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    world["jl_draft"].refresh_from_db()
    assert world["jl_draft"].name == "金龙镇高龄津贴"


def test_a_published_version_is_shown_read_only_to_everyone(client, world):
    published = world["qf_item"].versions.get(status=Status.PUBLISHED)
    login_verified(client, world["qf_head"])
    page = client.get(version_url(published))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(version_url(published), {"name": "改名"}).status_code == 403
    published.refresh_from_db()
    assert published.name == "青峰镇宅基地申请"


def test_a_bad_form_definition_or_a_renamed_executable_is_refused_with_a_message(client, world):
    login_verified(client, world["qf_clerk"])
    url = version_url(world["qf_draft"])
    form = change_form(client, url)
    form["online_form"] = (
        '{"version": 1, "fields": [{"name": "a", "type": "slider", "label": {"zh-hans": "甲"}}]}'
    )
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "field 1 (a), type: &#x27;slider&#x27; is not one of" in response.content.decode()

    form = change_form(client, url)
    form["name"] = "不应保存"
    data = form.dict()
    data["materials-0-blank_form"] = SimpleUploadedFile(
        "申请表.pdf", b"MZ\x90\x00" + b"\x00" * 300, content_type="application/pdf"
    )
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "renamed to pass as another type" in response.content.decode()
    world["qf_draft"].refresh_from_db()
    assert world["qf_draft"].name == "青峰镇宅基地申请"


def test_only_a_role_with_the_permission_publishes_and_only_in_its_scope(client, world):
    login_verified(client, world["qf_clerk"])
    act(client, VERSIONS, "publish_selected", [world["qf_draft"]])
    world["qf_draft"].refresh_from_db()
    assert world["qf_draft"].status == Status.DRAFT  # a clerk may not publish

    client.logout()
    login_verified(client, world["qf_head"])
    response = act(client, VERSIONS, "publish_selected", [world["qf_draft"], world["jl_draft"]])
    assert response.status_code == 200
    world["qf_draft"].refresh_from_db()
    world["jl_draft"].refresh_from_db()
    assert world["qf_draft"].status == Status.PUBLISHED
    assert world["jl_draft"].status == Status.DRAFT  # another body's: not even found


def test_publishing_a_draft_with_problems_shows_them(client, world):
    world["qf_draft"].materials.all().delete()
    login_verified(client, world["qf_head"])
    response = act(
        client, VERSIONS, "publish_selected", [world["qf_draft"]], HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "List the materials" in response.content.decode()
    world["qf_draft"].refresh_from_db()
    assert world["qf_draft"].status == Status.DRAFT


def test_items_are_added_only_for_bodies_in_scope(client, world):
    bodies = world["bodies"]
    login_verified(client, world["qf_head"])
    data = {
        "implementation_code": "11500118QFTEST0001012001009000",
        "basic_code": "012001009000",
        "body": str(bodies["YC-JL"].pk),
        "first_name": "越权事项",
        "item_type": "licensing",
        "_save": "1",
    }
    response = client.post(ADD_ITEM, data)
    assert response.status_code == 200  # the form again, with an error on body
    assert "body" in response.context["adminform"].form.errors
    assert not ServiceItem.objects.filter(basic_code="012001009000").exists()

    response = client.post(
        ADD_ITEM, {**data, "body": str(bodies["YC-QF"].pk), "first_name": "新事项"}
    )
    item = ServiceItem.objects.get(basic_code="012001009000")
    draft = item.versions.get()
    assert response.status_code == 302 and response.url == version_url(draft)
    assert (item.body.code, draft.name, draft.status) == ("YC-QF", "新事项", Status.DRAFT)

    client.logout()
    login_verified(client, world["supervisor"])
    assert client.post(ADD_ITEM, {**data, "body": str(bodies["YC-QF"].pk)}).status_code == 403


def test_withdrawal_needs_the_permission_and_a_reason(client, world):
    login_verified(client, world["qf_clerk"])
    act(client, ITEMS, "withdraw_selected", [world["qf_item"]], apply="1", reason="取消")
    world["qf_item"].refresh_from_db()
    assert not world["qf_item"].is_withdrawn

    client.logout()
    login_verified(client, world["qf_head"])
    page = act(client, ITEMS, "withdraw_selected", [world["qf_item"]])
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    act(
        client,
        ITEMS,
        "withdraw_selected",
        [world["qf_item"], world["jl_item"]],
        apply="1",
        reason="事项取消",
    )
    world["qf_item"].refresh_from_db()
    world["jl_item"].refresh_from_db()
    assert world["qf_item"].is_withdrawn and world["qf_item"].withdrawal_reason == "事项取消"
    assert not world["jl_item"].is_withdrawn


def test_a_new_draft_from_the_back_office(client, world):
    item = world["qf_item"]
    services.delete_draft(world["qf_draft"], None)
    login_verified(client, world["qf_clerk"])
    response = act(client, ITEMS, "new_draft_selected", [item])
    draft = item.versions.get(status=Status.DRAFT)
    assert response.redirect_chain[-1][0] == version_url(draft)
    # A second one is refused with a message, the first one stays.
    response = act(client, ITEMS, "new_draft_selected", [item], HTTP_ACCEPT_LANGUAGE="en")
    assert "already has a draft" in response.content.decode()
    assert item.versions.filter(status=Status.DRAFT).count() == 1


def test_drafts_can_be_deleted_in_the_back_office_published_versions_cannot(client, world):
    login_verified(client, world["qf_head"])
    published = world["qf_item"].versions.get(status=Status.PUBLISHED)
    delete = reverse("admin:services_serviceitemversion_delete", args=[published.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    delete = reverse("admin:services_serviceitemversion_delete", args=[world["qf_draft"].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not ServiceItemVersion.objects.filter(pk=world["qf_draft"].pk).exists()
    assert ServiceItemVersion.objects.filter(pk=published.pk).exists()


def test_citizens_and_anonymous_visitors_never_reach_the_back_office(client, world):
    assert client.get(ITEMS).status_code == 302  # to the login
    citizen = User.objects.create_user(username="citizen", password="Citizen-test-2026")
    client.force_login(citizen)
    assert client.get(ITEMS).status_code == 403
