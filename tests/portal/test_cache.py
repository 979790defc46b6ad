"""The anonymous page cache (egov/portal/cache.py): a second anonymous visit is served from
memory; a publication, an unpublication, a move, a deletion, a change of a site's settings,
of a snippet or of the directory — also by the worker, in another process — is shown at once;
logged-in users, search and the error-report form are never cached; elder mode and language
are kept apart; and no visitor ever gets another visitor's CSRF token."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from egov.directory.models import Organisation
from egov.portal import cache, tasks
from egov.portal.models import PageCacheGeneration, Synonym
from tests.portal.conftest import add_article, add_column, make_citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def article(portal):
    return add_article(portal["news"], "区政府召开常务会议", slug="meeting")


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    response.queries = len(queries)
    return response


def tokens_of(response) -> set[str]:
    return set(TOKEN.findall(response.content.decode()))


def test_a_second_anonymous_visit_is_served_from_the_cache(client, article):
    first = get(client, article.url)
    second = get(client, article.url)
    assert first.status_code == second.status_code == 200
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    # Rendering costs queries; a hit reads the generation only (every request, in the tests).
    assert first.queries > 5
    assert second.queries <= 1
    assert "区政府召开常务会议" in second.content.decode()
    # The same page, but for the CSRF tokens.
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    for response in (first, second):
        assert response["Cache-Control"] == "private, no-cache"
        assert response["ETag"]
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"]


def test_a_head_request_is_answered_from_the_cache_too(client, article):
    get(client, article.url)
    assert client.head(article.url)["X-Cache"] == "hit"


def test_each_page_of_a_column_is_kept_apart_and_other_queries_are_not_cached(client, portal):
    for number in range(25):
        add_article(portal["news"], f"动态{number}")
    url = portal["news"].url
    assert get(client, url)["X-Cache"] == "miss"
    assert get(client, url + "?page=2")["X-Cache"] == "miss"
    assert "动态0" in get(client, url + "?page=2").content.decode()
    assert get(client, url + "?page=2")["X-Cache"] == "hit"
    other = get(client, url + "?utm_source=mail")
    assert other.status_code == 200
    assert "X-Cache" not in other
    assert get(client, url + "?utm_source=mail").queries > 5


def test_publishing_a_change_shows_it_at_once(client, article):
    get(client, article.url)
    assert get(client, article.url)["X-Cache"] == "hit"
    article.title = "区政府召开第十次常务会议"
    article.save_revision().publish()
    response = get(client, article.url)
    assert response["X-Cache"] == "miss"
    assert "第十次常务会议" in response.content.decode()
    # Pages that list it (the column, the home page's feed) are fresh too.
    assert "第十次常务会议" in get(client, "/").content.decode()


def test_a_draft_leaves_the_cache_alone(client, article):
    get(client, article.url)
    article.title = "草稿标题"
    article.save_revision()
    response = get(client, article.url)
    assert response["X-Cache"] == "hit"
    assert "草稿标题" not in response.content.decode()


def test_a_new_article_appears_in_its_cached_column(client, portal, article):
    get(client, portal["news"].url)
    assert get(client, portal["news"].url)["X-Cache"] == "hit"
    add_article(portal["news"], "新发布的通知")
    assert "新发布的通知" in get(client, portal["news"].url).content.decode()


def test_an_unpublished_page_is_gone_at_once(client, article):
    get(client, article.url)
    article.unpublish()
    assert get(client, article.url).status_code == 404


def test_a_deleted_page_is_gone_at_once(client, article):
    url = article.url
    get(client, url)
    article.delete()
    assert get(client, url).status_code == 404


def test_a_moved_page_is_gone_from_its_old_address(client, portal, article):
    url = article.url
    get(client, url)
    article.move(portal["notices"], pos="last-child")
    moved = get(client, url)
    assert "X-Cache" not in moved
    assert moved.status_code == 301  # Wagtail's redirect from the old address
    article.refresh_from_db()
    assert get(client, article.url).status_code == 200


def test_the_scheduled_publishing_task_invalidates(client, article):
    """The worker's task (tasks.publish_scheduled, Wagtail's publish_scheduled) publishes a
    revision whose time has come: the change is shown, not the cached page."""
    article.title = "定时发布的新标题"
    article.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()  # scheduled: the live page keeps its old title for now
    get(client, article.url)
    cached = get(client, article.url)
    assert cached["X-Cache"] == "hit"
    assert "定时发布的新标题" not in cached.content.decode()
    # An hour passes: the go-live time (in the revision and its approval) is behind us.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    assert get(client, article.url)["X-Cache"] == "hit"  # a revision saved changes nothing
    tasks.publish_scheduled.call_local()
    response = get(client, article.url)
    assert response["X-Cache"] == "miss"
    assert "定时发布的新标题" in response.content.decode()


def test_a_change_made_by_another_process_reaches_this_one(client, article, settings):
    """The worker publishes in its own process: what reaches the web server is the
    generation in the database, read at most every RECHECK_SECONDS."""
    settings.EGOV_PAGE_CACHE = {**settings.EGOV_PAGE_CACHE, "RECHECK_SECONDS": 60}
    get(client, article.url)
    assert get(client, article.url)["X-Cache"] == "hit"
    # Another process starts a new generation (as cache.invalidate does there).
    PageCacheGeneration.objects.filter(pk=1).update(token="from-the-worker")
    assert get(client, article.url)["X-Cache"] == "hit"  # not read again yet
    cache.generation.checked -= 61  # a minute later
    assert get(client, article.url)["X-Cache"] == "miss"
    assert get(client, article.url)["X-Cache"] == "hit"


def test_a_change_of_the_sites_settings_shows_at_once(client, portal, article):
    get(client, article.url)
    settings = portal["settings"]
    settings.contact_phone = "023-49899999"
    settings.save()
    response = get(client, article.url)
    assert response["X-Cache"] == "miss"
    assert "023-49899999" in response.content.decode()


def test_a_change_of_a_snippet_or_the_directory_invalidates(client, portal, bodies):
    get(client, "/")
    assert get(client, "/")["X-Cache"] == "hit"
    Synonym.objects.create(terms="社保, 社会保险")
    assert get(client, "/")["X-Cache"] == "miss"
    town = Organisation.objects.get(code="YC-JL")
    town.name_zh = "金龙镇人民政府"
    town.save()
    response = get(client, "/")
    assert response["X-Cache"] == "miss"
    assert "金龙镇人民政府" in response.content.decode()


def test_logged_in_users_are_never_served_from_the_cache_nor_stored(client, article):
    get(Client(), article.url)  # an anonymous visit fills the cache
    citizen = make_citizen("visitor1")
    client.force_login(citizen)
    for _ in range(2):
        response = get(client, article.url)
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
        assert "visitor1" in response.content.decode()
    # What the logged-in user got was not stored for anybody.
    cache.store.clear()
    get(client, article.url)
    anonymous = get(Client(), article.url)
    assert anonymous["X-Cache"] == "miss"
    assert "visitor1" not in anonymous.content.decode()


def test_any_other_cookie_bypasses_the_cache(article):
    get(Client(), article.url)
    visitor = Client()
    visitor.cookies["sessionid"] = "whatever"
    assert "X-Cache" not in get(visitor, article.url)
    visitor = Client()
    visitor.cookies["messages"] = "x"
    assert "X-Cache" not in get(visitor, article.url)


@pytest.mark.parametrize("url", ["/search/?q=常务会议", "/report-error/?page=/news/"])
def test_search_and_the_error_report_form_are_never_cached(client, article, url):
    for _ in range(2):
        response = get(client, url)
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert response.queries > 1
    assert len(cache.store) == 0


def test_a_page_behind_a_view_restriction_is_never_cached(client, article):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response = get(client, article.url)
        assert "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]
        assert "区政府召开常务会议" not in response.content.decode()


def test_elder_mode_and_language_are_cached_apart(article):
    standard = get(Client(), article.url)
    elder_client = Client()
    elder_client.cookies["egov_elder"] = "1"
    elder = get(elder_client, article.url)
    assert elder["X-Cache"] == "miss"
    assert 'class="elder"' in elder.content.decode()
    assert 'class="elder"' not in standard.content.decode()
    again = get(elder_client, article.url)
    assert again["X-Cache"] == "hit"
    assert 'class="elder"' in again.content.decode()
    assert 'class="elder"' not in get(Client(), article.url).content.decode()

    english = get(Client(), article.url, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Cache"] == "miss"
    assert '<html lang="en"' in english.content.decode()
    assert get(Client(), article.url, HTTP_ACCEPT_LANGUAGE="en")["X-Cache"] == "hit"
    chinese = get(Client(), article.url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert chinese["X-Cache"] == "hit"
    assert '<html lang="zh-Hans"' in chinese.content.decode()


def test_anonymous_pages_carry_no_csrf_token_and_the_switches_need_none(article):
    """Decision 0014: the language and elder-mode switches post without a CSRF token, so an
    anonymous page is the same for every visitor (and can be served before Python)."""
    visitor = Client(enforce_csrf_checks=True)
    page = get(visitor, article.url)
    assert not tokens_of(page) and "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in visitor.cookies
    assert get(Client(), article.url).content == page.content
    switched = visitor.post("/prefs/elder/", {"elder": "1", "next": article.url})
    assert switched.status_code == 302 and switched["Location"] == article.url
    assert visitor.cookies["egov_elder"].value == "1"
    english = visitor.post("/prefs/language/", {"language": "en", "next": article.url})
    assert english.status_code == 302
    assert visitor.cookies["django_language"].value == "en"
    assert '<html lang="en"' in get(visitor, article.url).content.decode()
    # Only a language of the site, and never a redirect elsewhere.
    odd = visitor.post("/prefs/language/", {"language": "xx", "next": "https://evil.example/"})
    assert odd["Location"] == "/" and visitor.cookies["django_language"].value == "en"
    assert visitor.get("/prefs/language/").status_code == 405


def test_a_page_with_a_form_that_posts_is_never_stored(client, article, monkeypatch):
    from django.middleware.csrf import get_token

    from egov.portal.models import ArticlePage

    original = ArticlePage.get_context

    def with_a_form(self, request, *args, **kwargs):
        context = original(self, request, *args, **kwargs)
        context["form_token"] = get_token(request)  # as {% csrf_token %} would
        return context

    monkeypatch.setattr(ArticlePage, "get_context", with_a_form)
    first = get(client, article.url)
    assert "X-Cache" not in first and "csrftoken" in first.cookies
    assert "X-Cache" not in get(Client(), article.url)
    assert len(cache.store) == 0


def test_an_unchanged_page_costs_a_304(client, article):
    first = get(client, article.url)
    again = get(client, article.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    # The page is the same for every anonymous visitor, and so is its ETag.
    assert get(Client(), article.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # After a change the old ETag no longer matches.
    article.title = "区政府召开第十次常务会议"
    article.save_revision().publish()
    changed = get(client, article.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_responses_setting_a_cookie_or_touching_the_session_are_not_stored(portal):
    request = RequestFactory().get("/news/")
    request._egov_portal_page = True
    response = cache.HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
    assert cache._storable(request, response)
    response.set_cookie("messages", "x")
    assert not cache._storable(request, response)
    fresh = cache.HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
    fresh["Cache-Control"] = "private, no-store"
    assert not cache._storable(request, fresh)


def test_a_column_in_another_site_follows_the_same_rules(client, portal):
    column = add_column(portal["qingfeng"], "青峰通知", slug="qf-notices")
    get(client, column.url)
    assert get(client, column.url)["X-Cache"] == "hit"


def test_the_cache_can_be_switched_off(client, article, settings):
    settings.EGOV_PAGE_CACHE = {**settings.EGOV_PAGE_CACHE, "ENABLED": False}
    for _ in range(2):
        response = get(client, article.url)
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
