"""Chinese search of the site group: words inside sentences are found, synonyms widen a query,
filters narrow it, matches are highlighted safely, and the index follows publication."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

from egov.portal import search, services
from egov.portal.models import (
    ArticlePage,
    ColumnKind,
    PolicyDocumentPage,
    SearchDocument,
    SearchEntry,
    Synonym,
)
from tests.conftest import login_verified
from tests.portal.conftest import add_column, add_document, make_staff

# --- the index and the query, without a database ----------------------------------------

SENTENCES = [
    "营业执照办理指南",
    "职工申请提取住房公积金需要提交哪些材料",
    "关于调整城乡居民基本医疗保险缴费标准的通知",
    "永川区人民政府关于印发优化营商环境若干措施的通知",
    "春季就业招聘会提供岗位4000余个",
]


def test_indexed_text_holds_the_words_and_the_bigrams():
    indexed = search.index_text("营业执照办理指南").split()
    assert {"营业执照", "营业", "执照", "办理", "指南"} <= set(indexed)
    assert {"业执", "照办", "理指"} <= set(indexed)  # bigrams across the words


def test_full_width_letters_and_digits_are_indexed_as_half_width():
    assert {"icp", "2021"} <= set(search.index_text("ＩＣＰ备案２０２１").split())


def test_punctuation_is_not_indexed():
    assert not set("，。“”（）、") & set(search.index_text("办事，（注意）“材料”。").split())


@given(
    sentence=st.sampled_from(SENTENCES),
    start=st.integers(min_value=0, max_value=30),
    length=st.integers(min_value=2, max_value=6),
)
def test_every_chinese_string_of_a_sentence_is_in_its_index(sentence, start, length):
    """The recall the bigrams give: every term of a query taken from a sentence is in the
    sentence's index, as a word or as all of its bigrams, whatever jieba made of either."""
    query = sentence[start : start + length]
    # Chinese strings of two characters or more (a single character is found only as a word:
    # docs/portal.md; a mix such as 位4 is two terms, each of them a word to find)
    assume(len(query) >= 2 and search.CJK_RUN.fullmatch(query))
    indexed = set(search.index_text(sentence).split())
    terms = search.parse_query(query, groups=[])
    assert terms
    for term in terms:
        assert term.text in search.normalise(sentence)
        assert term.text in indexed or set(search.bigrams(term.text)) <= indexed


def test_characters_that_make_no_word_are_looked_for_as_typed():
    assert [t.text for t in search.parse_query("区政", groups=[])] == ["区政"]


def test_question_words_and_single_characters_are_dropped_from_a_longer_query():
    terms = [t.text for t in search.parse_query("公积金怎么提取的", groups=[])]
    assert terms == ["公积金", "提取"]


def test_a_query_of_single_characters_keeps_them():
    assert [t.text for t in search.parse_query("税", groups=[])] == ["税"]


def test_synonyms_expand_a_term_and_the_words_containing_it():
    groups = [["社保", "社会保险"]]
    assert search.parse_query("社保", groups)[0].variants == ("社保", "社会保险")
    assert search.parse_query("社会保险", groups)[0].variants == ("社会保险", "社保")
    assert "社会保险卡" in search.parse_query("社保卡", groups)[0].variants


def test_words_that_together_spell_a_synonym_are_joined():
    terms = search.parse_query("社会 保险 缴费", [["社保", "社会保险"]])
    assert [t.text for t in terms] == ["社会保险", "缴费"]


def test_a_query_without_words_finds_nothing(db):
    assert search.parse_query("，。！？ ", groups=[]) == []
    assert list(search.search("，。！？").results) == []


# --- highlighting -----------------------------------------------------------------------


