"""The site health inspector reads the letters of a body's mailbox: a letter left without a
reply for more than 3 months vetoes the body's site or section (veto 5); a reply, or telling
the writer it is not accepted, answers it. The interaction module registers this source (and
the consultations on drafts) when it starts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from egov.interaction.inspector import LetterConsultations
from egov.interaction.models import Letter, Mailbox, Status
from egov.interaction.participation import ConsultationFeedbackSource
from egov.portal.inspector.rules import Check
from egov.portal.inspector.services import inspect_sites
from egov.portal.inspector.sources import consultation_sources
from tests.portal.conftest import bodies, portal  # noqa: F401 - fixtures
from tests.portal.test_inspector import clean, findings, report_of  # noqa: F401, F811 - fixtures

pytestmark = pytest.mark.django_db


def test_the_interaction_sources_are_registered_at_start():
    assert LetterConsultations() in consultation_sources()
    assert ConsultationFeedbackSource() in consultation_sources()


def letter(body, *, days_ago: int, number: str) -> Letter:
    now = timezone.now()
    mailbox = Mailbox.objects.get(body=body, kind=Mailbox.Kind.BODY)
    return Letter.objects.create(
        number=number,
        year=2026,
        mailbox=mailbox,
        category="consultation",
        subject="村道什么时候修？",
        text="请问青峰镇的村道什么时候修？",
        writer_name="张三",
        submitted_at=now - datetime.timedelta(days=days_ago),
        received_on=timezone.localdate(now - datetime.timedelta(days=days_ago)),
        handling_body=body,
    )


def test_a_letter_unanswered_for_three_months_vetoes_the_section(clean):  # noqa: F811
    body = clean["qingfeng"].body
    old = letter(body, days_ago=100, number="YCXX-2026-00001")
    letter(body, days_ago=20, number="YCXX-2026-00002")  # recent: not yet a problem
    now = timezone.now()

    section = report_of(inspect_sites(now), clean["qingfeng"])
    assert Check.CONSULTATIONS in section.vetoes and not section.passed
    (finding,) = findings(section, Check.CONSULTATIONS)
    assert finding["title"] == old.subject
    assert Check.CONSULTATIONS not in report_of(inspect_sites(now), clean["jinlong"]).vetoes

    # Told it is not accepted within the 3 months: answered.
    answered = old.submitted_at + datetime.timedelta(days=10)
    Letter.objects.filter(pk=old.pk).update(
        status=Status.NOT_ACCEPTED, closed_on=timezone.localdate(answered)
    )
    section = report_of(inspect_sites(now), clean["qingfeng"])
    assert Check.CONSULTATIONS not in section.vetoes
