from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Official documents (decision 0024): every member drafts; reviewers review and screen;
# approvers sign and instruct; the office's clerks (window clerks) check, number, print,
# send, receive and file; office heads do all of these.
_VIEW_DRAFT = ["oa.view_document", "oa.draft_document"]
_CLERK = ["oa.register_document", "oa.receive_document"]
DOCUMENT_ROLE_PERMISSIONS: dict[str, list[str]] = {
    "window_clerk": [*_VIEW_DRAFT, *_CLERK, "oa.handle_document"],
    "reviewer": [*_VIEW_DRAFT, "oa.review_document", "oa.screen_document", "oa.handle_document"],
    "approver": [*_VIEW_DRAFT, "oa.sign_document", "oa.instruct_document", "oa.handle_document"],
    "office_head": [
        *_VIEW_DRAFT,
        *_CLERK,
        "oa.review_document",
        "oa.sign_document",
        "oa.screen_document",
        "oa.instruct_document",
        "oa.handle_document",
        "oa.urge_document",
    ],
    "editor": [*_VIEW_DRAFT],
    "supervisor": ["oa.view_document", "oa.urge_document"],
    "system_admin": ["oa.view_clearance", "oa.add_clearance", "oa.change_clearance"],
}

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


def _merged(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for role, codenames in part.items():
            merged.setdefault(role, []).extend(c for c in codenames if c not in merged[role])
    return merged


class OaConfig(AppConfig):
    """The internal office system (issue 9): official documents (公文) in the format of
    GB/T 9704-2012, their outgoing and incoming circulation between bodies, and internal
    notices, meetings and tasks. Internal zone only (docs/oa.md)."""

    name = "egov.oa"
    label = "oa"
    verbose_name = _("Office system")
    # Granted once to each role after migrate (egov.directory.permissions).
    role_permissions: dict[str, list[str]] = _merged(
        DOCUMENT_ROLE_PERMISSIONS, OFFICE_ROLE_PERMISSIONS
    )

    def ready(self):
        from egov.exchange.policy import register_refuser

        from . import admin_documents  # noqa: F401 - back-office registrations
        from .exchange_guard import refuse_classified

        register_refuser(refuse_classified)
