"""The hall's home page: browsing by life event, enterprise stage, body and audience shows
exactly the items offered there; the search finds items by a word inside their names or
guides; paging; a withdrawn item leaves the hall; only public zones serve it."""

import re

import pytest
from django.test import override_settings

from egov.exchange.transports import loopback
from egov.hall import catalogue, views
from egov.services import services
from egov.services.models import PublishedServiceItem, ServiceItem
from egov.services.seed_data import ITEMS

from .conftest import publish_and_deliver

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="/hall/items/([0-9A-Z]+)/"')


def listed(client, **params) -> list[str]:
    """The names of the items on the hall's list for ``params``, every page."""
    names, page = [], 1
    while True:
        response = client.get("/hall/", {**params, "page": page})
        assert response.status_code == 200
        codes = LINK.findall(response.content.decode())
        names += [PublishedServiceItem.objects.get(implementation_code=c).name for c in codes]
        if 'rel="next"' not in response.content.decode():
            return names
        page += 1


def expected(predicate) -> set[str]:
    return {seed.name for seed in ITEMS if predicate(seed)}


def test_the_home_page_lists_every_offered_item_and_the_ways_to_browse(client, seeded):
    response = client.get("/hall/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "All services (31)" in html
    for heading in ("For individuals: by life event", "For enterprises: by stage", "By body"):
        assert heading in html
    assert 'href="?event=birth"' in html and 'href="?stage=closure"' in html
    assert 'href="?body=YC-GAJ"' in html and 'href="?audience=legal"' in html
    assert sorted(listed(client)) == sorted(seed.name for seed in ITEMS)


def test_browsing_by_life_event_or_stage_shows_its_items_and_no_other(client, seeded):
    # One seeded catalogue for every event and stage (seeding it takes seconds).
    for event in ["birth", "schooling", "marriage", "housing", "after_death"]:
        want = expected(lambda seed, event=event: event in seed.life_events)
        assert want, f"the seed should have items for the life event {event}"
        assert set(listed(client, event=event)) == want, event
    for stage in ["start", "change", "closure"]:
        want = expected(lambda seed, stage=stage: stage in seed.enterprise_stages)
        assert want, f"the seed should have items for the stage {stage}"
        assert set(listed(client, stage=stage)) == want, stage


def test_browsing_by_body_and_by_audience(client, seeded):
    assert set(listed(client, body="YC-GAJ")) == {"居民身份证换领", "居民身份证遗失补领"}
    legal = expected(lambda seed: seed.audience in ("legal", "both"))
    natural = expected(lambda seed: seed.audience in ("natural", "both"))
    assert set(listed(client, audience="legal")) == legal
    assert set(listed(client, audience="natural")) == natural
    assert "个体工商户设立登记" in natural - legal  # serves individuals only
    # Facets combine: a body's items for a life event.
    both = expected(lambda seed: seed.body == "YC-SCJG" and "start" in seed.enterprise_stages)
    assert set(listed(client, body="YC-SCJG", stage="start")) == both


def test_an_unknown_filter_value_is_refused_with_a_message(client, seeded):
    response = client.get("/hall/", {"event": "moon-landing"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Choose a life event from the list." in response.content.decode()


def test_search_finds_an_item_by_a_two_character_word_inside_its_name(client, seeded):
    # 执照 is inside 营业执照 (a material and result), 注销 inside 企业简易注销登记.
    names = listed(client, q="注销")
    assert names[0] == "企业简易注销登记"
    assert "结婚" not in "".join(names)
    names = listed(client, q="换领")
    assert set(names) >= {"居民身份证换领"}
    assert "居民身份证遗失补领" not in names
    # A word of the guide only (a material's name): found, after items named with it.
    names = listed(client, q="执照")
    assert "个体工商户设立登记" in names  # result 营业执照
    assert "居民身份证换领" not in names
    # Question words are dropped; full-width and English work.
    assert "内地居民结婚登记" in listed(client, q="怎么办理结婚登记")
    assert "居民身份证换领" in listed(client, q="IDENTITY CARD")
    assert listed(client, q="火星移民") == []


def test_search_combines_with_the_facets(client, seeded):
    assert "内地居民结婚登记" in listed(client, q="结婚")
    assert listed(client, q="结婚", body="YC-GAJ") == []
    assert "内地居民结婚登记" in listed(client, q="登记", event="marriage")
    assert "居民身份证换领" not in listed(client, q="登记", event="marriage")


def test_search_text_covers_the_guide_and_a_query_matches_every_term():
    item = PublishedServiceItem(
        name="测试事项",
        name_en="Test",
        body_name_zh="区测试局",
        guide={"conditions": "申请人年满十八周岁", "materials": [{"name": "户口簿"}], "faqs": []},
    )
    text = catalogue.search_text(item)
    assert "户口簿" in text and "十八周岁" in text and "区测试局" in text


def test_the_list_is_paged(client, seeded, monkeypatch):
    monkeypatch.setattr(views, "ITEMS_PER_PAGE", 10)
    first = client.get("/hall/").content.decode()
    assert len(LINK.findall(first)) == 10 and 'rel="next"' in first
    last = client.get("/hall/", {"page": 4}).content.decode()
    assert len(LINK.findall(last)) == 1 and 'rel="next"' not in last
    assert len(set(listed(client))) == 31


def test_a_withdrawn_item_disappears_from_the_hall(client, seeded):
    code = seeded["居民身份证换领"].implementation_code
    item = ServiceItem.objects.get(implementation_code=code)
    assert client.get(f"/hall/items/{code}/").status_code == 200
    services.withdraw_item(item, None, reason="测试停用")
    assert loopback.deliver().applied == 1
    assert "居民身份证换领" not in listed(client)
    assert "居民身份证换领" not in listed(client, body="YC-GAJ")
    assert "居民身份证换领" not in listed(client, q="换领")
    assert client.get(f"/hall/items/{code}/").status_code == 404
    # Publishing a new version offers it again.
    publish_and_deliver(services.new_draft(item))
    assert "居民身份证换领" in listed(client, body="YC-GAJ")


@override_settings(ROOT_URLCONF="egov.urls.internal")
def test_the_internal_zone_does_not_serve_the_hall(client, seeded):
    code = seeded["个体工商户设立登记"].implementation_code
    assert client.get("/hall/").status_code == 404
    assert client.get(f"/hall/items/{code}/").status_code == 404


@override_settings(ROOT_URLCONF="egov.urls.external")
def test_the_external_zone_serves_the_hall(client, seeded):
    code = seeded["个体工商户设立登记"].implementation_code
    assert client.get("/hall/").status_code == 200
    assert client.get(f"/hall/items/{code}/").status_code == 200


def test_the_hall_answers_only_safe_methods(client, seeded):
    assert client.post("/hall/").status_code == 405
