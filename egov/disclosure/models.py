"""Requests on application (依申请公开) and what the annual report is built from.

A ``DisclosureRequest`` lives in the internal zone; it is created by the receiver of
``disclosure.request.submitted`` (an online request) or by staff (a request by letter or at
the counter), and moves only through the verbs of ``services``. Every move writes a
``RequestEvent`` that is never changed or deleted. Its answer limit is a ``core.Timer``
(purpose ``disclosure.answer``) that e-supervision watches like every other limit.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.masking import mask
from egov.core.models import RecordKeptError, StepEvent

from .choices import AnswerKind, ApplicantType, Channel, FeeMethod, Form, Outcome


class DisclosureRecordError(RecordKeptError):
    """A record that is kept as written (an event) was to be changed or deleted."""


class Status(models.TextChoices):
    RECEIVED = "received", _("Being handled")
    CORRECTION = "correction", _("Waiting for the applicant's correction (补正)")
    CONSULTATION = "consultation", _("Third party consulted (征求第三方意见)")
    ANSWERED = "answered", _("Answered")


class DisclosureRequest(models.Model):
    number = models.CharField(_("request number"), max_length=30, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body asked"),
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    # Who applies (第29条): name, identity proof, contact.
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    applicant_id_number = models.CharField(
        _("identity document number"),
        max_length=36,
        help_text=_("身份证号 of a person, 统一社会信用代码 of an organisation."),
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    # What is asked for, and how it should come.
    description = models.TextField(
        _("information requested"),
        help_text=_("The name, document number or a description that identifies it."),
    )
    form = models.CharField(_("form wanted"), max_length=20, choices=Form.choices)
    channel = models.CharField(_("how to receive it"), max_length=20, choices=Channel.choices)
    online = models.BooleanField(_("filed online"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(
        _("received on"),
        help_text=_("The day of receipt (第31条); the answer limit counts from it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("answer-limit timer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_request",
    )
    # Correction (第30条): once, asked within 7 working days of receipt.
    correction_asked_on = models.DateField(_("correction asked on"), null=True, blank=True)
    correction_text = models.TextField(_("what must be corrected"), blank=True)
    correction_due = models.DateField(_("correction due by"), null=True, blank=True)
    corrected_on = models.DateField(_("corrected request received on"), null=True, blank=True)
    # Third-party consultation (第32条): 15 working days, not counted.
    third_party = models.CharField(_("third party consulted"), max_length=200, blank=True)
    consultation_due = models.DateField(_("third party's reply due by"), null=True, blank=True)
    # Extension (第33条): once, at most 20 working days, approved by the office head.
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The answer (第36条, 第37条).
    answer_kind = models.CharField(
        _("answer"), max_length=20, choices=AnswerKind.choices, blank=True
    )
    outcome = models.CharField(
        _("outcome (annual report row)"), max_length=20, choices=Outcome.choices, blank=True
    )
    answer_text = models.TextField(_("answer"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    where_public = models.CharField(_("where it is already public"), max_length=500, blank=True)
    right_body = models.CharField(_("the body that holds it"), max_length=200, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    fee_method = models.CharField(
        _("fee"), max_length=10, choices=FeeMethod.choices, default=FeeMethod.NONE
    )
    fee_pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    fee_amount = models.PositiveIntegerField(_("fee (元)"), default=0)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["body", "status"], name="disclosure_body_status"),
            models.Index(fields=["body", "received_on"], name="disclosure_body_received"),
        ]
        permissions = [
            ("handle_request", _("Can handle disclosure requests")),
            ("approve_extension", _("Can approve the extension of a disclosure request")),
            ("edit_annual_report", _("Can edit and publish the disclosure annual report")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_name(self) -> str:
        return mask("name", self.applicant_name)

    @property
    def masked_id_number(self) -> str:
        return mask("id_number", self.applicant_id_number) if self.applicant_id_number else ""

    @property
    def is_final(self) -> bool:
        return self.status == Status.ANSWERED


class RequestEvent(StepEvent):
    """One step of a request, as it happened; never changed or deleted."""

    kept_error = DisclosureRecordError

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="events")
    public = models.BooleanField(
        _("shown to the applicant"), default=True, help_text=_("Internal notes are not.")
    )

    class Meta(StepEvent.Meta):
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.on}"


def request_file_path(instance, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"disclosure/{instance.request.number}/{uuid.uuid4().hex}/{name}"


class RequestFile(models.Model):
    """A file of a request: the applicant's identity proof, or an attachment of the answer
    (stored after redaction; the unredacted original never leaves the internal zone)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity proof")
        ANSWER = "answer", _("Attachment of the answer")

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=request_file_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("request file")
        verbose_name_plural = _("request files")

    def __str__(self) -> str:
        return self.name


