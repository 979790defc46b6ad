"""The drill-down: from each figure of the dashboard to the cases behind it. Each figure's
list holds exactly the right cases on crafted histories; a body's staff see their own cases
only (another body asked for by name: 403; figures over every body: filtered); the lists
page, export to Excel and work as plain links (no JavaScript)."""

import datetime
import io
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.cases import services as cases
from egov.cases.models import CaseRating
from egov.core.models import Timer
from egov.services import services as catalogue
from egov.supervision import summary, sweep
from egov.supervision.models import Signal
from egov.supervision.services import close_signal
from tests.cases.conftest import (  # noqa: F401 - fixtures
    bodies,
    exchange_here,
    make_item,
    make_staff,
    new_case,
    pdf_bytes,
    png_bytes,
    promised_version,
    staff,
)
from tests.conftest import login_verified
from tests.supervision.conftest import make_timer

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/staff/supervision/cases/"


def aware(day: date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def shown(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    return {row["case"].query_code for row in response.context["rows"]}


def codes(*cases_) -> set[str]:
    return {case.query_code for case in cases_}


@pytest.fixture
def mzj_version(make_item):  # noqa: F811
    return catalogue.publish_version(make_item("YC-MZJ", name="测试民政事项").versions.get(), None)


@pytest.fixture
def world(promised_version, mzj_version, staff, new_case, bodies, make_staff):  # noqa: F811
    """October 2026, two bodies (市场监管局 S, 民政局 M):

    - c1 (S), c2 (S), c3 (M): accepted 21 September (due 29 September), swept on 9 October:
      a yellow and a red card each; c2's yellow card then closed as unfounded;
    - a timer of S that is no case (an error report's): its yellow and red card too;
    - c4 (S): accepted 28 September, closed 9 October, on time; c2 closed 20 October, late;
      c3 closed in November (not an October figure);
    - c6 (S): due 10 October, only a warning, raised on 9 October (it costs nothing);
    - ratings: c2 and c3 2 of 5, c4 5 of 5; anomalies case.bad_rating for c2 and c3.
    """
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    head_m = make_staff("head_m", mzj, "office_head")
    made = {}
    for name, version, accepted in (
        ("c1", promised_version, date(2026, 9, 21)),
        ("c2", promised_version, date(2026, 9, 21)),
        ("c3", mzj_version, date(2026, 9, 21)),
        ("c4", promised_version, date(2026, 9, 28)),
        ("c6", promised_version, date(2026, 10, 8)),
    ):
        by = staff["clerk"] if version == promised_version else head_m
        made[name] = cases.accept(new_case(version), by=by, on=accepted)
    thing = make_timer(date(2026, 9, 29), body=scjg, purpose="portal.error_report")
    c4_closed = aware(date(2026, 10, 9))
    Timer.objects.filter(pk=made["c4"].timer_id).update(stopped_at=c4_closed, stop_reason="closed")
    # c6 due Saturday 10 October (a make-up working day): one working day left on the 9th.
    Timer.objects.filter(pk=made["c6"].timer_id).update(due_date=date(2026, 10, 10))
    sweep(today=date(2026, 10, 9))
    assert Signal.objects.filter(kind="yellow").count() == 4  # c1, c2, c3, the error report
    assert set(
        Signal.objects.filter(subject_type="cases.case", subject_id=str(made["c6"].pk)).values_list(
            "kind", flat=True
        )
    ) == {"warning"}
    yellow_c2 = Signal.objects.get(
        subject_type="cases.case", subject_id=str(made["c2"].pk), kind="yellow"
    )
    close_signal(yellow_c2, reason="时限计算错误", by=staff["supervisor"], deducts=False)
    for name, day in (("c2", date(2026, 10, 20)), ("c3", date(2026, 11, 3))):
        Timer.objects.filter(pk=made[name].timer_id).update(
            stopped_at=aware(day), stop_reason="closed"
        )
    for name, score in (("c2", 2), ("c3", 2), ("c4", 5)):
        CaseRating.objects.create(case=made[name], score=score, rated_at=aware(date(2026, 10, 21)))
    for name in ("c2", "c3"):
        Signal.objects.create(
            kind="anomaly",
            code="case.bad_rating",
            body_id=made[name].body_id,
            subject_type="cases.case",
            subject_id=str(made[name].pk),
            raised_on=date(2026, 10, 21),
            raised_at=aware(date(2026, 10, 21)),
        )
    made["thing"] = thing
    made["head_m"] = head_m
    # Histories crafted around the verbs (updates, signals made by hand): the daily
    # summaries that the dashboard and the scores read count them after the nightly rebuild.
    summary.rebuild()
    return made


def test_each_figure_lists_exactly_its_cases(client, world, staff, bodies):  # noqa: F811
    c1, c2, c3, c4, c6 = (world[n] for n in ("c1", "c2", "c3", "c4", "c6"))
    scjg, mzj = bodies["YC-SCJG"].pk, bodies["YC-MZJ"].pk
    login_verified(client, staff["supervisor"])
    expected = [
        ({"figure": "open", "body": scjg, "kind": "yellow"}, codes(c1), 1),
        ({"figure": "open", "body": scjg, "kind": "red"}, codes(c1, c2), 1),
        ({"figure": "open", "body": scjg}, codes(c1, c2, c6), 2),
        ({"figure": "open", "body": mzj, "kind": "red"}, codes(c3), 0),
        ({"figure": "raised", "month": "2026-10", "kind": "red"}, codes(c1, c2, c3), 1),
        ({"figure": "raised", "month": "2026-10", "kind": "warning"}, codes(c6), 0),
        ({"figure": "raised", "month": "2026-09"}, set(), 0),
        ({"figure": "closed", "month": "2026-10"}, codes(c2, c4), 0),
        ({"figure": "closed", "month": "2026-10", "on_time": "yes"}, codes(c4), 0),
        ({"figure": "closed", "month": "2026-10", "on_time": "no"}, codes(c2), 0),
        ({"figure": "closed", "month": "2026-11"}, codes(c3), 0),
        ({"figure": "rating", "score": 2, "year": 2026}, codes(c2, c3), 0),
        ({"figure": "rating", "score": 5, "year": 2026}, codes(c4), 0),
        ({"figure": "rating", "score": 1, "year": 2026}, set(), 0),
        ({"figure": "anomaly", "code": "case.bad_rating", "year": 2026}, codes(c2, c3), 0),
        ({"figure": "anomaly", "code": "case.bad_rating", "year": 2025}, set(), 0),
        # S's October score: c1's cards, c2's red card (its yellow was unfounded) and its
        # 不满意 anomaly; not c6 (a warning costs nothing); the error report apart.
        ({"figure": "score", "body": scjg, "month": "2026-10"}, codes(c1, c2), 2),
        ({"figure": "score", "body": mzj, "month": "2026-10"}, codes(c3), 0),
        # The ranking's yellow and red cards: c2's yellow card was closed as unfounded.
        ({"figure": "score", "body": scjg, "month": "2026-10", "kind": "yellow"}, codes(c1), 1),
        ({"figure": "score", "body": scjg, "month": "2026-10", "kind": "red"}, codes(c1, c2), 1),
    ]
    for params, cases_, elsewhere in expected:
        response = client.get(URL, params, **EN)
        assert shown(response) == cases_, params
        assert response.context["elsewhere"] == elsewhere, params
        assert response.context["page"].paginator.count == len(cases_), params
    # The scores page's monthly ranking links its scores and cards the same way.
    html = client.get(reverse("supervision:scores"), {"month": "2026-10"}, **EN).content.decode()
    for kind in ("", "&amp;kind=yellow", "&amp;kind=red"):
        assert f"?figure=score&amp;body={scjg}&amp;month=2026-10{kind}" in html


def test_a_row_links_to_the_case_page_and_its_signals(client, world, staff):  # noqa: F811
    login_verified(client, staff["supervisor"])
    c1 = world["c1"]
    response = client.get(URL, {"figure": "raised", "month": "2026-10", "kind": "red"}, **EN)
    html = response.content.decode()
    case_url = reverse("cases:detail", args=[c1.query_code])
    assert f'href="{case_url}"' in html
    red = Signal.objects.get(subject_type="cases.case", subject_id=str(c1.pk), kind="red")
    assert f'href="{reverse("supervision:signal", args=[red.pk])}"' in html
    # The case page (with its full timeline) opens for the supervisor.
    assert client.get(case_url, **EN).status_code == 200


def test_a_bodys_staff_see_their_own_cases_only(client, world, staff, bodies):  # noqa: F811
    head = staff["head"]  # office head of 市场监管局
    login_verified(client, head)
    scjg, mzj = bodies["YC-SCJG"].pk, bodies["YC-MZJ"].pk
    # Allowed: their own body, by name.
    response = client.get(URL, {"figure": "open", "body": scjg, "kind": "red"}, **EN)
    assert shown(response) == codes(world["c1"], world["c2"])
    # Refused: another body, by name, whatever the figure.
    for params in (
        {"figure": "open", "body": mzj, "kind": "red"},
        {"figure": "score", "body": mzj, "month": "2026-10"},
    ):
        assert client.get(URL, params, **EN).status_code == 403
    # Filtered: figures over every body show only theirs.
    response = client.get(URL, {"figure": "raised", "month": "2026-10", "kind": "red"}, **EN)
    assert shown(response) == codes(world["c1"], world["c2"])
    response = client.get(URL, {"figure": "rating", "score": 2, "year": 2026}, **EN)
    assert shown(response) == codes(world["c2"])
    response = client.get(URL, {"figure": "closed", "month": "2026-11"}, **EN)
    assert shown(response) == set()
    response = client.get(URL, {"figure": "anomaly", "code": "case.bad_rating", "year": 2026})
    assert shown(response) == codes(world["c2"])
    # The export is scoped the same way.
    sheet = _rows(client.get(URL, {"figure": "rating", "score": 2, "year": 2026, "format": "xlsx"}))
    assert {row[0] for row in sheet[1:]} == codes(world["c2"])
    # And the other body's office head sees theirs.
    client.logout()
    login_verified(client, world["head_m"])
    response = client.get(URL, {"figure": "rating", "score": 2, "year": 2026}, **EN)
    assert shown(response) == codes(world["c3"])
    assert client.get(URL, {"figure": "open", "body": scjg}, **EN).status_code == 403


def test_staff_without_the_supervision_role_are_refused(client, world, staff):  # noqa: F811
    login_verified(client, staff["clerk"])
    assert client.get(URL, {"figure": "closed", "month": "2026-10"}, **EN).status_code == 403


def test_a_link_without_a_figure_says_what_is_wrong(client, world, staff):  # noqa: F811
    login_verified(client, staff["supervisor"])
    for params in ({}, {"figure": "nonsense"}, {"figure": "score", "month": "2026-10"}):
        response = client.get(URL, params, **EN)
        assert response.status_code == 400, params
        assert "does not name a figure" in response.content.decode()


def _rows(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_the_list_exports_to_excel(client, world, staff):  # noqa: F811
    login_verified(client, staff["supervisor"])
    rows = _rows(
        client.get(
            URL, {"figure": "raised", "month": "2026-10", "kind": "red", "format": "xlsx"}, **EN
        )
    )
    assert rows[0][:4] == ("Query code", "Service item", "Body", "Status")
    assert {row[0] for row in rows[1:]} == codes(world["c1"], world["c2"], world["c3"])
    c1_row = next(row for row in rows if row[0] == world["c1"].query_code)
    assert c1_row[5] == datetime.datetime(2026, 9, 29) and "red card" in c1_row[7]


def test_the_list_pages(client, world, staff, monkeypatch):  # noqa: F811
    from egov.supervision import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    login_verified(client, staff["supervisor"])
    params = {"figure": "raised", "month": "2026-10", "kind": "red"}
    first = client.get(URL, params, **EN)
    second = client.get(URL, {**params, "page": 2}, **EN)
    assert len(shown(first)) == 2 and len(shown(second)) == 1
    assert shown(first) | shown(second) == codes(world["c1"], world["c2"], world["c3"])
    assert 'rel="next"' in first.content.decode() and "figure=raised" in first.content.decode()


def test_every_figure_of_the_dashboard_links_to_its_cases_without_javascript(
    client,
    promised_version,  # noqa: F811
    staff,  # noqa: F811
    new_case,  # noqa: F811
    bodies,  # noqa: F811
):
    """The dashboard of today: every number is a plain link, and following each gives a
    list whose count is the number shown (cases here carry one signal of each kind)."""
    today = timezone.localdate()
    late, on_time = new_case(promised_version), new_case(promised_version)
    late = cases.accept(late, by=staff["clerk"], on=today - datetime.timedelta(days=60))
    on_time = cases.accept(on_time, by=staff["clerk"], on=today)
    Timer.objects.filter(pk=on_time.timer_id).update(
        stopped_at=timezone.now(), stop_reason="closed"
    )
    CaseRating.objects.create(case=on_time, score=5, rated_at=timezone.now())
    CaseRating.objects.create(case=late, score=1, rated_at=timezone.now())
    Signal.objects.create(
        kind="anomaly",
        code="case.bad_rating",
        body_id=late.body_id,
        subject_type="cases.case",
        subject_id=str(late.pk),
        raised_on=today,
        raised_at=timezone.now(),
    )
    sweep(today=today)
    summary.rebuild()  # written around the verbs: counted by the nightly rebuild
    login_verified(client, staff["supervisor"])
    html = client.get(reverse("supervision:dashboard"), **EN).content.decode()
    links = re.findall(r'<a href="(/staff/supervision/cases/\?[^"]+)">([0-9.]+)</a>', html)
    figures = {re.search(r"figure=(\w+)", href).group(1) for href, _n in links}
    assert figures == {"status", "raised", "open", "closed", "rating", "anomaly", "score"}
    for href, number in links:
        response = client.get(unescape(href), **EN)
        listed = shown(response)
        if "figure=status" in href:  # the totals line counts signals
            assert response.context["signal_count"] == int(number), href
        elif "figure=score" in href:
            assert listed == codes(late), href  # the late case's cards and anomaly
        else:
            assert len(listed) == int(number), href
        assert listed <= codes(late, on_time)


# --- the quarterly ranking's figures (figure=score&quarter=…) ---------------------------


def _signal(kind, case=None, *, body, day, deducts=True, code="", subject=None):
    subject_type, subject_id = ("cases.case", str(case.pk)) if case else subject
    return Signal.objects.create(
        kind=kind,
        code=code or f"test.{kind}.{day:%m%d}",  # one code a subject without a timer
        body=body,
        subject_type=subject_type,
        subject_id=subject_id,
        raised_on=day,
        raised_at=aware(day),
        deducts=deducts,
    )


@pytest.fixture
def third_quarter(world, bodies):  # noqa: F811
    """On top of ``world`` (whose signals are all of October), signals of 2026's third
    quarter and around it, for 市场监管局 (S) unless said:

    - c1: a red card on 15 July; c4: a yellow card on 30 September (the quarter's last day);
    - c6: a 不满意 anomaly on 1 September (it costs points) and a red card on 30 June (Q2);
    - c2: a yellow card on 10 August closed as unfounded, and a warning on 11 August;
    - the error report's timer: a yellow card on 5 August (not about a case);
    - c3 (民政局 M): a red card on 1 August.
    """
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    _signal("red", world["c1"], body=scjg, day=date(2026, 7, 15))
    _signal("yellow", world["c4"], body=scjg, day=date(2026, 9, 30))
    _signal("anomaly", world["c6"], body=scjg, day=date(2026, 9, 1), code="case.bad_rating")
    _signal("red", world["c6"], body=scjg, day=date(2026, 6, 30))
    _signal("yellow", world["c2"], body=scjg, day=date(2026, 8, 10), deducts=False)
    _signal("warning", world["c2"], body=scjg, day=date(2026, 8, 11))
    thing = world["thing"]
    _signal("yellow", body=scjg, day=date(2026, 8, 5), subject=(thing.subject_type, "q3"))
    _signal("red", world["c3"], body=mzj, day=date(2026, 8, 1))
    summary.rebuild()  # signals made by hand: counted by the nightly rebuild
    return world


def test_the_quarterly_ranking_lists_exactly_its_cases(client, third_quarter, staff, bodies):  # noqa: F811
    w = third_quarter
    scjg, mzj = bodies["YC-SCJG"].pk, bodies["YC-MZJ"].pk
    login_verified(client, staff["supervisor"])
    q3 = {"figure": "score", "quarter": "2026-Q3"}
    expected = [
        # (params, cases, signals of the figure, of which not about a case)
        ({**q3, "body": scjg}, codes(w["c1"], w["c4"], w["c6"]), 4, 1),
        ({**q3, "body": scjg, "kind": "yellow"}, codes(w["c4"]), 2, 1),
        ({**q3, "body": scjg, "kind": "red"}, codes(w["c1"]), 1, 0),
        ({**q3, "body": mzj}, codes(w["c3"]), 1, 0),
        ({**q3, "body": mzj, "kind": "yellow"}, set(), 0, 0),
        # The fourth quarter: October's (world's) signals, as the monthly figure has them.
        ({"figure": "score", "quarter": "2026-Q4", "body": scjg}, codes(w["c1"], w["c2"]), 6, 2),
        # The second: c6's red card of 30 June only.
        ({"figure": "score", "quarter": "2026-q2", "body": scjg}, codes(w["c6"]), 1, 0),
    ]
    for params, cases_, signals, elsewhere in expected:
        response = client.get(URL, params, **EN)
        assert shown(response) == cases_, params
        assert response.context["signal_count"] == signals, params
        assert response.context["elsewhere"] == elsewhere, params
        assert response.context["page"].paginator.count == len(cases_), params
    # The scores page's quarterly ranking links each figure to that list, and its yellow
    # and red cards are the counts of the lists' signals.
    page = client.get(reverse("supervision:scores"), {"month": "2026-08"}, **EN)
    html = page.content.decode()
    row = next(item for item in page.context["quarterly"] if item.body.pk == scjg)
    assert (row.counts.get("yellow"), row.counts.get("red")) == (2, 1)
    for kind, number in (("", row.score), ("&amp;kind=yellow", 2), ("&amp;kind=red", 1)):
        href = f"/staff/supervision/cases/?figure=score&amp;body={scjg}&amp;quarter=2026-Q3{kind}"
        assert f'<a href="{href}">{number}</a>' in html, kind
    # The monthly ranking keeps its month.
    assert f"?figure=score&amp;body={scjg}&amp;month=2026-08" in html


def test_the_quarter_is_scoped_like_the_month(client, third_quarter, staff, bodies):  # noqa: F811
    w = third_quarter
    scjg, mzj = bodies["YC-SCJG"].pk, bodies["YC-MZJ"].pk
    q3 = {"figure": "score", "quarter": "2026-Q3"}
    # The body's own office head: allowed for their body, refused for another.
    login_verified(client, staff["head"])
    assert shown(client.get(URL, {**q3, "body": scjg}, **EN)) == codes(w["c1"], w["c4"], w["c6"])
    for params in ({**q3, "body": mzj}, {**q3, "body": mzj, "kind": "red"}):
        assert client.get(URL, params, **EN).status_code == 403
    assert client.get(URL, {**q3, "body": mzj, "format": "xlsx"}, **EN).status_code == 403
    client.logout()
    # The other body's head: the other way round.
    login_verified(client, w["head_m"])
    assert shown(client.get(URL, {**q3, "body": mzj}, **EN)) == codes(w["c3"])
    assert client.get(URL, {**q3, "body": scjg}, **EN).status_code == 403
    client.logout()
    # A clerk (no supervision role) is refused even for their own body.
    login_verified(client, staff["clerk"])
    assert client.get(URL, {**q3, "body": scjg}, **EN).status_code == 403


def test_the_quarter_pages_and_exports(client, third_quarter, staff, bodies, monkeypatch):  # noqa: F811
    from egov.supervision import views

    w = third_quarter
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    login_verified(client, staff["supervisor"])
    params = {"figure": "score", "quarter": "2026-Q3", "body": bodies["YC-SCJG"].pk}
    first = client.get(URL, params, **EN)
    second = client.get(URL, {**params, "page": 2}, **EN)
    assert len(shown(first)) == 2 and len(shown(second)) == 1
    assert shown(first) | shown(second) == codes(w["c1"], w["c4"], w["c6"])
    assert "quarter=2026-Q3" in re.search(r'href="\?([^"]*)" rel="next"', first.content.decode())[1]
    sheet = _rows(client.get(URL, {**params, "format": "xlsx"}))
    assert {row[0] for row in sheet[1:]} == codes(w["c1"], w["c4"], w["c6"])


def test_a_quarter_link_must_be_well_formed(client, world, staff, bodies):  # noqa: F811
    login_verified(client, staff["supervisor"])
    scjg = bodies["YC-SCJG"].pk
    for params in (
        {"figure": "score", "body": scjg, "quarter": "2026-Q5"},
        {"figure": "score", "body": scjg, "quarter": "2026-07"},
        {"figure": "score", "body": scjg, "quarter": "2026-Q3", "month": "2026-07"},
        {"figure": "score", "body": scjg},
        {"figure": "open", "body": scjg, "quarter": "2026-Q3"},
        {"figure": "status"},
        {"figure": "status", "status": "lost"},
    ):
        response = client.get(URL, params, **EN)
        assert response.status_code == 400, params
        assert "does not name a figure" in response.content.decode()


# --- the dashboard's totals line (figure=status) -----------------------------------------


def _total_links(html: str) -> dict[str, tuple[str, int]]:
    return {
        status: (unescape(href), int(number))
        for href, status, number in re.findall(
            r'<a href="(/staff/supervision/cases/\?figure=status&amp;status=(\w+))">(\d+)</a>',
            html,
        )
    }


def _all_rows(client, href):
    rows, page = [], 1
    while True:
        response = client.get(f"{href}&page={page}", **EN)
        assert response.status_code == 200
        rows += response.context["rows"]
        if not response.context["page"].has_next():
            return response, rows
        page += 1


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_the_totals_link_to_lists_whose_counts_match(client, world, staff, who, monkeypatch):  # noqa: F811
    from egov.supervision import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # the counts hold over several pages
    # One explained signal, so that each of the three totals is a link.
    red_c1 = Signal.objects.get(
        subject_type="cases.case", subject_id=str(world["c1"].pk), kind="red"
    )
    Signal.objects.filter(pk=red_c1.pk).update(status="explained")
    summary.rebuild()  # updated around the verbs: counted by the nightly rebuild
    login_verified(client, staff[who])
    html = client.get(reverse("supervision:dashboard"), **EN).content.decode()
    links = _total_links(html)
    assert set(links) == {"open", "explained", "closed"}
    assert f"{links['open'][1]} open" in re.sub(r"<[^>]+>", "", html)  # the line's numbers
    assert 'href="/staff/supervision/signals/?status=open"' in html  # the signal list's link
    visible = views.visible_signals(staff[who])
    for status, (href, number) in links.items():
        assert number == visible.filter(status=status).count(), status
        response, rows = _all_rows(client, href)
        # The list counts the number's signals: those about the listed cases, the others
        # apart (the error report's cards).
        assert response.context["signal_count"] == number, status
        in_rows = sum(len(row["signals"]) for row in rows)
        assert in_rows + response.context["elsewhere"] == number, status
        expected = {
            int(pk)
            for pk in visible.filter(status=status, subject_type="cases.case").values_list(
                "subject_id", flat=True
            )
        }
        assert {row["case"].pk for row in rows} == expected, status
    # The head of 市场监管局 sees 民政局's signals in no total and in no list.
    if who == "head":
        c3 = world["c3"].query_code
        for href, _n in links.values():
            assert c3 not in {row["case"].query_code for row in _all_rows(client, href)[1]}


def test_the_closed_figure_takes_the_month_in_local_time(
    client,
    promised_version,  # noqa: F811
    staff,  # noqa: F811
    new_case,  # noqa: F811
):
    """A month of closed cases runs from local midnight to local midnight (Beijing time):
    23:30 on 31 October is October's, 00:30 on 1 November (16:30 UTC on the 31st) is
    November's."""
    october, november = (
        cases.accept(new_case(promised_version), by=staff["clerk"], on=date(2026, 10, 8))
        for _ in range(2)
    )
    for case, stopped in (
        (october, datetime.datetime(2026, 10, 31, 23, 30)),
        (november, datetime.datetime(2026, 11, 1, 0, 30)),
    ):
        Timer.objects.filter(pk=case.timer_id).update(
            stopped_at=timezone.make_aware(stopped), stop_reason="closed"
        )
    login_verified(client, staff["supervisor"])
    assert shown(client.get(URL, {"figure": "closed", "month": "2026-10"}, **EN)) == codes(october)
    assert shown(client.get(URL, {"figure": "closed", "month": "2026-11"}, **EN)) == codes(november)
