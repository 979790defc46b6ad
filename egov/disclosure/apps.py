from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HANDLE = ["disclosure.view_disclosurerequest", "disclosure.handle_request"]


class DisclosureConfig(AppConfig):
    name = "egov.disclosure"
    label = "disclosure"
    verbose_name = _("Government information disclosure")
    # Granted once to each role after migrate (egov.directory.permissions).
    role_permissions = {
        "window_clerk": HANDLE,
        "reviewer": HANDLE,
        "approver": HANDLE,
        "office_head": [
            *HANDLE,
            "disclosure.approve_extension",
            "disclosure.edit_annual_report",
        ],
        "supervisor": ["disclosure.view_disclosurerequest"],
    }
