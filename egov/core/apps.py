from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "egov.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from . import calendar  # noqa: F401 - connects the calendar cache's signals
