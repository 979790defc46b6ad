from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "egov.portal"
    label = "portal"
    verbose_name = _("Portal site group")

    def ready(self):
        from . import signals  # noqa: F401 - index numbers and the audit entry on publication
