"""Rules by service item type (事项类型): the precedence of the eight kinds of rule on
crafted timers, in Python (``rule_for``) and in the set-based sweep alike; an item-type rule
across National Day 2026; a case's timers carry their item's type; anomaly rules overridden
per item type; the back-office creates such rules."""

import datetime
from datetime import date
from itertools import product

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.cases import ratings
from egov.cases import services as cases
from egov.core.calendar import is_working_day, working_days_between
from egov.services import services as catalogue
from egov.supervision import anomalies, sweep
from egov.supervision.models import AnomalyRule, Signal, SupervisionRule
from egov.supervision.services import rule_for, specificity
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

PURPOSE = "cases.promised"


def kinds(timer) -> set[str]:
    return set(Signal.objects.filter(timer=timer).values_list("kind", flat=True))


@pytest.fixture
def eight_rules(bodies):  # noqa: F811
    """One rule of each rank; each rule's yellow card comes after rank + 1 working days."""
    scjg = bodies["YC-SCJG"]
    default = SupervisionRule.objects.get(purpose="", item_type="", body=None)
    default.yellow_days, default.red_days = 1, 30
    default.save()
    rules = {0: default}
    for purpose, item_type, body in product(["", PURPOSE], ["", "licensing"], [None, scjg]):
        rule = SupervisionRule(purpose=purpose, item_type=item_type, body=body)
        rank = specificity(rule)
        if rank == 0:
            continue
        rule.yellow_days, rule.red_days = rank + 1, 30
        rule.save()
        rules[rank] = rule
    return rules


def test_the_precedence_purpose_then_item_type_then_body(bodies, eight_rules):  # noqa: F811
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    # (purpose, item type, body) of the timer → the rank of the rule that must govern it.
    expected = {
        (PURPOSE, "licensing", scjg): 7,  # purpose + type + body
        (PURPOSE, "licensing", mzj): 6,  # purpose + type
        (PURPOSE, "benefit", scjg): 5,  # purpose + body
        (PURPOSE, "benefit", mzj): 4,  # purpose
        ("other.purpose", "licensing", scjg): 3,  # type + body
        ("other.purpose", "licensing", mzj): 2,  # type
        ("other.purpose", "benefit", scjg): 1,  # body
        ("other.purpose", "", mzj): 0,  # the default
    }
    due = date(2026, 9, 1)
    timers = {
        key: make_timer(due, purpose=key[0], category=key[1], body=key[2]) for key in expected
    }
    for key, rank in expected.items():
        assert rule_for(timers[key]) == eight_rules[rank], key
    sweep(today=date(2026, 9, 30))  # 20 working days late: every yellow card raised
    for key, rank in expected.items():
        yellow = Signal.objects.get(timer=timers[key], kind="yellow")
        assert (yellow.rule_id, yellow.threshold) == (eight_rules[rank].pk, rank + 1), key
    assert Signal.objects.filter(kind="yellow").count() == len(expected)  # one rule each


def test_an_inactive_item_type_rule_falls_back_to_the_next(bodies, eight_rules):  # noqa: F811
    eight_rules[7].active = False
    eight_rules[7].save()
    eight_rules[6].active = False
    eight_rules[6].save()
    timer = make_timer(
        date(2026, 9, 14), purpose=PURPOSE, category="licensing", body=bodies["YC-SCJG"]
    )
    assert rule_for(timer) == eight_rules[5]  # purpose + body
    sweep(today=date(2026, 9, 21))  # 5 working days (20 September is a make-up day)
    assert working_days_between(date(2026, 9, 14), date(2026, 9, 21)) == 6
    assert Signal.objects.get(timer=timer, kind="yellow").rule_id == eight_rules[5].pk


