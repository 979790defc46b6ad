"""Admin forms of the page types: checks that need the page's place in the tree."""

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Site

from egov.portal.validators import format_uses_uscc

# Paths the platform serves outside Wagtail, besides what the URL configuration answers.
RESERVED_SLUGS = frozenset({"static", "media", "documents", "cms", "accounts", "_util"})


def slug_is_taken_by_platform(slug: str) -> bool:
    """True if a page at /<slug>/ would be hidden by another part of the platform (the
    accounts, the CMS, /bodies/…, /report-error/ …)."""
    if slug in RESERVED_SLUGS:
        return True
    for probe in (f"/{slug}/", f"/{slug}/probe/"):
        try:
            match = resolve(probe)
        except Resolver404:
            continue
        if match.url_name != "wagtail_serve":
            return True
    return False


class PortalPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug")
        parent = self.parent_page
        if slug and parent is not None and Site.objects.filter(root_page=parent).exists():
            if slug_is_taken_by_platform(slug):
                self.add_error(
                    "slug",
                    _(
                        "The address /%(slug)s/ belongs to another part of the platform; "
                        "choose another slug for this page."
                    )
                    % {"slug": slug},
                )
        return cleaned


class PolicyDocumentPageForm(PortalPageForm):
    def clean(self):
        cleaned = super().clean()
        from egov.portal.models import IndexNumber
        from egov.portal.services import index_number_format_for, owning_area

        page = self.instance
        if page.pk and IndexNumber.objects.filter(page_id=page.pk).exists():
            return cleaned  # numbered on its first publication; the number never changes
        anchor = page if page.pk else self.parent_page
        publisher = cleaned.get("publisher")
        if publisher is None and anchor is not None:
            area = owning_area(anchor)
            publisher = area.body if area is not None else None
        if publisher is None:
            self.add_error(
                "publisher",
                _(
                    "This part of the site belongs to no body: choose the publishing body "
                    "(发布机构), whose index numbers the document takes."
                ),
            )
        elif not publisher.uscc and format_uses_uscc(index_number_format_for(anchor)):
            self.add_error(
                "publisher",
                _(
                    "%(body)s has no unified social credit code, which its index numbers "
                    "need: enter it in the directory (back-office), or choose another "
                    "publishing body."
                )
                % {"body": publisher},
            )
        return cleaned