def test_highlighting_escapes_the_text_before_marking_matches():
    html = search.highlight('<script>alert("执照")</script> 营业执照', ["执照"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;<mark>执照</mark>&quot;)&lt;/script&gt;" in html
    assert html.endswith("营业<mark>执照</mark>")


def test_a_match_never_splits_an_escaped_entity():
    html = search.highlight("Tom & Jerry's amp", ["amp", "39"])
    assert html == "Tom &amp; Jerry&#x27;s <mark>amp</mark>"


def test_the_excerpt_is_cut_around_the_first_match():
    text = "前言。" * 100 + "这里说到营业执照。" + "后记。" * 100
    html = search.excerpt(text, ["营业执照"], length=40)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>营业执照</mark>" in html


@given(st.text(max_size=80), st.lists(st.text(min_size=1, max_size=4), max_size=3))
def test_highlighting_never_lets_markup_through(text, needles):
    html = search.highlight(text, needles)
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    assert html.replace("<mark>", "").replace("</mark>", "") == search.escape(text)


# --- searching the database -------------------------------------------------------------


def publish_article(column, title, content="<p>正文。</p>", days_ago=None, **fields):
    article = ArticlePage(
        title=title,
        slug=f"s{ArticlePage.objects.count() + 1}",
        content=content,
        live=False,
        **fields,
    )
    column.add_child(instance=article)
    article.save_revision().publish()
    if days_ago is not None:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        ArticlePage.objects.filter(pk=article.pk).update(first_published_at=when)
        search.follow_pages(ids=[article.pk])  # as the importer does for an old article
    article.refresh_from_db()
    return article


def titles(query, filters=None):
    return sorted(entry.title for entry in search.search(query, filters).results)


@pytest.fixture
def corpus(portal):
    news, notices = portal["news"], portal["notices"]
    made = {
        "licence": publish_article(
            news, "营业执照办理指南", "<p>企业可在区政务服务中心一次办好营业执照。</p>", 40
        ),
        "fund": publish_article(
            notices, "关于住房公积金提取的通知", "<p>职工购房可申请提取住房公积金。</p>", 20
        ),
        "insurance": publish_article(
            news, "城乡居民参加社会保险指南", "<p>按年缴纳社会保险费，享受待遇。</p>", 10
        ),
        "forest": publish_article(news, "春季义务植树活动举行", "<p>干部职工栽种桂花。</p>", 5),
        "town": publish_article(
            portal["qingfeng_news"], "青峰镇营业执照代办点开放", "<p>就近办理。</p>", 2
        ),
    }
    Synonym.objects.create(terms="社保, 社会保险")
    return portal | made


def test_two_character_words_inside_sentences_are_found(corpus):
    assert titles("执照") == ["营业执照办理指南", "青峰镇营业执照代办点开放"]
    assert titles("公积金") == ["关于住房公积金提取的通知"]
    assert titles("植树") == ["春季义务植树活动举行"]


def test_a_string_that_is_no_word_is_found_where_it_occurs(corpus):
    assert titles("心一") == ["营业执照办理指南"]  # …政务服务中心一次办好…


def test_a_word_the_segmenter_cut_differently_in_the_page_is_found(corpus):
    """jieba cuts the title into 区 / 市场 / 监管局, so 市场监管 is no token of the page:
    it is found through its bigrams (市场 场监 监管)."""
    publish_article(corpus["notices"], "区市场监管局发布通知")
    assert "市场监管" not in search.index_text("区市场监管局发布通知").split()
    assert titles("市场监管") == ["区市场监管局发布通知"]


def test_words_only_in_the_body_are_found(corpus):
    assert titles("桂花") == ["春季义务植树活动举行"]
    assert titles("购房") == ["关于住房公积金提取的通知"]


def test_unrelated_pages_are_not_found(corpus):
    assert titles("拆迁补偿") == []
    assert titles("执照 公积金") == []  # every word must match


def test_a_synonym_finds_the_other_term(corpus):
    assert titles("社保") == ["城乡居民参加社会保险指南"]


def test_a_synonym_group_edited_later_applies_at_once(corpus):
    assert titles("营业证") == []
    Synonym.objects.create(terms="营业证, 营业执照")
    assert titles("营业证") == ["营业执照办理指南", "青峰镇营业执照代办点开放"]


def test_a_query_typed_as_a_question_still_finds(corpus):
    assert titles("住房公积金怎么提取？") == ["关于住房公积金提取的通知"]


def test_the_search_is_limited_to_a_site_or_open_to_the_whole_group(corpus, bodies):
    congress = services.create_site(bodies["YC-RD"], hostname="rd.localhost", title="永川人大")
    column = add_column(congress, "人大要闻", ColumnKind.NEWS, slug="rd-news")
    publish_article(column, "人大代表视察营业执照办理窗口")
    portal_only = search.SearchFilters(within=corpus["home"])
    assert "人大代表视察营业执照办理窗口" not in titles("执照", portal_only)
    assert titles("执照", search.SearchFilters(within=congress)) == ["人大代表视察营业执照办理窗口"]
    assert len(titles("执照")) == 3


def test_filters_by_column_type_and_date(corpus):
    town = search.SearchFilters(column=corpus["qingfeng_news"])
    assert titles("执照", town) == ["青峰镇营业执照代办点开放"]
    add_document(corpus["policies"], "关于营业执照登记管理的规定")
    documents = search.SearchFilters(types=[PolicyDocumentPage])
    assert titles("执照", documents) == ["关于营业执照登记管理的规定"]
    today = timezone.localdate()
    recent = search.SearchFilters(date_from=today - datetime.timedelta(days=30))
    assert "营业执照办理指南" not in titles("执照", recent)
    older = search.SearchFilters(
        date_from=today - datetime.timedelta(days=60), date_to=today - datetime.timedelta(days=30)
    )
    assert titles("执照", older) == ["营业执照办理指南"]


def test_newest_first_orders_by_publication(corpus):
    newest = search.search("执照", search.SearchFilters(order=search.Order.NEWEST)).results
    assert [entry.title for entry in newest] == ["青峰镇营业执照代办点开放", "营业执照办理指南"]


def test_the_index_follows_publication(corpus):
    article = corpus["forest"]
    revision = article.save_revision()
    article.content = "<p>今年新栽香樟树。</p>"
    revision = article.save_revision()
    revision.publish()
    assert titles("香樟") == ["春季义务植树活动举行"]
    assert titles("桂花") == []
    article.refresh_from_db()
    article.unpublish()
    assert titles("植树") == []
    assert not SearchEntry.objects.filter(page_id=article.pk).exists()


def test_a_draft_is_not_found(corpus):
    draft = ArticlePage(
        title="草稿：不动产登记", slug="draft", content="<p>未发布。</p>", live=False
    )
    corpus["news"].add_child(instance=draft)
    draft.save_revision()
    assert titles("不动产") == []


def test_a_deleted_page_leaves_the_index(corpus):
    corpus["forest"].delete()
    assert titles("植树") == []


def test_pages_behind_a_view_restriction_are_not_found(corpus):
    PageViewRestriction.objects.create(
        page=corpus["notices"], restriction_type=PageViewRestriction.LOGIN
    )
    assert titles("公积金") == []


def test_rebuilding_the_index_restores_missing_entries(corpus):
    SearchEntry.objects.all().delete()
    assert titles("执照") == []
    assert search.rebuild_index() >= 5
    assert titles("执照") == ["营业执照办理指南", "青峰镇营业执照代办点开放"]


# --- synonyms as data -------------------------------------------------------------------


def test_a_synonym_group_needs_two_terms(db):
    with pytest.raises(ValidationError) as raised:
        Synonym(terms="社保").full_clean()
    assert "at least two different terms" in str(raised.value)


def test_a_term_belongs_to_one_group(db):
    Synonym.objects.create(terms="社保, 社会保险")
    with pytest.raises(ValidationError) as raised:
        Synonym(terms="社会保险, 五险").full_clean()
    assert "already in the group" in str(raised.value)


def test_a_synonym_group_is_normalised_when_cleaned(db):
    group = Synonym(terms="社保，社会保险、 ＳＢ")
    group.full_clean()
    assert group.terms == "社保, 社会保险, sb"


def test_terms_with_punctuation_are_refused(db):
    with pytest.raises(ValidationError) as raised:
        Synonym(terms="社保, 社会-保险").full_clean()
    assert "not a single term" in str(raised.value)


def test_synonyms_are_edited_in_the_cms(client, db):
    admin = make_staff("root")
    admin.is_superuser = True
    admin.save()
    login_verified(client, admin)
    response = client.post(
        "/cms/snippets/portal/synonym/add/", {"terms": "公积金, 住房公积金", "note": ""}
    )
    assert response.status_code == 302, response.content[:2000]
    assert Synonym.objects.get().term_list() == ["公积金", "住房公积金"]
    assert "公积金" in client.get("/cms/snippets/portal/synonym/").content.decode()


# --- the search page --------------------------------------------------------------------


def test_the_search_page_shows_highlighted_results(client, corpus):
    response = client.get("/search/", {"q": "执照"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "营业<mark>执照</mark>办理指南" in html
    assert "要闻动态" in html  # the column the result is in
    assert "公积金" not in html.split('class="search-results"')[1]


def test_the_search_page_escapes_what_was_typed(client, corpus):
    html = client.get("/search/", {"q": '<img src=x onerror="alert(1)">执照'}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_the_search_page_searches_the_group_on_request(client, corpus, bodies):
    congress = services.create_site(bodies["YC-RD"], hostname="rd.localhost", title="永川人大")
    column = add_column(congress, "人大要闻", ColumnKind.NEWS, slug="rd-news")
    publish_article(column, "人大代表视察营业执照办理窗口")
    site_only = client.get("/search/", {"q": "执照"}).content.decode()
    assert "人大代表视察" not in site_only
    group = client.get("/search/", {"q": "执照", "scope": "group"}).content.decode()
    assert "人大代表视察" in group and "永川人大" in group
    assert 'name="site"' in group  # the group's sites can be chosen
    congress_site = congress.get_site()
    only_congress = client.get(
        "/search/", {"q": "执照", "scope": "group", "site": congress_site.pk}
    ).content.decode()
    assert "人大代表视察" in only_congress and "青峰镇" not in only_congress


def test_bad_filters_get_a_message_and_keep_what_was_typed(client, corpus):
    html = client.get(
        "/search/",
        {"q": "执照", "date_from": "2026-13-45", "column": "999999"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Enter the date as year-month-day, such as 2026-03-01." in html
    assert "That column is not on the site searched" in html
    assert 'value="2026-13-45"' in html
    assert 'value="执照"' in html
    assert 'class="search-results"' not in html


def test_dates_in_the_wrong_order_are_refused(client, corpus):
    html = client.get(
        "/search/", {"q": "执照", "date_from": "2026-05-01", "date_to": "2026-04-01"}
    ).content.decode()
    assert 'class="search-results"' not in html
    assert 'value="2026-05-01"' in html and 'value="2026-04-01"' in html


def test_results_come_ten_to_a_page_and_the_pages_keep_the_query(client, portal):
    for number in range(12):
        publish_article(portal["news"], f"营业执照问答第{number + 1}期")
    first = client.get("/search/", {"q": "执照"}).content.decode()
    assert first.count("<h3>") == 10
    assert "?q=%E6%89%A7%E7%85%A7&amp;page=2" in first
    second = client.get("/search/", {"q": "执照", "page": 2}).content.decode()
    assert second.count("<h3>") == 2


def test_the_search_page_without_a_query_shows_the_form(client, portal):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert 'class="search-results"' not in response.content.decode()


# --- in a real browser ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_then_report_an_error_in_a_browser(live_server, browser, portal):
    """Search → results → the page found → its error report, without JavaScript for the
    visitor; axe-core (WCAG 2.1 A/AA) finds nothing on the way, the form in error included."""
    from egov.portal.forms_reports import MIN_SECONDS
    from egov.portal.models import ErrorReport
    from tests.e2e.test_accessibility import _violations
    from tests.portal.test_browser import check_with_axe

    article = publish_article(
        portal["news"], "营业执照办理指南", "<p>企业可在区政务服务中心一次办好营业执照。</p>"
    )
    publish_article(portal["news"], "春季义务植树活动举行", "<p>干部职工栽种桂花。</p>")

    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/search/")
        assert check_with_axe(browser, page.url, context.cookies()) == []
        page.fill("#id_q", "执照")
        page.click("form:has(#id_q) button[type=submit]")
        page.wait_for_load_state()
        assert "q=" in page.url
        assert page.locator(".search-results li").count() == 1
        assert page.locator(".search-results mark").first.inner_text() == "执照"
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click(".search-results a")
        page.wait_for_load_state()
        assert page.url == live_server.url + article.url
        page.click("a[href^='/report-error/']")
        page.wait_for_load_state()
        report_url = page.url
        assert page.input_value("#id_address") == article.url
    finally:
        context.close()

    # The form in a JavaScript context, so that axe can check it as the server answered it.
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(report_url)
        assert _violations(page) == []
        page.select_option("#id_kind", "typo")
        page.fill("#id_description", "“营业执照”下面一段有错别字。")
        page.fill("#id_contact", "12345")
        page.click("button[type=submit].primary")
        page.wait_for_load_state()
        assert page.locator("#id_contact_error").count() == 1
        assert page.input_value("#id_description") == "“营业执照”下面一段有错别字。"
        assert _violations(page) == []

        page.fill("#id_contact", "visitor@example.com")
        page.wait_for_timeout((MIN_SECONDS + 1) * 1000)  # a person takes a moment
        page.click("button[type=submit].primary")
        page.wait_for_load_state()
        assert "/report-error/status/" in page.url
        assert "v******@example.com" in page.content()
        assert _violations(page) == []
    finally:
        context.close()
    assert ErrorReport.objects.get().address == article.url


# --- what every page type gives the search ----------------------------------------------


def test_a_policy_document_is_found_by_its_document_and_index_numbers(portal):
    document = add_document(
        portal["policies"],
        "关于印发中小学校园安全管理办法的通知",
        document_number="永川教发〔2025〕17号",
    )
    add_document(
        portal["policies"], "关于调整公交票价的通知", document_number="永川交发〔2025〕3号"
    )
    assert document.index_number  # allocated on publication, after the first indexing
    assert titles("永川教发〔2025〕17号") == ["关于印发中小学校园安全管理办法的通知"]
    assert titles("教发 17号") == ["关于印发中小学校园安全管理办法的通知"]
    assert titles(document.index_number) == ["关于印发中小学校园安全管理办法的通知"]
    assert titles("交发〔2025〕3号") == ["关于调整公交票价的通知"]


def test_an_interpretation_is_found_by_a_word_in_its_body(portal):
    from egov.portal.models import InterpretationPage

    document = add_document(portal["policies"], "关于印发养老服务补贴办法的通知")
    interpretations = add_column(portal["home"], "政策解读", ColumnKind.INTERPRETATION)
    page = InterpretationPage(
        title="养老服务补贴办法政策解读",
        slug="jiedu",
        policy=document,
        content="<p>高龄老人每月可领取助餐补贴，由社区食堂直接抵扣。</p>",
        live=False,
    )
    interpretations.add_child(instance=page)
    page.save_revision().publish()
    assert titles("社区食堂") == ["养老服务补贴办法政策解读"]
    assert titles("抵扣") == ["养老服务补贴办法政策解读"]


def test_leaders_profiles_topics_and_downloads_are_found_by_their_text(portal, bodies):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from egov.portal.models import (
        BodyProfilePage,
        DownloadItem,
        DownloadsPage,
        LeaderProfilePage,
        TopicPage,
    )

    home = portal["home"]
    leaders = add_column(home, "区政府领导", ColumnKind.LEADERS)
    leader = LeaderProfilePage(
        title="陈建华", slug="chen", position="区长", responsibilities="<p>负责审计和机构编制。</p>"
    )
    topics = add_column(home, "专题专栏", ColumnKind.TOPICS)
    topic = TopicPage(title="乡村振兴", slug="rural", intro="茶产业带动茶农增收。")
    body = bodies["YC-SCJG"]
    body.functions = "负责市场主体统一登记注册和特种设备安全监督。"
    body.save()
    profile = BodyProfilePage(title="机构职能", slug="scjg-profile", body=body)
    document = Document(title="个体工商户设立登记申请书")
    document.file.save("geti.txt", ContentFile(b"demo"), save=False)
    document.save()
    downloads = DownloadsPage(title="表格下载", slug="downloads")
    downloads.downloads.add(DownloadItem(document=document, note="一式两份"))
    for parent, page in ((leaders, leader), (topics, topic), (home, profile), (home, downloads)):
        page.live = False
        parent.add_child(instance=page)
        page.save_revision().publish()

    assert titles("机构编制") == ["陈建华"]
    assert titles("茶农") == ["乡村振兴"]
    assert titles("特种设备") == ["机构职能"]
    assert titles("个体工商户") == ["表格下载"]
    assert titles("一式两份") == ["表格下载"]
    assert titles("茶农", search.SearchFilters(types=[TopicPage])) == ["乡村振兴"]
    assert titles("茶农", search.SearchFilters(types=[LeaderProfilePage])) == []


def test_a_moved_page_is_searched_in_its_new_column(corpus):
    """The search's copy of the page's path (PostgreSQL's search reads it, decision 0015)
    follows a move, for the page and everything under it."""
    town = search.SearchFilters(column=corpus["qingfeng_news"])
    news = search.SearchFilters(column=corpus["news"])
    assert "营业执照办理指南" not in titles("执照", town)
    corpus["licence"].move(corpus["qingfeng_news"], pos="last-child")
    assert titles("执照", town) == ["营业执照办理指南", "青峰镇营业执照代办点开放"]
    assert "营业执照办理指南" not in titles("执照", news)
    if connection.vendor == "postgresql":
        moved = Page.objects.get(pk=corpus["licence"].pk)
        assert SearchDocument.objects.get(pk=moved.pk).path == moved.path


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (SQLite keeps Wagtail's query): run with DATABASE_URL=postgres://…",
)
def test_the_search_document_carries_the_pages_path_type_date_and_words(corpus):
    licence = Page.objects.get(pk=corpus["licence"].pk)
    row = SearchDocument.objects.get(pk=licence.pk)
    assert (row.path, row.content_type_id) == (licence.path, licence.content_type_id)
    assert row.published_at == licence.first_published_at
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text, title_document::text FROM portal_searchdocument "
            "WHERE entry_id = %s",
            [licence.pk],
        )
        document, title = cursor.fetchone()
    assert "'执照'" in document and "'一次'" in document  # title and text, no positions
    assert ":" not in document
    assert "'执照'" in title and "'一次'" not in title
    # Unpublished: gone with its entry.
    corpus["licence"].unpublish()
    assert not SearchDocument.objects.filter(pk=licence.pk).exists()
