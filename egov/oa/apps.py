from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Notices, meetings and tasks (decision 0025): the office head runs the body's office
# (notices, meetings, rooms, tasks); leaders (approver) call meetings and assign tasks;
# supervisors follow and urge every task. Reading one's notices, answering invitations and
# reporting on one's tasks need no permission: being the addressee is the check.
OFFICE_ROLE_PERMISSIONS: dict[str, list[str]] = {
    "office_head": [
        "oa.send_notice",
        "oa.schedule_meeting",
        "oa.assign_task",
        "oa.view_room",
        "oa.add_room",
        "oa.change_room",
    ],
    "approver": ["oa.schedule_meeting", "oa.assign_task"],
    "supervisor": ["oa.supervise_task"],
}


class OaConfig(AppConfig):
    """The internal office system (issue 9): official documents (公文) in the format of
    GB/T 9704-2012, their outgoing and incoming circulation between bodies, and internal
    notices, meetings and tasks. Internal zone only (docs/oa.md)."""

    name = "egov.oa"
    label = "oa"
    verbose_name = _("Office system")
    # Granted once to each role after migrate (egov.directory.permissions); the documents
    # part and the notices/meetings/tasks part each add theirs.
    role_permissions: dict[str, list[str]] = {**OFFICE_ROLE_PERMISSIONS}
