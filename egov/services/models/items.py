"""The master catalogue (internal zone): service items and their versions.

A ``ServiceItem`` is the stable identity of an item: its codes and its implementing body.
Everything a guide says lives in a ``ServiceItemVersion`` and its parts (materials, fees,
process steps, results, FAQ). A version is written as a draft, then published once; from
then on it never changes (``VersionFrozenError``), so a case keeps pointing at the version it
started on. A change is a new draft copied from the current version (``services.new_draft``)
whose publication supersedes the previous one (``services.publish_version``).
"""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core import calendar

from ..choices import (
    DEFAULT_APPLICANT_TYPES,
    MAX_APPLICANT_UPLOAD_MB,
    Audience,
    EnterpriseStage,
    HandlingKind,
    ItemType,
    LicenceType,
    LifeEvent,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
    ResultKind,
    Step,
    Unit,
    UploadType,
)
from ..forms import validate_form_definition
from ..uploads import validate_blank_form, validate_sample

BASIC_CODE_SHAPE = re.compile(r"[0-9A-Z]{12}")
IMPLEMENTATION_CODE_SHAPE = re.compile(r"[0-9A-Z]{12,36}")


class VersionFrozenError(ValueError):
    """A published or superseded version (or one of its parts) was to be changed."""


def validate_basic_code(value: str) -> None:
    if not BASIC_CODE_SHAPE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "A basic code (基本编码) has exactly 12 digits or capital letters, e.g. "
                "011234001000; this one has %(count)d characters."
            ),
            code="basic_code",
            params={"count": len(value or "")},
        )


def validate_implementation_code(value: str) -> None:
    if not IMPLEMENTATION_CODE_SHAPE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "An implementation code (实施编码) has 12 to 36 digits or capital letters, "
                "usually the implementing body's unified social credit code followed by the "
                "basic code."
            ),
            code="implementation_code",
        )


