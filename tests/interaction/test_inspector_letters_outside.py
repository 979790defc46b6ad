"""The site inspector's letters source outside (split deployment): the inspector runs where
the portal runs, in the external zone, where the letters are the writers' copies
(``OnlineLetter``) kept up to date by ``interaction.progress``. The same letters, handled
inside and followed outside through the (loopback) exchange, give the same items and the
same findings through the inside source (``Letter``) and the outside one (``OnlineLetter``):
unanswered over 3 months, answered or declined late, answered in time, duplicates and
letters rejected in moderation not counted."""

from __future__ import annotations

import contextlib
import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from egov.exchange.transports import loopback
from egov.interaction import guard, online, services
from egov.interaction.inspector import (
    LetterConsultations,
    OnlineLetterConsultations,
    letters_source,
)
from egov.interaction.models import Letter, Mailbox, OnlineLetter
from egov.portal.inspector.rules import Check
from egov.portal.inspector.services import inspect_sites
from egov.portal.inspector.sources import (
    consultation_sources,
    register_consultation_source,
    unregister_consultation_source,
)
from tests.hall.conftest import citizen
from tests.portal.conftest import bodies, portal  # noqa: F401 - fixtures
from tests.portal.test_inspector import clean, findings, report_of  # noqa: F401, F811 - fixtures
from tests.services.conftest import make_staff  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

D = datetime.date
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 15, 10, tzinfo=BEIJING)  # the day of the inspection
REASON = "不属于本镇职责范围，请向区市场监管局反映。"


def _deliver():
    report = loopback.deliver()
    assert report is None or report.quarantined == 0, report


@contextlib.contextmanager
def only(source):
    """The inspector reads only ``source`` for letters (as in one zone)."""
    inside, outside = LetterConsultations(), OnlineLetterConsultations()
    was = {s: s in consultation_sources() for s in (inside, outside)}
    for s in (inside, outside):
        unregister_consultation_source(s)
    register_consultation_source(source)
    try:
        yield
    finally:
        unregister_consultation_source(source)
        for s, present in was.items():
            if present:
                register_consultation_source(s)


@pytest.fixture
def scenario(clean, make_staff, monkeypatch):  # noqa: F811
    """Letters written online to Qingfeng's mailbox and handled inside, on fixed 2026 days."""
    body = clean["qingfeng"].body
    mailbox = Mailbox.objects.get(body=body, kind=Mailbox.Kind.BODY)
    clerk = make_staff("qf-clerk", body, "window_clerk")
    reviewer = make_staff("qf-reviewer", body, "reviewer")
    approver = make_staff("qf-approver", body, "approver")
    head = make_staff("qf-head", body, "office_head")
    writer = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")

    def day(d: datetime.date):
        moment = datetime.datetime.combine(d, datetime.time(10), tzinfo=BEIJING)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    def write(subject: str) -> Letter:
        row = online.submit(
            writer,
            {
                "mailbox": mailbox,
                "category": "consultation",
                "subject": subject,
                "text": f"请问{subject}",
                "writer_name": "李四光",
                "phone": "13912345678",
            },
        )
        _deliver()  # inside: registered
        _deliver()  # outside: the step comes back
        return Letter.objects.get(number=row.number)

    def answer(letter: Letter, on: datetime.date) -> None:
        day(on)
        services.draft_reply(letter, by=clerk, text="村道将于明年春季修缮，请留意公告。")
        services.review_reply(letter, by=reviewer, approve=True)
        services.sign_off(letter, by=approver, approve=True)
        services.reply(letter, by=clerk, on=on)
        _deliver()

    day(D(2026, 8, 3))
    unanswered = write("青峰镇村道什么时候修")
    in_time = write("青峰镇养老补贴怎么申请")
    declined = write("永川区营业执照怎么办")
    day(D(2026, 8, 4))
    duplicate = write("村道什么时候修好")
    rejected = write("青峰镇集市的管理问题")
    day(D(2026, 8, 5))
    late = write("青峰镇路灯什么时候装")
    declined_late = write("永川区公积金怎么提取")

    day(D(2026, 8, 10))
    for letter in (unanswered, in_time, late):
        services.accept(letter, by=clerk, on=D(2026, 8, 10))
    services.decline(declined, by=clerk, reason=REASON, on=D(2026, 8, 10))
    guard.merge(duplicate, into=unanswered, by=clerk, on=D(2026, 8, 10))
    guard.flag(rejected, by=clerk, reason="来信含有侮辱性语言，需要审核。", on=D(2026, 8, 10))
    guard.reject(rejected, by=head, reason="来信含有侮辱性语言，不予受理。", on=D(2026, 8, 10))
    _deliver()
    answer(Letter.objects.get(pk=in_time.pk), D(2026, 9, 10))  # within 3 months
    day(D(2026, 10, 5))
    recent = write("青峰镇小学招生")
    answer(Letter.objects.get(pk=late.pk), D(2026, 11, 20))  # due 5 November: late
    day(D(2026, 11, 25))
    services.decline(Letter.objects.get(pk=declined_late.pk), by=clerk, reason=REASON)
    _deliver()
    monkeypatch.undo()
    return {
        "section": clean["qingfeng"],
        "body": body,
        "letters": {
            name: Letter.objects.get(pk=letter.pk)
            for name, letter in {
                "unanswered": unanswered,
                "in_time": in_time,
                "declined": declined,
                "duplicate": duplicate,
                "rejected": rejected,
                "late": late,
                "declined_late": declined_late,
                "recent": recent,
            }.items()
        },
    }


