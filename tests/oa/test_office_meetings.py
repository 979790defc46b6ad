"""Meetings: rooms never double-booked (also under concurrency on PostgreSQL), invitations
answered by the invitees only, minutes recorded by the organising body, and who may do what."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from egov.core.models import AuditEntry
from egov.oa import services_documents as documents
from egov.oa import services_meetings as meetings
from egov.oa import services_office as office
from egov.oa.models import Invitation, Meeting
from tests.conftest import login_verified
from tests.oa import office_fixtures
from tests.oa.office_fixtures import later

# The shared fixtures (tests/oa/office_fixtures.py), made visible to pytest here.
office_bodies = office_fixtures.office_bodies
office_staff = office_fixtures.office_staff
room = office_fixtures.room

pytestmark = pytest.mark.django_db


def book(staff, body, room, start, end, title="区政府常务会议", invitees=()):
    return meetings.schedule_meeting(
        by=staff,
        body=body,
        title=title,
        agenda="一、研究国庆假期安全工作\n二、其他事项",
        starts_at=start,
        ends_at=end,
        room=room,
        invitees=invitees,
    )


def test_a_room_is_never_booked_twice_and_free_times_are_allowed(
    office_staff,
    office_bodies,
    room,
):
    bgs, head = office_bodies["YC-ZF-BGS"], office_staff["office"]
    first = book(head, bgs, room, later(1, 9), later(1, 11))
    for start, end in [(later(1, 10), later(1, 12)), (later(1, 8), later(1, 9, 30))]:
        with pytest.raises(office.OfficeError) as refused:
            book(office_staff["scjg_head"], office_bodies["YC-SCJG"], room, start, end)
        assert refused.value.field == "room"
        assert "第一会议室" in str(refused.value)
    # back to back is no clash; another day neither
    book(head, bgs, room, later(1, 11), later(1, 12))
    book(head, bgs, room, later(2, 9), later(2, 11))
    # a cancelled meeting frees the room
    meetings.cancel_meeting(first, by=head, reason="会议改期举行")
    book(office_staff["scjg_head"], office_bodies["YC-SCJG"], room, later(1, 9), later(1, 11))
    assert Meeting.objects.exclude(status="cancelled").count() == 3
    # moving a meeting onto a booked time is refused like a new booking
    other = Meeting.objects.get(starts_at=later(2, 9))
    with pytest.raises(office.OfficeError):
        meetings.reschedule_meeting(
            other, by=head, starts_at=later(1, 10), ends_at=later(1, 10, 30), room=room
        )
    meetings.reschedule_meeting(
        other, by=head, starts_at=later(3, 10), ends_at=later(3, 11), room=room
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks (SQLite serialises every writer, so there is no "
    "concurrency to test): run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_room_leave_one_meeting(
    office_staff,
    office_bodies,
    room,
):
    count = 8
    barrier = threading.Barrier(count)
    refused: list[office.OfficeError] = []
    errors: list[BaseException] = []
    head, bgs = office_staff["office"], office_bodies["YC-ZF-BGS"]

    def attempt(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            # every attempt overlaps every other one (9:00 + n minutes, for an hour)
            book(head, bgs, room, later(1, 9, n), later(1, 10, n), title=f"会议{n}")
        except office.OfficeError as error:
            refused.append(error)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Meeting.objects.filter(room=room).count() == 1
    assert len(refused) == count - 1


def test_an_invitee_answers_and_nobody_else_may(
    client,
    office_staff,
    office_bodies,
    room,
):
    meeting = book(
        office_staff["office"],
        office_bodies["YC-ZF-BGS"],
        room,
        later(1, 14),
        later(1, 16),
        invitees=[office_staff["scjg_head"], office_staff["leader"]],
    )
    url = f"/staff/oa/meetings/{meeting.pk}/"
    login_verified(client, office_staff["scjg_head"])
    assert client.get(url).status_code == 200
    response = client.post(
        url + "do/respond/",
        {"respond-answer": "decline", "respond-note": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400  # a reason is asked for declining
    assert 'id="id_respond-note_error"' in response.content.decode()
    response = client.post(
        url + "do/respond/", {"respond-answer": "decline", "respond-note": "当天到市里开会"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting, user=office_staff["scjg_head"])
    assert (invitation.response, invitation.note) == ("declined", "当天到市里开会")
    assert AuditEntry.objects.filter(action="oa.meeting.answered").count() == 1
    # an invitee who schedules meetings of their own body cannot cancel another body's
    response = client.post(url + "do/cancel/", {"cancel-reason": "不开了不开了"})
    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"
    # the district government's leader sees the general office (subtree) and may
    meetings.respond(meeting, by=office_staff["leader"], accept=True)
    login_verified(client, office_staff["leader"])
    response = client.post(url + "do/cancel/", {"cancel-reason": "改期另行通知"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"

    login_verified(client, office_staff["mzj_clerk"])  # not invited, another body
    assert client.get(url).status_code == 404
    assert client.post(url + "do/respond/", {"respond-answer": "accept"}).status_code == 404
    with pytest.raises(office.OfficePermissionError):
        meetings.respond(meeting, by=office_staff["mzj_clerk"], accept=True)


def test_the_organiser_sees_the_answers_and_records_the_minutes(
    client,
    office_staff,
    office_bodies,
    room,
):
    head = office_staff["office"]
    meeting = book(
        head,
        office_bodies["YC-ZF-BGS"],
        room,
        later(1, 9),
        later(1, 10),
        invitees=[office_staff["leader"]],
    )
    with pytest.raises(office.OfficeError):  # not started yet
        meetings.record_minutes(meeting, by=head, text="会议议定：……")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    login_verified(client, head)
    page = client.get(f"/staff/oa/meetings/{meeting.pk}/").content.decode()
    assert "李区长" in page and 'id="verb-minutes"' in page
    response = client.post(
        f"/staff/oa/meetings/{meeting.pk}/do/minutes/",
        {"minutes-text": "会议议定：一、由区市场监管局牵头开展节前检查。"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.minutes_text.startswith("会议议定")
    # the official document of type 纪要 that carries them (another kind is refused)
    notice = documents.draft(
        by=head, body=meeting.body, doc_type="notice", title="关于节前检查的通知", text="……"
    )
    with pytest.raises(office.OfficeError):
        meetings.link_minutes_document(meeting, by=head, document=notice)
    document = documents.draft(
        by=head, body=meeting.body, doc_type="minutes", title="区政府常务会议纪要", text="……"
    )
    meetings.link_minutes_document(meeting, by=head, document=document)
    meeting.refresh_from_db()
    assert meeting.minutes_document_id == document.pk
    with pytest.raises(office.OfficeError):
        meetings.record_minutes(meeting, by=head, text="改一改")


def test_scheduling_is_refused_without_the_permission_and_a_private_room_to_others(
    client,
    office_staff,
    office_bodies,
):
    clerk = office_staff["scjg_clerk"]
    login_verified(client, clerk)
    assert client.get("/staff/oa/meetings/new/").status_code == 403
    assert client.get("/staff/oa/rooms/").status_code == 403
    assert client.get("/staff/oa/meetings/").status_code == 200  # their invitations
    private = meetings.add_room(
        by=office_staff["scjg_head"], body=office_bodies["YC-SCJG"], name="局会议室", capacity=2
    )
    with pytest.raises(office.OfficeError) as refused:
        book(office_staff["office"], office_bodies["YC-ZF-BGS"], private, later(1, 9), later(1, 10))
    assert refused.value.field == "room"
    with pytest.raises(office.OfficeError):  # three invitees, two seats
        book(
            office_staff["scjg_head"],
            office_bodies["YC-SCJG"],
            private,
            later(1, 9),
            later(1, 10),
            invitees=[
                office_staff["scjg_clerk"],
                office_staff["scjg_reviewer"],
                office_staff["leader"],
            ],
        )
    with pytest.raises(office.OfficePermissionError):
        meetings.add_room(by=clerk, body=office_bodies["YC-SCJG"], name="x", capacity=3)


def test_the_meeting_form_keeps_what_was_typed_and_books(
    client,
    office_staff,
    office_bodies,
    room,
):
    login_verified(client, office_staff["office"])
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {
        "body": office_bodies["YC-ZF-BGS"].pk,
        "title": "国庆安全工作会",
        "agenda": "一、部署节前检查",
        "day": day,
        "start": "10:00",
        "end": "09:00",
        "room": room.pk,
        "invitees": "scjg_head leader",
    }
    response = client.post("/staff/oa/meetings/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'id="id_end_error"' in response.content.decode()
    assert "国庆安全工作会" in response.content.decode()
    response = client.post("/staff/oa/meetings/new/", {**data, "end": "11:00"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.invitations.count() == 2
    assert client.get("/staff/oa/rooms/").status_code == 200
