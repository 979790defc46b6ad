from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Information resource sharing (issue 10): the resource catalogue, access grants
    between bodies, the API for the district's other systems, open data (docs/sharing.md)."""

    name = "egov.sharing"
    label = "sharing"
    verbose_name = _("Information resource sharing")
    role_permissions: dict[str, list[str]] = {}
