"""The site group: the settings of each site, and the part of the page tree each body owns.

One Wagtail install serves every site. A body that has a website of its own (the congress,
the CPPCC …) gets a Wagtail ``Site`` whose root is a ``HomePage``; a department or a town gets
a ``SectionPage`` inside the portal. Either way the body owns that subtree: a ``BodyArea``
records the Wagtail groups that may edit and review it, its review workflow and its
collection of images and documents (``services.open_body_area``).
"""

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from egov.portal.validators import (
    DEFAULT_INDEX_NUMBER_FORMAT,
    normalise_text,
    police_filing_code,
    validate_icp_number,
    validate_index_number_format,
    validate_police_filing_number,
    validate_site_code,
)


class Theme(models.TextChoices):
    """The colour themes of the design system (CSS classes ``theme-<value>`` in
    portal/css/portal.css). Each meets WCAG 2.1 AA, and AAA in the elder-friendly mode."""

    RED = "red", _("Red")
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    INK = "ink", _("Ink grey")


@register_setting(icon="site")
class PortalSiteSettings(BaseSiteSetting):
    """What one site of the group shows about itself: name, logo, colours and the footer
    items the 2017 guideline requires; and how its documents are numbered and reviewed."""

    site_name = models.CharField(
        _("site name"),
        max_length=100,
        blank=True,
        help_text=_("Shown in the header and the browser title, e.g. 永川区人民政府网."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional; shown before the site name. Its text alternative is the name."),
    )
    theme = models.CharField(_("colour theme"), max_length=10, choices=Theme, default=Theme.RED)
    host_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("hosted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("主办单位: the body responsible for the site, shown in the footer."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_address = models.CharField(_("contact address"), max_length=200, blank=True)
    site_code = models.CharField(
        _("website identification code"),
        max_length=10,
        blank=True,
        validators=[validate_site_code],
        help_text=_("网站标识码, 10 letters or digits, e.g. 5000000041."),
    )
    icp_number = models.CharField(
        _("ICP filing number"),
        max_length=50,
        blank=True,
        validators=[validate_icp_number],
        help_text=_("ICP备案号, e.g. 渝ICP备2021005620号-2."),
    )
    police_filing_number = models.CharField(
        _("public security filing number"),
        max_length=50,
        blank=True,
        validators=[validate_police_filing_number],
        help_text=_("公安备案号, e.g. 渝公网安备 50011202501695号."),
    )
    emblem = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("party and government organ mark"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "党政机关标识, as issued with the site's registration. Empty: a placeholder is shown."
        ),
    )
    emblem_link = models.URLField(
        _("mark's verification address"),
        blank=True,
        help_text=_("Where the mark links to (the registration's verification page)."),
    )
    index_number_format = models.CharField(
        _("index number format"),
        max_length=100,
        default=DEFAULT_INDEX_NUMBER_FORMAT,
        validators=[validate_index_number_format],
        help_text=_(
            "索引号 of policy documents: {USCC} or {CODE} of the publishing body, {YYYY} the "
            "year, {NNNNN} the sequence (width = number of N's)."
        ),
    )
    review_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("review workflow"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The review every page of this site goes through before it is published "
            "(初审 / 复审 / 终审). Sections of bodies keep their own."
        ),
    )

    select_related = ["logo", "emblem", "host_body"]

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("logo"), FieldPanel("theme")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("host_body"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("contact_address"),
                FieldPanel("site_code"),
                FieldPanel("icp_number"),
                FieldPanel("police_filing_number"),
                FieldPanel("emblem"),
                FieldPanel("emblem_link"),
            ],
            heading=_("Footer"),
        ),
        MultiFieldPanel(
            [FieldPanel("index_number_format"), FieldPanel("review_workflow")],
            heading=_("Publishing"),
        ),
    ]

    class Meta:
        verbose_name = _("portal site settings")
        verbose_name_plural = _("portal site settings")

    def __str__(self) -> str:
        return self.site_name or str(self.site)

    def clean(self):
        super().clean()
        for name in ("site_code", "icp_number", "police_filing_number"):
            setattr(self, name, normalise_text(getattr(self, name)))

    def save(self, *args, **kwargs):
        """Choosing a review workflow here assigns it to the site's root page (and so to
        every page of the site outside the sections of bodies); clearing it removes it."""
        from egov.portal.services import assign_workflow

        with transaction.atomic():
            before = None
            if self.pk:
                stored = type(self).objects.filter(pk=self.pk).values_list("review_workflow")
                before = (stored.first() or (None,))[0]
            super().save(*args, **kwargs)
            if self.review_workflow_id != before:
                assign_workflow(self.site.root_page, self.review_workflow)

    @property
    def police_filing_code(self) -> str:
        return police_filing_code(self.police_filing_number)


class BodyArea(models.Model):
    """The subtree of pages one body owns — a whole site or a section of the portal — with
    the Wagtail groups that edit and review it, its three-level review workflow and its
    collection of images and documents. Created by ``services.open_body_area``."""

    body = models.OneToOneField(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="portal_area",
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("root page"),
        on_delete=models.CASCADE,
        related_name="body_area",
    )
    editors = models.OneToOneField(
        Group, verbose_name=_("editors"), on_delete=models.PROTECT, related_name="+"
    )
    first_reviewers = models.OneToOneField(
        Group, verbose_name=_("first review (初审)"), on_delete=models.PROTECT, related_name="+"
    )
    second_reviewers = models.OneToOneField(
        Group, verbose_name=_("second review (复审)"), on_delete=models.PROTECT, related_name="+"
    )
    final_reviewers = models.OneToOneField(
        Group, verbose_name=_("final review (终审)"), on_delete=models.PROTECT, related_name="+"
    )
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        verbose_name=_("review workflow"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("body's area of the site group")
        verbose_name_plural = _("bodies' areas of the site group")

    def __str__(self) -> str:
        return f"{self.body} · {self.page}"

    def reviewer_groups(self) -> list[Group]:
        """The reviewers of each level, in order: 初审, 复审, 终审."""
        return [self.first_reviewers, self.second_reviewers, self.final_reviewers]