class RedactionRule(models.Model):
    """Text to hide before anything leaves (an answer, its letter, its attachments): a literal
    text or a regular expression, for every body, one body or one request (第37条's partial
    disclosure), with who set it and why."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Exact text")
        PATTERN = "pattern", _("Pattern (regular expression)")

    class Scope(models.TextChoices):
        ALL = "all", _("Answers and attachments")
        ANSWERS = "answers", _("Answers and answer letters only")
        ATTACHMENTS = "attachments", _("Attachments only")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("text or pattern"), max_length=500)
    scope = models.CharField(_("applies to"), max_length=15, choices=Scope.choices)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every body."),
    )
    request = models.ForeignKey(
        DisclosureRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redactions",
        help_text=_("Set for a partial disclosure: this request only."),
    )
    reason = models.CharField(_("reason"), max_length=300)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("redaction rule")
        verbose_name_plural = _("redaction rules")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.value

    def clean(self):
        from .redaction import clean_rule

        clean_rule(self)


class AnnualReport(models.Model):
    """A body's (or, without a body, the whole government's) annual report for one year: the
    text sections written by staff; the tables are computed from the data
    (``egov.disclosure.report``) and frozen into ``figures`` when it is published."""

    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole government's report."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    overview = models.TextField(_("一、总体情况 (overview)"), blank=True)
    problems = models.TextField(
        _("五、存在的主要问题及改进情况 (problems and improvements)"), blank=True
    )
    other = models.TextField(_("六、其他需要报告的事项 (other matters)"), blank=True)
    review_rows = models.JSONField(
        _("table 四 (administrative review and litigation)"),
        default=dict,
        blank=True,
        help_text=_("Entered by staff: the platform does not hold review and court cases."),
    )
    figures = models.JSONField(_("figures when published"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="disclosure_report_body_year"),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(body__isnull=True),
                name="disclosure_report_government_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body or _('the government')} {self.year}"


def letter_path(instance, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"disclosure-letters/{instance.number}/{uuid.uuid4().hex}/{name}"


class OnlineRequest(models.Model):
    """The external zone's copy of a request filed online: what the applicant wrote, and what
    they may see of its handling (sent back as ``disclosure.progress``). Only its applicant
    sees it."""

    number = models.CharField(_("request number"), max_length=30, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body asked"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    applicant_id_number = models.CharField(_("identity document number"), max_length=36)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    description = models.TextField(_("information requested"))
    form = models.CharField(_("form wanted"), max_length=20, choices=Form.choices)
    channel = models.CharField(_("how to receive it"), max_length=20, choices=Channel.choices)
    identity_kind = models.CharField(
        _("verified identity"),
        max_length=10,
        help_text=_("The account's verified real-name identity that applies: natural or legal."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # What the internal zone reports back.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    due_date = models.DateField(_("answer due by"), null=True, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    correction_text = models.TextField(_("what must be corrected"), blank=True)
    correction_due = models.DateField(_("correction due by"), null=True, blank=True)
    answer_kind = models.CharField(
        _("answer"), max_length=20, choices=AnswerKind.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    where_public = models.CharField(_("where it is already public"), max_length=500, blank=True)
    right_body = models.CharField(_("the body that holds it"), max_length=200, blank=True)
    fee_amount = models.PositiveIntegerField(_("fee (元)"), default=0)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    letter = models.FileField(
        _("answer letter (PDF)"), upload_to=letter_path, max_length=300, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("online disclosure request")
        verbose_name_plural = _("online disclosure requests")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.number


def online_answer_file_path(instance, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"disclosure-answers/{instance.request.number}/{uuid.uuid4().hex}/{name}"


class OnlineAnswerFile(models.Model):
    """A file of the answer as it reached the external zone: the redacted copy."""

    request = models.ForeignKey(
        OnlineRequest, on_delete=models.CASCADE, related_name="answer_files"
    )
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=online_answer_file_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("file of an answer")
        verbose_name_plural = _("files of answers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