def test_the_sweep_uses_the_item_type_rule_across_national_day(bodies):  # noqa: F811
    """A rule for 行政许可 items of one body: warn 3 working days before the due date. Due
    Friday 9 October, after the holiday (1–7 October): the warning comes on 29 September,
    eleven calendar days before; a 行政给付 timer of the same body keeps the default (1)."""
    scjg = bodies["YC-SCJG"]
    SupervisionRule.objects.create(
        item_type="licensing", body=scjg, warning_days=3, yellow_days=1, red_days=3
    )
    due = date(2026, 10, 9)
    assert not any(is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert working_days_between(date(2026, 9, 29), due) == 3
    licensing = make_timer(due, purpose=PURPOSE, category="licensing", body=scjg)
    benefit = make_timer(due, purpose=PURPOSE, category="benefit", body=scjg)
    sweep(today=date(2026, 9, 28))  # four working days left
    assert kinds(licensing) == kinds(benefit) == set()
    sweep(today=date(2026, 9, 29))
    assert kinds(licensing) == {"warning"} and kinds(benefit) == set()
    warning = Signal.objects.get(timer=licensing)
    assert warning.threshold == 3 and warning.due_date == due
    for day in range(30, 31):
        sweep(today=date(2026, 9, day))
    for day in range(1, 9):
        sweep(today=date(2026, 10, day))
    assert kinds(benefit) == {"warning"}  # on 8 October, one working day left
    sweep(today=date(2026, 10, 10))  # Saturday, a make-up working day: one day late
    assert kinds(licensing) == {"warning", "yellow"} and kinds(benefit) == {"warning", "yellow"}
    sweep(today=date(2026, 10, 12))  # two working days late: the default's red card only
    assert kinds(benefit) == {"warning", "yellow", "red"}
    assert kinds(licensing) == {"warning", "yellow"}
    sweep(today=date(2026, 10, 13))  # three: the licensing rule's red card
    assert kinds(licensing) == {"warning", "yellow", "red"}


def test_a_cases_timers_carry_the_item_type_and_the_sweep_uses_its_rule(
    promised_version,  # noqa: F811
    staff,  # noqa: F811
    new_case,  # noqa: F811
    bodies,  # noqa: F811
):
    assert promised_version.item_type == "licensing"
    rule = SupervisionRule.objects.create(
        purpose=PURPOSE, item_type="licensing", warning_days=0, yellow_days=5, red_days=6
    )
    case = new_case(promised_version)
    case = cases.accept(case, by=staff["clerk"], on=date(2026, 9, 21))
    timer = case.timer
    assert timer.category == "licensing"
    assert timer.due_date == date(2026, 9, 29)  # 25 September is a holiday
    assert rule_for(timer) == rule
    sweep(today=date(2026, 10, 10))  # 30 Sep, 8, 9, 10 Oct: four working days late
    assert kinds(timer) == set()  # the default (1 / 2) would have given two cards
    sweep(today=date(2026, 10, 12))  # the fifth
    yellow = Signal.objects.get(timer=timer)
    assert (yellow.kind, yellow.rule_id, yellow.subject_id) == ("yellow", rule.pk, str(case.pk))
    # A rectification timer of the case carries the type too.
    rating = ratings.receive_rating(case, score=1, comment="太慢", rated_at=timezone.now())
    assert rating.rectification.timer.category == "licensing"


@pytest.fixture
def benefit_version(make_item):  # noqa: F811
    item = make_item("YC-SCJG", name="测试给付事项")
    version = item.versions.get()
    version.item_type = "benefit"
    version.save()
    return catalogue.publish_version(version, None)


def test_an_anomaly_rule_overridden_for_an_item_type(
    promised_version,  # noqa: F811
    benefit_version,
    new_case,  # noqa: F811
):
    """行政许可 must be accepted within 1 working day (override), others within 2 (default)."""
    AnomalyRule.objects.create(
        code="case.not_accepted_in_time", item_type="licensing", label="许可超时未受理", days=1
    )
    licensing, benefit = new_case(promised_version), new_case(benefit_version)
    submitted = timezone.make_aware(datetime.datetime(2026, 9, 30, 10))
    type(licensing).objects.filter(pk__in=[licensing.pk, benefit.pk]).update(submitted_at=submitted)

    def raised():
        return set(
            Signal.objects.filter(code="case.not_accepted_in_time").values_list(
                "subject_id", flat=True
            )
        )

    assert anomalies.sweep_cases(date(2026, 10, 7)) == 0  # the holiday: no working day yet
    assert anomalies.sweep_cases(date(2026, 10, 8)) == 1
    assert raised() == {str(licensing.pk)}
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 1
    assert raised() == {str(licensing.pk), str(benefit.pk)}
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 0  # once


def test_an_inactive_override_leaves_the_general_rule_and_an_override_can_be_serious(
    promised_version,  # noqa: F811
    new_case,  # noqa: F811
):
    from egov.cases.models import CaseEvent

    AnomalyRule.objects.create(
        code="case.not_accepted_in_time", item_type="licensing", label="x", days=1, active=False
    )
    AnomalyRule.objects.create(
        code="case.refusal_without_reason", item_type="licensing", label="许可", serious=True
    )
    case = new_case(promised_version)
    type(case).objects.filter(pk=case.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 9, 30, 10))
    )
    assert anomalies.sweep_cases(date(2026, 10, 8)) == 0  # the general rule: 2 days
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 1
    CaseEvent.objects.create(
        case=case, action="refuse_acceptance", to_status=case.status, reason="不行"
    )
    assert anomalies.check_case(case) == ["case.refusal_without_reason"]
    assert Signal.objects.get(code="case.refusal_without_reason").kind == "red"


