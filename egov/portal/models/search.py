"""The search index of the site group, and its synonyms.

Wagtail's database search backend indexes text as the database's full-text engine splits it
(SQLite FTS5, PostgreSQL's parser), and neither splits Chinese: 营业执照办理指南 is one
"word", so 执照 is never found. A ``SearchEntry`` holds, for each live page, its title and
searchable text; ``SegmentedSearchField`` hands them to the backend already segmented into
words and character bigrams separated by spaces (``egov.portal.search.index_text``), which
both engines do split. Queries are segmented the same way (``egov.portal.search``).

Entries follow publication: ``page_published`` writes the page's entry, ``page_unpublished``
removes it, and deleting a page deletes its entry (cascade). On SQLite, filters (site,
column, type, date, live) read the page itself through ``page``. On PostgreSQL a search
reads a narrow table of its own, ``SearchDocument`` (decision 0015): one row per entry with
the words of its title and text as ``tsvector``s and copies of the page's path, type and
first publication time, written with the entry; a page moved takes its rows' paths with it
(``post_page_move``).

A ``Synonym`` is a group of equivalent terms (社保, 社会保险), edited in the CMS as a snippet;
a query for one term of a group looks for all of them.
"""

import logging
import re

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

# Terms of a synonym group are separated by commas (ASCII or Chinese), 、 or white space.
TERM_SEPARATORS = re.compile(r"[,，、;；\s]+")
TERM_SHAPE = re.compile(r"[^\W_]+")
MAX_TERM_LENGTH = 20
logger = logging.getLogger(__name__)


class SegmentedSearchField(index.SearchField):
    """A search field whose text reaches the search backend segmented into words."""

    def get_value(self, obj):
        from egov.portal.search import index_text

        return index_text(super().get_value(obj) or "")


class SearchEntry(index.Indexed, models.Model):
    """What the search of the site group knows about one live page."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), blank=True, help_text=_("Plain text, without markup."))
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    search_fields = [
        SegmentedSearchField("title"),
        SegmentedSearchField("text"),
        index.RelatedFields(
            "page",
            [
                index.FilterField("live"),
                index.FilterField("path"),
                index.FilterField("content_type"),
                index.FilterField("first_published_at"),
            ],
        ),
    ]

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.title


class SearchDocument(models.Model):
    """What the search on PostgreSQL reads (decision 0015): for each search entry, the words
    of its title and text (``document``, without positions: matching only) and of its title
    alone (``title_document``: ranking), and copies of its page's path, type and first
    publication time for the filters. Narrow on purpose — the documents live out of line —
    so that finding the newest matches of a word reads an index and a few megabytes.
    Written by ``egov.portal.search.index_page``; unused (and empty) on SQLite."""

    entry = models.OneToOneField(
        SearchEntry,
        verbose_name=_("search entry"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="document",
    )
    path = models.CharField(_("path"), max_length=255)
    content_type_id = models.PositiveIntegerField(_("page type"))
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    document = SearchVectorField(_("words"))
    title_document = SearchVectorField(_("words of the title"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.path


def split_terms(value: str) -> list[str]:
    """The distinct terms of a synonym group as typed, in their order, normalised
    (full-width letters and digits made half-width, lower case)."""
    from egov.portal.search import normalise

    terms: list[str] = []
    for raw in TERM_SEPARATORS.split(normalise(value or "")):
        if raw and raw not in terms:
            terms.append(raw)
    return terms


class Synonym(models.Model):
    """A group of terms that mean the same to someone searching (社保, 社会保险)."""

    terms = models.CharField(
        _("terms"),
        max_length=500,
        help_text=_(
            "Two or more words that mean the same, separated by commas, e.g. 社保, 社会保险. "
            "A search for any of them finds pages with any of them."
        ),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why these belong together.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = ["terms", "note"]

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")
        ordering = ["terms"]

    def __str__(self) -> str:
        return " = ".join(self.term_list())

    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self):
        super().clean()
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError(
                {
                    "terms": _(
                        "A synonym group needs at least two different terms, separated by "
                        "commas, e.g. 社保, 社会保险."
                    )
                }
            )
        for term in terms:
            if not TERM_SHAPE.fullmatch(term) or len(term) > MAX_TERM_LENGTH:
                raise ValidationError(
                    {
                        "terms": _(
                            "'%(term)s' is not a single term: use letters and digits only, at "
                            "most %(limit)s characters, and separate terms with commas."
                        )
                        % {"term": term, "limit": MAX_TERM_LENGTH}
                    }
                )
        for other in Synonym.objects.exclude(pk=self.pk):
            shared = sorted(set(terms) & set(other.term_list()))
            if shared:
                raise ValidationError(
                    {
                        "terms": _(
                            "'%(term)s' is already in the group '%(group)s'; add the other "
                            "terms to that group instead of making a second one."
                        )
                        % {"term": shared[0], "group": other}
                    }
                )
        self.terms = ", ".join(terms)


# Indexing never stops a publication: a failure is logged (``search.rebuild_index`` mends
# the index later); each verb runs in its own savepoint.


@receiver(page_published, dispatch_uid="portal.search.page_published")
def _index_published_page(sender, instance, **kwargs):
    from egov.portal.search import index_page

    try:
        index_page(instance)
    except Exception:
        logger.exception("page %s could not be indexed for search", instance.pk)


@receiver(page_unpublished, dispatch_uid="portal.search.page_unpublished")
def _unindex_unpublished_page(sender, instance, **kwargs):
    from egov.portal.search import unindex_page

    try:
        unindex_page(instance)
    except Exception:
        logger.exception("page %s could not be removed from the search index", instance.pk)


@receiver(post_page_move, dispatch_uid="portal.search.page_moved")
def _follow_moved_page(sender, instance, **kwargs):
    from egov.portal.search import follow_pages

    try:
        follow_pages(under=instance)
    except Exception:
        logger.exception("the search documents under page %s could not follow it", instance.pk)
