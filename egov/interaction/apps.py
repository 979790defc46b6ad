from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = "interaction.view_letter"
HANDLE = [VIEW, "interaction.handle_letter"]
PARTICIPATION = "interaction.manage_participation"  # consultations and surveys


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
            PARTICIPATION,
            "interaction.moderate_letter",
            "interaction.view_abusiveterm",
            "interaction.add_abusiveterm",
            "interaction.change_abusiveterm",
            "interaction.delete_abusiveterm",
        ],
        "editor": [PARTICIPATION],
        "supervisor": [VIEW],
    }

    def ready(self):
        from django.db.models.signals import post_save

        from egov.directory.models import Organisation

        post_save.connect(
            _body_saved, sender=Organisation, dispatch_uid="egov.interaction.mailboxes"
        )

        # The site health inspector's veto on consultations left unanswered for 3 months
        # reads the letters and the consultations on drafts (docs/interaction.md).
        from egov.portal.inspector.sources import register_consultation_source

        from .inspector import letters_source
        from .participation import ConsultationFeedbackSource

        # outside (split mode) the writers' copies, inside and combined the letters
        register_consultation_source(letters_source())
        register_consultation_source(ConsultationFeedbackSource())


def _body_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .mailboxes import sync_body

    sync_body(instance)
