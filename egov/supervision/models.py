"""E-supervision's data: rules (what to watch and when), signals (what was found) and the
scoring scheme (deductions and grade thresholds). Rules and scheme are data: the supervising
department edits them in the back-office; defaults come from a data migration."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.services.choices import ItemType


class SupervisionRule(models.Model):
    """When a timer earns a warning, a yellow card or a red card.

    A rule applies to the timers of one purpose (or every purpose), of one service item type
    (or every type; matched against the timer's ``category``, which a case's timers carry)
    and of one body (or every body). For each timer the most specific active rule wins, the
    purpose weighing most, then the item type, then the body: purpose + type + body >
    purpose + type > purpose + body > purpose > type + body > type > body > the default.
    Day counts are working days.
    """

    purpose = models.CharField(
        _("timer purpose"),
        max_length=100,
        blank=True,
        help_text=_("The timers' purpose, e.g. portal.error_report; empty for every purpose."),
    )
    item_type = models.CharField(
        _("service item type"),
        max_length=20,
        blank=True,
        choices=ItemType.choices,
        help_text=_(
            "The type of the case's service item (事项类型), e.g. administrative licensing; "
            "empty for every type and for timers that are not about a case."
        ),
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for every body."),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("warning, working days before the due date"),
        default=1,
        validators=[MaxValueValidator(60)],
        help_text=_("A warning when at most this many working days are left (0: on the due day)."),
    )
    yellow_days = models.PositiveSmallIntegerField(
        _("yellow card, working days overdue"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    red_days = models.PositiveSmallIntegerField(
        _("red card, working days overdue"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive rule is ignored: the next less specific rule applies."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "item_type", "body"], name="supervision_rule_scope"
            ),
            models.UniqueConstraint(
                fields=["purpose", "item_type"],
                condition=models.Q(body__isnull=True),
                name="supervision_rule_scope_any_body",
                violation_error_message=_(
                    "There is already a rule for this purpose and item type for every body."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(red_days__gte=models.F("yellow_days")),
                name="supervision_rule_red_after_yellow",
                violation_error_message=_("A red card cannot come before the yellow card."),
            ),
        ]

    def __str__(self) -> str:
        purpose = self.purpose or _("every purpose")
        item_type = self.get_item_type_display() if self.item_type else _("every item type")
        body = self.body or _("every body")
        return f"{purpose} / {item_type} / {body}"


class Signal(models.Model):
    """Something supervision found: a warning, a card, later an anomaly. Never deleted: the
    body explains (反馈), a supervisor closes it with a reason."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("warning")
        YELLOW = "yellow", _("yellow card")
        RED = "red", _("red card")
        ANOMALY = "anomaly", _("anomaly")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        EXPLAINED = "explained", _("explained")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=50,
        blank=True,
        help_text=_("Which anomaly or timer condition, e.g. timer.yellow."),
    )
    timer = models.ForeignKey(
        "core.Timer",
        verbose_name=_("timer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        # The unique (timer, kind, code) index serves lookups by timer. No database
        # constraint: the sweep copies the id from the timer row in the same statement, and
        # a per-row foreign-key check (with its row lock on the timer) would double the
        # cost of raising a signal. Timers are never deleted (PROTECT in the ORM).
        db_index=False,
        db_constraint=False,
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (body, raised_on) index serves lookups by body
        db_constraint=False,  # copied from the timer's owner body (see timer)
    )
    subject_type = models.CharField(_("subject type"), max_length=100, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    purpose = models.CharField(_("timer purpose"), max_length=100, blank=True)
    due_date = models.DateField(_("due date when raised"), null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(
        _("threshold, working days"),
        default=0,
        help_text=_("The rule's day count that this signal passed."),
    )
    rule = models.ForeignKey(
        SupervisionRule,
        verbose_name=_("rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # few rules, never looked up from the rule side
        db_constraint=False,  # see timer; a rule is only deactivated, its id stays
    )
    raised_on = models.DateField(_("raised on"))
    raised_at = models.DateTimeField(_("raised at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    explanation = models.TextField(_("explanation"), blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    deducts = models.BooleanField(
        _("counts in the score"),
        default=True,
        help_text=_("Off when a supervisor closed the signal as unfounded."),
    )

    class Meta:
        verbose_name = _("supervision signal")
        verbose_name_plural = _("supervision signals")
        ordering = ["-raised_on", "-id"]
        permissions = [
            ("explain_signal", _("Can explain a signal of their body")),
            ("close_signal", _("Can close a signal")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["timer", "kind", "code"],
                condition=models.Q(timer__isnull=False),
                name="supervision_signal_timer_kind",
            ),
            # An anomaly of a case is raised once (egov.supervision.anomalies).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "code"],
                condition=models.Q(timer__isnull=True),
                name="supervision_signal_subject_code",
            ),
        ]
        indexes = [
            # Scores and the dashboard's counts read only this index (PostgreSQL: an
            # index-only scan, the heap is not touched).
            models.Index(
                fields=["body", "raised_on"],
                include=["kind", "status", "deducts"],
                name="supervision_signal_body_day",
            ),
            # The signal list, newest first, a page at a time.
            models.Index(fields=["-raised_on", "-id"], name="supervision_signal_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.raised_on})"

    def delete(self, *args, **kwargs):
        raise PermissionError("supervision signals are never deleted")


class Deduction(models.Model):
    """Points taken from a body's monthly score of 100 for each counted signal of a kind
    (later: refusals without reason, 不满意 ratings …)."""

    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("signal:<kind>, e.g. signal:yellow; other modules add their own."),
    )
    label = models.CharField(_("label"), max_length=100)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("score deduction")
        verbose_name_plural = _("score deductions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label} −{self.points}"


class GradeThreshold(models.Model):
    """The lowest quarterly score that earns a grade; below every threshold: 不合格."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("excellent (优秀)")
        GOOD = "good", _("good (良好)")
        PASS = "pass", _("pass (合格)")

    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, unique=True)
    min_score = models.DecimalField(
        _("lowest score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("grade threshold")
        verbose_name_plural = _("grade thresholds")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ≥ {self.min_score}"


class AnomalyRule(models.Model):
    """One kind of anomaly (egov.supervision.anomalies): on or off, its day count where it
    has one, and whether it is serious (raised as a red card).

    The row without an item type is the rule for every case; a row with an item type
    overrides it for the cases of that type of service item (e.g. 行政许可 not accepted within
    1 working day). An inactive override is ignored: the general row applies."""

    code = models.CharField(_("code"), max_length=50)
    item_type = models.CharField(
        _("service item type"),
        max_length=20,
        blank=True,
        choices=ItemType.choices,
        help_text=_("Empty: the rule for every case. Else an override for this item type."),
    )
    label = models.CharField(_("label"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    days = models.PositiveSmallIntegerField(
        _("working days"), default=0, help_text=_("For the rules that count days; else 0.")
    )
    serious = models.BooleanField(
        _("serious"), default=False, help_text=_("Raised as a red card, not as an anomaly.")
    )

    class Meta:
        verbose_name = _("anomaly rule")
        verbose_name_plural = _("anomaly rules")
        ordering = ["code", "item_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "item_type"],
                name="supervision_anomaly_rule_code_type",
                violation_error_message=_("This anomaly already has a rule for this item type."),
            ),
        ]

    def __str__(self) -> str:
        if self.item_type:
            return f"{self.label} ({self.get_item_type_display()})"
        return self.label


class SupervisionNotice(models.Model):
    """督办: the supervisor tells a body to deal with a signal, within a limit on the one clock
    (a timer of purpose ``supervision.notice``, watched by the sweep like every timer); the
    body answers, the supervisor closes it with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the body's answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    signal = models.ForeignKey(
        Signal, verbose_name=_("signal"), on_delete=models.PROTECT, related_name="notices"
    )
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="supervision_notices",
    )
    text = models.TextField(_("what the body must do"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("answer limit"),
        on_delete=models.PROTECT,
        related_name="supervision_notice",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("the body's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-pk"]
        permissions = [
            ("issue_notice", _("Can issue and close supervision notices")),
            ("answer_notice", _("Can answer a supervision notice to their body")),
        ]

    def __str__(self) -> str:
        return f"督办 #{self.pk} {self.body}"


# --- monthly summaries (read by the dashboard and the scores; egov.supervision.summary) ---


class SignalMonth(models.Model):
    """How many signals of one body, month, kind, code, status and ``deducts`` there are.

    Kept exact by every verb that writes signals, in the same transaction (the sweep, the
    anomaly checks, explaining and closing add their changes with ``summary.add``), and
    rebuilt set-based from the signals by the nightly task. The dashboard and the scores
    read these rows instead of every signal; the drill-down reads the signals."""

    month = models.DateField(_("month raised"), help_text=_("Its first day."))
    # A plain id, not a foreign key: 0 for a signal without a body (so that the unique key
    # below has no NULL and an upsert finds its row on every database).
    body_id = models.BigIntegerField(_("body"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Signal.Kind.choices)
    code = models.CharField(_("code"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Signal.Status.choices)
    deducts = models.BooleanField(_("counts in the score"))
    n = models.IntegerField(_("signals"), default=0)

    class Meta:
        verbose_name = _("signals of a month")
        verbose_name_plural = _("signals per month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "body_id", "kind", "code", "status", "deducts"],
                name="supervision_signalmonth_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.body_id} {self.kind} {self.code} {self.status}: {self.n}"


class ClosedMonth(models.Model):
    """How many cases' promised limits (timers of purpose ``cases.promised`` stopped as
    ``closed``) a body stopped in a month (of the local date of ``stopped_at``), on time
    (that date not after the due date) or late. Kept like ``SignalMonth``."""

    month = models.DateField(_("month closed"), help_text=_("Its first day."))
    body_id = models.BigIntegerField(_("body"), default=0)
    on_time = models.BooleanField(_("on time"))
    n = models.IntegerField(_("cases"), default=0)

    class Meta:
        verbose_name = _("cases closed in a month")
        verbose_name_plural = _("cases closed per month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "body_id", "on_time"], name="supervision_closedmonth_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.body_id} {self.on_time}: {self.n}"


class RatingMonth(models.Model):
    """How many ratings (好差评) of each score the cases of a body received in a month (of the
    local date of ``rated_at``). Kept like ``SignalMonth``."""

    month = models.DateField(_("month rated"), help_text=_("Its first day."))
    body_id = models.BigIntegerField(_("body"), default=0)
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    n = models.IntegerField(_("ratings"), default=0)

    class Meta:
        verbose_name = _("ratings of a month")
        verbose_name_plural = _("ratings per month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "body_id", "score"], name="supervision_ratingmonth_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.body_id} {self.score}: {self.n}"
