"""Tasks and their supervision (督查督办): the deadline is a timer of the one clock that
e-supervision sees; urging is recorded; reporting done pauses the clock, sending back resumes
it, acceptance stops it; the history is kept as written; and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

import egov.supervision
from egov.core.calendar import add_working_days
from egov.core.models import AuditEntry
from egov.core.timers import timer_state
from egov.oa import services_office as office
from egov.oa import services_tasks as tasks
from egov.oa.models import OfficeRecordError, Task, TaskEvent
from egov.supervision.models import Signal, SupervisionRule
from tests.conftest import login_verified
from tests.oa import office_fixtures
from tests.oa.office_fixtures import PDF

# The shared fixtures (tests/oa/office_fixtures.py), made visible to pytest here.
office_bodies = office_fixtures.office_bodies
office_staff = office_fixtures.office_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(office_staff, office_bodies):
    return tasks.assign_task(
        by=office_staff["office"],
        from_body=office_bodies["YC-ZF-BGS"],
        to_body=office_bodies["YC-SCJG"],
        to_person=office_staff["scjg_clerk"],
        title="开展节前食品安全专项检查",
        instructions="对全区大型商超开展检查，10个工作日内报送结果。",
        source=Task.Source.LEADER,
        working_days=10,
    )


def test_the_deadline_is_a_timer_on_the_one_clock(task, office_bodies):
    today = timezone.localdate()
    timer = task.timer
    assert (timer.purpose, timer.category) == ("oa.task", "oa.leader")
    assert (timer.subject_type, timer.subject_id) == ("oa.task", str(task.pk))
    assert timer.owner_body == office_bodies["YC-SCJG"]
    assert (timer.unit, timer.limit, timer.start_date) == ("working", 10, today)
    assert task.due_date == timer.due_date == add_working_days(today, 10)
    assert task.number == f"DB-{today.year}-0001"
    assert [e.action for e in task.events.all()] == ["assigned"]
    assert AuditEntry.objects.filter(action="oa.task.assigned").count() == 1


def test_an_overdue_task_gets_supervision_signals(task):
    rule = SupervisionRule.objects.create(
        purpose="oa.task", warning_days=2, yellow_days=1, red_days=3
    )
    due = task.timer.due_date
    assert egov.supervision.check_timer(task.timer, today=add_working_days(due, -3)).total == 0
    report = egov.supervision.check_timer(task.timer, today=add_working_days(due, -2))
    assert report.raised["warning"] == 1
    egov.supervision.sweep(today=add_working_days(due, 1))
    kinds = set(Signal.objects.filter(timer=task.timer).values_list("kind", flat=True))
    assert kinds == {"warning", "yellow"}
    egov.supervision.sweep(today=add_working_days(due, 3))
    signal = Signal.objects.get(timer=task.timer, kind="red")
    assert (signal.purpose, signal.body_id, signal.rule_id) == ("oa.task", task.to_body_id, rule.pk)
    assert signal.subject_type == "oa.task" and signal.subject_id == str(task.pk)


def test_a_task_reported_done_raises_nothing_while_it_is_checked(task, office_staff):
    SupervisionRule.objects.create(purpose="oa.task", warning_days=2, yellow_days=1, red_days=3)
    tasks.submit_completion(task, by=office_staff["scjg_clerk"], text="已完成检查。")
    egov.supervision.sweep(today=add_working_days(task.timer.due_date, 5))
    assert not Signal.objects.filter(timer=task.timer).exists()


def test_a_deadline_given_as_a_date(office_staff, office_bodies):
    due = timezone.localdate() + datetime.timedelta(days=20)
    dated = tasks.assign_task(
        by=office_staff["leader"],
        from_body=office_bodies["YC-ZF"],
        to_body=office_bodies["YC-MZJ"],
        title="养老服务设施摸底",
        instructions="摸清全区养老服务设施底数。",
        source=Task.Source.MEETING,
        due_date=due,
    )
    assert (dated.unit, dated.due_date, dated.timer.unit) == ("date", due, "natural")
    with pytest.raises(office.OfficeError) as refused:
        tasks.assign_task(
            by=office_staff["leader"],
            from_body=office_bodies["YC-ZF"],
            to_body=office_bodies["YC-MZJ"],
            title="t",
            instructions="x",
            source=Task.Source.OTHER,
            due_date=timezone.localdate(),
        )
    assert refused.value.field == "due_date"


def test_urging_is_recorded_and_counted(client, task, office_staff):
    login_verified(client, office_staff["office"])
    response = client.post(
        f"/staff/oa/tasks/{task.pk}/do/urge/", {"urge-note": "请抓紧推进，按期报送。"}
    )
    assert response.status_code == 302
    tasks.urge(task, by=office_staff["supervisor"], note="电子监察提醒：临近期限。")
    task.refresh_from_db()
    assert task.urge_count == 2 and task.last_urged_at is not None
    urged = task.events.filter(action="urged")
    assert [(e.by.username, e.detail["count"]) for e in urged] == [
        ("bgs_head", 1),
        ("supervisor", 2),
    ]
    assert AuditEntry.objects.filter(action="oa.task.urged").count() == 2
    # the responsible person sees the urging in the history
    login_verified(client, office_staff["scjg_clerk"])
    page = client.get(f"/staff/oa/tasks/{task.pk}/").content.decode()
    assert "请抓紧推进" in page and "电子监察提醒" in page


def test_urging_is_refused_to_the_responsible_body_and_to_others(client, task, office_staff):
    for name in ("scjg_clerk", "scjg_head"):  # responsible side: reports, does not urge
        with pytest.raises(office.OfficePermissionError):
            tasks.urge(task, by=office_staff[name], note="自己催自己")
    login_verified(client, office_staff["mzj_clerk"])  # another body: does not see it
    assert client.get(f"/staff/oa/tasks/{task.pk}/").status_code == 404
    response = client.post(f"/staff/oa/tasks/{task.pk}/do/urge/", {"urge-note": "催一催"})
    assert response.status_code == 404
    assert Task.objects.get(pk=task.pk).urge_count == 0


def test_report_done_pauses_send_back_resumes_accept_stops(client, task, office_staff):
    clerk, head = office_staff["scjg_clerk"], office_staff["office"]
    login_verified(client, clerk)
    response = client.post(
        f"/staff/oa/tasks/{task.pk}/do/progress/",
        {"progress-text": "已检查商超12家。", "progress-file": _pdf()},
    )
    assert response.status_code == 302
    event = task.events.get(action="progress")
    assert event.content_type == "application/pdf"
    assert client.get(f"/staff/oa/tasks/{task.pk}/files/{event.pk}/").status_code == 200
    client.post(f"/staff/oa/tasks/{task.pk}/do/submit/", {"submit-text": "检查完毕，报告附后。"})
    task.refresh_from_db()
    assert task.status == "submitted" and timer_state(task.timer) == "paused"
    # the responsible body cannot accept its own work
    assert client.post(f"/staff/oa/tasks/{task.pk}/do/accept/", {}).status_code == 403

    tasks.send_back(task, by=head, reason="缺少问题整改清单")
    task.refresh_from_db()
    assert task.status == "in_progress" and timer_state(task.timer) == "running"
    tasks.submit_completion(task, by=office_staff["scjg_head"], text="已补充整改清单。")
    tasks.accept_completion(task, by=head, note="同意办结")
    task.refresh_from_db()
    assert task.status == "done" and task.completed_on == timezone.localdate()
    assert timer_state(task.timer) == "stopped"
    assert [e.action for e in task.events.all()] == [
        "assigned",
        "progress",
        "submitted",
        "sent_back",
        "submitted",
        "accepted",
    ]
    with pytest.raises(office.OfficeError):
        tasks.urge(task, by=head, note="已办结还催")
    first = TaskEvent.objects.filter(task=task).first()
    first.note = "改写历史"
    with pytest.raises(OfficeRecordError):
        first.save()
    with pytest.raises(OfficeRecordError):
        first.delete()


def test_assigning_is_refused_without_the_permission(client, office_staff, office_bodies):
    clerk = office_staff["scjg_clerk"]
    login_verified(client, clerk)
    assert client.get("/staff/oa/tasks/new/").status_code == 403
    assert client.get("/staff/oa/tasks/").status_code == 200
    with pytest.raises(office.OfficePermissionError):
        tasks.assign_task(
            by=clerk,
            from_body=office_bodies["YC-SCJG"],
            to_body=office_bodies["YC-MZJ"],
            title="t",
            instructions="x",
            source=Task.Source.OTHER,
            working_days=3,
        )
    assert not Task.objects.exists()


def test_the_task_form_assigns_and_keeps_what_was_typed(client, office_staff, office_bodies):
    login_verified(client, office_staff["office"])
    data = {
        "from_body": office_bodies["YC-ZF-BGS"].pk,
        "title": "落实区政府常务会议定事项",
        "instructions": "完成城区积水点改造方案。",
        "source": "oa.meeting",
        "to_body": office_bodies["YC-SCJG"].pk,
        "to_person": "mzj_clerk",  # not staff of the responsible body
        "unit": "working",
        "working_days": "15",
    }
    response = client.post("/staff/oa/tasks/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_to_person_error"' in html and "落实区政府常务会议定事项" in html
    response = client.post("/staff/oa/tasks/new/", {**data, "to_person": "scjg_head"})
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.to_person.username, task.limit) == ("scjg_head", 15)
    login_verified(client, office_staff["scjg_head"])
    listed = client.get("/staff/oa/tasks/").content.decode()
    assert "落实区政府常务会议定事项" in listed


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("检查情况.pdf", PDF, "application/pdf")
