"""The demo data: idempotent, every account marked as demo, staff ready for two-factor."""

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import CitizenIdentity, EnterpriseIdentity, User
from egov.core.models import Timer
from egov.core.validators import validate_id_number, validate_uscc
from egov.directory import demo
from egov.directory.models import Membership, Organisation
from egov.directory.scoping import visible_to

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = (
    [demo.SUPERUSER.username]
    + [p.username for p in demo.STAFF]
    + [c.username for c in demo.CITIZENS]
    + [e.username for e in demo.ENTERPRISES]
)


def snapshot() -> dict:
    """Everything the demo writes, in a comparable form."""
    return {
        "users": list(User.objects.order_by("username").values()),
        "memberships": list(Membership.objects.order_by("id").values()),
        "devices": list(TOTPDevice.objects.order_by("id").values()),
        "citizens": list(CitizenIdentity.objects.order_by("id").values()),
        "enterprises": list(EnterpriseIdentity.objects.order_by("id").values()),
        "bodies": list(Organisation.objects.order_by("id").values()),
    }


def test_seeding_twice_changes_nothing():
    first = demo.seed_demo()
    before = snapshot()

    second = demo.seed_demo()

    assert sorted(first.created_users) == sorted(DEMO_USERNAMES)
    assert second.created_users == []
    assert snapshot() == before
    assert User.objects.count() == len(DEMO_USERNAMES)
    assert Organisation.objects.count() == 66


def test_every_demo_account_is_marked_demo_and_has_the_right_kind():
    demo.seed_demo()

    users = {u.username: u for u in User.objects.all()}
    assert set(users) == set(DEMO_USERNAMES)
    assert all(u.is_demo for u in users.values())
    for person in [demo.SUPERUSER, *demo.STAFF]:
        assert users[person.username].kind == User.Kind.STAFF
        assert users[person.username].is_staff
    for citizen in demo.CITIZENS:
        assert users[citizen.username].kind == User.Kind.CITIZEN
        assert not users[citizen.username].is_staff
    for enterprise in demo.ENTERPRISES:
        assert users[enterprise.username].kind == User.Kind.ENTERPRISE
    assert users["admin"].is_superuser
    assert [u for u in users.values() if u.is_superuser] == [users["admin"]]


def test_every_demo_staff_member_has_one_confirmed_totp_device():
    demo.seed_demo()

    for user in User.objects.filter(kind=User.Kind.STAFF):
        devices = TOTPDevice.objects.filter(user=user)
        assert [(d.name, d.confirmed) for d in devices] == [("demo", True)], user.username
        assert user.is_demo
    assert not TOTPDevice.objects.filter(user__kind=User.Kind.CITIZEN).exists()


def test_every_demo_account_logs_in_with_the_documented_password():
    demo.seed_demo()

    for user in User.objects.all():
        assert user.check_password(demo.DEMO_PASSWORD), user.username
        password_validation.validate_password(demo.DEMO_PASSWORD, user)


def test_each_role_has_a_demo_staff_member_at_the_intended_body():
    demo.seed_demo()

    held = set(Membership.objects.values_list("user__username", "role__code", "organisation__code"))
    assert ("supervisor", "supervisor", "YC-JW") in held
    assert ("editor", "editor", "YC-ZF-BGS") in held
    assert ("siteadmin", "site_admin", "YC-ZF-BGS") in held
    assert ("sysadmin", "system_admin", "YC-DSJ") in held
    assert {role for _, role, _ in held} == {
        "window_clerk",
        "reviewer",
        "approver",
        "office_head",
        "supervisor",
        "editor",
        "site_admin",
        "system_admin",
    }


def test_the_two_town_clerks_work_in_different_towns_and_do_not_see_each_other():
    demo.seed_demo()
    qingfeng = User.objects.get(username="qingfeng")
    jinlong = User.objects.get(username="jinlong")
    towns = {user.username: user.memberships.get().organisation for user in (qingfeng, jinlong)}
    assert {t.kind for t in towns.values()} == {Organisation.Kind.TOWN}
    assert towns["qingfeng"] != towns["jinlong"]
    for town in towns.values():
        Timer.objects.create(
            purpose="demo.scope",
            subject_type="tests.thing",
            subject_id=town.code,
            owner_body=town,
            start_date="2026-03-02",
            limit=5,
            unit=Timer.Unit.WORKING_DAYS,
            due_date="2026-03-09",
        )

    seen = visible_to(qingfeng, Timer.objects.all(), body_field="owner_body")

    assert [t.owner_body for t in seen] == [towns["qingfeng"]]


def test_citizens_and_the_enterprise_have_valid_verified_real_name_data():
    demo.seed_demo()

    identities = list(CitizenIdentity.objects.select_related("user"))
    assert len(identities) == len(demo.CITIZENS)
    for identity in identities:
        assert validate_id_number(identity.id_number) == identity.id_number
        assert identity.id_number.startswith(demo.YONGCHUAN_AREA_CODE)
        assert identity.real_name.startswith("测试")
        assert identity.verified_at is not None
    enterprise = EnterpriseIdentity.objects.get()
    assert validate_uscc(enterprise.uscc) == enterprise.uscc
    assert enterprise.verified_at is not None


def test_the_district_government_gets_its_public_facts_without_overwriting_edits():
    demo.seed_demo()
    government = Organisation.objects.get(code="YC-ZF")
    assert government.uscc == "11500383009338112H"
    assert government.address == "重庆市永川区人民大道"
    assert "9:00" in government.office_hours
    assert government.phone and government.functions

    Organisation.objects.filter(pk=government.pk).update(phone="023-49811111")
    demo.seed_demo()

    assert Organisation.objects.get(pk=government.pk).phone == "023-49811111"


def test_an_existing_account_that_is_not_a_demo_account_is_never_touched():
    real = User(username="admin", email=None, kind=User.Kind.STAFF, is_staff=True)
    real.set_password("A-real-Secret-9876")
    real.save()

    report = demo.seed_demo()

    real.refresh_from_db()
    assert report.skipped_users == ["admin"]
    assert not real.is_demo
    assert not real.is_superuser
    assert real.check_password("A-real-Secret-9876")
    assert not TOTPDevice.objects.filter(user=real).exists()


def test_a_deleted_demo_account_comes_back():
    demo.seed_demo()
    User.objects.filter(username="clerk").delete()

    report = demo.seed_demo()

    assert report.created_users == ["clerk"]
    assert Membership.objects.filter(user__username="clerk", role__code="window_clerk").exists()


def test_the_commands_seed_and_print_the_accounts(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    call_command("demo_accounts", "--address", "http://127.0.0.1:8123/")

    out = capsys.readouterr().out
    assert "Demo accounts: all present, nothing created." in out
    assert "http://127.0.0.1:8123/backoffice/" in out
    table = out[out.index("user name") :]
    for username in DEMO_USERNAMES:
        assert f"\n  {username} " in table
    assert "区纪委监委" in table
    assert demo.DEMO_PASSWORD in table
    assert ".venv/bin/python manage.py demo_totp <username>" in out


def test_demo_accounts_says_what_to_do_when_nothing_is_seeded(capsys):
    call_command("demo_accounts")

    assert "manage.py seed_demo" in capsys.readouterr().out
