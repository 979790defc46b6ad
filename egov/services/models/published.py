"""The published catalogue (external zone): a read model written only by the exchange
handlers (``egov.services.handlers``) from ``services.item.published`` and
``services.item.withdrawn`` messages. The hall reads it through ``services.selectors``.

One row per item that is published now, holding the whole public guide as one JSON document
(``guide``) plus the few columns the hall filters and sorts on; life events and enterprise
stages as tag rows (a portable index on both databases); blank forms and samples as files
keyed by their SHA-256.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..choices import Audience, HandlingKind, ItemType, OnlineDepth


class PublishedServiceItem(models.Model):
    implementation_code = models.CharField(_("implementation code"), max_length=36, unique=True)
    basic_code = models.CharField(_("basic code"), max_length=12, db_index=True)
    body_code = models.CharField(_("implementing body"), max_length=40, db_index=True)
    body_name_zh = models.CharField(_("body name (Chinese)"), max_length=100)
    body_name_en = models.CharField(_("body name (English)"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    audience = models.CharField(_("who it serves"), max_length=10, choices=Audience.choices)
    handling_kind = models.CharField(_("handling"), max_length=10, choices=HandlingKind.choices)
    online_depth = models.PositiveSmallIntegerField(
        _("online handling depth"), choices=OnlineDepth.choices
    )
    fee_charged = models.BooleanField(_("fees charged"))
    has_online_form = models.BooleanField(_("can be applied for online"))
    version_number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    received_at = models.DateTimeField(_("received at"), auto_now=True)
    guide = models.JSONField(_("guide"), help_text=_("The public part of the version, as sent."))

    class Meta:
        ordering = ["body_code", "basic_code", "implementation_code"]
        verbose_name = _("published service item")
        verbose_name_plural = _("published service items")
        indexes = [models.Index(fields=["audience", "item_type"], name="services_pub_filter")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.implementation_code})"

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def body_name(self) -> str:
        if (get_language() or "").startswith("en") and self.body_name_en:
            return self.body_name_en
        return self.body_name_zh


class PublishedServiceTag(models.Model):
    class Kind(models.TextChoices):
        LIFE_EVENT = "life_event", _("life event")
        ENTERPRISE_STAGE = "enterprise_stage", _("enterprise stage")

    item = models.ForeignKey(PublishedServiceItem, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=30)

    class Meta:
        verbose_name = _("published service tag")
        verbose_name_plural = _("published service tags")
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "code"], name="services_tag_once")
        ]
        indexes = [models.Index(fields=["kind", "code"], name="services_tag_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


def published_file_path(instance, filename: str) -> str:
    return f"services/published/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class PublishedServiceFile(models.Model):
    """A blank form or sample as it arrived with a publication, stored once per content."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    file = models.FileField(_("file"), upload_to=published_file_path, max_length=400)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published service file")
        verbose_name_plural = _("published service files")

    def __str__(self) -> str:
        return self.name
