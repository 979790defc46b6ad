from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OaConfig(AppConfig):
    """The internal office system (issue 9): official documents (公文) in the format of
    GB/T 9704-2012, their outgoing and incoming circulation between bodies, and internal
    notices, meetings and tasks. Internal zone only (docs/oa.md)."""

    name = "egov.oa"
    label = "oa"
    verbose_name = _("Office system")
    # Granted once to each role after migrate (egov.directory.permissions); the documents
    # part and the notices/meetings/tasks part each add theirs.
    role_permissions: dict[str, list[str]] = {}
