"""`manage.py demo_totp <user>` prints a demo account's current code, and nobody else's."""

from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User

pytestmark = pytest.mark.django_db


def staff(username: str, *, is_demo: bool, device: bool = True) -> User:
    user = User.objects.create_user(
        username=username, password="Demo-2026!", kind=User.Kind.STAFF, is_demo=is_demo
    )
    if device:
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return user


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("demo_totp", *args, stdout=out)
    return out.getvalue()


def test_printed_code_verifies_against_the_device():
    user = staff("demo-clerk", is_demo=True)
    code = run("demo-clerk").strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user=user)
    assert device.verify_token(code)


def test_the_code_keeps_its_leading_zeros_and_follows_the_device_settings():
    user = staff("demo-eight", is_demo=True, device=False)
    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True, digits=8)
    code = run("demo-eight").strip()
    assert len(code) == 8
    assert device.verify_token(code)


def test_only_a_confirmed_device_counts():
    user = staff("demo-pending", is_demo=True, device=False)
    TOTPDevice.objects.create(user=user, name="pending", confirmed=False)
    with pytest.raises(CommandError, match="no confirmed two-factor device"):
        run("demo-pending")


def test_refused_for_an_account_that_is_not_a_demo_account():
    staff("real-clerk", is_demo=False)
    with pytest.raises(CommandError, match="'real-clerk' is not a demo account"):
        run("real-clerk")


def test_refused_for_an_unknown_account():
    with pytest.raises(CommandError, match="There is no account 'ghost'"):
        run("ghost")


@pytest.mark.django_db(transaction=True)
def test_refusal_exits_non_zero_with_the_message_on_stderr(capsys):
    """As from a shell. (The command line closes the database connections when it ends, so
    this test commits for real rather than inside a rolled-back transaction.)"""
    staff("real-clerk", is_demo=False)
    with translation.override("en"), pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "demo_totp", "real-clerk"]).execute()
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert "is not a demo account" in captured.err
    assert captured.out == ""
