"""The sharing API: 403 without a grant, only the granted fields, expired and revoked grants
refused, personal fields masked unless granted, every call in the log with its purpose, the
rate limit, open data without personal fields."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from egov.sharing import services
from egov.sharing.models import CallLog, Grant

pytestmark = pytest.mark.django_db

PURPOSE = "低保资格复核，核对申请人名下企业"
ROWS = "/api/sharing/resources/SCJG-FOOD/rows"


def _get(client, path, system=None, **headers):
    if system is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {system.token}"
    return client.get(path, **headers)


@pytest.fixture
def granted(catalogue, staff, bodies):
    def grant(fields, *, unmasked=False, body="YC-MZJ"):
        row = services.request_grant(
            catalogue["conditional"], body=bodies[body], purpose=PURPOSE, fields=fields,
            by=staff["mzj"],
        )  # fmt: skip
        return services.approve(
            row, by=staff["scjg"], fields=fields, unmasked=unmasked,
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        )  # fmt: skip

    return grant


def test_without_a_token_401_without_a_grant_403_and_logged(client, catalogue, consumer, bodies):
    assert _get(client, ROWS).status_code == 401
    system = consumer(bodies["YC-MZJ"])
    response = _get(client, ROWS, system, HTTP_X_PURPOSE="核查")
    assert response.status_code == 403
    call = CallLog.objects.get()
    assert (call.consumer, call.status_code, call.resource_code) == (system, 403, "SCJG-FOOD")
    assert call.rows_returned == 0 and call.stated_purpose == "核查"
    # A resource that is not shared: 403 as well, whatever is asked.
    assert _get(client, "/api/sharing/resources/SCJG-CASES/rows", system).status_code == 403
    assert _get(client, "/api/sharing/resources/NOPE/rows", system).status_code == 404


def test_an_unknown_or_expired_token_is_refused(client, catalogue, consumer, bodies, granted):
    granted(["name"])
    system = consumer(bodies["YC-MZJ"], expires_in=-10)
    assert _get(client, ROWS, system).status_code == 401
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer not-a-token"
    assert client.get(ROWS).status_code == 401


def test_a_grant_returns_only_its_fields_personal_ones_masked(
    client, catalogue, consumer, bodies, granted
):
    granted(["name", "owner"])
    system = consumer(bodies["YC-MZJ"])
    response = _get(client, ROWS, system, HTTP_X_PURPOSE="2026年第3批低保复核")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["fields"] == ["name", "owner"] and body["masked_fields"] == ["owner"]
    assert body["count"] == 3
    for row in body["rows"]:
        assert set(row) == {"name", "owner"}
        assert row["owner"] != "王小明" and row["owner"].startswith("王")
    call = CallLog.objects.get()
    assert call.purpose == PURPOSE and call.stated_purpose == "2026年第3批低保复核"
    assert call.fields == ["name", "owner"] and call.rows_returned == 3
    assert call.grant.consumer_body == bodies["YC-MZJ"] and call.status_code == 200
    # Filtering: on a granted field, exact; on another field, refused (and logged).
    one = _get(client, ROWS + "?name=永川餐饮1号店", system).json()
    assert one["count"] == 1 and one["rows"][0]["name"] == "永川餐饮1号店"
    assert _get(client, ROWS + "?uscc=91500118MA5U000001", system).status_code == 400
    assert CallLog.objects.count() == 3


def test_personal_fields_in_full_when_the_grant_says_so(
    client, catalogue, consumer, bodies, granted
):
    granted(["name", "owner", "phone"], unmasked=True)
    system = consumer(bodies["YC-MZJ"])
    body = _get(client, ROWS, system).json()
    assert body["masked_fields"] == []
    assert {row["owner"] for row in body["rows"]} == {"王小明"}
    assert CallLog.objects.get().unmasked is True


def test_another_bodys_grant_does_not_serve(client, catalogue, consumer, bodies, granted):
    granted(["name"])
    system = consumer(bodies["YC-GAJ"], name="公安系统")
    assert _get(client, ROWS, system).status_code == 403


def test_an_expired_or_revoked_grant_is_refused(
    client, catalogue, consumer, bodies, granted, staff
):
    grant = granted(["name"])
    system = consumer(bodies["YC-MZJ"])
    assert _get(client, ROWS, system).status_code == 200
    Grant.objects.filter(pk=grant.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert _get(client, ROWS, system).status_code == 403
    Grant.objects.filter(pk=grant.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert _get(client, ROWS, system).status_code == 200
    services.revoke(grant, by=staff["scjg"], reason="复核工作结束")
    assert _get(client, ROWS, system).status_code == 403
    assert list(CallLog.objects.order_by("pk").values_list("status_code", flat=True)) == [
        200,
        403,
        200,
        403,
    ]


def test_the_list_names_the_granted_resources_with_their_fields(
    client, catalogue, consumer, bodies, granted
):
    granted(["name", "owner"])
    system = consumer(bodies["YC-MZJ"])
    listed = _get(client, "/api/sharing/resources/", system).json()
    assert [r["code"] for r in listed] == ["SCJG-FOOD"]
    assert [f["name"] for f in listed[0]["fields"]] == ["name", "owner"]
    assert listed[0]["masked_fields"] == ["owner"] and listed[0]["purpose"] == PURPOSE
    assert CallLog.objects.get().path == "/api/sharing/resources/"


def test_the_base_registry_answers_a_body_instead_of_the_citizen(
    client, catalogue, consumer, bodies, staff, people
):
    grant = services.request_grant(
        catalogue["people"], body=bodies["YC-MZJ"], purpose="核对低保申请人身份",
        fields=["real_name", "id_number"], by=staff["mzj"],
    )  # fmt: skip
    services.approve(grant, by=staff["dsj"], fields=["real_name", "id_number"])
    system = consumer(bodies["YC-MZJ"])
    body = _get(
        client, "/api/sharing/resources/BR-PEOPLE/rows?id_number=110105194912310021", system
    ).json()
    assert body["count"] == 1
    row = body["rows"][0]
    assert set(row) == {"real_name", "id_number"}
    assert row["id_number"] != "110105194912310021" and row["id_number"].startswith("1101")
    assert row["real_name"] != "李四光"


def test_rate_limited_per_consumer(client, catalogue, consumer, bodies, granted, settings):
    settings.EGOV_SHARING_RATE_LIMIT = (3, 3600)
    granted(["name"])
    system, other = consumer(bodies["YC-MZJ"]), consumer(bodies["YC-MZJ"], name="第二个系统")
    codes = [_get(client, ROWS, system).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = _get(client, ROWS, system)
    assert int(refused["Retry-After"]) >= 1
    assert _get(client, ROWS, other).status_code == 200  # counted per consumer
    assert CallLog.objects.filter(status_code=429, consumer=system).count() == 2


def test_open_data_api_and_downloads_never_carry_personal_fields(client, catalogue):
    listed = client.get("/api/open-data/resources/").json()
    assert [r["code"] for r in listed] == ["SCJG-MARKETS"]
    assert [f["name"] for f in listed[0]["fields"]] == ["market", "address"]
    rows = client.get("/api/open-data/resources/SCJG-MARKETS/rows").json()["rows"]
    assert rows == [
        {"market": "永川第0农贸市场", "address": "人民大道0号"},
        {"market": "永川第1农贸市场", "address": "人民大道1号"},
    ]
    assert client.get("/api/open-data/resources/SCJG-FOOD/rows").status_code == 404
    csv_text = b"".join(client.get("/open-data/SCJG-MARKETS/data.csv").streaming_content)
    assert csv_text.decode("utf-8-sig").splitlines()[0] == "market,address"
    assert "赵六".encode() not in csv_text
    data = client.get("/open-data/SCJG-MARKETS/data.json").json()
    assert data["fields"] == ["market", "address"] and len(data["rows"]) == 2

    import io

    from openpyxl import load_workbook

    xlsx = client.get("/open-data/SCJG-MARKETS/data.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)][0] == ["market", "address"]
    assert sheet.max_row == 3
    page = client.get("/open-data/SCJG-MARKETS/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "赵六" not in page.content.decode()
    assert client.get("/open-data/SCJG-FOOD/").status_code == 404
    assert client.get("/open-data/").status_code == 200


def test_the_openapi_description_names_both_parts(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/sharing/resources/{code}/rows" in schema["paths"]
    assert "/api/open-data/resources/" in schema["paths"]


@pytest.mark.urls("tests.sharing.urls")
def test_one_credential_client_credentials_token_then_the_api(client, catalogue, bodies, granted):
    granted(["name"])
    system, client_id, secret = services.register_consumer(body=bodies["YC-MZJ"], name="民政系统")
    response = client.post(
        "/test-oauth/token/",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    answer = client.get(ROWS, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and answer.json()["count"] == 3
    assert CallLog.objects.get().consumer == system
    wrong = client.post(
        "/test-oauth/token/",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "wrong"},
    )
    assert wrong.status_code == 401


@pytest.mark.urls("egov.urls.external")
def test_the_internet_facing_zone_serves_open_data_only(client, catalogue, consumer, bodies):
    assert client.get("/api/open-data/resources/").status_code == 200
    assert client.get("/open-data/SCJG-MARKETS/").status_code == 200
    system = consumer(bodies["YC-MZJ"])
    assert _get(client, "/api/sharing/resources/", system).status_code == 404
    paths = client.get("/api/openapi.json").json()["paths"]
    assert paths and all(path.startswith("/api/open-data/") for path in paths)


@pytest.mark.urls("egov.urls.internal")
def test_the_internal_zone_has_no_open_data_pages(client, catalogue):
    assert client.get("/open-data/").status_code == 404
    assert client.get("/api/open-data/resources/").status_code == 200  # the API has it
