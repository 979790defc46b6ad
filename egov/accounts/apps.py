from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "egov.accounts"
    label = "accounts"
    verbose_name = _("People and accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from .oidc import on_user_logged_out

        user_logged_out.connect(on_user_logged_out, dispatch_uid="egov.accounts.oidc.logout")
