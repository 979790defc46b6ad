from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    """E-licences (电子证照): issued inside when a granted case closes, signed with the
    platform's key, kept in the holder's wallet outside, verified by anyone through the QR
    code on the PDF, and reused as a material instead of an upload (docs/licences.md)."""

    name = "egov.licences"
    label = "licences"
    verbose_name = _("E-licences")
    default_auto_field = "django.db.models.BigAutoField"
