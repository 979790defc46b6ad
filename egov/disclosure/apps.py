from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HANDLE = ["disclosure.view_disclosurerequest", "disclosure.handle_request"]


class DisclosureConfig(AppConfig):
    name = "egov.disclosure"
    label = "disclosure"
    verbose_name = _("Government information disclosure")
    # Granted once to each role after migrate (egov.directory.permissions).
    role_permissions = {
        "window_clerk": HANDLE,
        "reviewer": HANDLE,
        "approver": HANDLE,
        "office_head": [
            *HANDLE,
            "disclosure.approve_extension",
            "disclosure.edit_annual_report",
        ],
        "supervisor": ["disclosure.view_disclosurerequest"],
    }

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import page_published

        from egov.portal.models import PolicyDocumentPage

        from . import reports_exchange, tasks_reports  # noqa: F401 - message type, reminder task

        post_save.connect(
            _document_saved, sender=PolicyDocumentPage, dispatch_uid="egov.disclosure.saved"
        )
        page_published.connect(
            _document_published,
            sender=PolicyDocumentPage,
            dispatch_uid="egov.disclosure.published",
        )


def _document_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from . import catalogue

    catalogue.on_document_saved(instance)


def _document_published(sender, instance, **kwargs):
    if not instance.live:
        return  # scheduled: the publication follows at its go-live time
    from . import catalogue

    catalogue.on_document_published(instance)
