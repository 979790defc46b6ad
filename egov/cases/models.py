"""Cases (办件): one per application, run on the ServiceItemVersion it started on.

A ``Case`` moves through the steps its version lists (受理, 审查, 决定, 办结, 送达) only by the
verbs in ``services``; every move writes a ``CaseEvent`` that is never edited or deleted.
What the applicant may see of it travels outside as ``cases.progress`` messages, which the
hall keeps (``egov.hall.models.Progress``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.masking import mask
from egov.core.models import KeptAsWritten, RecordKeptError


class CaseRecordError(RecordKeptError):
    """A record that is kept as written (an event) was to be changed or deleted."""


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTION = "correction", _("Waiting for correction (补正)")
    REVIEWED = "reviewed", _("Reviewed")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed (办结)")
    DELIVERED = "delivered", _("Delivered (送达)")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (不予受理)")


FINAL = (Status.DELIVERED, Status.NOT_ACCEPTED)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WINDOW = "window", _("At the window")


class Decision(models.TextChoices):
    GRANT = "grant", _("Granted")
    REFUSE = "refuse", _("Refused")


class PauseKind(models.TextChoices):
    HEARING = "hearing", _("Hearing (听证)")
    EXPERT = "expert", _("Expert review (专家评审)")
    NOTICE = "notice", _("Public notice (公示)")


class QueryCodeCounter(models.Model):
    """The last query-code number of one series and year (locked while a number is taken).

    Two series, so that the two zones never hand out the same code: online applications are
    numbered where they arrive, in the hall (series "": YC-2026-000123), applications at the
    window inside (series "W": YC-2026-W000123)."""

    series = models.CharField(_("series"), max_length=2, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("year"))
    last_sequence = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("query code counter")
        verbose_name_plural = _("query code counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="cases_counter_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.year}: {self.last_sequence}"


class Case(models.Model):
    query_code = models.CharField(_("query code"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence number"), editable=False)
    version = models.ForeignKey(
        "services.ServiceItemVersion",
        verbose_name=_("service item version"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    applicant_id_number = models.CharField(
        _("applicant's ID number"), max_length=36, blank=True, help_text=_("身份证号 or USCC.")
    )
    answers = models.JSONField(_("form answers"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.SUBMITTED
    )
    last_step = models.CharField(_("last step done"), max_length=10, blank=True)
    paused_for = models.CharField(
        _("paused for"), max_length=10, choices=PauseKind.choices, blank=True
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("promised-limit timer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["body", "status"], name="cases_body_status")]
        permissions = [
            ("accept_case", _("Can accept, refuse acceptance and request correction")),
            ("review_case", _("Can review cases")),
            ("decide_case", _("Can decide cases (grant or refuse)")),
            ("close_case", _("Can close and deliver cases")),
            ("pause_case", _("Can pause cases for a hearing, expert review or notice")),
            ("claim_case", _("Can claim cases")),
            ("assign_case", _("Can assign cases to staff")),
            ("override_correction", _("Can request a second correction")),
        ]

    def __str__(self) -> str:
        return self.query_code

    @property
    def masked_name(self) -> str:
        return mask("name", self.applicant_name)

    @property
    def masked_id_number(self) -> str:
        return mask("id_number", self.applicant_id_number) if self.applicant_id_number else ""

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


def material_path(instance, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"cases/{instance.case.query_code}/{uuid.uuid4().hex}/{name}"


class CaseMaterial(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    material = models.ForeignKey(
        "services.Material",
        verbose_name=_("material of the item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    correction = models.ForeignKey(
        "CorrectionRequest",
        verbose_name=_("handed in for the correction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
    )
    licence = models.ForeignKey(
        "licences.Licence",
        verbose_name=_("e-licence used instead of a file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file.name).name


class CorrectionRequest(models.Model):
    """补正: everything missing, told at once, with a deadline."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections")
    items = models.JSONField(_("what is missing"), default=list)
    deadline = models.DateField(_("deadline"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    override = models.BooleanField(_("second request allowed by a supervisor"), default=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer_note = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.deadline}"


class CaseEvent(KeptAsWritten):
    """One transition of a case: who, when, from which status to which, why. Never changed."""

    kept_error = CaseRecordError

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    step = models.CharField(_("step"), max_length=10, blank=True)
    from_status = models.CharField(_("from"), max_length=15, blank=True)
    to_status = models.CharField(_("to"), max_length=15)
    reason = models.TextField(_("reason or comment"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class CaseRating(models.Model):
    """好差评: the applicant's rating of a finished case, as the hall sent it."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    excluded = models.BooleanField(
        _("excluded after an upheld appeal"),
        default=False,
        help_text=_("An appeal showed the rating was not about the service."),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.case} {self.score}"

    @property
    def is_bad(self) -> bool:
        return self.score <= 2


class Rectification(models.Model):
    """整改: what a bad rating opens — a call-back to the applicant, the measures taken, within
    the rectification limit on the one clock; or an appeal the supervisor decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        APPEALED = "appealed", _("Appealed, waiting for the supervisor")
        DONE = "done", _("Rectified")
        WAIVED = "waived", _("Appeal upheld: no rectification")

    rating = models.OneToOneField(
        CaseRating, on_delete=models.PROTECT, related_name="rectification"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("rectification timer"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    callback_note = models.TextField(_("call-back record (回访)"), blank=True)
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    done_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    appeal_reason = models.TextField(_("reason for the appeal"), blank=True)
    appeal_decision = models.TextField(_("the supervisor's decision"), blank=True)
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        permissions = [
            ("rectify_case", _("Can record call-backs and rectifications, and appeal ratings")),
            ("decide_rating_appeal", _("Can decide appeals against ratings")),
        ]

    def __str__(self) -> str:
        return f"{self.rating.case} {self.get_status_display()}"


class PaymentNotice(models.Model):
    """缴费通知: the fees of a granted case with fixed amounts, to be paid online or at the
    window before the notice expires."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired unpaid")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_notices")
    number = models.CharField(_("notice number"), max_length=30, unique=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    items = models.JSONField(_("fees"), default=list)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    provider = models.CharField(_("payment provider"), max_length=30, blank=True)
    transaction_id = models.CharField(_("transaction"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.amount}"
