from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = "interaction.view_letter"
HANDLE = [VIEW, "interaction.handle_letter"]


class InteractionConfig(AppConfig):
    name = "egov.interaction"
    label = "interaction"
    verbose_name = _("Government–citizen interaction")
    # Granted once to each role after migrate (egov.directory.permissions).
    role_permissions = {
        "window_clerk": HANDLE,
        "reviewer": [*HANDLE, "interaction.review_reply"],
        "approver": [*HANDLE, "interaction.sign_off_reply"],
        "office_head": [
            *HANDLE,
            "interaction.review_reply",
            "interaction.sign_off_reply",
            "interaction.approve_extension",
            "interaction.moderate_letter",
            "interaction.view_abusiveterm",
            "interaction.add_abusiveterm",
            "interaction.change_abusiveterm",
            "interaction.delete_abusiveterm",
        ],
        "supervisor": [VIEW],
    }

    def ready(self):
        from django.db.models.signals import post_save

        from egov.directory.models import Organisation

        post_save.connect(
            _body_saved, sender=Organisation, dispatch_uid="egov.interaction.mailboxes"
        )


def _body_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .mailboxes import sync_body

    sync_body(instance)
