from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ("serviceitem", "serviceitemversion", "material", "fee", "processstep", "result", "faq")
_PARTS = ("material", "fee", "processstep", "result", "faq")

VIEW = [f"services.view_{model}" for model in _MODELS]
EDIT = [
    *VIEW,
    "services.add_serviceitem",
    "services.change_serviceitemversion",
    "services.delete_serviceitemversion",  # drafts only: published versions are kept
    *(f"services.{verb}_{model}" for model in _PARTS for verb in ("add", "change", "delete")),
]
PUBLISH = [*EDIT, "services.publish_serviceitemversion", "services.withdraw_serviceitem"]


class ServicesConfig(AppConfig):
    name = "egov.services"
    label = "services"
    verbose_name = _("Service items")
    # Granted once to each role after migrate (egov.directory.permissions); the back-office
    # edits them. Which items a member sees is the role's data scope (directory.scoping).
    role_permissions = {
        "window_clerk": EDIT,
        "office_head": PUBLISH,
        "reviewer": VIEW,
        "approver": VIEW,
        "supervisor": VIEW,
        "system_admin": VIEW,
    }
