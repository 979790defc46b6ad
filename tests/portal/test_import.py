"""manage.py portal_import: an old site's HTML pages with their sitemap, a GB18030 CSV export
with bad rows and a JSON export (tests/portal/import_samples/, described in its README) go
into the portal with their original dates and columns; old addresses redirect to the new
pages; every bad row is reported with its reason while the others are imported; a second run
creates nothing; a dry run writes nothing."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from egov.core.models import AuditEntry
from egov.portal.importer import html as html_pages
from egov.portal.importer.dates import DateError, find_publication_date, parse_date
from egov.portal.importer.files import FileRefusedError, check_file
from egov.portal.importer.service import Importer
from egov.portal.models import ArticlePage
from egov.portal.models.search import SearchEntry
from tests.portal.conftest import make_citizen, make_staff

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "import_samples"
SITE = SAMPLES / "site"
CSV_EXPORT = SAMPLES / "export_gb18030.csv"
JSON_EXPORT = SAMPLES / "export.json"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
SITE_MAP = ["--map", "工作动态=news", "--map", "/xwzx/gzdt/=news", "--map", "/xwzx/tzgg/=notices"]
CSV_MAP = ["--map", "工作动态=news"]


def run(*args) -> tuple[str, str, str]:
    """(stdout, stderr, the final error or '') of one run of the command, in English."""
    out, err = io.StringIO(), io.StringIO()
    error = ""
    try:
        call_command("portal_import", *args, "--language", "en", stdout=out, stderr=err)
    except CommandError as failure:
        error = str(failure)
    return out.getvalue(), err.getvalue(), error


def article(title: str) -> ArticlePage:
    return ArticlePage.objects.get(title=title)


def at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SHANGHAI)


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "redirects": Redirect.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "audit": AuditEntry.objects.count(),
    }


# --- an old site's HTML pages --------------------------------------------------------------


def test_html_site_articles_keep_dates_and_columns_and_old_addresses_redirect(portal, client):
    out, err, error = run(str(SITE), *SITE_MAP)

    meeting = article("永川区召开2023年优化营商环境工作推进会")
    assert meeting.get_parent().pk == portal["news"].pk
    assert meeting.live
    assert meeting.first_published_at == at(2023, 5, 6, 10, 20)
    assert meeting.last_published_at == at(2023, 5, 6, 10, 20)
    assert meeting.source == "区发展改革委"
    assert meeting.summary == "会议部署了2023年优化营商环境重点任务。"
    # No meta tags: the title without the site's name, the date from 发布日期 (not 成文日期),
    # the column from the old address.
    plan = article("永川区营商环境创新试点方案印发")
    assert plan.get_parent().pk == portal["news"].pk
    assert plan.first_published_at == at(2023, 7, 1, 0, 0)

    # Old addresses: 301 to the new page, which serves; a column's list page to the column.
    response = client.get("/xwzx/gzdt/202305/t20230506_1001.html")
    assert response.status_code == 301
    assert response["Location"] == meeting.url
    assert "营商环境工作推进会" in client.get(response["Location"]).content.decode()
    for old in ("/xwzx/gzdt/index.html", "/xwzx/gzdt/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, portal["news"].url)
    assert client.get("/xwzx/gzdt/202307/t20230701_1003.html")["Location"] == plan.url
    assert client.get("/xwzx/nothing.html").status_code == 404

    assert "Finished: 2 imported (published), 2 list pages redirected" in out
    assert "6/6 rows" in err


def test_html_bodies_are_cleaned_to_wagtails_rich_text(portal, client):
    run(str(SITE), *SITE_MAP)
    content = article("永川区召开2023年优化营商环境工作推进会").content

    for unsafe in ("<script", "document.write", "广告", "style=", "onclick", "onmouseover",
                   "javascript:", "class=", "<table", "<span", "<style"):  # fmt: skip
        assert unsafe not in content, unsafe
    assert "5月6日，永川区召开" in content  # full-width punctuation kept as written
    assert "<p data-block-key" in content
    assert "压缩开办企业时间 | 区市场监管局" in content  # a table row as a paragraph
    assert '<a href="https://www.gov.cn/zhengce/">' in content
    # A link to another old page becomes its old path on this site, which redirects.
    assert '<a href="/xwzx/gzdt/202307/t20230701_1003.html">' in content
    # The linked PDF and the image are now a document and an image of the body's collection.
    document = get_document_model().objects.get()
    image = get_image_model().objects.get()
    assert f'<a id="{document.pk}" linktype="document">《2023年重点任务清单》</a>' in content
    assert f'embedtype="image" format="fullwidth" id="{image.pk}"' in content
    assert document.collection.name == "永川区人民政府"
    assert (image.width, image.height) == (4, 3)

    # An attachment outside the article container is listed after the body; the same PDF
    # linked from two pages is one document.
    plan = article("永川区营商环境创新试点方案印发").content
    assert "附件：" in plan
    assert f'<a id="{document.pk}" linktype="document">重点任务清单</a>' in plan

    page = client.get(article("永川区召开2023年优化营商环境工作推进会").url).content.decode()
    assert document.url in page


def test_html_bad_pages_are_reported_with_their_reason_and_the_rest_imported(portal):
    out, _err, error = run(str(SITE), *SITE_MAP)

    # A GBK page whose attachment is an .exe renamed .pdf: refused by its content.
    assert (
        "Not imported — xwzx/tzgg/202306/t20230610_1002.html «关于开展2023年安全生产大检查的通知»: "
        "Attachment refused: P020230610.pdf is not a PDF file: its content is "
        "application/x-msdownload." in out
    )
    assert (
        "No file in the folder for http://www.yc.gov.cn/xwzx/gzdt/202308/t20230815_1004.html" in out
    )
    assert error == "2 of 6 rows were not imported; the reasons are listed above."
    assert not ArticlePage.objects.filter(title__contains="安全生产大检查").exists()
    assert ArticlePage.objects.count() == 2


def test_publications_are_audited_with_the_importing_user(portal):
    user = make_staff("migrator")
    run(str(SITE), *SITE_MAP, "--user", "migrator")
    meeting = article("永川区召开2023年优化营商环境工作推进会")

    entry = AuditEntry.objects.get(action="portal.page.published", object_id=str(meeting.pk))
    assert entry.actor_id == user.pk
    assert entry.body_id == portal["home"].body_id
    finished = AuditEntry.objects.get(action="portal.import.finished")
    assert finished.actor_id == user.pk
    assert finished.detail["counts"]["imported"] == 2
    assert finished.detail["counts"]["failed"] == 2
    # Published the usual way: in the search index, with a revision by the importer.
    assert SearchEntry.objects.filter(page_id=meeting.pk).exists()
    assert meeting.live_revision.user_id == user.pk


def test_only_a_staff_account_may_be_named_as_the_importer(portal):
    before = counts()
    _out, _err, error = run(str(SITE), *SITE_MAP, "--user", "nobody")
    assert error == "There is no active user nobody."
    make_citizen("citizen")
    _out, _err, error = run(str(SITE), *SITE_MAP, "--user", "citizen")
    assert error == "citizen is not a staff account; name the staff member running the import."
    assert counts() == before
    make_staff("clerk")
    out, _err, _error = run(str(SITE), *SITE_MAP, "--user", "clerk")
    assert "Finished: 2 imported" in out


def test_limit_takes_the_first_rows_only(portal):
    out, err, _error = run(str(CSV_EXPORT), *CSV_MAP, "--limit", "3")
    assert "Importing 3 rows" in out
    assert "3/3 rows" in err
    assert ArticlePage.objects.filter(title="关于2023年端午节放假安排的通知").exists()
    assert not ArticlePage.objects.filter(title="永川区2023年第二季度重点项目进展").exists()


def test_files_listed_in_the_sitemap_are_not_pages(portal, tmp_path):
    (tmp_path / "a.pdf").write_bytes((SAMPLES / "files" / "notice.pdf").read_bytes())
    (tmp_path / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://www.yc.gov.cn/a.pdf</loc></url></urlset>"
    )
    out, _err, _error = run(str(tmp_path))
    assert "http://www.yc.gov.cn/a.pdf is a file, not a page" in out


# --- a CSV export in GB18030 -----------------------------------------------------------------

CSV_BAD_ROWS = {
    "line 5": "The record has no title.",
    "line 6 «日期不存在的通知»": "The date '2023-02-30' does not exist.",
    "line 7 «日期看不懂的通知»": "The date '下周一' cannot be read",
    "line 8 «区长讲话»": "The column '领导讲话' is not mapped to a column of the site",
    "line 9 «附件不见了的通知»": "Attachment refused: files/nope.pdf is missing from the export.",
    "line 10 «附件是可执行文件的通知»": "Attachment refused: files/setup.pdf is not a PDF file",
    "line 11 «正文为空的通知»": "The body is empty and there are no attachments.",
    "line 14 «字段数目不对的一行»": "The line has 3 fields where the header has 6",
}


def test_csv_export_reports_each_bad_row_and_imports_the_good_ones(portal, client, tmp_path):
    report = tmp_path / "report.csv"
    out, _err, error = run(str(CSV_EXPORT), *CSV_MAP, "--report", str(report))

    for where, reason in CSV_BAD_ROWS.items():
        assert f"Not imported — {where}: {reason}" in out, where
    assert error == "8 of 11 rows were not imported; the reasons are listed above."
    assert (
        "Finished: 2 imported (published), 0 list pages redirected, 1 already imported, "
        "8 could not be imported." in out
    )

    # The column by its title (通知公告), the date read as Beijing time, plain text as
    # paragraphs, the attachment listed after the body.
    holiday = article("关于2023年端午节放假安排的通知")
    assert holiday.get_parent().pk == portal["notices"].pk
    assert holiday.first_published_at == at(2023, 6, 20, 9, 0)
    assert holiday.content.count("<p data-block-key") == 4
    assert "根据国务院办公厅通知精神，端午节放假3天。" in holiday.content
    assert '">放假安排</a></li></ul>' in holiday.content
    # The same old address twice: one page.
    assert ArticlePage.objects.filter(title="关于2023年端午节放假安排的通知").count() == 1

    progress = article("永川区2023年第二季度重点项目进展")
    assert progress.get_parent().pk == portal["news"].pk
    assert "iframe" not in progress.content and "tracker" not in progress.content
    assert "<b>36个</b>" in progress.content

    # An old dynamic address with its query string redirects too, whatever the order.
    for old in ("/content.jsp?id=2009&cid=5", "/content.jsp?cid=5&id=2009"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, progress.url)
    assert client.get("/content.jsp?id=2010&cid=5").status_code == 404

    with report.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["where"] for r in rows] == [
        "line 2", "line 5", "line 6", "line 7", "line 8", "line 9", "line 10", "line 11",
        "line 12", "line 13", "line 14",
    ]  # fmt: skip
    by_where = {r["where"]: r for r in rows}
    assert by_where["line 2"]["outcome"] == "imported"
    assert by_where["line 2"]["new_url"] == holiday.url
    assert by_where["line 13"]["outcome"] == "exists"
    assert by_where["line 8"]["outcome"] == "failed"
    assert "领导讲话" in by_where["line 8"]["reason"]


def test_an_unmapped_column_can_be_mapped_by_a_map_file(portal, tmp_path):
    mapping = tmp_path / "columns.txt"
    mapping.write_text("# old column = new column\n工作动态=news\n领导讲话 = notices\n")
    out, _err, _error = run(str(CSV_EXPORT), "--map-file", str(mapping))
    assert article("区长讲话").get_parent().pk == portal["notices"].pk
    assert "领导讲话" not in out


def test_a_csv_export_in_utf8_with_bom_reads_the_same(portal, tmp_path):
    text = CSV_EXPORT.read_bytes().decode("gb18030")
    copy = tmp_path / "export.csv"
    copy.write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "files").mkdir()
    for name in ("notice.pdf", "setup.pdf"):
        (tmp_path / "files" / name).write_bytes((SAMPLES / "files" / name).read_bytes())
    out, _err, _error = run(str(copy), *CSV_MAP)
    assert "Finished: 2 imported" in out
    assert article("关于2023年端午节放假安排的通知").first_published_at == at(2023, 6, 20, 9)


# --- a JSON export ----------------------------------------------------------------------------


def test_json_export(portal, client):
    out, _err, error = run(str(JSON_EXPORT))

    flood = article("永川区召开防汛工作会议")
    assert flood.get_parent().pk == portal["news"].pk  # 要闻动态, by its title
    assert flood.first_published_at == at(2023, 7, 10, 8, 30)
    assert flood.source == "区水利局"
    assert "<h2" in flood.content and "<h1" not in flood.content
    assert '">防汛预案</a>' in flood.content
    drill = article("青峰镇开展消防演练")
    assert drill.get_parent().pk == portal["qingfeng_news"].pk
    assert drill.first_published_at == at(2023, 7, 12, 0, 0)
    assert client.get("/art/2023/7/10/art_1_3001.html")["Location"] == flood.url
    assert client.get("/qfz/art/2023/7/12/art_9_3004.html")["Location"] == drill.url

    assert "Not imported — item 2: The item is not an object with fields" in out
    assert (
        "Not imported — item 3 «来自未来的通知»: The date 2099-01-01 00:00 is in the future." in out
    )
    assert error.startswith("2 of 4 rows")


def test_a_section_as_target_maps_only_its_own_columns(portal):
    out, _err, _error = run(str(JSON_EXPORT), "--section", "YC-QF")
    assert article("青峰镇开展消防演练").get_parent().pk == portal["qingfeng_news"].pk
    assert "«永川区召开防汛工作会议»: The column '要闻动态' is not mapped" in out
    assert not ArticlePage.objects.filter(title="永川区召开防汛工作会议").exists()


# --- running again, dry runs, drafts -------------------------------------------------------


def test_running_again_creates_nothing_twice(portal, settings):
    run(str(SITE), *SITE_MAP)
    run(str(CSV_EXPORT), *CSV_MAP)
    run(str(JSON_EXPORT))
    before = counts()
    files = media_files(settings)

    out_site, _err, _error = run(str(SITE), *SITE_MAP)
    out_csv, _err, _error = run(str(CSV_EXPORT), *CSV_MAP)
    out_json, _err, _error = run(str(JSON_EXPORT))

    assert (
        "Finished: 0 imported (published), 2 list pages redirected, 2 already imported" in out_site
    )
    assert (
        "Finished: 0 imported (published), 0 list pages redirected, 3 already imported" in out_csv
    )
    assert (
        "Finished: 0 imported (published), 0 list pages redirected, 2 already imported" in out_json
    )
    after = counts()
    assert after["audit"] == before["audit"] + 3  # one "import finished" per run, nothing else
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    assert media_files(settings) == files


def test_a_redirect_removed_by_hand_is_made_again_on_the_next_run(portal, client):
    run(str(CSV_EXPORT), *CSV_MAP)
    Redirect.objects.filter(old_path__startswith="/content.jsp").delete()
    assert client.get("/content.jsp?id=2009&cid=5").status_code == 404
    run(str(CSV_EXPORT), *CSV_MAP)
    assert client.get("/content.jsp?id=2009&cid=5").status_code == 301


def test_dry_run_writes_nothing_and_reports_the_same_rows(portal, settings, tmp_path):
    before = counts()
    files = media_files(settings)
    report = tmp_path / "dry.csv"
    out, err, error = run(str(CSV_EXPORT), *CSV_MAP, "--dry-run", "--report", str(report))

    assert counts() == before
    assert media_files(settings) == files
    assert out.startswith("Dry run: checking 11 rows")
    for where, reason in CSV_BAD_ROWS.items():
        assert f"Not imported — {where}: {reason}" in out
    assert (
        "Dry run finished: 2 would be imported, 0 list pages would be redirected, 1 already "
        "imported, 8 could not be imported." in out
    )
    assert "11/11 rows" in err
    assert error.startswith("8 of 11 rows")
    with report.open(encoding="utf-8-sig") as handle:
        outcomes = [row["outcome"] for row in csv.DictReader(handle)]
    assert outcomes.count("would_import") == 2

    out, _err, _error = run(str(SITE), *SITE_MAP, "--dry-run")
    assert counts() == before
    assert "2 would be imported, 2 list pages would be redirected" in out


def test_drafts_keep_their_original_date_through_the_review(portal, client):
    run(str(JSON_EXPORT), "--draft")
    flood = article("永川区召开防汛工作会议")
    assert not flood.live
    assert flood.first_published_at == at(2023, 7, 10, 8, 30)
    assert (
        not AuditEntry.objects.filter(action="portal.page.published")
        .filter(object_id=str(flood.pk))
        .exists()
    )
    # The redirect is there, but leads nowhere until the page is published.
    response = client.get("/art/2023/7/10/art_1_3001.html")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 404

    flood.get_latest_revision().publish()  # what the final review step does
    flood.refresh_from_db()
    assert flood.live
    assert flood.first_published_at == at(2023, 7, 10, 8, 30)
    assert client.get(response["Location"]).status_code == 200


def test_each_row_is_its_own_transaction(portal, settings, monkeypatch):
    """A row that fails while being written leaves nothing behind (no page, no document,
    no stored file), and the rows after it are imported."""
    original = Importer._body

    def failing(self, checked, documents, images):
        if checked.title == "关于2023年端午节放假安排的通知":
            raise RuntimeError("disk full")
        return original(self, checked, documents, images)

    monkeypatch.setattr(Importer, "_body", failing)
    files = media_files(settings)
    out, _err, _error = run(str(CSV_EXPORT), *CSV_MAP)

    assert (
        "line 2 «关于2023年端午节放假安排的通知»: Unexpected error: RuntimeError: disk full" in out
    )
    assert not ArticlePage.objects.filter(title="关于2023年端午节放假安排的通知").exists()
    assert get_document_model().objects.count() == 0
    assert media_files(settings) == files
    assert not Redirect.objects.filter(old_path="/art/2023/6/20/art_1_2001.html").exists()
    assert ArticlePage.objects.filter(title="永川区2023年第二季度重点项目进展").exists()


def test_a_map_to_no_column_stops_before_anything(portal):
    before = counts()
    _out, _err, error = run(str(CSV_EXPORT), "--map", "工作动态=nowhere", "--map", "x")
    assert "nowhere is not a column of 永川区人民政府网." in error
    assert "'x' is not old=new" in error
    assert counts() == before


def test_an_old_address_already_leading_elsewhere_is_reported(portal):
    Redirect.objects.create(
        old_path="/art/2023/7/10/art_1_3001.html",
        site=portal["home"].get_site(),
        redirect_page=portal["notices"],
    )
    out, _err, _error = run(str(JSON_EXPORT))
    assert (
        "«永川区召开防汛工作会议»: The old address /art/2023/7/10/art_1_3001.html already leads to"
        in out
    )
    assert not ArticlePage.objects.filter(title="永川区召开防汛工作会议").exists()


def test_a_source_that_is_neither_folder_nor_export_is_refused(portal, tmp_path):
    (tmp_path / "site").mkdir()
    _out, _err, error = run(str(tmp_path / "site"))
    assert error.startswith("There is no sitemap at")
    other = tmp_path / "export.xlsx"
    other.write_bytes(b"PK\x03\x04")
    _out, _err, error = run(str(other))
    assert (
        "is neither a folder of HTML pages with a sitemap.xml nor a .csv or .json export" in error
    )
    headerless = tmp_path / "export.csv"
    headerless.write_text("a,b\n1,2\n", encoding="utf-8")
    _out, _err, error = run(str(headerless))
    assert "export.csv has no column for title, date, column, body" in error


def test_the_old_sites_own_article_container_can_be_named(portal, tmp_path):
    boilerplate = "".join(
        f"<p>网站导航说明第{i}段，很长很长很长很长的模板文字。</p>" for i in range(6)
    )
    (tmp_path / "a.html").write_text(
        '<html><head><meta charset="utf-8"><meta name="PubDate" content="2023-05-06">'
        '<meta name="ColumnName" content="工作动态"><title>自定义容器的文章</title></head><body>'
        f'<div class="guide">{boilerplate}</div><div class="wenzhang"><p>真正的正文。</p></div>'
        "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>http://www.yc.gov.cn/a.html</loc></url></urlset>"
    )
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    guessed = html_pages.extract_page(page, "http://www.yc.gov.cn/a.html").body_html
    assert "网站导航" in guessed  # without the selector, the longest text wins
    run(str(tmp_path), "--map", "工作动态=news", "--content-selector", ".wenzhang")
    content = article("自定义容器的文章").content
    assert "真正的正文" in content and "网站导航" not in content


def test_a_wrong_encoding_is_refused_before_anything(portal):
    _out, _err, error = run(str(CSV_EXPORT), "--encoding", "no-such-encoding")
    assert error.startswith("The export cannot be read as no-such-encoding")
    _out, _err, error = run(str(CSV_EXPORT), "--encoding", "utf-8")
    assert error.startswith("The export cannot be read as utf-8")


# --- the parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-06 10:20", (2023, 5, 6, 10, 20)),
        ("2023-05-06 10:20:30", (2023, 5, 6, 10, 20, 30)),
        ("2023/5/6", (2023, 5, 6)),
        ("2023.05.06", (2023, 5, 6)),
        ("2023年5月6日", (2023, 5, 6)),
        ("2023年05月06日 10时20分", (2023, 5, 6, 10, 20)),
        ("２０２３－０５－０６　１０：２０", (2023, 5, 6, 10, 20)),
        ("20230506", (2023, 5, 6)),
        ("2023-05-06T02:20:00Z", (2023, 5, 6, 10, 20)),
    ],
)
def test_dates_are_read_as_beijing_time(text, expected):
    assert parse_date(text) == at(*expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2023-02-30", "impossible"),
        ("下周一", "shape"),
        ("", "empty"),
        ("2023-05-06 发布", "shape"),
    ],
)
def test_unreadable_dates_say_why(text, code):
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert raised.value.code == code


def test_the_publication_date_in_a_pages_text():
    text = "成文日期：2023年06月28日  发布日期：2023年7月1日 浏览次数：12"
    assert find_publication_date(text) == at(2023, 7, 1)
    assert find_publication_date("更新时间：2023-08-01  时间：2023-07-02 08:00") == at(
        2023, 7, 2, 8
    )
    assert find_publication_date("没有日期") is None


def test_cleaning_removes_every_way_to_run_script():
    nothing = html_pages.Rewrites(link=lambda href: href, image=lambda src: None)
    dirty = (
        '<p onclick="x()">一<a href="javascript:alert(1)">二</a>'
        '<a href=" JaVaScRiPt:alert(1)">三</a><img src="x" onerror="alert(1)"></p>'
        "<svg><script>alert(1)</script></svg><iframe src=//evil></iframe>"
        '<p style="background:url(javascript:alert(1))">四</p><object data="x.swf"></object>'
        "<noscript><p>五</p></noscript><form><input value=六><p>七</p></form>"
    )
    clean = html_pages.clean_body(dirty, nothing)
    for bad in ("script", "alert", "onclick", "onerror", "iframe", "svg", "style", "object",
                "五", "六", "<img", "<form", "<input"):  # fmt: skip
        assert bad not in clean, bad
    for kept in ("一", "二", "三", "四", "七"):
        assert kept in clean


def test_file_content_checks(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes((SAMPLES / "files" / "notice.pdf").read_bytes())
    assert check_file(pdf).data.startswith(b"%PDF-")
    fake = tmp_path / "b.pdf"
    fake.write_bytes((SAMPLES / "files" / "setup.pdf").read_bytes())
    with pytest.raises(FileRefusedError, match="application/x-msdownload"):
        check_file(fake)
    docx = tmp_path / "c.docx"
    docx.write_bytes(b"%PDF-1.4 not a zip")
    with pytest.raises(FileRefusedError, match="is not a Word file"):
        check_file(docx)
    text = tmp_path / "d.txt"
    text.write_bytes("通知全文".encode("gb18030"))
    assert check_file(text)
    exe = tmp_path / "e.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(FileRefusedError, match="files of this type are not imported"):
        check_file(exe)
    with pytest.raises(FileRefusedError, match="is missing"):
        check_file(tmp_path / "none.pdf")


def test_redirects_belong_to_the_site_imported_into(portal, bodies, client):
    from egov.portal import services
    from tests.portal.conftest import add_column

    congress = services.create_site(bodies["YC-RD"], hostname="rd.localhost", title="永川区人大")
    news = add_column(congress, "人大要闻", slug="rd-news")
    out, _err, _error = run(str(JSON_EXPORT), "--site", "rd.localhost", "--map", "要闻动态=rd-news")

    flood = article("永川区召开防汛工作会议")
    assert flood.get_parent().pk == news.pk
    response = client.get("/art/2023/7/10/art_1_3001.html", HTTP_HOST="rd.localhost")
    assert response.status_code == 301
    assert client.get("/art/2023/7/10/art_1_3001.html").status_code == 404
    _out, _err, error = run(str(JSON_EXPORT), "--site", "elsewhere.example")
    assert error.startswith("No site answers for elsewhere.example")
