"""Official documents (公文) and their circulation.

A ``Document`` is one outgoing document of a body with every element of GB/T 9704-2012; a
``Receipt`` is one body's incoming record of it (收文) — or of a paper document from outside
the platform, registered by hand with its scan. ``DocumentEvent`` rows are the circulation
history (who did what, who holds it since when, comments and 批示), written once. The verbs
that change them live in ``egov.oa.services_documents``; docs/oa.md and decision 0024.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import StepEvent
from egov.core.models.records import RecordKeptError

__all__ = [
    "BodyDocumentSettings",
    "Clearance",
    "Document",
    "DocumentEvent",
    "DocumentFile",
    "DocumentLockedError",
    "DocumentRecordError",
    "DocumentType",
    "Receipt",
    "Secrecy",
    "Urgency",
]


class DocumentRecordError(RecordKeptError):
    """A circulation event was to be changed or deleted."""


class DocumentLockedError(ValueError):
    """A signed document's content was to be changed outside a recorded re-issue."""


class DocumentType(models.TextChoices):
    """The 15 kinds of the 党政机关公文处理工作条例 (2012), article 8."""

    RESOLUTION = "resolution", _("Resolution (决议)")
    DECISION = "decision", _("Decision (决定)")
    ORDER = "order", _("Order (命令/令)")
    COMMUNIQUE = "communique", _("Communiqué (公报)")
    ANNOUNCEMENT = "announcement", _("Announcement (公告)")
    PUBLIC_NOTICE = "public_notice", _("Public notice (通告)")
    OPINION = "opinion", _("Opinion (意见)")
    NOTICE = "notice", _("Notice (通知)")
    BULLETIN = "bulletin", _("Circular (通报)")
    REPORT = "report", _("Report (报告)")
    REQUEST = "request", _("Request for instructions (请示)")
    REPLY = "reply", _("Official reply (批复)")
    MOTION = "motion", _("Motion (议案)")
    LETTER = "letter", _("Letter (函)")
    MINUTES = "minutes", _("Minutes (纪要)")


class Secrecy(models.IntegerChoices):
    """密级; the number orders the levels (a clearance covers its level and those below)."""

    NONE = 0, _("Not classified")
    SECRET = 1, _("Secret (秘密)")
    CONFIDENTIAL = 2, _("Confidential (机密)")
    TOP_SECRET = 3, _("Top secret (绝密)")


SECRECY_MARKS = {1: "秘密", 2: "机密", 3: "绝密"}


class Urgency(models.TextChoices):
    """紧急程度."""

    NORMAL = "", _("Normal")
    URGENT = "urgent", _("Urgent (加急)")
    VERY_URGENT = "very_urgent", _("Very urgent (特急)")


URGENCY_MARKS = {"urgent": "加急", "very_urgent": "特急"}


