"""What the inspector needs from other modules: consultations (interaction: the letters of
the mailboxes and the consultations on drafts) and service guides (services).

Two of the single-veto checks are about data the portal does not hold: consultations
unanswered for more than 3 months, and service guides missing key elements. The inspector
asks *sources* for them. A module that holds such data registers a source when it starts
(in its ``AppConfig.ready``)::

    from egov.portal.inspector.sources import register_consultation_source
    register_consultation_source(InteractionConsultations())

Sources can also be named in settings, as dotted paths of classes taking no argument:
``PORTAL_INSPECTOR_SERVICE_GUIDE_SOURCES`` (default ``DEFAULT_SERVICE_GUIDE_SOURCES``: the
services module's published catalogue, ``services_source.PublishedServiceGuides``; ``[]``
turns it off).

The interaction module registers its letters source for the zone
(``interaction.inspector.letters_source``: the letters inside and in combined mode, the
writers' copies outside) and ``interaction.participation.ConsultationFeedbackSource`` at
start. Without any source the
check finds nothing and the dashboard says that no source reports to it. Nothing here
pretends to be data.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Consultation:
    """A consultation (咨询) as the interaction module knows it."""

    reference: str  # unique within its source, e.g. the letter's number
    title: str
    body_id: int  # the directory Organisation it was addressed to
    received_at: datetime.datetime
    answered_at: datetime.datetime | None = None
    valid: bool = True  # spam, duplicates and the like are not valid consultations
    url: str = ""  # where staff answer it


@dataclass(frozen=True)
class ServiceGuide:
    """A service item's guide (办事指南) as the services module publishes it: ``elements``
    maps each key of ``rules.SERVICE_GUIDE_ELEMENTS`` to its text (empty or absent: missing)."""

    reference: str  # e.g. the item's implementation code (实施编码)
    name: str
    body_id: int
    elements: Mapping[str, object] = field(default_factory=dict)
    url: str = ""  # where staff complete it


class ConsultationSource(Protocol):
    def consultations(
        self, body_ids: Sequence[int], received_after: datetime.datetime
    ) -> Iterable[Consultation]:
        """The consultations addressed to these bodies received after the given moment."""


class ServiceGuideSource(Protocol):
    def service_guides(self, body_ids: Sequence[int]) -> Iterable[ServiceGuide]:
        """The published service guides of these bodies."""


DEFAULT_SERVICE_GUIDE_SOURCES = ("egov.portal.inspector.services_source.PublishedServiceGuides",)

_consultation_sources: list[ConsultationSource] = []
_service_guide_sources: list[ServiceGuideSource] = []


def register_consultation_source(source: ConsultationSource) -> None:
    if source not in _consultation_sources:
        _consultation_sources.append(source)


def unregister_consultation_source(source: ConsultationSource) -> None:
    if source in _consultation_sources:
        _consultation_sources.remove(source)


def register_service_guide_source(source: ServiceGuideSource) -> None:
    if source not in _service_guide_sources:
        _service_guide_sources.append(source)


def unregister_service_guide_source(source: ServiceGuideSource) -> None:
    if source in _service_guide_sources:
        _service_guide_sources.remove(source)


def consultation_sources() -> list[ConsultationSource]:
    return list(_consultation_sources)


def service_guide_sources() -> list[ServiceGuideSource]:
    """The sources named in settings, then those registered (each once)."""
    paths = getattr(
        settings, "PORTAL_INSPECTOR_SERVICE_GUIDE_SOURCES", DEFAULT_SERVICE_GUIDE_SOURCES
    )
    sources = [import_string(path)() for path in paths]
    return [*sources, *(source for source in _service_guide_sources if source not in sources)]
