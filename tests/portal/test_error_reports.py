"""我为政府网站找错: a visitor reports an error from any page; the report waits in the inbox of
the editors of the body owning the page, with a 3-working-day timer on the one clock; an
editor's reply stops the timer and reaches the visitor by e-mail or on the status page."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.utils import timezone

from egov.core.calendar import add_working_days
from egov.core.models import AuditEntry, Timer
from egov.core.timers import timer_state
from egov.portal import services
from egov.portal.forms_reports import MIN_SECONDS, STAMP_SALT, issue_stamp
from egov.portal.models import ErrorKind, ErrorReport
from egov.portal.views_reports import (
    TIMER_PURPOSE,
    ReportError,
    reply_to_error_report,
    submit_error_report,
)
from tests.conftest import login_verified
from tests.portal.conftest import add_article, make_staff


@pytest.fixture
def client():
    """These tests read the interface's messages in English (the interface is zh-hans first;
    tests/web/test_translations.py proves the Chinese)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "address": "/news/",
        "kind": ErrorKind.TYPO,
        "description": "第二段“营商环境”写成了“营商环竟”。",
        "contact": "visitor@example.com",
        "website": "",
        "stamp": issue_stamp(time.time() - MIN_SECONDS - 5),
    }
    data.update(overrides)
    return data


def submit(client, **overrides):
    return client.post("/report-error/", form_data(**overrides))


def status_path(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


@pytest.fixture
def editors(portal, bodies):
    """An editor of the district government (the portal) and one of 青峰镇 (its section)."""
    portal_editor = make_staff("portal-editor")
    town_editor = make_staff("qingfeng-editor")
    services.grant_editor(portal_editor, bodies["YC-ZF"])
    services.grant_editor(town_editor, bodies["YC-QF"])
    return {"portal": portal_editor, "town": town_editor}


# --- the visitor's form -----------------------------------------------------------------


def test_the_footer_link_leads_to_the_form_with_the_page_filled_in(client, portal):
    article = add_article(portal["news"], "区政府召开常务会议", slug="meeting")
    html = client.get(article.url).content.decode()
    link = re.search(r'href="(/report-error/\?page=[^"]+)"', html).group(1)
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="/news/meeting/"' in form
    assert 'name="stamp"' in form
    assert re.search(r'<div hidden>.*?name="website"', form, re.S)  # the honeypot is hidden


def test_a_report_is_stored_for_the_body_owning_the_page_with_a_timer(client, portal, bodies):
    response = submit(client, address="/towns/qingfeng/", contact="")
    status_path(response)
    report = ErrorReport.objects.get()
    assert report.body == bodies["YC-QF"]
    assert report.page.specific == portal["qingfeng"]
    timer = report.timer
    assert (timer.purpose, timer.limit, timer.unit) == (TIMER_PURPOSE, 3, Timer.Unit.WORKING_DAYS)
    assert timer.owner_body == bodies["YC-QF"]
    assert (timer.subject_type, timer.subject_id) == ("portal.errorreport", str(report.pk))
    assert timer.due_date == add_working_days(timezone.localdate(), 3)
    entry = AuditEntry.objects.get(action="portal.error_report.submitted")
    assert entry.body_id == bodies["YC-QF"].pk
    assert "visitor" not in str(entry.detail)  # no contact data in the log


def test_a_page_of_the_portal_goes_to_the_portals_body(client, portal, bodies):
    status_path(submit(client, address="http://testserver/news/"))
    assert ErrorReport.objects.get().body == bodies["YC-ZF"]


def test_an_address_that_is_no_page_goes_to_the_sites_body(client, portal, bodies):
    status_path(submit(client, address="/no/such/page/"))
    report = ErrorReport.objects.get()
    assert report.page is None and report.body == bodies["YC-ZF"]


def test_the_due_date_counts_working_days_on_the_one_clock(portal, bodies):
    site = portal["home"].get_site()
    before_holiday = timezone.make_aware(datetime.datetime(2026, 9, 30, 10, 0))
    report, _token = submit_error_report(
        site=site, address="/news/", kind=ErrorKind.OUTDATED, description="过时", now=before_holiday
    )
    assert report.timer.start_date == datetime.date(2026, 9, 30)
    assert report.timer.due_date == add_working_days(datetime.date(2026, 9, 30), 3)
    assert report.timer.due_date > datetime.date(2026, 10, 3)  # the National Day holiday


def test_a_report_is_kept_even_when_the_calendar_does_not_cover_its_dates(portal):
    site = portal["home"].get_site()
    long_ago = timezone.make_aware(datetime.datetime(2019, 6, 3, 10, 0))
    report, _token = submit_error_report(
        site=site, address="/news/", kind=ErrorKind.OTHER, description="旧", now=long_ago
    )
    report.refresh_from_db()
    assert report.pk and report.timer is None


# --- bad input and spam -----------------------------------------------------------------


def test_bad_input_gets_a_message_by_the_field_and_keeps_what_was_typed(client, portal):
    response = submit(client, contact="12345", kind="")
    html = response.content.decode()
    assert response.status_code == 200
    assert not ErrorReport.objects.exists()
    assert 'id="id_contact_error"' in html
    assert "Enter an 11-digit mobile number such as 13800138000" in html
    assert 'id="id_kind_error"' in html
    assert "营商环竟" in html  # the description is still there
    assert 'value="12345"' in html and 'value="/news/"' in html


def test_an_empty_description_and_a_script_address_are_refused(client, portal):
    html = submit(client, description="   ", address="javascript:alert(1)").content.decode()
    assert 'id="id_description_error"' in html and 'id="id_address_error"' in html
    assert not ErrorReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", lambda: "http://spam.example"),  # the honeypot was filled in
        ("stamp", lambda: ""),  # no time stamp
        ("stamp", lambda: "not-a-signed-stamp"),  # a forged one
        ("stamp", lambda: issue_stamp()),  # sent back at once
        ("stamp", lambda: issue_stamp(time.time() - 2 * 24 * 3600)),  # two days old
    ],
)
def test_spam_is_refused_without_a_puzzle(client, portal, field, value):
    overrides = {field: value()}
    response = submit(client, **overrides)
    html = response.content.decode()
    assert response.status_code == 200
    assert not ErrorReport.objects.exists()
    assert "The report could not be accepted as sent" in html
    assert "营商环竟" in html  # a person caught by mistake loses nothing
    new_stamp = re.search(r'name="stamp" value="([^"]+)"', html).group(1)
    served = signing.loads(new_stamp, salt=STAMP_SALT)["t"]  # served again, freshly stamped
    assert time.time() - 5 <= served <= time.time()


