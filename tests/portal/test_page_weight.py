"""What a visitor downloads for one page of the site group, images aside, stays within
150 KB: the HTML and every stylesheet, script and font it links (and the fonts and
stylesheets those stylesheets pull in), counted as served by egov itself — uncompressed:
egov does not compress HTML (no GZipMiddleware: pages carry CSRF tokens and reflect the
search query, the conditions of BREACH), and waitress does not compress; a front proxy
may (docs/portal.md, "Caching"). ECharts (over 1 MB) is for the back-office's health
dashboard only."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from egov.directory.models import Organisation
from egov.portal.models import ColumnKind, InterpretationPage, PolicyTheme
from tests.conftest import login_verified
from tests.portal.conftest import add_article, add_column, add_document

pytestmark = pytest.mark.django_db

LIMIT = 150 * 1000  # bytes, images excluded
ASSET_EXTENSIONS = (".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf", ".eot")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
SENTENCE = (
    "永川区人民政府常务会议研究部署优化营商环境、推进乡村振兴和城市更新等重点工作，"
    "要求各部门、各镇街压实责任，狠抓落实，确保各项任务按期完成。"
)


class LinkedAssets(HTMLParser):
    """The stylesheets, scripts and preloaded fonts a page links."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            rel = set((attributes.get("rel") or "").lower().split())
            if rel & {"stylesheet", "preload", "modulepreload"} and attributes.get("as") not in (
                "image",
            ):
                self.urls.append(attributes["href"])


def static_bytes(url: str) -> bytes:
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not served by egov's static files"
    found = finders.find(path[len(settings.STATIC_URL) :])
    assert found, f"{url} is linked but no static file answers it"
    with open(found, "rb") as handle:
        return handle.read()


def assets_of(html: str, page_url: str) -> dict[str, bytes]:
    """Every stylesheet, script and font the page needs, by address (each counted once)."""
    parser = LinkedAssets()
    parser.feed(html)
    pending = [urljoin(page_url, url) for url in parser.urls]
    found: dict[str, bytes] = {}
    while pending:
        url = pending.pop()
        if url in found:
            continue
        if not urlsplit(url).path.endswith(ASSET_EXTENSIONS):
            continue  # images are not counted
        found[url] = static_bytes(url)
        if url.endswith(".css"):
            text = found[url].decode("utf-8")
            for match in CSS_URL.finditer(text):
                target = match.group(1) or match.group(2)
                if not target.startswith("data:"):
                    pending.append(urljoin(url, target))
    return found


@pytest.fixture
def content(portal, bodies):
    """The portal fixture filled as a district's portal is: a hundred bodies under the
    government (the home page lists them), full columns, a long article, a policy document
    with its interpretation."""
    government = bodies["YC-ZF"]
    for number in range(100):
        Organisation.objects.create(
            code=f"YC-B{number:03d}",
            name_zh=f"永川区第{number}工作委员会办公室",
            kind="department",
            parent=government,
        )
    for number in range(25):
        add_article(portal["news"], f"永川区召开第{number}次重点项目推进会暨营商环境优化工作会议")
        add_article(portal["notices"], f"关于做好第{number}批惠企政策兑现申报工作的通知")
    article = add_article(
        portal["news"],
        "永川区人民政府常务会议研究部署下半年重点工作",
        summary=SENTENCE,
        source="区政府办公室",
    )
    article.content = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(30))  # ≈ 6,000 characters
    article.save_revision().publish()
    interpretations = add_column(portal["home"], "政策解读", ColumnKind.INTERPRETATION)
    documents = [
        add_document(
            portal["policies"],
            f"永川区人民政府关于印发优化营商环境若干措施的通知（第{number}号）",
            document_number=f"永川府发〔2026〕{number}号",
            publisher=government,
            theme=PolicyTheme.GENERAL,
            summary=SENTENCE,
        )
        for number in range(1, 8)
    ]
    document = documents[-1]
    document.content = "".join(f"<p>{SENTENCE * 2}</p>" for _ in range(40))
    document.save_revision().publish()
    interpretation = InterpretationPage(
        title="一图读懂优化营商环境若干措施", slug="i1", content="<p>解读。</p>", policy=document
    )
    interpretations.add_child(instance=interpretation)
    interpretation.save_revision().publish()
    return {"article": article, "document": document}


def test_every_public_page_stays_within_150_kb_without_images(client, portal, content):
    pages = {
        "home": "/",
        "column": portal["news"].url,
        "article": content["article"].url,
        "policy document": content["document"].url,
        "search results": "/search/?q=营商环境",
        "error-report form": "/report-error/?page=/",
    }
    weights, over = {}, []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert "Content-Encoding" not in response  # egov serves HTML uncompressed
        html = response.content.decode()
        if name == "search results":
            assert "search-results" in html and "<mark>" in html, "no results found"
        assets = assets_of(html, "http://testserver" + url)
        assert any(u.endswith(".css") for u in assets), f"{name}: no stylesheet found"
        assert not [u for u in assets if "echarts" in u], f"{name} loads ECharts"
        total = len(response.content) + sum(len(body) for body in assets.values())
        compressed = len(gzip.compress(response.content)) + sum(
            len(gzip.compress(body)) for body in assets.values()
        )
        weights[name] = (total, compressed)
        if total > LIMIT:
            over.append(f"{name} ({url}): {total:,} bytes")
    print("\n".join(f"{n}: {t:,} bytes ({c:,} gzip)" for n, (t, c) in weights.items()))
    assert not over, "over 150 KB without images: " + "; ".join(over)
    # The pages are not trivially small: the content above is on them.
    assert weights["article"][0] > 20_000
    assert weights["home"][0] > weights["error-report form"][0]


def test_echarts_is_loaded_by_the_health_dashboard_only(client, portal):
    from egov.accounts.models import User

    admin = User.objects.create_superuser(username="admin-weight", password="x" * 12)
    login_verified(client, admin)
    dashboard = client.get("/cms/health/")
    assert dashboard.status_code == 200
    assert "echarts" in dashboard.content.decode()
    client.logout()
    assert "echarts" not in client.get("/").content.decode()