def _items(source, body):
    since = NOW - datetime.timedelta(days=365)
    return sorted(source.consultations([body.pk], since), key=lambda item: item.reference)


def _seen_by(source, section):
    with only(source):
        report = report_of(inspect_sites(NOW, notify=False), section)
    key = lambda finding: finding["key"]  # noqa: E731
    return (
        Check.CONSULTATIONS in report.vetoes,
        sorted(findings(report, Check.CONSULTATIONS), key=key),
        sorted(findings(report, Check.CONSULTATIONS, level="warning"), key=key),
    )


def test_the_outside_copies_give_the_same_items_as_the_letters(scenario):
    body, letters = scenario["body"], scenario["letters"]
    inside = _items(LetterConsultations(), body)
    outside = _items(OnlineLetterConsultations(), body)
    assert len(inside) == len(letters) == 8
    assert outside == inside

    by_number = {item.reference: item for item in outside}
    item = {name: by_number[letter.number] for name, letter in letters.items()}
    assert not item["duplicate"].valid and not item["rejected"].valid
    assert all(item[name].valid for name in letters if name not in ("duplicate", "rejected"))
    assert item["unanswered"].answered_at is None and item["recent"].answered_at is None
    assert item["in_time"].answered_at.date() == D(2026, 9, 10)
    assert item["declined"].answered_at.date() == D(2026, 8, 10)
    assert item["late"].answered_at.date() == D(2026, 11, 20)
    assert item["declined_late"].answered_at.date() == D(2026, 11, 25)
    copy = OnlineLetter.objects.get(number=letters["declined_late"].number)
    assert copy.closed_on == D(2026, 11, 25) and copy.valid


def test_the_inspector_finds_the_same_outside_as_inside(scenario):
    section, letters = scenario["section"], scenario["letters"]
    inside = _seen_by(LetterConsultations(), section)
    outside = _seen_by(OnlineLetterConsultations(), section)
    assert outside == inside

    vetoed, problems, warnings = outside
    assert vetoed
    assert {f["detail"]["reference"]: f["detail"]["answered_late"] for f in problems} == {
        letters["unanswered"].number: False,
        letters["late"].number: True,
        letters["declined_late"].number: True,
    }
    # answered in time, declined in time, merged and rejected: no finding; recent: warned
    assert [f["detail"]["reference"] for f in warnings] == [letters["recent"].number]


