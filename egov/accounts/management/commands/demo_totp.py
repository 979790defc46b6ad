"""Print the current two-factor code of a demo account, so that a newcomer reaches the
back-office without a phone. Refused for every account the demo-data command did not make."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.backends import find_user


def current_code(device: TOTPDevice) -> str:
    """The code that the device's authenticator app shows now, with its leading zeros."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


class Command(BaseCommand):
    help = "Print the current two-factor (TOTP) code of a demo account. Demo accounts only."

    def add_arguments(self, parser):
        parser.add_argument(
            "username", help="the demo account's user name (or its mobile number or e-mail)"
        )

    def handle(self, *args, username: str, **options):
        user = find_user(username)
        if user is None:
            raise CommandError(
                _(
                    "There is no account %(name)r. Use one of the demo accounts that the run command lists."
                )
                % {"name": username}
            )
        if not user.is_demo:
            raise CommandError(
                _(
                    "%(name)r is not a demo account: codes are printed only for accounts that "
                    "the demo-data command made. Its owner reads the code from their "
                    "authenticator app."
                )
                % {"name": user.get_username()}
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            raise CommandError(
                _(
                    "The demo account %(name)r has no confirmed two-factor device. Load the demo "
                    "data again, or log in once and enrol an authenticator app."
                )
                % {"name": user.get_username()}
            )
        self.stdout.write(current_code(device))
