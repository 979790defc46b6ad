"""visible_to / visible_bodies: who sees which bodies' records, allowed and refused."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from egov.accounts.models import User
from egov.core.models import AuditEntry, Timer, TimerPause
from egov.directory.models import Membership, Organisation, Role
from egov.directory.scoping import visible_bodies, visible_to
from egov.directory.services import import_organisations, read_organisations_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    import_organisations(read_organisations_csv())
    scjg = Organisation.objects.get(code="YC-SCJG")
    # A department's own office (科室), so that a department head has something under them.
    Organisation.objects.create(
        code="YC-SCJG-DJK", name_zh="登记注册科", kind=Organisation.Kind.OTHER, parent=scjg
    )
    return {org.code: org for org in Organisation.objects.all()}


@pytest.fixture
def timers(tree):
    """One timer per body of interest, plus one that belongs to no body."""
    made = {}
    for code in ("YC-QF", "YC-JL", "YC-SCJG", "YC-SCJG-DJK", "YC-FGW", None):
        made[code] = Timer.objects.create(
            purpose="test.scope",
            subject_type="tests.thing",
            subject_id=str(code),
            owner_body=tree[code] if code else None,
            start_date=datetime.date(2026, 3, 2),
            limit=20,
            unit=Timer.Unit.WORKING_DAYS,
            due_date=datetime.date(2026, 3, 30),
        )
    return made


def make_user(username: str, **fields) -> User:
    # Built directly: UserManager.create_user stores a missing e-mail as "", which the
    # unique e-mail column allows only once.
    user = User(username=username, email=None, **fields)
    user.set_unusable_password()
    user.save()
    return user


def staff(username: str, *grants: tuple[str, str]) -> User:
    """A staff member holding (body code, role code) memberships."""
    user = make_user(username, kind=User.Kind.STAFF, is_staff=True)
    for body_code, role_code in grants:
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(code=body_code),
            role=Role.objects.get(code=role_code),
        )
    return user


def seen_codes(user) -> set:
    timers = visible_to(user, Timer.objects.all(), body_field="owner_body")
    return {t.owner_body.code if t.owner_body else None for t in timers}


def test_staff_of_one_town_see_nothing_of_another_town(timers):
    qingfeng = staff("qf", ("YC-QF", "window_clerk"))
    jinlong = staff("jl", ("YC-JL", "window_clerk"))

    assert seen_codes(qingfeng) == {"YC-QF"}
    assert seen_codes(jinlong) == {"YC-JL"}
    assert not visible_to(qingfeng, Timer.objects.filter(owner_body__code="YC-JL"), "owner_body")


def test_own_scope_does_not_reach_down_to_sub_bodies(timers):
    clerk = staff("clerk", ("YC-SCJG", "window_clerk"))

    assert seen_codes(clerk) == {"YC-SCJG"}


def test_department_head_sees_the_department_and_its_sub_bodies_only(timers):
    head = staff("head", ("YC-SCJG", "office_head"))

    assert seen_codes(head) == {"YC-SCJG", "YC-SCJG-DJK"}


def test_subtree_prefix_does_not_leak_to_a_sibling_whose_code_starts_alike(tree, timers):
    # YC-SCJGX's path /YC/YC-ZF/YC-SCJGX/ shares the text prefix of /YC/YC-ZF/YC-SCJG but is
    # not under it.
    sibling = Organisation.objects.create(
        code="YC-SCJGX", name_zh="测试相似代码机构", kind="department", parent=tree["YC-ZF"]
    )
    Timer.objects.create(
        purpose="test.scope",
        subject_type="tests.thing",
        subject_id="sibling",
        owner_body=sibling,
        start_date=datetime.date(2026, 3, 2),
        limit=1,
        unit=Timer.Unit.NATURAL_DAYS,
        due_date=datetime.date(2026, 3, 3),
    )
    head = staff("head", ("YC-SCJG", "approver"))

    assert seen_codes(head) == {"YC-SCJG", "YC-SCJG-DJK"}


def test_head_of_the_government_sees_every_body_under_it_but_not_the_party_bodies(tree):
    head = staff("zf", ("YC-ZF", "office_head"))
    bodies = set(visible_bodies(head).values_list("code", flat=True))

    assert {"YC-ZF", "YC-QF", "YC-SCJG", "YC-SCJG-DJK"} <= bodies
    assert "YC-JW" not in bodies
    assert "YC" not in bodies


def test_supervisor_sees_everything_even_records_without_a_body(timers):
    supervisor = staff("jw", ("YC-JW", "supervisor"))

    assert seen_codes(supervisor) == set(timers)
    assert visible_bodies(supervisor).count() == Organisation.objects.count()


def test_superuser_sees_everything(timers):
    admin = make_user("root", kind=User.Kind.STAFF, is_staff=True, is_superuser=True)

    assert seen_codes(admin) == set(timers)


def test_several_memberships_add_up(timers):
    both = staff("both", ("YC-QF", "window_clerk"), ("YC-JL", "reviewer"))

    assert seen_codes(both) == {"YC-QF", "YC-JL"}


@pytest.mark.parametrize("who", ["anonymous", "citizen", "citizen_with_membership", "no_role"])
def test_people_without_a_staff_membership_see_nothing(timers, who):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "citizen":
        user = make_user("citizen", kind=User.Kind.CITIZEN)
    elif who == "citizen_with_membership":
        # A membership given to a citizen account by mistake grants nothing.
        user = make_user("citizen", kind=User.Kind.CITIZEN)
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(code="YC-JW"),
            role=Role.objects.get(code="supervisor"),
        )
    else:
        user = staff("nobody")

    assert seen_codes(user) == set()
    assert not visible_bodies(user).exists()


def test_an_inactive_staff_member_sees_nothing(timers):
    supervisor = staff("jw", ("YC-JW", "supervisor"))
    supervisor.is_active = False
    supervisor.save()

    assert seen_codes(supervisor) == set()


def test_scope_follows_a_lookup_path(timers):
    for code, timer in timers.items():
        TimerPause.objects.create(
            timer=timer, reason=f"waiting {code}", paused_on=timer.start_date, remaining=5
        )
    qingfeng = staff("qf", ("YC-QF", "window_clerk"))

    pauses = visible_to(qingfeng, TimerPause.objects.all(), body_field="timer__owner_body")

    assert [p.reason for p in pauses] == ["waiting YC-QF"]


def test_scope_on_the_audit_log_with_the_default_field_name(tree):
    for code in ("YC-QF", "YC-JL"):
        AuditEntry.objects.create(
            at=timezone.now(),
            body=tree[code],
            action="test.view",
            prev_hash="0" * 64,
            hash=uuid.uuid4().hex * 2,
        )
    qingfeng = staff("qf", ("YC-QF", "window_clerk"))

    entries = visible_to(qingfeng, AuditEntry.objects.all())

    assert [e.body_id for e in entries] == [tree["YC-QF"].pk]


def test_the_result_is_one_query(timers, django_assert_num_queries):
    head = staff("head", ("YC-SCJG", "office_head"), ("YC-QF", "reviewer"))
    scoped = visible_to(head, Timer.objects.all(), body_field="owner_body")

    with django_assert_num_queries(1):
        assert len(list(scoped)) == 3


def test_a_membership_granted_later_is_seen_by_a_queryset_built_earlier(timers):
    # The scope is decided inside the query, so it is never stale.
    clerk = staff("qf", ("YC-QF", "window_clerk"))
    scoped = visible_to(clerk, Timer.objects.all(), body_field="owner_body")
    Membership.objects.create(
        user=clerk,
        organisation=Organisation.objects.get(code="YC-JL"),
        role=Role.objects.get(code="window_clerk"),
    )

    assert {t.owner_body.code for t in scoped} == {"YC-QF", "YC-JL"}
