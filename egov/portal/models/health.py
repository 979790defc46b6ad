"""The site health inspector's records: the rules it scores with, one report per site (or
body's section) per day, and the warnings given to a body's editors before a threshold of the
State Council's website checks is crossed. The inspector itself is egov/portal/inspector/."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class SiteHealthRules(BaseGenericSetting):
    """How the inspector scores a site: 100 points, minus the deductions below (each check's
    deduction capped), fails under the pass mark; any single-veto failure fails the site
    whatever its score. The thresholds of the vetoes themselves are the national rules
    (inspector/rules.py) and are not set here."""

    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), default=60, help_text=_("A site scoring below this fails (国办: 60).")
    )
    warning_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("warn at (% of a limit)"),
        default=70,
        help_text=_(
            "Editors are warned when this share of a limit is used up: at 70 %, a news column "
            "idle for 10 of its 14 days, or 4 blank columns when 5 fail the site."
        ),
    )
    home_stale_points = models.PositiveSmallIntegerField(
        _("home page not updated"), default=20, help_text=_("Points deducted once.")
    )
    stale_column_points = models.PositiveSmallIntegerField(
        _("column not updated"),
        default=2,
        help_text=_("Points per column idle or overdue (a column counts once)."),
    )
    blank_column_points = models.PositiveSmallIntegerField(
        _("blank column"), default=2, help_text=_("Points per column with nothing in it.")
    )
    consultation_points = models.PositiveSmallIntegerField(
        _("consultation unanswered"),
        default=5,
        help_text=_("Points per consultation unanswered (or answered) after 3 months."),
    )
    service_guide_points = models.PositiveSmallIntegerField(
        _("service guide incomplete"),
        default=2,
        help_text=_("Points per service guide missing key elements."),
    )
    broken_link_points = models.PositiveSmallIntegerField(
        _("broken link"), default=1, help_text=_("Points per broken internal link.")
    )
    max_points_per_check = models.PositiveSmallIntegerField(
        _("most points one check deducts"), default=30
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("pass_mark"), FieldPanel("warning_percent")], heading=_("Verdict")
        ),
        MultiFieldPanel(
            [
                FieldPanel("home_stale_points"),
                FieldPanel("stale_column_points"),
                FieldPanel("blank_column_points"),
                FieldPanel("consultation_points"),
                FieldPanel("service_guide_points"),
                FieldPanel("broken_link_points"),
                FieldPanel("max_points_per_check"),
            ],
            heading=_("Deductions"),
        ),
    ]

    class Meta:
        verbose_name = _("site health rules")
        verbose_name_plural = _("site health rules")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.pass_mark > 100:
            errors["pass_mark"] = _("A score is at most 100; choose a pass mark from 0 to 100.")
        if not 1 <= self.warning_percent <= 99:
            errors["warning_percent"] = _(
                "Choose a share from 1 to 99 %: at 100 % the warning would come with the failure."
            )
        if errors:
            raise ValidationError(errors)


class SiteHealthReport(models.Model):
    """What the inspector found on one day for one site or one body's section: its score,
    verdict, failed vetoes and findings (what to fix, where, since when). One per subject and
    day; inspecting again the same day replaces it."""

    class Kind(models.TextChoices):
        SITE = "site", _("Site")
        SECTION = "section", _("Section of the portal")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("root page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    title = models.CharField(_("title"), max_length=255)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("owning body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    day = models.DateField(_("day"))
    inspected_at = models.DateTimeField(_("inspected at"))
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    vetoes = models.JSONField(_("failed single-veto checks"), default=list, blank=True)
    counts = models.JSONField(_("findings per check"), default=dict, blank=True)
    deductions = models.JSONField(_("points deducted per check"), default=dict, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    unchecked = models.JSONField(
        _("checks without a data source"),
        default=list,
        blank=True,
        help_text=_("Checks no module reported data to (e.g. consultations, until built)."),
    )

    class Meta:
        verbose_name = _("site health report")
        verbose_name_plural = _("site health reports")
        ordering = ["-day", "page__path"]
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="portal_health_one_per_day")
        ]
        indexes = [models.Index(fields=["day"], name="portal_health_day")]

    def __str__(self) -> str:
        return f"{self.title} {self.day}: {self.score}"


class HealthWarning(models.Model):
    """A threshold about to be crossed in a body's area (a column idle for 10 of its 14 days
    …), for that body's editors: shown on their CMS dashboard and e-mailed once. Open while
    the inspector still finds it; closed when the cause is fixed or the threshold is crossed
    (then it is a finding of the report)."""

    area = models.ForeignKey(
        "portal.BodyArea",
        verbose_name=_("body's area"),
        on_delete=models.CASCADE,
        related_name="health_warnings",
    )
    key = models.CharField(_("key"), max_length=200)
    check_code = models.CharField(_("check"), max_length=40)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finding = models.JSONField(_("finding"), default=dict)
    due = models.DateTimeField(_("threshold crossed at"), null=True, blank=True)
    opened_on = models.DateField(_("first warned on"))
    last_seen_on = models.DateField(_("last found on"))
    notified_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("site health warning")
        verbose_name_plural = _("site health warnings")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "key"],
                condition=Q(resolved_at__isnull=True),
                name="portal_health_warning_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.key}"
