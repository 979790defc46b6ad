"""Internal notices: recipients resolved from the directory, read receipts recorded once and
only for addressees, the sender's view of who has not read, the reminder, attachments judged
by their content, and who may send."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.models import AuditEntry
from egov.oa import services_office as office
from egov.oa.models import NoticeReceipt, NoticeReminder, OfficeRecordError
from tests.conftest import login_verified
from tests.oa import office_fixtures
from tests.oa.office_fixtures import PDF

# The shared fixtures (tests/oa/office_fixtures.py), made visible to pytest here.
office_bodies = office_fixtures.office_bodies
office_staff = office_fixtures.office_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(office_bodies, office_staff):
    return office.send_notice(
        by=office_staff["office"],
        from_body=office_bodies["YC-ZF-BGS"],
        title="关于做好国庆假期值班工作的通知",
        text="各单位：请于9月26日前报送值班表。",
        to_bodies=[office_bodies["YC-SCJG"]],
        to_people=[office_staff["leader"]],
        files=[("值班表.pdf", "application/pdf", PDF)],
    )


def test_the_recipients_are_the_staff_of_the_bodies_and_the_people_named(
    notice,
    office_staff,
    office_bodies,
):
    receipts = {r.user.username: r.via_body for r in notice.receipts.select_related("user")}
    assert receipts == {
        "scjg_head": office_bodies["YC-SCJG"],
        "scjg_clerk": office_bodies["YC-SCJG"],
        "scjg_reviewer": office_bodies["YC-SCJG"],
        "leader": None,
    }
    assert notice.files.get().content_type == "application/pdf"
    entry = AuditEntry.objects.get(action="oa.notice.sent")
    assert entry.detail["recipients"] == 4


def test_opening_records_the_read_once_and_only_for_an_addressee(
    client,
    notice,
    office_staff,
):
    clerk = office_staff["scjg_clerk"]
    login_verified(client, clerk)
    url = f"/staff/oa/notices/{notice.pk}/"
    assert client.get(url).status_code == 200
    first = NoticeReceipt.objects.get(notice=notice, user=clerk).read_at
    assert first is not None
    assert client.get(url).status_code == 200  # opened again: the first read stays
    assert NoticeReceipt.objects.get(notice=notice, user=clerk).read_at == first
    assert AuditEntry.objects.filter(action="oa.notice.read", actor_id=clerk.pk).count() == 1
    assert office.mark_read(notice, clerk) is False

    outsider = office_staff["mzj_clerk"]
    login_verified(client, outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}files/{notice.files.get().pk}/").status_code == 404
    assert office.mark_read(notice, outsider) is False
    assert not NoticeReceipt.objects.filter(user=outsider).exists()
    assert NoticeReceipt.objects.filter(notice=notice, read_at__isnull=False).count() == 1


def test_the_sender_sees_who_has_not_read_and_reminds_them(
    client,
    notice,
    office_staff,
):
    office.mark_read(notice, office_staff["scjg_head"])
    sender = office_staff["office"]
    login_verified(client, sender)
    page = client.get(f"/staff/oa/notices/{notice.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "1 have read it, 3 have not." in html
    unread = html[html.index('id="unread"') : html.index('id="read"')]
    assert "钱科员" in unread and "赵局长" not in unread
    # the sender is not a recipient: nothing was recorded as read for them
    assert not NoticeReceipt.objects.filter(user=sender).exists()

    response = client.post(f"/staff/oa/notices/{notice.pk}/remind/", {"note": "请尽快阅读"})
    assert response.status_code == 302
    reminded = NoticeReceipt.objects.filter(notice=notice, reminders=1)
    assert set(reminded.values_list("user__username", flat=True)) == {
        "scjg_clerk",
        "scjg_reviewer",
        "leader",
    }
    event = NoticeReminder.objects.get(notice=notice)
    assert event.by == sender and len(event.detail["users"]) == 3
    with pytest.raises(OfficeRecordError):
        event.save()
    # the reminded clerk sees it first, marked
    login_verified(client, office_staff["scjg_clerk"])
    inbox = client.get("/staff/oa/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the sender reminds you to read it" in inbox


def test_only_the_sending_office_may_remind(client, notice, office_staff):
    login_verified(client, office_staff["scjg_head"])  # a recipient, holding send_notice
    response = client.post(f"/staff/oa/notices/{notice.pk}/remind/", {"note": ""})
    assert response.status_code == 403
    with pytest.raises(office.OfficePermissionError):
        office.remind_unread(notice, by=office_staff["scjg_clerk"])
    assert not NoticeReminder.objects.exists()


def test_writing_a_notice_is_refused_without_the_permission(
    client,
    office_staff,
    office_bodies,
):
    clerk = office_staff["scjg_clerk"]
    login_verified(client, clerk)
    assert client.get("/staff/oa/notices/new/").status_code == 403
    with pytest.raises(office.OfficePermissionError):
        office.send_notice(
            by=clerk,
            from_body=office_bodies["YC-SCJG"],
            title="t",
            text="x",
            to_bodies=[office_bodies["YC-MZJ"]],
        )
    # and an office head writes only for a body they belong to
    with pytest.raises(office.OfficeError) as refused:
        office.send_notice(
            by=office_staff["scjg_head"],
            from_body=office_bodies["YC-ZF-BGS"],
            title="t",
            text="x",
            to_bodies=[office_bodies["YC-MZJ"]],
        )
    assert refused.value.field == "from_body"


def test_the_form_sends_with_a_checked_attachment_and_refuses_a_disguised_one(
    client,
    office_staff,
    office_bodies,
):
    login_verified(client, office_staff["office"])
    assert client.get("/staff/oa/notices/new/").status_code == 200
    data = {
        "from_body": office_bodies["YC-ZF-BGS"].pk,
        "title": "关于开展安全生产检查的通知",
        "priority": "urgent",
        "text": "请各单位自查。",
        "to_bodies": [office_bodies["YC-MZJ"].pk],
        "to_people": "scjg_head",
    }
    fake = SimpleUploadedFile("检查表.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = client.post(
        "/staff/oa/notices/new/", {**data, "files": [fake]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_files_error"' in html
    assert "关于开展安全生产检查的通知" in html  # what was typed is kept
    assert not office.Notice.objects.exists()

    good = SimpleUploadedFile("检查表.pdf", PDF, "application/pdf")
    response = client.post("/staff/oa/notices/new/", {**data, "files": [good]})
    assert response.status_code == 302
    notice = office.Notice.objects.get()
    assert set(notice.receipts.values_list("user__username", flat=True)) == {
        "mzj_clerk",
        "scjg_head",
    }
    assert notice.files.get().name == "检查表.pdf"


def test_a_notice_to_nobody_is_refused(client, office_staff, office_bodies):
    login_verified(client, office_staff["office"])
    response = client.post(
        "/staff/oa/notices/new/",
        {
            "from_body": office_bodies["YC-ZF-BGS"].pk,
            "title": "空通知",
            "priority": "normal",
            "text": "正文",
            "to_people": "nobody_here",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "nobody_here" in response.content.decode()


def test_the_workbench_links_the_office_for_every_member(client, office_staff):
    login_verified(client, office_staff["scjg_clerk"])
    assert 'href="/staff/oa/notices/"' in client.get("/staff/").content.decode()
    # and the office pages need the two-factor login like all of /staff/
    client.logout()
    client.force_login(office_staff["scjg_clerk"])
    assert client.get("/staff/oa/notices/").status_code in (302, 403)
