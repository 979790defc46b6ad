"""What happens when a page of the site group is published, however it is published (the
last review step in the CMS, the scheduled-publishing task, a script): a policy document
gets its index number, the publication is written to the audit log, and the anonymous page
cache starts a new generation (cache.py, connected below).

Wagtail sends ``page_published`` also when a page that has never been live is *scheduled*
(its go-live time is in the future); that is recorded as ``portal.page.scheduled`` and
allocates nothing — the publication follows when the time comes.
"""

import logging

from django.db import transaction
from django.dispatch import receiver
from wagtail.log_actions import get_active_log_context
from wagtail.signals import page_published

from egov.core.audit import record
from egov.portal import cache
from egov.portal.models import PolicyDocumentPage
from egov.portal.services import allocate_index_number, owning_area

logger = logging.getLogger(__name__)
PUBLISHED = "portal.page.published"
SCHEDULED = "portal.page.scheduled"

# The anonymous page cache forgets its pages on every change shown on them (cache.py).
cache.connect()


def _acting_user():
    """The user Wagtail's admin is acting for (None for the scheduler and scripts)."""
    user = get_active_log_context().user
    return user if user is not None and user.is_authenticated else None


def _index_for_search(document: PolicyDocumentPage) -> None:
    """Index the document again, now with its 索引号: its search entry was written
    (models/search.py) before the number was allocated. Never stops the publication."""
    from egov.portal.search import index_page

    try:
        index_page(document)
    except Exception:
        logger.exception("document %s could not be indexed with its index number", document.pk)


@receiver(page_published)
def on_page_published(sender, instance, revision, **kwargs):
    with transaction.atomic():
        area = owning_area(instance)
        detail = {
            "title": instance.title,
            "url_path": instance.url_path,
            "revision_id": revision.pk,
            "page_type": instance._meta.label_lower,
        }
        if not instance.live:
            detail["go_live_at"] = instance.go_live_at
            record(
                SCHEDULED,
                actor=_acting_user(),
                body=area.body if area else None,
                obj=instance,
                detail=detail,
            )
            return
        if revision.approved_go_live_at is not None:
            detail["scheduled_for"] = revision.approved_go_live_at
        if isinstance(instance, PolicyDocumentPage):
            detail["index_number"] = allocate_index_number(instance).number
            _index_for_search(instance)
        record(
            PUBLISHED,
            actor=_acting_user(),
            body=area.body if area else None,
            obj=instance,
            detail=detail,
        )
