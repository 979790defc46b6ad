"""axe-core in a real browser finds nothing on the pages of the web foundation; the
elder-friendly mode and the language switch work without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from egov.directory.models import Organisation
from egov.portal.services import ensure_portal_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
WCAG_AAA_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}


@pytest.fixture
def bodies(db):
    district = Organisation.objects.create(
        code="YC", name_zh="永川区", name_en="Yongchuan District", kind="district"
    )
    gov = Organisation.objects.create(
        code="YC-ZF",
        name_zh="永川区人民政府",
        name_en="Yongchuan District People's Government",
        kind="government",
        parent=district,
        address="重庆市永川区人民大道",
        phone="023-49800000",
    )
    Organisation.objects.create(
        code="YC-FGW", name_zh="区发展改革委", name_en="Development and Reform Commission",
        kind="department", parent=gov,
    )  # fmt: skip
    ensure_portal_home()  # "/" is the portal's home page (a transactional test empties it)
    return district


def _violations(page, options=WCAG_AA):
    results = Axe().run(page, options=options)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:3]
        )
        + ")"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(
    "path",
    ["/", "/bodies/YC-ZF/", "/accounts/login/", "/accounts/register/"],
)
def test_pages_have_no_axe_violations(live_server, page, bodies, path):
    page.goto(live_server.url + path)
    assert _violations(page) == []


def test_forms_with_errors_have_no_axe_violations(live_server, page, bodies):
    page.goto(live_server.url + "/accounts/register/")
    page.fill("#id_mobile", "12345")
    page.fill("#id_email", "someone@example.com")
    page.click("button[type=submit].primary")
    assert page.locator(".field-error").count() >= 1
    assert page.input_value("#id_email") == "someone@example.com"
    assert _violations(page) == []


def test_elder_mode_without_javascript(live_server, browser, bodies):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        page.click("button[name=elder][value='1']")
        page.wait_for_load_state()
        assert page.url == live_server.url + "/"
        assert "elder" in (page.get_attribute("html", "class") or "")
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        line = page.evaluate(
            "parseFloat(getComputedStyle(document.body).lineHeight) / "
            "parseFloat(getComputedStyle(document.body).fontSize)"
        )
        target = page.evaluate(
            "document.querySelector('button[name=elder]').getBoundingClientRect().height"
        )
        assert size >= 18 and size > normal_size
        assert line >= 1.5
        assert target >= 48
        # The choice is kept in a cookie: another page is elder-friendly too.
        page.goto(live_server.url + "/accounts/login/")
        assert "elder" in (page.get_attribute("html", "class") or "")
        # And it switches back.
        page.click("button[name=elder][value='0']")
        page.wait_for_load_state()
        assert "elder" not in (page.get_attribute("html", "class") or "")
    finally:
        context.close()


def test_elder_mode_meets_enhanced_contrast(live_server, page, bodies):
    page.context.add_cookies([{"name": "egov_elder", "value": "1", "url": live_server.url}])
    page.goto(live_server.url + "/")
    assert "elder" in (page.get_attribute("html", "class") or "")
    assert _violations(page, WCAG_AA) == []
    assert _violations(page, WCAG_AAA_CONTRAST) == []


def test_language_switch_without_javascript(live_server, browser, bodies):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert page.get_attribute("html", "lang") == "zh-Hans"
        page.click("button[name=language][value=en]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "en"
        assert "Development and Reform Commission" in page.content()
    finally:
        context.close()


def test_no_asset_from_an_external_address(live_server, page, bodies):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert requested, "the page loaded nothing"
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_content_security_policy_has_no_unsafe_inline(live_server, page, bodies):
    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy


def test_axe_does_find_a_violation_when_there_is_one(page):
    """The check above can fail: a page with an unlabelled image and field is caught."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = _violations(page)
    assert any(v.startswith("image-alt") for v in found)
    assert any(v.startswith("label") for v in found)
