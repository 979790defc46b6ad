from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    """The one-stop service hall (external zone): browsing the published catalogue, each
    item's guide and its blank forms. It reads only ``services.selectors`` (the read model the
    exchange keeps), never the internal master tables."""

    name = "egov.hall"
    label = "hall"
    verbose_name = _("Service hall")
