"""The hall's own records (external zone): online applications and what the applicant sees of
their cases.

- ``Application`` — one per applicant and item while it is a draft (saved as typed, valid or
  not, so that nothing entered is lost), numbered with a query code when submitted. Its
  ``revision`` tells a stale draft (opened on another device before a later save) from the
  current one; its ``token`` makes the submission idempotent.
- ``ApplicationFile`` — a file handed in for one material of the guide (checked by content
  when it arrives), for the application or for a correction.
- ``Progress`` — the public progress of a case, as the ``cases.progress`` messages of the
  internal zone tell it (no staff names, no personal data); online applications find theirs
  by query code, window applications have one too.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        related_name="hall_applications",
    )
    implementation_code = models.CharField(_("implementation code"), max_length=36)
    version_number = models.PositiveIntegerField(_("version of the guide"))
    item_name = models.CharField(_("item"), max_length=200)
    body_name = models.CharField(_("body"), max_length=100)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    licences = models.JSONField(
        _("e-licences instead of files"),
        default=dict,
        blank=True,
        help_text=_("Material name → number of a licence in the applicant's wallet."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    token = models.UUIDField(_("submission token"), default=uuid.uuid4, unique=True)
    query_code = models.CharField(_("query code"), max_length=20, null=True, unique=True)
    answered_round = models.PositiveSmallIntegerField(_("corrections answered"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "implementation_code"],
                condition=Q(status="draft"),
                name="hall_one_draft_per_item",
            )
        ]

    def __str__(self) -> str:
        return self.query_code or f"{self.item_name} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


def application_file_path(instance, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"hall/{instance.application_id}/{uuid.uuid4().hex}/{name}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material_name = models.CharField(_("material"), max_length=200)
    file = models.FileField(_("file"), upload_to=application_file_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    correction_round = models.PositiveSmallIntegerField(
        _("handed in for correction number"),
        default=0,
        help_text=_("0: with the application."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        ordering = ["correction_round", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.material_name}: {self.file_name}"


class Progress(models.Model):
    """The public progress of one case (``cases.progress``)."""

    query_code = models.CharField(_("query code"), max_length=20, unique=True)
    implementation_code = models.CharField(_("implementation code"), max_length=36)
    item_name = models.CharField(_("item"), max_length=200)
    status = models.CharField(_("status"), max_length=15)
    decision = models.CharField(_("decision"), max_length=10, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    correction = models.JSONField(
        _("open correction request"),
        null=True,
        blank=True,
        help_text=_("What is missing and the deadline, while the case waits for it."),
    )
    correction_round = models.PositiveSmallIntegerField(_("corrections requested"), default=0)
    steps = models.JSONField(_("steps so far"), default=list)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("public progress")
        verbose_name_plural = _("public progress")

    def __str__(self) -> str:
        return self.query_code

    def get_status_label(self) -> str:
        from egov.cases.models import Status

        try:
            return str(Status(self.status).label)
        except ValueError:
            return self.status


class Notification(models.Model):
    """A message to an applicant about their application: shown in the hall, sent by e-mail
    and SMS when the account has an address or number (``hall.notify``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hall_notifications"
    )
    query_code = models.CharField(_("query code"), max_length=20)
    item_name = models.CharField(_("item"), max_length=200)
    action = models.CharField(_("what happened"), max_length=30)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    texted_at = models.DateTimeField(_("sent by SMS at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="hall_notification_unread")]

    def __str__(self) -> str:
        return f"{self.query_code} {self.action}"


class Rating(models.Model):
    """好差评: the applicant's rating of a finished case, once."""

    class Score(models.IntegerChoices):
        VERY_GOOD = 5, _("Very satisfied (非常满意)")
        GOOD = 4, _("Satisfied (满意)")
        FAIR = 3, _("Fairly satisfied (基本满意)")
        BAD = 2, _("Dissatisfied (不满意)")
        VERY_BAD = 1, _("Very dissatisfied (非常不满意)")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.application} {self.score}"


class Payment(models.Model):
    """A payment notice of a case as the hall knows it (``cases.payment``), and its payment."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired unpaid")

    number = models.CharField(_("notice number"), max_length=30, unique=True)
    query_code = models.CharField(_("query code"), max_length=20, db_index=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    items = models.JSONField(_("fees"), default=list)
    expires_on = models.DateField(_("pay by"))
    waits = models.BooleanField(_("the case waits for it"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    provider = models.CharField(_("payment provider"), max_length=30, blank=True)
    transaction_id = models.CharField(_("transaction"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.amount}"


class PublicDecision(models.Model):
    """双公示: a licensing decision made public (``cases.decision.public``), personal data
    masked before it left the internal zone."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    item_name = models.CharField(_("item"), max_length=200)
    body_name = models.CharField(_("body"), max_length=100)
    holder_kind = models.CharField(_("holder kind"), max_length=10)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_code = models.CharField(_("credit code"), max_length=18, blank=True)
    decision = models.CharField(_("decision"), max_length=10)
    decided_on = models.DateField(_("decided on"), db_index=True)
    licences = models.JSONField(_("licences"), default=list)

    class Meta:
        verbose_name = _("public decision")
        verbose_name_plural = _("public decisions")
        ordering = ["-decided_on", "-reference"]

    def __str__(self) -> str:
        return self.reference
