"""The service guide source of the services module: the published catalogue (the external
zone's read model, ``PublishedServiceItem``), judged by ``egov.services.selectors.guide_gaps``
— the rule the services module also applies before it publishes a version.

Each item counts for the nearest body asked about at or above its implementing body in the
directory tree: a town's items for the town's section (and so its site), a department
without a section of its own for the district government's portal; items of bodies under
none of them count for no report.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from egov.directory.models import Organisation
from egov.portal.inspector.sources import ServiceGuide
from egov.services import selectors


def _item_url(implementation_code: str) -> str:
    try:
        return reverse("hall:item", args=[implementation_code])
    except NoReverseMatch:  # a zone without the hall
        return ""


class PublishedServiceGuides:
    """Reports only guides that lack key elements: a complete guide has nothing to say."""

    def __eq__(self, other) -> bool:  # registered once, however often it is loaded
        return isinstance(other, PublishedServiceGuides)

    def __hash__(self) -> int:
        return hash(PublishedServiceGuides)

    def service_guides(self, body_ids: Sequence[int]) -> Iterable[ServiceGuide]:
        asked = dict(Organisation.objects.filter(pk__in=body_ids).values_list("path", "pk"))
        if not asked:
            return []
        under = Q()
        for path in asked:
            under |= Q(path__startswith=path)
        paths = dict(Organisation.objects.filter(under).values_list("code", "path"))
        longest_first = sorted(asked, key=len, reverse=True)
        guides = []
        for item, gaps in selectors.published_guide_gaps(paths):
            owner = next(asked[p] for p in longest_first if paths[item.body_code].startswith(p))
            guides.append(
                ServiceGuide(
                    reference=item.implementation_code,
                    name=item.name,
                    body_id=owner,
                    elements=_elements(item, gaps),
                    url=_item_url(item.implementation_code),
                )
            )
        return guides


def _elements(item, gaps: list[str]) -> dict[str, object]:
    """The guide's key elements as the inspector reads them: those ``guide_gaps`` found
    missing left out, the others with their value."""
    guide = item.guide or {}
    values = {**guide, "handling_body": item.body_name_zh}
    if not guide.get("fee_charged"):
        values["fees"] = "免费"
    return {key: values.get(key) for key in selectors.KEY_ELEMENTS if key not in gaps}
