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

        # The monthly summaries of closed cases and ratings, in the transaction that writes
        # the row (egov.supervision.summary); timer_changed comes after the commit.
        from django.db.models.signals import post_save

        post_save.connect(
            _on_timer_saved, sender="core.Timer", dispatch_uid="egov.supervision.closed_day"
        )
        post_save.connect(
            _on_rating_saved, sender="cases.CaseRating", dispatch_uid="egov.supervision.rating_day"
        )


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


def _on_timer_saved(sender, instance, created, update_fields=None, raw=False, **kwargs) -> None:
    """A case's promised limit stopped as closed (``stop_timer`` saves ``stopped_at``, or a
    timer created already stopped): one more closed case in the monthly summary. A full
    ``save()`` of a timer stopped before is not counted again (the nightly rebuild would
    count a stop written that way)."""
    from .summary import is_closed_case_timer, timer_closed

    if raw or not is_closed_case_timer(instance):
        return
    if created or (update_fields is not None and "stopped_at" in update_fields):
        timer_closed(instance)


def _on_rating_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new rating: one more in the monthly summary (a rating's score never changes)."""
    from .summary import rating_received

    if created and not raw:
        rating_received(instance)
