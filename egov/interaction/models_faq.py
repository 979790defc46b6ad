"""The FAQ / knowledge base (常见问题), external zone.

An ``FaqEntry`` is a question and its answer, owned by a body, under a topic. It comes from
one of three sources:

- a **published reply** (``PublicReply``, already masked): publishing a reply proposes an
  entry (not yet published) with the reply's subject, question and answer; staff who curate
  the FAQ shorten it into a general question and publish it;
- a **service item** of the published catalogue (``services.PublishedServiceItem``): the
  entries of an item — what to bring, how long it takes, whether it costs anything, and the
  guide's own questions — are made from its guide and follow the catalogue (a new version
  rewrites them, a withdrawal removes them); staff may hide one, never reword it (the guide
  is the text to change);
- **written by staff**.

Entries are searched with the portal's Chinese search: ``question``, ``context`` and
``answer`` reach the search backend segmented (``portal.models.SegmentedSearchField``).
See ``interaction.faq`` and decision 0023.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from egov.portal.models.search import SegmentedSearchField

__all__ = ["FaqEntry"]


class FaqEntry(index.Indexed, models.Model):
    class Source(models.TextChoices):
        REPLY = "reply", _("A published reply")
        SERVICE = "service", _("A service item's guide")
        STAFF = "staff", _("Written by staff")

    question = models.CharField(_("question"), max_length=300)
    context = models.TextField(
        _("the question as asked"),
        blank=True,
        help_text=_("For an entry from a published reply: the letter's question, masked."),
    )
    answer = models.TextField(_("answer"))
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    public_reply = models.OneToOneField(
        "interaction.PublicReply",
        verbose_name=_("published reply"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entry",
    )
    # A service item's entries: its implementation code and which of its questions.
    service_code = models.CharField(_("service item"), max_length=36, blank=True)
    service_key = models.CharField(max_length=20, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    curated = models.BooleanField(
        _("edited by staff"),
        default=False,
        help_text=_("An entry from a reply that staff edited no longer follows the reply."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    search_fields = [
        SegmentedSearchField("question"),
        SegmentedSearchField("context"),
        SegmentedSearchField("answer"),
        index.FilterField("is_published"),
        index.FilterField("topic"),
        index.FilterField("source"),
    ]

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["topic", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_code", "service_key"],
                condition=models.Q(source="service"),
                name="interaction_faq_service_once",
            )
        ]
        indexes = [models.Index(fields=["is_published", "topic"], name="interaction_faq_list")]

    def __str__(self) -> str:
        return self.question


def _reply_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    from .faq import propose_from_reply

    propose_from_reply(instance)


def _item_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .faq import sync_service_item

    sync_service_item(instance)


def _item_deleted(sender, instance, **kwargs):
    from .faq import remove_service_item

    remove_service_item(instance.implementation_code)


post_save.connect(
    _reply_saved, sender="interaction.PublicReply", dispatch_uid="egov.interaction.faq.reply"
)
post_save.connect(
    _item_saved, sender="services.PublishedServiceItem", dispatch_uid="egov.interaction.faq.item"
)
post_delete.connect(
    _item_deleted,
    sender="services.PublishedServiceItem",
    dispatch_uid="egov.interaction.faq.item_gone",
)