def test_the_back_office_creates_a_rule_by_item_type(client, staff, bodies):  # noqa: F811
    supervisor = staff["supervisor"]
    login_verified(client, supervisor)
    url = reverse("admin:supervision_supervisionrule_add")
    page = client.get(url)
    assert page.status_code == 200 and 'name="item_type"' in page.content.decode()
    data = {
        "purpose": PURPOSE,
        "item_type": "licensing",
        "body": bodies["YC-SCJG"].pk,
        "warning_days": 3,
        "yellow_days": 1,
        "red_days": 2,
        "active": "on",
        "note": "行政许可提前3个工作日预警",
    }
    assert client.post(url, data).status_code == 302
    rule = SupervisionRule.objects.get(item_type="licensing")
    assert (rule.purpose, rule.body, rule.warning_days) == (PURPOSE, bodies["YC-SCJG"], 3)
    # The same scope twice is refused; for every body too.
    response = client.post(url, data)
    assert (
        response.status_code == 200
        and SupervisionRule.objects.filter(item_type="licensing").count() == 1
    )
    data["body"] = ""
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()  # the back-office speaks zh-hans first, or English
    assert "该用途和事项类型已有适用于所有单位的规则" in page or (
        "already a rule for this purpose and item type" in page
    )
    # An anomaly rule's override for the type.
    url = reverse("admin:supervision_anomalyrule_add")
    data = {
        "code": "case.not_accepted_in_time",
        "item_type": "licensing",
        "label": "许可超时未受理",
    }
    data |= {"active": "on", "days": 1}
    assert client.post(url, data).status_code == 302
    assert AnomalyRule.objects.filter(code="case.not_accepted_in_time").count() == 2
    # A body's office head may not.
    client.logout()
    login_verified(client, staff["head"])
    assert client.get(reverse("admin:supervision_supervisionrule_add")).status_code in (302, 403)


def test_existing_case_timers_get_their_item_type_from_the_migration(
    promised_version,  # noqa: F811
    staff,  # noqa: F811
    new_case,  # noqa: F811
):
    import importlib

    from django.apps import apps

    from egov.core.models import Timer

    case = cases.accept(new_case(promised_version), by=staff["clerk"], on=date(2026, 9, 21))
    other = make_timer(date(2026, 9, 1))
    Timer.objects.filter(pk=case.timer_id).update(category="")
    backfill = importlib.import_module(
        "egov.supervision.migrations.0007_timer_category_backfill"
    ).backfill
    backfill(apps, None)
    assert Timer.objects.get(pk=case.timer_id).category == "licensing"
    assert Timer.objects.get(pk=other.pk).category == ""