def validate_codes(choices):
    """A validator for a JSON list of distinct codes taken from ``choices``."""

    def validate(value) -> None:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise ValidationError(_("Expected a list of codes."), code="codes")
        unknown = [code for code in value if code not in choices.values]
        if unknown:
            raise ValidationError(
                _("Unknown codes: %(codes)s."),
                code="codes",
                params={"codes": ", ".join(unknown)},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A code is listed twice."), code="codes")

    return validate


def validate_life_events(value) -> None:
    validate_codes(LifeEvent)(value)


def validate_enterprise_stages(value) -> None:
    validate_codes(EnterpriseStage)(value)


def validate_applicant_types(value) -> None:
    validate_codes(UploadType)(value)
    if not value:
        raise ValidationError(_("Choose at least one file type."), code="codes")


def default_accepted_types() -> list[str]:
    return list(DEFAULT_APPLICANT_TYPES)


def guide_file_path(instance, filename: str) -> str:
    """Where a blank form or sample is stored: its own folder, its original name."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"services/guide/{uuid.uuid4().hex}/{name}"


class ServiceItem(models.Model):
    """The stable identity of a service item: its codes and its implementing body."""

    basic_code = models.CharField(
        _("basic code"),
        max_length=12,
        db_index=True,
        validators=[validate_basic_code],
        help_text=_("基本编码: 12 digits or capital letters, the item's code in the catalogue."),
    )
    implementation_code = models.CharField(
        _("implementation code"),
        max_length=36,
        unique=True,
        validators=[validate_implementation_code],
        help_text=_(
            "实施编码: up to 36 digits or capital letters, this body's implementation of the "
            "item. It never changes once the item is published."
        ),
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("implementing body"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The name of the published version (of the first draft before that)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=500, blank=True, editable=False
    )

    class Meta:
        ordering = ["implementation_code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        permissions = [("withdraw_serviceitem", _("Can withdraw a published service item"))]

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.implementation_code})" if self.name else self.implementation_code
        )

    def delete(self, *args, **kwargs):
        if self.versions.exclude(status=ServiceItemVersion.Status.DRAFT).exists():
            raise VersionFrozenError(
                f"{self.implementation_code} was published: its versions are kept for ever; "
                "withdraw the item instead (services.withdraw_item)"
            )
        return super().delete(*args, **kwargs)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def published_version(self) -> ServiceItemVersion | None:
        return self.versions.filter(status=ServiceItemVersion.Status.PUBLISHED).first()

    @property
    def draft(self) -> ServiceItemVersion | None:
        return self.versions.filter(status=ServiceItemVersion.Status.DRAFT).first()


class ServiceItemVersion(models.Model):
    """One version of an item's guide: every element of a service item
    (../shared/design/domain-cn.md, "Service items"). Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    change_note = models.TextField(
        _("what changed"), blank=True, help_text=_("变更说明: shown in the version history.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)

    # --- what the item is ---------------------------------------------------------------
    name = models.CharField(
        _("name"), max_length=200, help_text=_("事项名称, as in the catalogue of items.")
    )
    name_en = models.CharField(
        _("name in English"),
        max_length=300,
        blank=True,
        help_text=_("Shown to visitors who chose English; the Chinese name otherwise."),
    )
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    legal_basis = models.TextField(
        _("legal basis"), help_text=_("设定依据: the laws and regulations, with their articles.")
    )
    conditions = models.TextField(
        _("conditions for acceptance"), help_text=_("受理条件: who may apply, and when.")
    )
    audience = models.CharField(_("who it serves"), max_length=10, choices=Audience.choices)

    # --- time limits, on the one clock --------------------------------------------------
    statutory_limit = models.PositiveIntegerField(
        _("statutory limit"),
        default=0,
        help_text=_("法定办结时限, in the unit beside it; 0 where no law sets one."),
    )
    statutory_unit = models.CharField(
        _("statutory limit unit"), max_length=10, choices=Unit.choices, default=Unit.WORKING_DAYS
    )
    handling_kind = models.CharField(
        _("handling"),
        max_length=10,
        choices=HandlingKind.choices,
        default=HandlingKind.PROMISED,
        help_text=_("办件类型: on the spot (即办件) or within a promised time (承诺件)."),
    )
    promised_limit = models.PositiveIntegerField(
        _("promised limit"),
        default=0,
        help_text=_("承诺办结时限: 0 for an on-the-spot item; at most the statutory limit."),
    )
    promised_unit = models.CharField(
        _("promised limit unit"), max_length=10, choices=Unit.choices, default=Unit.WORKING_DAYS
    )

    # --- fees ---------------------------------------------------------------------------
    fee_charged = models.BooleanField(
        _("fees charged"), default=False, help_text=_("是否收费; list the fees below.")
    )
    wait_for_payment = models.BooleanField(
        _("result only after payment"),
        default=False,
        help_text=_("The case waits for the fee to be paid before the result is delivered."),
    )

    # --- where, when, whom to ask -------------------------------------------------------
    place = models.TextField(_("where to apply"), help_text=_("办理地点: address and window."))
    hours = models.CharField(_("office hours"), max_length=300)
    phone = models.CharField(_("enquiry phone"), max_length=100)
    complaint_channel = models.TextField(
        _("supervision and complaints"), help_text=_("监督投诉方式: phone, address, 12345.")
    )
    visits_needed = models.PositiveSmallIntegerField(
        _("visits needed"), default=0, help_text=_("到现场次数: 0 if nothing needs a visit.")
    )
    online_depth = models.PositiveSmallIntegerField(
        _("online handling depth"),
        choices=OnlineDepth.choices,
        default=OnlineDepth.FULLY_ONLINE,
    )

    # --- how people find it -------------------------------------------------------------
    life_events = models.JSONField(
        _("life events"), default=list, blank=True, validators=[validate_life_events]
    )
    enterprise_stages = models.JSONField(
        _("enterprise stages"), default=list, blank=True, validators=[validate_enterprise_stages]
    )

    # --- the online application form, as data (services.forms) --------------------------
    online_form = models.JSONField(
        _("online application form"),
        null=True,
        blank=True,
        validators=[validate_form_definition],
        help_text=_(
            'The fields of the online form as JSON (docs/services.md, "The online form"). '
            "Needed from online depth level 3."
        ),
    )

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        permissions = [("publish_serviceitemversion", _("Can publish a service item version"))]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="services_version_number"),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="published"),
                name="services_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="draft"),
                name="services_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.Status.DRAFT:
                raise VersionFrozenError(
                    f"version {self.number} of {self.item_id} is {stored}: a published version "
                    "never changes; make a new draft (services.new_draft)"
                )
        elif self.status != self.Status.DRAFT:
            raise VersionFrozenError("a version is created as a draft (services.new_draft)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _keep_published_versions(type(self), self)  # before the deletion's transaction
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.handling_kind == HandlingKind.IMMEDIATE and self.promised_limit:
            errors["promised_limit"] = _(
                "An on-the-spot item (即办件) is done at once: its promised limit is 0."
            )
        if self.handling_kind == HandlingKind.PROMISED and not self.promised_limit:
            errors["promised_limit"] = _(
                "A promised-time item (承诺件) needs a promised limit of at least 1 day."
            )
        if (
            self.statutory_limit
            and self.promised_limit is not None
            and self.promised_unit == self.statutory_unit
            and self.promised_limit > self.statutory_limit
        ):
            errors["promised_limit"] = _(
                "The promised limit (%(promised)d) is longer than the statutory limit "
                "(%(statutory)d): a promise can only be shorter than the law."
            ) % {"promised": self.promised_limit, "statutory": self.statutory_limit}
        if self.online_depth == OnlineDepth.FULLY_ONLINE and self.visits_needed:
            errors["visits_needed"] = _(
                "A fully online item (全程网办) needs no visit: set the visits to 0 or "
                "choose a lower online depth."
            )
        if self.wait_for_payment and not self.fee_charged:
            errors["wait_for_payment"] = _("Only an item that charges fees can wait for payment.")
        if errors:
            raise ValidationError(errors)

    # --- the one clock --------------------------------------------------------------------

    def limit(self, kind: str = "promised") -> tuple[int, str]:
        """(days, unit) of the promised or the statutory limit."""
        if kind == "promised":
            return self.promised_limit, self.promised_unit
        if kind == "statutory":
            return self.statutory_limit, self.statutory_unit
        raise ValueError(f"kind is 'promised' or 'statutory', not {kind!r}")

    def due_date(
        self, start: datetime.date | datetime.datetime, kind: str = "promised"
    ) -> datetime.date | None:
        """The day a case started on ``start`` is due, on the one clock (the start day is
        not counted; working days skip weekends and holidays and count make-up days). None
        for the statutory limit of an item that no law limits (0). Raises
        ``calendar.CalendarNotCovered`` past the last year the calendar knows."""
        if isinstance(start, datetime.datetime):
            start = timezone.localdate(start)
        days, unit = self.limit(kind)
        if kind == "statutory" and not days:
            return None
        if unit == Unit.WORKING_DAYS:
            return calendar.add_working_days(start, days)
        return calendar.add_natural_days(start, days)


class VersionPart(models.Model):
    """A part of a version (a material, a fee …): changeable only while the version is a
    draft."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def _check_draft(self) -> None:
        status = (
            ServiceItemVersion.objects.filter(pk=self.version_id)
            .values_list("status", flat=True)
            .first()
        )
        if status is not None and status != ServiceItemVersion.Status.DRAFT:
            raise VersionFrozenError(
                f"this {self._meta.verbose_name} belongs to a {status} version, which never "
                "changes; make a new draft (services.new_draft)"
            )

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)


class Material(VersionPart):
    """办理材料: one document the applicant hands in."""

    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(
        _("form"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(
        _("copies"), default=1, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    required = models.BooleanField(_("required"), default=True)
    requirement_note = models.CharField(
        _("when required"),
        max_length=300,
        blank=True,
        help_text=_("For a material needed only in some cases, e.g. 委托他人办理的提供."),
    )
    source = models.CharField(
        _("source"), max_length=12, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    issuing_body = models.CharField(
        _("issued by"), max_length=200, blank=True, help_text=_("出具单位, for issued material.")
    )
    licence_type = models.CharField(
        _("e-licence that can stand in"),
        max_length=40,
        choices=LicenceType.choices,
        blank=True,
        help_text=_("An applicant holding this e-licence attaches it instead of uploading."),
    )
    accepted_types = models.JSONField(
        _("accepted file types"),
        default=default_accepted_types,
        validators=[validate_applicant_types],
        help_text=_("What an applicant may upload for this material, judged by content."),
    )
    max_upload_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_APPLICANT_UPLOAD_MB)],
    )
    blank_form = models.FileField(
        _("blank form"),
        upload_to=guide_file_path,
        blank=True,
        max_length=300,
        validators=[validate_blank_form],
        help_text=_("空白表格: PDF or an office document, at most 20 MB."),
    )
    sample = models.FileField(
        _("sample"),
        upload_to=guide_file_path,
        blank=True,
        max_length=300,
        validators=[validate_sample],
        help_text=_("示例样表: PDF, JPEG or PNG, at most 20 MB."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("填写说明, requirements."))

    class Meta(VersionPart.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name


class Fee(VersionPart):
    """收费标准: one fee, with its amount or the rule that gives it."""

    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rule = models.TextField(
        _("rule"), blank=True, help_text=_("How the amount is set when it is not one figure.")
    )
    legal_basis = models.TextField(
        _("legal basis"), help_text=_("The law or notice that sets the fee (收费依据).")
    )

    class Meta(VersionPart.Meta):
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.amount is None and not self.rule.strip():
            raise ValidationError(_("Give the amount, or the rule that sets it."))


class ProcessStep(VersionPart):
    """办理流程: one step of a case, with its own limit."""

    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    name = models.CharField(
        _("name shown"), max_length=100, blank=True, help_text=_("If not the step's own name.")
    )
    limit = models.PositiveIntegerField(_("limit"), default=0, help_text=_("0: the same day."))
    unit = models.CharField(
        _("unit"), max_length=10, choices=Unit.choices, default=Unit.WORKING_DAYS
    )
    description = models.TextField(_("what happens"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "step"], name="services_step_once")
        ]

    def __str__(self) -> str:
        return self.name or self.get_step_display()


class Result(VersionPart):
    """办理结果: what the applicant receives."""

    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="results"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ResultKind.choices)
    grants_licence = models.BooleanField(
        _("issues an e-licence"),
        default=False,
        help_text=_("The approval issues an electronic licence into the holder's wallet."),
    )
    licence_type = models.CharField(
        _("e-licence type"), max_length=40, choices=LicenceType.choices, blank=True
    )
    sample = models.FileField(
        _("sample"),
        upload_to=guide_file_path,
        blank=True,
        max_length=300,
        validators=[validate_sample],
        help_text=_("结果样本: PDF, JPEG or PNG, at most 20 MB."),
    )

    class Meta(VersionPart.Meta):
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.grants_licence and not self.licence_type:
            raise ValidationError({"licence_type": _("Say which e-licence the result issues.")})
        if self.licence_type and not self.grants_licence:
            raise ValidationError(
                {"grants_licence": _("A result with an e-licence type issues that e-licence.")}
            )


class FAQ(VersionPart):
    """常见问题."""

    version = models.ForeignKey(ServiceItemVersion, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta(VersionPart.Meta):
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question


PARTS = (Material, Fee, ProcessStep, Result, FAQ)


@receiver(pre_delete, sender=ServiceItemVersion, dispatch_uid="egov.services.version_delete")
def _keep_published_versions(sender, instance, **kwargs):
    """A published or superseded version is the record of what the public was told, and
    cases refer to it: it is never deleted (also when its item would be). The models'
    ``delete`` check first, so that a refusal leaves the caller's transaction usable; this
    signal stops a queryset's bulk delete too."""
    if instance.status != ServiceItemVersion.Status.DRAFT:
        raise VersionFrozenError(
            f"version {instance.number} is {instance.status} and is kept for ever; only "
            "drafts can be deleted"
        )


def _keep_parts(sender, instance, **kwargs):
    instance._check_draft()


for _part in PARTS:
    pre_delete.connect(_keep_parts, sender=_part, dispatch_uid=f"egov.services.{_part.__name__}")
