"""The site health inspector with the consultations' source: a consultation of a body whose
period ended more than 3 months ago without a published feedback vetoes the body's section
(veto 5). The source is registered here for the test only; see docs/interaction.md."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from egov.interaction import participation
from egov.interaction.models import Consultation
from egov.portal.inspector.rules import Check
from egov.portal.inspector.services import inspect_sites
from egov.portal.inspector.sources import (
    register_consultation_source,
    unregister_consultation_source,
)
from tests.portal.conftest import bodies, make_staff, portal  # noqa: F401 - fixtures
from tests.portal.test_inspector import clean, findings, report_of  # noqa: F401, F811 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    item = participation.ConsultationFeedbackSource()
    register_consultation_source(item)
    yield item
    unregister_consultation_source(item)


def test_an_unanswered_consultation_vetoes_the_bodys_section(clean, source):  # noqa: F811
    now = timezone.now()
    today = timezone.localdate(now)
    body = clean["qingfeng"].body
    row = Consultation.objects.create(
        body=body,
        title="青峰镇农村公路养护办法（征求意见稿）",
        text="第一条 ……",
        opens_on=today - datetime.timedelta(days=140),
        closes_on=today - datetime.timedelta(days=110),  # more than 3 months ago
        created_by=make_staff("qf-editor"),
    )
    assert participation.unanswered_consultations(today) == [row]
    run = inspect_sites(now)
    section = report_of(run, clean["qingfeng"])
    assert Check.CONSULTATIONS in section.vetoes and not section.passed
    (finding,) = findings(section, Check.CONSULTATIONS)
    assert finding["title"] == row.title
    assert section.unchecked == []
    assert Check.CONSULTATIONS not in report_of(run, clean["jinlong"]).vetoes

    Consultation.objects.filter(pk=row.pk).update(
        feedback="采纳了部分意见。", feedback_published_at=now
    )
    section = report_of(inspect_sites(now), clean["qingfeng"])
    # answered, but after the 3 months: still a problem of the last year (the inspector's rule)
    assert Check.CONSULTATIONS in section.vetoes