def test_a_person_sending_the_form_again_after_a_moment_gets_through(client, portal):
    html = submit(client, stamp=issue_stamp()).content.decode()
    assert not ErrorReport.objects.exists()
    data = form_data(stamp=issue_stamp(time.time() - MIN_SECONDS - 1))
    assert "营商环竟" in html
    status_path(client.post("/report-error/", data))
    assert ErrorReport.objects.count() == 1


# --- the visitor's status page and masking ----------------------------------------------


def test_the_status_page_shows_the_report_with_the_contact_masked(client, portal):
    path = status_path(submit(client, contact="visitor@example.com"))
    html = client.get(path).content.decode()
    assert "visitor@example.com" not in html
    assert "v******@example.com" in html
    assert "营商环竟" in html
    assert "Thank you: your report was received" in html


def test_a_mobile_number_is_masked_too(client, portal):
    path = status_path(submit(client, contact="138 0013 8000"))
    assert ErrorReport.objects.get().contact_mobile == "13800138000"
    html = client.get(path).content.decode()
    assert "13800138000" not in html and "138****8000" in html


def test_the_status_token_is_unguessable_and_not_stored(client, portal):
    path = status_path(submit(client))
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 32
    assert not ErrorReport.objects.filter(token_hash=token).exists()
    assert client.get("/report-error/status/" + "A" * len(token) + "/").status_code == 404


# --- the editors' inbox -----------------------------------------------------------------


def test_editors_see_only_their_own_bodys_reports(client, portal, editors):
    status_path(submit(client, address="/towns/qingfeng/", description="青峰镇页面有错字"))
    status_path(submit(client, address="/news/", description="要闻栏目链接打不开"))
    town_report = ErrorReport.objects.get(description="青峰镇页面有错字")
    portal_report = ErrorReport.objects.get(description="要闻栏目链接打不开")

    login_verified(client, editors["town"])
    inbox = client.get("/cms/error-reports/").content.decode()
    assert f"/cms/error-reports/{town_report.pk}/" in inbox
    assert f"/cms/error-reports/{portal_report.pk}/" not in inbox
    assert "visitor@example.com" not in inbox  # the list shows no contact data
    assert client.get(f"/cms/error-reports/{town_report.pk}/").status_code == 200
    assert client.get(f"/cms/error-reports/{portal_report.pk}/").status_code == 404
    refused = client.post(f"/cms/error-reports/{portal_report.pk}/", {"reply": "已改正。"})
    assert refused.status_code == 404
    assert not ErrorReport.objects.get(pk=portal_report.pk).is_answered

    login_verified(client, editors["portal"])
    inbox = client.get("/cms/error-reports/").content.decode()
    assert f"/cms/error-reports/{portal_report.pk}/" in inbox
    assert f"/cms/error-reports/{town_report.pk}/" not in inbox


