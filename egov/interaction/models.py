"""Mailboxes and letters (信箱, 来信).

Inside (internal zone): a ``Letter`` is registered from the message
``interaction.letter.submitted`` (a letter written online) or by staff (a letter by post or
at a visit), and moves only through the verbs of ``services``. Every move writes a
``LetterEvent`` that is never changed or deleted; every routing (转办) is a
``LetterRouting``. Its two limits (acceptance, handling) are ``core.Timer`` rows that
e-supervision watches like every other limit.

Outside (external zone): ``OnlineLetter`` is the writer's copy (what they wrote, what they
may see of its handling), ``PublicReply`` a question and answer published with the writer's
consent, with personal data masked.
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


class InteractionRecordError(RecordKeptError):
    """A record that is kept as written (an event) was to be changed or deleted."""


class Category(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation (咨询)")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")
    HELP = "help", _("Request for help (求助)")
    REPORT = "report", _("Report of wrongdoing (举报)")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered, acceptance to decide")
    ACCEPTED = "accepted", _("Accepted, being handled")
    DRAFTED = "drafted", _("Reply drafted, to review")
    REVIEWED = "reviewed", _("Reply reviewed, to sign off")
    SIGNED = "signed", _("Reply signed off, to send")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ACCEPTED,
    Status.DRAFTED,
    Status.REVIEWED,
    Status.SIGNED,
)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Moderation(models.TextChoices):
    NONE = "", _("Not held")
    HELD = "held", _("Held for moderation")
    RELEASED = "released", _("Released by a moderator")
    REJECTED = "rejected", _("Rejected by a moderator")


class AbusiveTerm(models.Model):
    """A word or phrase that holds a letter for moderation when its subject or text contains
    it (case-insensitive). Data, edited in the back-office by holders of the model's
    permissions (``interaction.add_abusiveterm`` …); each change is audited."""

    term = models.CharField(_("term"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("abusive term")
        verbose_name_plural = _("abusive terms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class Mailbox(models.Model):
    """The district head's mailbox (区长信箱), or one body's mailbox; made from the directory
    (``mailboxes.sync_body``), the same in both zones: a body's mailbox has the body's code,
    the district head's the code ``head``."""

    class Kind(models.TextChoices):
        HEAD = "head", _("District head's mailbox")
        BODY = "body", _("Body's mailbox")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("receiving body"),
        on_delete=models.PROTECT,
        related_name="mailboxes",
        help_text=_("The body whose staff register and accept the letters of this mailbox."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.kind == self.Kind.HEAD:
            return str(_("District head's mailbox"))
        return str(_("Mailbox of %(body)s") % {"body": self.body.name_zh})


class Letter(models.Model):
    number = models.CharField(_("letter number"), max_length=30, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="letters"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    consent_to_publish = models.BooleanField(
        _("the writer agrees to publication"),
        default=False,
        help_text=_("The question and the reply may be published, personal data masked."),
    )
    # The writer's contact data (never public).
    writer_name = models.CharField(_("writer's name"), max_length=100)
    phone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    online = models.BooleanField(_("written online"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(_("received on"))
    accused_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body reported on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "A report (举报) and its writer never go to this body or a body under it; "
            "their staff never see the letter."
        ),
    )
    handling_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    acceptance_timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("acceptance timer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_acceptance",
    )
    handling_timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("handling timer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_handling",
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    not_accepted_reason = models.TextField(_("why it is not accepted"), blank=True)
    handling_started_on = models.DateField(_("handling counted from"), null=True, blank=True)
    handling_limit = models.PositiveSmallIntegerField(_("handling limit (days)"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reply: drafted, reviewed and signed off inside the responsible body.
    reply_draft = models.TextField(_("reply (draft)"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_text = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Publication (with consent): the texts exactly as published.
    public_question = models.TextField(_("published question"), blank=True)
    public_answer = models.TextField(_("published answer"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Moderation (abusive content): a held letter is neither accepted nor routed.
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default="", blank=True
    )
    held_reason = models.TextField(_("why it is held"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderation_note = models.TextField(_("moderator's reason"), blank=True)
    # Duplicates: a letter merged into an earlier one is closed with a reference to it.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["handling_body", "status"], name="letter_body_status"),
            models.Index(fields=["mailbox", "status"], name="letter_mailbox_status"),
            models.Index(fields=["moderation"], name="letter_moderation"),
        ]
        permissions = [
            ("handle_letter", _("Can handle letters")),
            ("review_reply", _("Can review the reply to a letter")),
            ("sign_off_reply", _("Can sign off the reply to a letter")),
            ("approve_extension", _("Can approve the extension of a letter's limit")),
            ("moderate_letter", _("Can release or reject letters held for moderation")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_name(self) -> str:
        return mask("name", self.writer_name)

    @property
    def is_report(self) -> bool:
        return self.category == Category.REPORT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_held(self) -> bool:
        return self.moderation == Moderation.HELD


class LetterEvent(StepEvent):
    """One step of a letter, as it happened; never changed or deleted."""

    kept_error = InteractionRecordError

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="events")
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    public = models.BooleanField(
        _("shown to the writer"), default=True, help_text=_("Internal notes are not.")
    )

    class Meta(StepEvent.Meta):
        verbose_name = _("letter event")
        verbose_name_plural = _("letter events")

    def __str__(self) -> str:
        return f"{self.letter_id} {self.action} {self.on}"


class LetterRouting(models.Model):
    """One routing (转办): the letter sent by ``from_body`` to ``to_body``, as the body
    responsible (``lead``) or to handle it jointly (``joint``, 协办). Ended when the body
    refuses it with a reason, or when the letter is routed on."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Responsible body")
        JOINT = "joint", _("Joint handling")

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="routings")
    from_body = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="letter_routings",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    reason = models.TextField(_("reason"), blank=True)
    routed_on = models.DateField(_("routed on"))
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("routing of a letter")
        verbose_name_plural = _("routings of letters")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.letter_id} → {self.to_body_id} ({self.role})"


def letter_file_path(instance, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"letters/{instance.letter.number}/{uuid.uuid4().hex}/{name}"


class LetterFile(models.Model):
    """An attachment of a letter (PDF, JPEG or PNG, judged by its content)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=letter_file_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment of a letter")
        verbose_name_plural = _("attachments of letters")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class OnlineLetter(models.Model):
    """The external zone's copy of a letter written online: what the writer wrote and what
    they may see of its handling (sent back as ``interaction.progress``). Only its writer
    sees it, by its query code."""

    number = models.CharField(_("letter number"), max_length=30, unique=True, editable=False)
    query_code = models.CharField(_("query code"), max_length=24, unique=True, editable=False)
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer's account"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    consent_to_publish = models.BooleanField(_("the writer agrees to publication"), default=False)
    writer_name = models.CharField(_("writer's name"), max_length=100)
    phone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    accused_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body reported on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attachment_names = models.JSONField(_("attachments"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # What the internal zone reports back.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    due_date = models.DateField(_("due by"), null=True, blank=True)
    handling_body_name = models.CharField(_("responsible body"), max_length=100, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    # What the site inspector reads outside (``inspector.OnlineLetterConsultations``): the day
    # the letter was closed (answered, for a letter not accepted), and whether it is still a
    # valid letter (not merged as a duplicate, not rejected in moderation).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    valid = models.BooleanField(
        _("valid"),
        default=True,
        help_text=_("Not merged as a duplicate and not rejected in moderation."),
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter written online")
        verbose_name_plural = _("letters written online")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["writer", "submitted_at"], name="online_letter_writer")]

    def __str__(self) -> str:
        return self.number

    @property
    def may_rate(self) -> bool:
        return self.status == Status.REPLIED and self.replied_on is not None and not self.rating


class PublicReply(models.Model):
    """A question and its reply as published (external zone), personal data masked. Made
    only from ``interaction.reply.published``; holds nothing of the writer."""

    number = models.CharField(_("letter number"), max_length=30, unique=True)
    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    body_name = models.CharField(_("replying body"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    asked_on = models.DateField(_("asked on"))
    replied_on = models.DateField(_("replied on"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("published reply")
        verbose_name_plural = _("published replies")
        ordering = ["-replied_on", "-pk"]

    def __str__(self) -> str:
        return self.number


from .models_faq import *  # noqa: E402,F401,F403 - the FAQ
from .models_participation import *  # noqa: E402,F401,F403 - consultations, surveys
