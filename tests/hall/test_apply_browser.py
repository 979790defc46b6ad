"""The citizen's online application in a real browser, without JavaScript: log in, open the
guide, apply, save a draft, submit with a material missing (told next to the field), submit,
read the receipt; the department asks for a correction, the citizen uploads it; the grant
issues an e-licence, whose verification page confirms it; axe-core (WCAG 2.1 A/AA) finds
nothing on any of these pages, in normal and in elder-friendly mode."""

from __future__ import annotations

from datetime import date

import pytest

from egov.cases import services as cases
from egov.cases.models import Case
from egov.exchange.transports import loopback
from egov.hall import applications
from egov.hall.models import Application
from tests.hall.test_apply import ACCEPTED_ON, citizen
from tests.portal.test_browser import check_with_axe
from tests.services.conftest import pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_applies_online_and_answers_a_correction(
    live_server, browser, item, make_staff, bodies, tmp_path, monkeypatch
):
    citizen(mobile="13800138000")
    application_pdf = tmp_path / "申请书.pdf"
    application_pdf.write_bytes(pdf_bytes("application"))
    licence_png = tmp_path / "营业执照.png"
    licence_png.write_bytes(png_bytes())
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(live_server.url + f"/hall/items/{item.implementation_code}/")
        page.click("a.apply-online")
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url  # applying needs an account
        page.fill("input[name=username]", "13800138000")
        page.fill("input[name=password]", "Citizen-test-2026")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.url.endswith(f"/hall/items/{item.implementation_code}/apply/")
        assert page.input_value("input[name=applicant_name]") == "张三丰"  # pre-filled
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.check("input[name=has_shop]")
        page.fill("input[name=shop_area]", "35.5")
        page.set_input_files("input[name=material_0]", str(application_pdf))
        page.click("button[name=action][value=save]")
        page.wait_for_load_state()
        assert page.locator(".message-success").count() == 1
        assert page.is_checked("input[name=has_shop]")

        page.click("button[name=action][value=submit]")  # 营业执照 is still missing
        page.wait_for_load_state()
        assert page.locator("#id_material_1_error").count() == 1
        assert page.input_value("input[name=shop_area]") == "35.5"
        assert check_with_axe(browser, live_server.url + "/hall/", context.cookies()) == []

        page.set_input_files("input[name=material_1]", str(licence_png))
        page.click("button[name=action][value=submit]")
        page.wait_for_load_state()
        code = Application.objects.get().query_code
        assert page.locator(".query-code").inner_text() == code
        receipt_url = page.url
        assert check_with_axe(browser, receipt_url, context.cookies()) == []

        loopback.deliver()
        case = Case.objects.get(query_code=code)
        clerk = make_staff("clerk", bodies["YC-SCJG"], "window_clerk")
        cases.accept(case, by=clerk, on=ACCEPTED_ON)
        cases.request_correction(
            case,
            by=clerk,
            items=["申请书缺少签名"],
            deadline=date(2026, 10, 20),
            on=date(2026, 10, 9),
        )
        loopback.deliver()
        monkeypatch.setattr(applications, "today", lambda: date(2026, 10, 12))

        page.goto(receipt_url)
        assert "申请书缺少签名" in page.locator("section.correction").inner_text()
        assert check_with_axe(browser, page.url, context.cookies()) == []
        page.set_input_files("input[name=correction-material_0]", str(application_pdf))
        page.fill("textarea[name=note]", "已补签名")
        page.click("section.correction button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".message-success").count() == 1
        loopback.deliver()
        loopback.deliver()
        page.goto(receipt_url)
        assert page.locator("ol.timeline li").count() == 4  # received, accepted, asked, answered

        # Granted and closed inside: the e-licence reaches the wallet, and its verification
        # page (the QR code's address) confirms it.
        case.refresh_from_db()
        cases.review(case, by=make_staff("reviewer", bodies["YC-SCJG"], "reviewer"))
        cases.decide(
            case, by=make_staff("approver", bodies["YC-SCJG"], "approver"), outcome="grant"
        )
        cases.close(case, by=clerk)
        loopback.deliver()
        page.goto(receipt_url)
        page.click("section.fees button[type=submit]")  # the fee, through the sandbox
        page.wait_for_load_state()
        assert "/sandbox/" in page.url
        assert check_with_axe(browser, page.url, context.cookies()) == []
        page.click("button[name=action][value=pay]")
        page.wait_for_load_state()
        assert page.url == receipt_url and page.locator("section.fees form").count() == 0
        page.click("section.result a[href*='/licences/verify/']")
        page.wait_for_load_state()
        assert page.locator(".verify-valid").count() == 1
        verify_url = page.url
        assert check_with_axe(browser, verify_url, context.cookies()) == []
        page.goto(live_server.url + "/hall/publicity/")
        assert code in page.locator("table").inner_text()  # 双公示, the name masked
        assert "张三丰" not in page.content()
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click("button[name=elder][value='1']")
        page.wait_for_load_state()
        for url in (
            receipt_url,
            live_server.url + "/hall/applications/",
            live_server.url + "/licences/wallet/",
            live_server.url + "/hall/publicity/",
            live_server.url + "/hall/notifications/",
            verify_url,
        ):
            assert check_with_axe(browser, url, context.cookies()) == [], url
    finally:
        context.close()
    assert all(url.startswith(live_server.url) for url in requested), requested
