"""The journeys of this foundation in a real browser, without JavaScript, with axe-core run
on every page on the way: a citizen registers and gives real-name data; a staff member logs
in with two-factor enrolment and reaches the workbench."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.directory.models import Membership, Organisation, Role
from tests.e2e.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nojs(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def _axe(browser, url, cookies):
    """axe needs JavaScript: check the same page, with the same session, in a JS context."""
    context = browser.new_context(locale="en-US")
    context.add_cookies(cookies)
    page = context.new_page()
    try:
        page.goto(url)
        return _violations(page)
    finally:
        context.close()


def test_citizen_registers_and_gives_real_name_data(live_server, browser, nojs):
    page = nojs
    page.goto(live_server.url + "/accounts/register/")
    page.fill("#id_mobile", "13800138000")
    page.fill("#id_password1", "Qingfeng-2026-road")
    page.fill("#id_password2", "Qingfeng-2026-road")
    page.click("button.primary")
    assert page.url.endswith("/accounts/real-name/")
    assert _axe(browser, page.url, page.context.cookies()) == []

    # A wrong birth date: the message stands next to the field, what was typed stays.
    page.fill("#id_real_name", "测试张三")
    page.fill("#id_id_number", "500118199002301234")
    page.click("button.primary")
    error = page.locator(".field-error .errors").first.inner_text()
    assert "1990-02-30" in error
    assert page.input_value("#id_real_name") == "测试张三"
    assert page.input_value("#id_id_number") == "500118199002301234"
    assert page.get_attribute("#id_id_number", "aria-invalid") == "true"
    assert _violations_after_post(browser, page) == []

    page.fill("#id_id_number", "11010519491231002X")
    page.click("button.primary")
    assert page.url.endswith("/accounts/profile/")
    text = page.inner_text("main")
    assert "138****8000" in text
    assert "11010519491231002X" not in text and "110105********002X" in text
    assert _axe(browser, page.url, page.context.cookies()) == []

    # The same person registers the enterprise they act for.
    page.goto(live_server.url + "/accounts/enterprise/")
    assert _axe(browser, page.url, page.context.cookies()) == []
    page.fill("#id_name", "永川测试食品店")
    page.fill("#id_uscc", "92500118MA5U123456")
    page.fill("#id_legal_representative", "测试张三")
    page.click("button.primary")
    assert page.input_value("#id_name") == "永川测试食品店"
    assert page.locator(".field-error").count() == 1
    assert _violations_after_post(browser, page) == []


def _violations_after_post(browser, page):
    """Run axe on the error page as rendered: load its HTML into a JS context."""
    html = page.content()
    context = browser.new_context(locale="en-US")
    check = context.new_page()
    try:
        check.route("**/*", lambda route: route.continue_())
        check.goto(page.url)  # same origin, so the stylesheet loads
        check.set_content(html)
        check.wait_for_load_state()
        return _violations(check)
    finally:
        context.close()


def test_staff_member_enrols_two_factor_and_reaches_the_workbench(
    live_server, browser, nojs, django_user_model
):
    body = Organisation.objects.create(code="YC-SCJG", name_zh="区市场监管局", kind="department")
    user = django_user_model.objects.create_user(
        "clerk", password="Window-clerk-2026", is_staff=True, kind="staff"
    )
    Membership.objects.create(
        user=user, organisation=body, role=Role.objects.get(code="window_clerk")
    )
    page = nojs
    page.goto(live_server.url + "/staff/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "Window-clerk-2026")
    page.click("button.primary")
    assert "/accounts/two-factor/" in page.url
    assert page.locator(".qr svg").count() == 1
    assert _axe(browser, page.url, page.context.cookies()) == []

    page.fill("#id_token", "000000")
    page.click("button.primary")
    assert "/accounts/two-factor/" in page.url
    assert page.locator(".field-error").count() == 1

    # After a wrong code, django-otp makes the next try wait (1 s after one failure).
    page.wait_for_timeout(2100)
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.fill("#id_token", code)
    page.click("button.primary")
    assert page.url == live_server.url + "/staff/"
    assert "区市场监管局" in page.inner_text("main") or "YC-SCJG" in page.inner_text("main")
    assert _axe(browser, page.url, page.context.cookies()) == []
