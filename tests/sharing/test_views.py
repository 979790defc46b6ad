"""Staff pages: who may browse, describe, ask and decide (allowed and refused), forms that
keep what was typed; two-factor required."""

from __future__ import annotations

import pytest

from egov.sharing.models import Grant, Resource
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_staff_of_every_body_browse_and_search_the_catalogue(client, catalogue, staff):
    login_verified(client, staff["clerk"])
    page = client.get("/staff/sharing/?q=食品经营", **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "食品经营许可企业名录" in html and "农贸市场名录" not in html
    assert client.get("/staff/sharing/SCJG-FOOD/", **EN).status_code == 200
    # A clerk browses but neither asks nor edits.
    assert client.get("/staff/sharing/SCJG-FOOD/request/").status_code == 403
    assert client.get("/staff/sharing/SCJG-FOOD/edit/").status_code == 403
    assert client.get("/staff/sharing/new/").status_code == 403


def test_refused_without_membership_without_two_factor_and_for_citizens(
    client, catalogue, staff, people
):
    login_verified(client, staff["nobody"])
    assert client.get("/staff/sharing/").status_code == 403
    client.logout()
    client.force_login(staff["mzj"])  # no second factor
    response = client.get("/staff/sharing/")
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    client.logout()
    from egov.accounts.models import User

    client.force_login(User.objects.filter(kind="citizen").first())
    assert client.get("/staff/sharing/").status_code == 403
    assert client.get("/open-data/").status_code == 200  # open data is for anyone


def test_request_form_keeps_input_on_error_then_sends(client, catalogue, staff, bodies):
    login_verified(client, staff["mzj"])
    url = "/staff/sharing/SCJG-FOOD/request/"
    assert client.get(url, **EN).status_code == 200
    response = client.post(url, {"body": bodies["YC-MZJ"].pk, "purpose": "低保资格复核"}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "id_wanted_error" in html and "低保资格复核" in html
    response = client.post(
        url, {"body": bodies["YC-MZJ"].pk, "purpose": "低保资格复核", "wanted": ["name", "owner"]}
    )
    grant = Grant.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/grants/{grant.pk}/")
    assert grant.status == "requested" and grant.fields_requested == ["name", "owner"]
    # Not for a resource that is not shared.
    assert client.get("/staff/sharing/SCJG-CASES/request/").status_code == 403


def test_only_the_provider_decides_and_can_narrow(client, catalogue, staff, bodies):
    from egov.sharing import services

    grant = services.request_grant(
        catalogue["conditional"], body=bodies["YC-MZJ"], purpose="低保资格复核",
        fields=["name", "owner"], by=staff["mzj"],
    )  # fmt: skip
    act = f"/staff/sharing/grants/{grant.pk}/approve/"
    login_verified(client, staff["mzj"])  # the asking body sees it, but may not decide
    page = client.get(f"/staff/sharing/grants/{grant.pk}/", **EN).content.decode()
    assert "approve-heading" not in page
    assert client.post(act, {"approve-granted": ["name"]}).status_code == 403
    client.logout()
    login_verified(client, staff["dsj"])  # another body sees nothing
    assert client.get(f"/staff/sharing/grants/{grant.pk}/").status_code == 404
    client.logout()
    login_verified(client, staff["scjg"])
    page = client.get(f"/staff/sharing/grants/{grant.pk}/", **EN).content.decode()
    assert "approve-heading" in page and "refuse-heading" in page
    bad = client.post(act, {"approve-granted": ["name"], "approve-expires_on": "2020-01-01"})
    assert bad.status_code == 400 and "id_approve-expires_on_error" in bad.content.decode()
    response = client.post(
        act, {"approve-granted": ["name"], "approve-expires_on": "2099-12-31"}, **EN
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == "granted" and grant.fields_granted == ["name"] and grant.narrowed
    assert "食品经营许可企业名录" in client.get("/staff/sharing/grants/", **EN).content.decode()
    revoke = client.post(f"/staff/sharing/grants/{grant.pk}/revoke/", {"revoke-reason": "x"})
    assert revoke.status_code == 400
    client.post(f"/staff/sharing/grants/{grant.pk}/revoke/", {"revoke-reason": "工作结束了"})
    grant.refresh_from_db()
    assert grant.status == "revoked"


def test_providers_describe_their_own_resources_only(client, catalogue, staff, bodies):
    login_verified(client, staff["scjg"])
    data = {
        "code": "SCJG-ADS",
        "name": "广告经营单位名录",
        "provider": bodies["YC-SCJG"].pk,
        "description": "",
        "sharing_type": "conditional",
        "update_frequency": "monthly",
        "data_format": "table",
        "access": "",
        "fields-TOTAL_FORMS": "2",
        "fields-INITIAL_FORMS": "0",
        "fields-0-name": "name",
        "fields-0-label": "单位名称",
        "fields-0-field_type": "text",
        "fields-1-name": "",
        "fields-1-field_type": "text",
    }
    missing = client.post("/staff/sharing/new/", {**data, "update_frequency": ""}, **EN)
    assert missing.status_code == 400 and "广告经营单位名录" in missing.content.decode()
    response = client.post("/staff/sharing/new/", data)
    assert response.status_code == 302
    resource = Resource.objects.get(code="SCJG-ADS")
    assert list(resource.fields.values_list("name", flat=True)) == ["name"]
    # Not for another body.
    other = client.post(
        "/staff/sharing/new/", {**data, "code": "MZJ-X", "provider": bodies["YC-MZJ"].pk}
    )
    assert other.status_code == 400 and not Resource.objects.filter(code="MZJ-X").exists()
    client.logout()
    login_verified(client, staff["mzj"])
    assert client.get("/staff/sharing/SCJG-ADS/edit/").status_code == 403
    assert client.get("/staff/sharing/BR-PEOPLE/edit/").status_code == 403


def test_the_call_log_page_shows_ones_own_calls_only(client, catalogue, staff, bodies, consumer):
    from egov.sharing import access

    mine = consumer(bodies["YC-MZJ"], name="民政业务系统")
    theirs = consumer(bodies["YC-GAJ"], name="公安业务系统")
    access.log_call(consumer=mine, path="/api/sharing/resources/", status_code=200)
    access.log_call(consumer=theirs, path="/api/sharing/resources/", status_code=200)
    login_verified(client, staff["mzj"])
    html = client.get("/staff/sharing/calls/", **EN).content.decode()
    assert "民政业务系统" in html and "公安业务系统" not in html
    client.logout()
    login_verified(client, staff["clerk"])  # a clerk does not read the log
    assert client.get("/staff/sharing/calls/").status_code == 403
