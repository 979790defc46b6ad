"""Error reports (我为政府网站找错): a visitor tells a site's editors about an error on one of
its pages; the editors of the body owning that page answer within 3 working days (a timer on
the one clock). The verbs ``submit_error_report`` and ``reply_to_error_report``, and who may
handle a report, are in ``egov.portal.views_reports``."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErrorKind(models.TextChoices):
    TYPO = "typo", _("Wrong character or typo")  # 错别字
    BROKEN_LINK = "link", _("Broken link")  # 链接错误
    OUTDATED = "outdated", _("Out-of-date content")  # 内容过时
    UNREACHABLE = "unreachable", _("Page cannot be opened")  # 无法访问
    OTHER = "other", _("Other")  # 其他


def token_digest(token: str) -> str:
    """What is stored of a status token: its SHA-256, so the table alone opens no status."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ErrorReport(models.Model):
    """One report of an error on a page of the site group."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page reported, when the address leads to one."),
    )
    address = models.CharField(_("page address"), max_length=300)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("responsible body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The body owning the page's site or section; its editors answer."),
    )
    kind = models.CharField(_("type of error"), max_length=20, choices=ErrorKind)
    description = models.TextField(_("description"), max_length=2000)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    token_hash = models.CharField(_("status token (hashed)"), max_length=64, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("timer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("reply"), blank=True, max_length=4000)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_emailed_at = models.DateTimeField(_("reply e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["body", "replied_at"], name="portal_report_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.address}"

    @property
    def is_answered(self) -> bool:
        return self.replied_at is not None

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_mobile)
