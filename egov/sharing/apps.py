from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = "sharing.view_resource"
PROVIDE = [VIEW, "sharing.add_resource", "sharing.change_resource"]
REQUEST = "sharing.request_grant"
DECIDE = "sharing.decide_grant"


class SharingConfig(AppConfig):
    """Information resource sharing (issue 10): the resource catalogue, access grants
    between bodies, the API for the district's other systems, open data (docs/sharing.md)."""

    name = "egov.sharing"
    label = "sharing"
    verbose_name = _("Information resource sharing")
    # Granted once to each role after migrate (egov.directory.permissions). Every body's
    # staff browse the catalogue; office heads describe their body's resources, ask for
    # others' and decide on their own; system administrators register consuming systems.
    role_permissions: dict[str, list[str]] = {
        "window_clerk": [VIEW],
        "reviewer": [VIEW],
        "approver": [VIEW, REQUEST],
        "office_head": [*PROVIDE, REQUEST, DECIDE, "sharing.view_calllog"],
        "supervisor": [VIEW, "sharing.view_grant", "sharing.view_calllog"],
        "editor": [VIEW],
        "site_admin": [VIEW],
        "system_admin": [
            *PROVIDE,
            "sharing.view_consumer",
            "sharing.add_consumer",
            "sharing.change_consumer",
        ],
    }

    def ready(self):
        # Open data reaches the external zone through the exchange (egov/sharing/opendata.py).
        from . import opendata

        opendata.connect_signals()
