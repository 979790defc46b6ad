from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = ["cases.view_case"]
RECEIVE = [*VIEW, "cases.accept_case", "cases.close_case", "cases.claim_case"]
REVIEW = [*VIEW, "cases.review_case", "cases.pause_case", "cases.claim_case"]
DECIDE = [*VIEW, "cases.decide_case", "cases.pause_case", "cases.close_case", "cases.claim_case"]
RECTIFY = "cases.rectify_case"
HEAD = sorted(
    {*RECEIVE, *REVIEW, *DECIDE, RECTIFY, "cases.assign_case", "cases.override_correction"}
)


class CasesConfig(AppConfig):
    name = "egov.cases"
    label = "cases"
    verbose_name = _("Case processing")
    # Granted once to each role after migrate (egov.directory.permissions); the back-office
    # edits them. Which cases a member sees is the role's data scope (directory.scoping).
    role_permissions = {
        "window_clerk": [*RECEIVE, RECTIFY],
        "reviewer": REVIEW,
        "approver": DECIDE,
        "office_head": HEAD,
        "supervisor": [*VIEW, "cases.override_correction", "cases.decide_rating_appeal"],
    }
