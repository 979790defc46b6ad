"""The resource catalogue (政务信息资源目录), access grants between bodies, the consuming
systems and the log of every API call (docs/sharing.md)."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.masking import KINDS as MASK_KINDS

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,39}")
RESERVED_CODES = {"new", "grants", "calls"}


class SharingType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("Unconditional sharing (无条件共享)")
    CONDITIONAL = "conditional", _("Conditional sharing (有条件共享)")
    NONE = "none", _("Not shared (不予共享)")


class Frequency(models.TextChoices):
    REAL_TIME = "real_time", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")


class DataFormat(models.TextChoices):
    TABLE = "table", _("Database table")
    FILE = "file", _("Files (spreadsheets, documents)")
    API = "api", _("Interface (API)")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes or no")


class Resource(models.Model):
    """One information resource of the catalogue, held by its providing body."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("The resource's code in the catalogue: letters, digits and '-'."),
    )
    name = models.CharField(_("name"), max_length=200)
    provider = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("providing body"),
        on_delete=models.PROTECT,
        related_name="shared_resources",
    )
    description = models.TextField(_("description"), blank=True)
    sharing_type = models.CharField(_("sharing type"), max_length=20, choices=SharingType.choices)
    refusal_basis = models.CharField(
        _("basis for not sharing"),
        max_length=300,
        blank=True,
        help_text=_("For a resource that is not shared: the law or rule that says so."),
    )
    open_to_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_("Published as open data (its personal fields never are)."),
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency.choices
    )
    data_format = models.CharField(_("format"), max_length=20, choices=DataFormat.choices)
    access = models.CharField(
        _("how to reach it"),
        max_length=300,
        blank=True,
        help_text=_("How a consuming system reaches it, e.g. the platform's API."),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("information resource")
        verbose_name_plural = _("information resources")
        permissions = [
            ("request_grant", _("Can request access to a resource for a body")),
            ("decide_grant", _("Can decide on access to a body's resources")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        if not CODE.fullmatch(self.code or "") or self.code in RESERVED_CODES:
            raise ValidationError(
                {"code": _("Use letters, digits and '-' (not 'new', 'grants' or 'calls').")}
            )
        from .registries import PROVIDERS

        if self.open_to_public and self.code in PROVIDERS:
            raise ValidationError(
                {
                    "open_to_public": _(
                        "A base registry (rows from the platform's own records) is never open data."
                    )
                }
            )

    @property
    def requestable(self) -> bool:
        return self.sharing_type != SharingType.NONE


class ResourceField(models.Model):
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="fields"
    )
    name = models.SlugField(
        _("field name"),
        max_length=60,
        help_text=_("The column's name in the data, e.g. id_number."),
    )
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(
        _("type"), max_length=10, choices=FieldType.choices, default=FieldType.TEXT
    )
    meaning = models.CharField(_("meaning"), max_length=300, blank=True)
    personal = models.BooleanField(_("personal data"), default=False)
    mask_kind = models.CharField(
        _("masked as"),
        max_length=20,
        blank=True,
        choices=[(kind, kind) for kind in MASK_KINDS],
        help_text=_("How a personal field is masked when shown (egov.core.masking)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["resource", "order", "pk"]
        verbose_name = _("resource field")
        verbose_name_plural = _("resource fields")
        constraints = [
            models.UniqueConstraint(fields=["resource", "name"], name="sharing_field_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.label})"


class ResourceRow(models.Model):
    """Rows of a resource whose data the platform keeps itself (a resource without a row
    provider, ``egov.sharing.registries``)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="rows"
    )
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        ordering = ["resource", "pk"]
        verbose_name = _("resource row")
        verbose_name_plural = _("resource rows")

    def __str__(self) -> str:
        return f"{self.resource_id}#{self.pk}"


class GrantStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class Grant(models.Model):
    """A body's access to a resource: asked with a purpose and fields, decided by the
    providing body."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="grants"
    )
    consumer_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("requesting body"),
        on_delete=models.PROTECT,
        related_name="sharing_grants",
    )
    purpose = models.TextField(_("purpose"))
    fields_requested = models.JSONField(_("fields requested"), default=list)
    fields_granted = models.JSONField(_("fields granted"), default=list)
    unmasked = models.BooleanField(
        _("personal fields unmasked"),
        default=False,
        help_text=_("The purpose needs the personal fields in full (otherwise they are masked)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.REQUESTED
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")

    def __str__(self) -> str:
        return f"{self.resource.code} → {self.consumer_body.code} ({self.status})"

    def in_force(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == GrantStatus.GRANTED and (
            self.expires_on is None or self.expires_on >= today
        )

    @property
    def narrowed(self) -> bool:
        return self.status == GrantStatus.GRANTED and set(self.fields_granted) != set(
            self.fields_requested
        )


class Consumer(models.Model):
    """A consuming system: one OAuth 2 client (client credentials) of one body."""

    application = models.OneToOneField(
        "oauth2_provider.Application",
        verbose_name=_("OAuth 2 client"),
        on_delete=models.CASCADE,
        related_name="sharing_consumer",
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="sharing_consumers",
    )
    name = models.CharField(_("system name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("consuming system")
        verbose_name_plural = _("consuming systems")

    def __str__(self) -> str:
        return self.name


class CallLog(models.Model):
    """Every call of the sharing API, answered or refused."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    consumer = models.ForeignKey(
        Consumer,
        verbose_name=_("consuming system"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
    )
    resource_code = models.CharField(_("resource"), max_length=40, blank=True)
    path = models.CharField(_("path"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    stated_purpose = models.CharField(_("purpose stated in the call"), max_length=300, blank=True)
    fields = models.JSONField(_("fields"), default=list)
    rows_returned = models.PositiveIntegerField(_("rows returned"), default=0)
    status_code = models.PositiveSmallIntegerField(_("status"))
    unmasked = models.BooleanField(_("unmasked"), default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.consumer} {self.path} {self.status_code}"


# --- open data across the zones (egov/sharing/opendata.py, docs/sharing.md) ----------------


class OpenDataPublication(models.Model):
    """Internal zone: what was last sent to the external zone for one resource code — its
    version (one more at each message, kept when the resource is deleted, so that a
    resource made again under the same code goes on counting) and whether it is open."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    resource_pk = models.BigIntegerField(_("resource"), null=True, blank=True, db_index=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    published = models.BooleanField(_("open outside"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("open data publication")
        verbose_name_plural = _("open data publications")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class PublishedProvider:
    """The providing body of a published resource, as the open data pages show it."""

    def __init__(self, code: str, name_zh: str, name_en: str):
        self.code, self.name_zh, self.name_en = code, name_zh, name_en

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class PublishedField:
    """One public field of a published resource (what the open data pages read of a
    ``ResourceField``)."""

    def __init__(self, name: str, label: str, field_type: str, meaning: str = ""):
        self.name, self.label, self.field_type, self.meaning = name, label, field_type, meaning
        self.personal = False

    def get_field_type_display(self):
        return dict(FieldType.choices).get(self.field_type, self.field_type)


class PublishedResource(models.Model):
    """External zone: the copy of a resource open to the public, written by the exchange
    handlers (``egov.sharing.handlers``) from ``sharing.resource.published`` and
    ``.withdrawn``. A withdrawn resource stays as a tombstone (``is_open`` false, no rows)
    holding its version, so that an older publication arriving late changes nothing."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    is_open = models.BooleanField(_("open"), default=True)
    version = models.PositiveBigIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    provider_code = models.CharField(_("providing body"), max_length=40, blank=True)
    provider_name_zh = models.CharField(_("body name (Chinese)"), max_length=100, blank=True)
    provider_name_en = models.CharField(_("body name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    sharing_type = models.CharField(
        _("sharing type"), max_length=20, choices=SharingType.choices, blank=True
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency.choices, blank=True
    )
    data_format = models.CharField(
        _("format"), max_length=20, choices=DataFormat.choices, blank=True
    )
    access = models.CharField(_("how to reach it"), max_length=300, blank=True)
    field_list = models.JSONField(_("public fields"), default=list)
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated at"))
    received_at = models.DateTimeField(_("received at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("published open data resource")
        verbose_name_plural = _("published open data resources")

    def __str__(self) -> str:
        return f"{self.code} {self.name} (v{self.version})"

    @property
    def provider(self) -> PublishedProvider:
        return PublishedProvider(self.provider_code, self.provider_name_zh, self.provider_name_en)

    @property
    def public_fields(self) -> list[PublishedField]:
        return [PublishedField(**field) for field in self.field_list]


class PublishedRow(models.Model):
    """External zone: one row of a published resource, with its public fields only."""

    resource = models.ForeignKey(
        PublishedResource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="rows",
    )
    position = models.PositiveIntegerField(_("position"))
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        ordering = ["resource", "position"]
        verbose_name = _("published open data row")
        verbose_name_plural = _("published open data rows")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "position"], name="sharing_published_row_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}#{self.position}"