class Clearance(models.Model):
    """The highest 密级 a staff member may read (decision 0024: a small model keyed by user,
    not a field on a membership — clearance is personal, granted once, whatever bodies the
    person serves in). No row = not cleared for any classified document."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="oa_clearance",
    )
    level = models.PositiveSmallIntegerField(
        _("cleared up to"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("secrecy clearance")
        verbose_name_plural = _("secrecy clearances")

    def __str__(self) -> str:
        return f"{self.user} ≤ {self.get_level_display()}"


class BodyDocumentSettings(models.Model):
    """A body's settings for its outgoing documents: its 发文机关标志, its default 发文字号
    prefix, and how many rounds of 审核 a draft passes before 签发."""

    body = models.OneToOneField(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="oa_settings",
    )
    mark = models.CharField(
        _("issuing body mark (发文机关标志)"),
        max_length=60,
        help_text=_("Printed in red at the head of the document, e.g. 重庆市永川区人民政府文件."),
    )
    prefix = models.CharField(
        _("number prefix (发文字号)"),
        max_length=20,
        help_text=_("The body's code in the document number, e.g. 永川府发."),
    )
    review_rounds = models.PositiveSmallIntegerField(
        _("rounds of review"),
        default=1,
        help_text=_("How many reviews (审核) a draft needs before it goes to be signed."),
    )

    class Meta:
        verbose_name = _("body's document settings")
        verbose_name_plural = _("bodies' document settings")

    def __str__(self) -> str:
        return f"{self.body} {self.prefix}"


class Document(models.Model):
    """One official document of a body (the outgoing side, 发文)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWING = "reviewing", _("In review")
        TO_SIGN = "to_sign", _("Waiting to be signed")
        SIGNED = "signed", _("Signed")
        CHECKED = "checked", _("Checked")
        REGISTERED = "registered", _("Registered and numbered")
        PRINTED = "printed", _("Printed")
        SENT = "sent", _("Sent")
        SUPERSEDED = "superseded", _("Superseded by a re-issue")

    # The elements that make the document; none changes once it is signed (DocumentLockedError).
    CONTENT_FIELDS = (
        "doc_type",
        "copy_number",
        "secrecy",
        "secrecy_term",
        "urgency",
        "mark",
        "number_prefix",
        "title",
        "main_to",
        "text",
        "attachment_note",
        "signature",
        "written_on",
        "sealed",
        "remark",
        "copy_to",
        "printing_body",
        "body",
    )

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="oa_documents",
    )
    doc_type = models.CharField(_("kind of document"), max_length=20, choices=DocumentType.choices)
    copy_number = models.CharField(
        _("copy number (份号)"), max_length=6, blank=True, help_text=_("Six digits, e.g. 000001.")
    )
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy level (密级)"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    secrecy_term = models.CharField(
        _("secrecy term (保密期限)"), max_length=20, blank=True, help_text=_("e.g. 1年.")
    )
    urgency = models.CharField(
        _("urgency (紧急程度)"), max_length=20, choices=Urgency.choices, blank=True, default=""
    )
    mark = models.CharField(_("issuing body mark (发文机关标志)"), max_length=60)
    number_prefix = models.CharField(_("number prefix"), max_length=20)
    number_year = models.PositiveSmallIntegerField(_("number year"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    signers = models.CharField(_("signed by (签发人)"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    main_to = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("main recipients (主送机关)"),
        related_name="oa_documents_main",
        blank=True,
    )
    text = models.TextField(_("text (正文)"))
    attachment_note = models.TextField(
        _("attachments list (附件说明)"), blank=True, help_text=_("One attachment name a line.")
    )
    signature = models.CharField(_("issuing body's name (发文机关署名)"), max_length=100)
    written_on = models.DateField(_("date of writing (成文日期)"), null=True, blank=True)
    sealed = models.BooleanField(_("sealed (印章)"), default=True)
    remark = models.CharField(_("remark (附注)"), max_length=200, blank=True)
    copy_to = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("copied to (抄送机关)"),
        related_name="oa_documents_copied",
        blank=True,
    )
    printing_body = models.CharField(_("printed by (印发机关)"), max_length=100, blank=True)
    printed_on = models.DateField(_("printed on (印发日期)"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages (页码)"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reviews_done = models.PositiveSmallIntegerField(_("reviews done"), default=0)
    reviews_needed = models.PositiveSmallIntegerField(_("reviews needed"), default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="oa_drafts",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    held_since = models.DateTimeField(_("held since"), default=timezone.now)
    reissue_of = models.ForeignKey(
        "self",
        verbose_name=_("re-issue of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissues",
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        permissions = [
            ("draft_document", _("Can draft official documents")),
            ("review_document", _("Can review official documents (审核)")),
            ("sign_document", _("Can sign official documents (签发)")),
            ("register_document", _("Can check, number, print and send documents")),
            ("receive_document", _("Can receive and register incoming documents")),
            ("screen_document", _("Can screen incoming documents and propose (初审/拟办)")),
            ("instruct_document", _("Can instruct on incoming documents (批办)")),
            ("handle_document", _("Can handle incoming documents (承办)")),
            ("urge_document", _("Can urge the handling of documents (催办)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number_prefix", "number_year", "number_seq"],
                name="oa_document_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(not numbered)')} {self.title}"

    @property
    def number(self) -> str:
        """发文字号: prefix, the year in 〔〕 (U+3014/3015), the number and 号."""
        if self.number_seq is None:
            return ""
        return f"{self.number_prefix}〔{self.number_year}〕{self.number_seq}号"

    @property
    def is_locked(self) -> bool:
        return self.signed_at is not None

    @property
    def secrecy_mark(self) -> str:
        mark = SECRECY_MARKS.get(self.secrecy, "")
        if mark and self.secrecy_term:
            return f"{mark}★{self.secrecy_term}"
        return mark

    @property
    def urgency_mark(self) -> str:
        return URGENCY_MARKS.get(self.urgency, "")

    def _content(self) -> dict:
        return {
            name: getattr(self, f"{name}_id" if name == "body" else name)
            for name in self.CONTENT_FIELDS
            if name not in ("main_to", "copy_to")
        }

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = (
                Document.objects.filter(pk=self.pk).values("signed_at", *self._content()).first()
            )
            if stored and stored["signed_at"] is not None:
                changed = [k for k, v in self._content().items() if stored[k] != v]
                if changed:
                    raise DocumentLockedError(
                        f"document {self.pk} is signed; {', '.join(changed)} cannot change "
                        "(re-issue it instead)"
                    )
        super().save(*args, **kwargs)


class Receipt(models.Model):
    """One body's incoming record (收文) of a document: sent by the platform (``document``)
    or registered by hand from outside the platform (``document`` empty, with a scan)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be signed for")
        SIGNED_FOR = "signed_for", _("Signed for")
        REGISTERED = "registered", _("Registered")
        SCREENED = "screened", _("Screened")
        RETURNED = "returned", _("Returned")
        PROPOSED = "proposed", _("Handling proposed")
        INSTRUCTED = "instructed", _("Instructed")
        HANDLING = "handling", _("Being handled")
        DONE = "done", _("Done")
        ARCHIVED = "archived", _("Filed")

    class Role(models.TextChoices):
        MAIN = "main", _("Main recipient")
        COPY = "copy", _("Copied")
        EXTERNAL = "external", _("From outside the platform")

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("receiving body"),
        on_delete=models.PROTECT,
        related_name="oa_receipts",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
    )
    role = models.CharField(_("received as"), max_length=10, choices=Role.choices)
    # For documents from outside the platform (and copied from ``document`` otherwise).
    sender = models.CharField(_("sending body"), max_length=100)
    sender_number = models.CharField(_("sender's document number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy level (密级)"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    urgency = models.CharField(
        _("urgency (紧急程度)"), max_length=20, choices=Urgency.choices, blank=True, default=""
    )
    incoming_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    incoming_seq = models.PositiveIntegerField(_("incoming number"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    returned_reason = models.TextField(_("why it was returned"), blank=True)
    proposal = models.TextField(_("proposed handling (拟办意见)"), blank=True)
    instruction = models.TextField(_("instruction (批办意见)"), blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer or conclusion"), blank=True)
    due_on = models.DateField(_("to be handled by"), null=True, blank=True)
    timer = models.ForeignKey(
        "core.Timer",
        verbose_name=_("deadline timer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    held_since = models.DateTimeField(_("held since"), default=timezone.now)
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "incoming_year", "incoming_seq"], name="oa_receipt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} ← {self.title}"

    @property
    def incoming_number(self) -> str:
        if self.incoming_seq is None:
            return ""
        return f"收〔{self.incoming_year}〕{self.incoming_seq}号"


class DocumentFile(models.Model):
    """An attachment (附件) of a document, or the scan of a paper document received."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    data = models.FileField(_("file"), upload_to="oa/documents/%Y/%m/")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return self.name


ACTION_LABELS = {
    "draft": _("Drafted (起草)"),
    "edit": _("Draft changed"),
    "attach": _("Attachment added"),
    "submit": _("Submitted for review"),
    "review": _("Reviewed (审核)"),
    "review_return": _("Sent back at review"),
    "sign": _("Signed (签发)"),
    "sign_refuse": _("Not signed: sent back"),
    "check": _("Checked (复核)"),
    "register": _("Registered (登记)"),
    "print": _("Printed (印制)"),
    "dispatch": _("Sent (核发)"),
    "reissue": _("Re-issued"),
    "arrive": _("Arrived"),
    "sign_for": _("Signed for (签收)"),
    "signed_for_by": _("Signed for by a recipient"),
    "register_external": _("Registered from paper"),
    "screen": _("Screened (初审)"),
    "return": _("Returned (退回)"),
    "returned_by": _("Returned by a recipient"),
    "propose": _("Handling proposed (拟办)"),
    "instruct": _("Instructed (批办)"),
    "instruction": _("Instruction (批示)"),
    "take_on": _("Taken on (承办)"),
    "circulate": _("Circulated (传阅)"),
    "urge": _("Urged (催办)"),
    "finish": _("Answered and closed (办结)"),
    "answered_by": _("Answered by a recipient"),
    "archive": _("Filed (归档)"),
    "comment": _("Comment"),
}


class DocumentEvent(StepEvent):
    """One step of a document's circulation, as it happened: the action, the body, who then
    holds it, comments and 批示. Never changed or deleted."""

    kept_error = DocumentRecordError

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    body = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("then held by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(StepEvent.Meta):
        verbose_name = _("document event")
        verbose_name_plural = _("document events")

    def __str__(self) -> str:
        return f"{self.document_id or '-'}/{self.receipt_id or '-'} {self.action} {self.at}"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