def test_staff_of_the_cms_who_edit_for_no_body_are_refused(client, portal, bodies):
    status_path(submit(client, address="/towns/qingfeng/"))
    reviewer = make_staff("reviewer")  # may use the CMS, but edits for no body
    services.grant_reviewer(reviewer, bodies["YC-QF"], services.ReviewLevel.FIRST)
    login_verified(client, reviewer)
    assert client.get("/cms/").status_code == 200
    report = ErrorReport.objects.get()
    for path in ("/cms/error-reports/", f"/cms/error-reports/{report.pk}/"):
        refused = client.get(path)  # Wagtail's refusal: back to the dashboard with a message
        assert (refused.status_code, refused["Location"]) == (302, "/cms/")


def test_visitors_cannot_open_the_inbox(client, portal):
    response = client.get("/cms/error-reports/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reading_a_report_with_contact_data_is_audited(client, portal, editors):
    status_path(submit(client, address="/towns/qingfeng/"))
    report = ErrorReport.objects.get()
    login_verified(client, editors["town"])
    html = client.get(f"/cms/error-reports/{report.pk}/").content.decode()
    assert "visitor@example.com" in html  # staff see the contact to answer …
    entry = AuditEntry.objects.get(action="person.view")  # … and that is recorded
    assert entry.actor_id == editors["town"].pk
    assert (entry.object_type, entry.object_id) == ("portal.errorreport", str(report.pk))
    assert entry.body_id == report.body_id


def test_reading_a_report_without_contact_data_is_not_a_person_view(client, portal, editors):
    status_path(submit(client, address="/towns/qingfeng/", contact=""))
    login_verified(client, editors["town"])
    client.get(f"/cms/error-reports/{ErrorReport.objects.get().pk}/")
    assert not AuditEntry.objects.filter(action="person.view").exists()


def test_the_menu_shows_the_inbox_to_editors_only(client, portal, editors, bodies):
    login_verified(client, editors["town"])
    assert "/cms/error-reports/" in client.get("/cms/").content.decode()
    reviewer = make_staff("reviewer")
    services.grant_reviewer(reviewer, bodies["YC-QF"], services.ReviewLevel.FIRST)
    login_verified(client, reviewer)
    response = client.get("/cms/")
    assert response.status_code == 200
    assert "/cms/error-reports/" not in response.content.decode()


# --- the reply --------------------------------------------------------------------------


def test_a_reply_stops_the_timer_and_is_e_mailed(
    client, portal, editors, django_capture_on_commit_callbacks
):
    path = status_path(submit(client, address="/towns/qingfeng/"))
    report = ErrorReport.objects.get()
    login_verified(client, editors["town"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cms/error-reports/{report.pk}/", {"reply": "已将“营商环竟”改为“营商环境”，谢谢。"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reply.startswith("已将") and report.replied_by == editors["town"]
    assert report.timer.stopped_at is not None
    assert timer_state(report.timer) == Timer.State.STOPPED
    assert report.reply_emailed_at is not None
    (message,) = mail.outbox
    assert message.to == ["visitor@example.com"]
    assert "已将“营商环竟”改为“营商环境”" in message.body
    assert AuditEntry.objects.filter(action="portal.error_report.replied").exists()
    client.logout()
    html = client.get(path).content.decode()
    assert "营商环境" in html and "Answered" in html


def test_without_an_e_mail_the_reply_is_read_on_the_status_page(client, portal, editors):
    path = status_path(submit(client, address="/towns/qingfeng/", contact="13800138000"))
    report = ErrorReport.objects.get()
    reply_to_error_report(report, text="已改正，感谢您的反馈。", by=editors["town"])
    assert mail.outbox == []
    assert "已改正，感谢您的反馈。" in client.get(path).content.decode()


def test_an_empty_reply_is_refused_in_the_form(client, portal, editors):
    status_path(submit(client, address="/towns/qingfeng/"))
    report = ErrorReport.objects.get()
    login_verified(client, editors["town"])
    response = client.post(f"/cms/error-reports/{report.pk}/", {"reply": "   "})
    assert response.status_code == 200
    assert "Write the reply before sending it." in response.content.decode()
    report.refresh_from_db()
    assert not report.is_answered and report.timer.stopped_at is None


def test_a_report_takes_one_reply(portal, editors):
    site = portal["home"].get_site()
    report, _token = submit_error_report(
        site=site, address="/towns/qingfeng/", kind=ErrorKind.OTHER, description="错"
    )
    reply_to_error_report(report, text="已处理。", by=editors["town"])
    with pytest.raises(ReportError):
        reply_to_error_report(report, text="再次回复。", by=editors["town"])


def test_an_editor_of_another_body_cannot_reply_through_the_verb(portal, editors):
    from django.core.exceptions import PermissionDenied

    site = portal["home"].get_site()
    report, _token = submit_error_report(
        site=site, address="/towns/qingfeng/", kind=ErrorKind.OTHER, description="错"
    )
    with pytest.raises(PermissionDenied):
        reply_to_error_report(report, text="不是我的。", by=editors["portal"])
    report.refresh_from_db()
    assert not report.is_answered
