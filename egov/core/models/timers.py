"""The one clock's timers (architecture principle 6).

A timer is any time limit that a citizen is owed. Its state is derived, never stored:
stopped if ``stopped_at`` is set, paused if ``paused_at`` is set, overdue if the due date has
passed, else running. ``egov.core.timers`` holds the verbs and the set-based state query.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Timer(models.Model):
    class Unit(models.TextChoices):
        WORKING_DAYS = "working", _("working days")
        NATURAL_DAYS = "natural", _("natural days")

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        STOPPED = "stopped", _("stopped")
        OVERDUE = "overdue", _("overdue")

    purpose = models.CharField(
        _("purpose"),
        max_length=100,
        db_index=True,
        help_text=_("What the limit is for, e.g. cases.promised or disclosure.answer."),
    )
    subject_type = models.CharField(
        _("subject type"), max_length=100, help_text=_("app_label.model of the record timed.")
    )
    subject_id = models.CharField(_("subject id"), max_length=64)
    # Copied from the subject when the timer starts (never changes after), so that
    # e-supervision can configure rules by it without joining the module's tables: for a
    # case (and every timer on a case), its service item's type (事项类型), e.g. licensing.
    category = models.CharField(
        _("category"),
        max_length=30,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "The kind of matter within the purpose, e.g. the service item type of a case; "
            "empty when the module has none."
        ),
    )
    owner_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timers",
    )
    start_date = models.DateField(_("start date"))
    limit = models.PositiveIntegerField(_("limit"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    due_date = models.DateField(_("due date"), db_index=True)
    paused_at = models.DateField(_("paused on"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True, db_index=True)
    stop_reason = models.CharField(_("stop reason"), max_length=200, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="timer_subject"),
            models.Index(
                fields=["due_date"],
                name="timer_open_due",
                condition=models.Q(stopped_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.subject_type}:{self.subject_id} → {self.due_date}"


class TimerPause(models.Model):
    timer = models.ForeignKey(Timer, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=200)
    paused_on = models.DateField(_("paused on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    remaining = models.IntegerField(
        _("remaining at pause"),
        help_text=_("Days of the limit still owed when the timer was paused."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paused_on", "id"]
        verbose_name = _("timer pause")
        verbose_name_plural = _("timer pauses")

    def __str__(self) -> str:
        return f"{self.paused_on} – {self.resumed_on or '…'}: {self.reason}"
