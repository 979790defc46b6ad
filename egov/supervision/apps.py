from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "egov.supervision"
    label = "supervision"
    verbose_name = _("E-supervision")

    # Granted to the roles once, after migrate (egov.directory.permissions).
    role_permissions = {
        "supervisor": [
            "supervision.view_signal",
            "supervision.close_signal",
            "supervision.view_supervisionrule",
            "supervision.add_supervisionrule",
            "supervision.change_supervisionrule",
            "supervision.view_deduction",
            "supervision.change_deduction",
            "supervision.view_gradethreshold",
            "supervision.change_gradethreshold",
            "supervision.view_anomalyrule",
            "supervision.add_anomalyrule",
            "supervision.change_anomalyrule",
            "supervision.view_supervisionnotice",
            "supervision.issue_notice",
        ],
        "office_head": [
            "supervision.view_signal",
            "supervision.explain_signal",
            "supervision.view_supervisionnotice",
            "supervision.answer_notice",
        ],
    }

    def ready(self) -> None:
        from egov.core.timers import timer_changed

        timer_changed.connect(_on_timer_changed, dispatch_uid="egov.supervision.check_timer")
        from egov.cases.signals import case_changed

        case_changed.connect(_on_case_changed, dispatch_uid="egov.supervision.check_case")


def _on_timer_changed(sender, timer, change, **kwargs) -> None:
    """A module changed a timer: raise at once what it has earned (the sweep would within a
    minute)."""
    from . import check_timer

    check_timer(timer)


def _on_case_changed(sender, case_id, **kwargs) -> None:
    """A case changed: raise the anomalies its history shows now."""
    from egov.cases.models import Case

    from .anomalies import check_case

    case = Case.objects.select_related("version", "body").filter(pk=case_id).first()
    if case is not None:
        check_case(case)
