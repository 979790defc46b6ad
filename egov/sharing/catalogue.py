"""Browsing and searching the resource catalogue.

The catalogue is read by the staff of every body (it says what data exists and who holds
it; the data itself needs a grant). Search uses the portal's Chinese helpers: a resource's
text (code, name, description, its provider's name, its fields' names, labels and meanings)
is stored as ``egov.portal.search.index_text`` makes it — jieba's words and the character
bigrams, separated by spaces — and a query is read by ``egov.portal.search.parse_query``;
every term must match, in one of its variants, as a whole token or (three Chinese
characters or more) as all of its bigrams. Matching is a ``LIKE`` on the stored text, which
is enough for a catalogue of some thousand resources.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from egov.portal.search import CJK_RUN, SCRIPT_RUN, bigrams, index_text, parse_query

from .models import Resource


def resource_text(resource: Resource) -> str:
    parts = [
        resource.code,
        resource.name,
        resource.description,
        resource.provider.name_zh,
        resource.provider.name_en,
    ]
    if resource.pk:
        for field in resource.fields.all():
            parts += [field.name, field.label, field.meaning]
    return "\n".join(part for part in parts if part)


def reindex(resource: Resource) -> None:
    text = " " + index_text(resource_text(resource)) + " "
    Resource.objects.filter(pk=resource.pk).update(search_text=text)
    resource.search_text = text


def _token(token: str) -> Q:
    return Q(search_text__contains=f" {token} ")


def _part(part: str) -> Q:
    if CJK_RUN.fullmatch(part) and len(part) > 2:
        every_bigram = Q()
        for gram in bigrams(part):
            every_bigram &= _token(gram)
        return _token(part) | every_bigram
    return _token(part)


def _variant(word: str) -> Q:
    condition = Q()
    for part in SCRIPT_RUN.findall(word):
        if part.strip():
            condition &= _part(part)
    return condition


def search(resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """The resources of ``resources`` that match every term of ``query``."""
    for term in parse_query(query or "", groups=()):
        either = Q(pk__in=[])
        for variant in term.variants:
            either |= _variant(variant)
        resources = resources.filter(either)
    return resources
