"""A due date that lies on a provisional day of the calendar (decision 0019) is marked as
such on the applicant's page, in both languages; an official one is not."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from egov.disclosure.models import OnlineRequest

from .test_views import _file, applicant  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("exchange_here")

PROVISIONAL = datetime.date(2027, 1, 13)
OFFICIAL = datetime.date(2026, 12, 15)


def render(day) -> str:
    return Template("{% load egov %}{% provisional_note day %}").render(Context({"day": day}))


def test_the_note_follows_only_a_provisional_date(db):
    with translation.override("en"):
        assert "may still move" in render(PROVISIONAL)
        assert render(OFFICIAL) == ""
        assert render(None) == ""
        assert render("not a date") == ""
    with translation.override("zh-hans"):
        assert "暂定" in render(PROVISIONAL)


def test_the_applicant_sees_that_the_answer_date_is_provisional(client, applicant, bodies):  # noqa: F811
    response = _file(client, bodies)
    row = OnlineRequest.objects.get()
    for due, shown in ((PROVISIONAL, True), (OFFICIAL, False)):
        OnlineRequest.objects.filter(pk=row.pk).update(due_date=due)
        page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert due.isoformat() in page
        assert ('class="provisional-date"' in page) is shown
