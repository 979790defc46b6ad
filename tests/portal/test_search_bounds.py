"""Search on PostgreSQL shows at most MAX_RESULTS results (search.BoundedResults): the
newest matches, ranked best first, counted up to the limit, and the page says when more
match. (SQLite keeps Wagtail's own ranking of every match.)"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from egov.portal import search
from tests.portal.conftest import add_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL only: run with DATABASE_URL=…"
    ),
]


@pytest.fixture
def articles(portal):
    made = []
    now = timezone.now()
    for number in range(5):
        article = add_article(portal["news"], f"营商环境动态{number}", slug=f"b{number}")
        made.append(article)
    # The oldest has the word in its title twice and in its text: the best match of all.
    best = add_article(
        portal["news"],
        "营商环境营商环境专题",
        slug="best",
        summary="营商环境",
    )
    best.first_published_at = now - datetime.timedelta(days=30)
    best.save_revision().publish()
    return {"all": made, "best": best}


def test_at_most_the_limit_is_counted_and_shown(articles, portal, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    outcome = search.search("营商环境", search.SearchFilters(within=portal["home"]))
    assert outcome.results.count() == 3
    assert outcome.capped
    assert len(outcome.results[0:10]) == 3


def test_below_the_limit_every_match_is_ranked_best_first(articles, portal):
    outcome = search.search("营商环境", search.SearchFilters(within=portal["home"]))
    assert outcome.results.count() == 6
    assert not outcome.capped
    assert outcome.results[0:1][0].page_id == articles["best"].pk


def test_newest_first_pages_through_the_matches(articles, portal):
    filters = search.SearchFilters(within=portal["home"], order=search.Order.NEWEST)
    outcome = search.search("营商环境", filters)
    first, rest = outcome.results[0:2], outcome.results[2:10]
    shown = [entry.page_id for entry in first + rest]
    assert len(shown) == 6 and len(set(shown)) == 6
    assert shown[-1] == articles["best"].pk  # the oldest last


def test_the_results_page_says_when_more_match(client, articles, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    html = client.get("/search/?q=营商环境", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 3 pages found; the newest 3 are shown" in html


def test_a_search_repeated_in_a_generation_is_remembered_until_a_publication(articles, portal):
    from django.test.utils import CaptureQueriesContext

    def newest():
        outcome = search.search("营商环境", search.SearchFilters(within=portal["home"]))
        with CaptureQueriesContext(connection) as queries:
            ids = list(outcome.results.ids)
        reads = [q for q in queries.captured_queries if "portal_searchdocument" in q["sql"]]
        return ids, len(reads)

    first, reads = newest()
    assert reads >= 1
    again, reads = newest()
    assert again == first and reads == 0
    latest = add_article(portal["news"], "营商环境最新动态", slug="latest")
    after, reads = newest()
    assert reads >= 1 and after[0] == latest.pk