def test_a_letter_by_post_is_not_copied_outside(scenario):
    """Only letters written online have a copy outside: one by post is seen inside only."""
    body = scenario["body"]
    mailbox = Mailbox.objects.get(body=body, kind=Mailbox.Kind.BODY)
    clerk = get_user_model().objects.get(username="qf-clerk")
    services.register(
        mailbox=mailbox,
        category="consultation",
        subject="青峰镇的渡口什么时候开",
        text="请问青峰镇的渡口什么时候开？",
        writer_name="王五",
        phone="13800138001",
        received_on=D(2026, 8, 3),
        by=clerk,
    )
    _deliver()
    assert len(_items(LetterConsultations(), body)) == 9
    assert len(_items(OnlineLetterConsultations(), body)) == 8


def test_the_source_is_chosen_by_zone():
    assert letters_source("external") == OnlineLetterConsultations()
    assert letters_source("internal") == LetterConsultations()
    assert letters_source("combined") == LetterConsultations()
    assert LetterConsultations() != OnlineLetterConsultations()
    # the tests run combined: the letters are read, not the copies
    assert LetterConsultations() in consultation_sources()
    assert OnlineLetterConsultations() not in consultation_sources()


def test_the_copies_already_there_are_filled_from_their_steps(bodies):  # noqa: F811
    """Migration 0006 fills ``closed_on`` and ``valid`` of the copies written before it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("egov.interaction.migrations.0006_online_letter_inspector")
    mailbox = Mailbox.objects.get(body=bodies["YC-QF"], kind=Mailbox.Kind.BODY)
    writer = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")

    def copy(number, status, *actions):
        steps = [{"action": a, "on": f"2026-08-1{i}"} for i, a in enumerate(actions)]
        return OnlineLetter.objects.create(
            number=number,
            query_code=number[-8:],
            writer=writer,
            mailbox=mailbox,
            category="consultation",
            subject="村道",
            text="村道",
            writer_name="李四光",
            phone="13912345678",
            status=status,
            steps=steps,
        )

    declined = copy("YCXX-2026-00011", "not_accepted", "registered", "not_accepted")
    merged = copy("YCXX-2026-00012", "closed", "registered", "merged")
    still_open = copy("YCXX-2026-00013", "accepted", "registered", "accepted")
    migration.from_the_steps(apps, None)
    for row in (declined, merged, still_open):
        row.refresh_from_db()
    assert (declined.closed_on, declined.valid) == (D(2026, 8, 11), True)
    assert (merged.closed_on, merged.valid) == (D(2026, 8, 11), False)
    assert (still_open.closed_on, still_open.valid) == (None, True)


def test_a_closing_step_from_an_older_sender_still_closes_the_copy(bodies):  # noqa: F811
    """A progress message without ``closed_on`` (an inside not yet upgraded): the copy is
    closed on the step's day; a ``merged`` step makes it not valid."""
    from types import SimpleNamespace

    from egov.interaction.handlers import follow_progress

    mailbox = Mailbox.objects.get(body=bodies["YC-QF"], kind=Mailbox.Kind.BODY)
    writer = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    row = OnlineLetter.objects.create(
        number="YCXX-2026-00021",
        query_code="ABCD-EFGH-JKMN-PQRS",
        writer=writer,
        mailbox=mailbox,
        category="consultation",
        subject="村道",
        text="村道",
        writer_name="李四光",
        phone="13912345678",
    )
    step = {"number": row.number, "due_date": None, "body": "青峰镇"}
    follow_progress(
        SimpleNamespace(
            payload={
                **step,
                "status": "closed",
                "action": "merged",
                "on": "2026-08-12",
                "at": "2026-08-12T10:00:00+08:00",
            }
        )
    )
    row.refresh_from_db()
    assert (row.status, row.closed_on, row.valid) == ("closed", D(2026, 8, 12), False)
