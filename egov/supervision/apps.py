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
        ],
        "office_head": ["supervision.view_signal", "supervision.explain_signal"],
    }

    def ready(self) -> None:
        from egov.core.timers import timer_changed

        timer_changed.connect(_on_timer_changed, dispatch_uid="egov.supervision.check_timer")


def _on_timer_changed(sender, timer, change, **kwargs) -> None:
    """A module changed a timer: raise at once what it has earned (the sweep would within a
    minute)."""
    from . import check_timer

    check_timer(timer)
