"""What the hall makes of the published catalogue: the browsing facets, the search, and an
item's guide prepared for its page.

Everything here reads ``egov.services.selectors`` (the external read model); nothing reaches
the internal master tables.

**Search.** The catalogue is small (about thirty items in the demo, a few hundred for a whole
district), so the hall does not keep a search index: a query is cut into terms by the
portal's query reader (``egov.portal.search.parse_query``: jieba segmentation, question
words dropped, synonyms expanded), and an item matches when every term — in one of its
variants — occurs in its search text (name, English name, body, legal basis, conditions,
materials, results, fees, FAQ; NFKC and lower case, ``egov.portal.search.normalise``).
Matching is by substring, so a two-character word finds the longer word around it (执照 in
营业执照). Items whose name matches every term come first. The facets (life event, stage,
body, audience) are filtered in the database first, so only their rows are read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from egov.portal.search import normalise, parse_query
from egov.services import selectors
from egov.services.choices import (
    Audience,
    EnterpriseStage,
    HandlingKind,
    ItemType,
    LicenceType,
    LifeEvent,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
    ResultKind,
    Step,
    Unit,
    UploadType,
)
from egov.services.models import PublishedServiceItem, PublishedServiceTag

# Depths from which an item is applied for online (with its form, ``applies_online``).
APPLY_ONLINE_DEPTHS = (OnlineDepth.PRE_CHECK, OnlineDepth.FULLY_ONLINE)


def label(choices, value) -> str:
    """The translated label of ``value`` in ``choices``, or the value itself when unknown
    (a code added inside before the external zone's code knows it)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def short_label(choices, value) -> str:
    """The label without the Chinese term in brackets the English labels carry ("Birth
    (出生)" → "Birth"); in Chinese the translation is short already."""
    text = label(choices, value)
    if " (" in text and text.endswith(")"):
        return text[: text.rindex(" (")]
    return text


# --- facets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    code: str
    label: str
    count: int


def _tag_counts(kind: str) -> dict[str, int]:
    rows = (
        PublishedServiceTag.objects.filter(kind=kind)
        .values("code")
        .annotate(n=Count("item", distinct=True))
    )
    return {row["code"]: row["n"] for row in rows}


def life_events() -> list[Facet]:
    """Every life event, in the catalogue's order, with how many items it has."""
    counts = _tag_counts(PublishedServiceTag.Kind.LIFE_EVENT)
    return [Facet(c, short_label(LifeEvent, c), counts.get(c, 0)) for c in LifeEvent.values]


def enterprise_stages() -> list[Facet]:
    counts = _tag_counts(PublishedServiceTag.Kind.ENTERPRISE_STAGE)
    return [
        Facet(c, short_label(EnterpriseStage, c), counts.get(c, 0)) for c in EnterpriseStage.values
    ]


def bodies() -> list[Facet]:
    """The bodies that offer at least one item, by code."""
    english = (translation.get_language() or "").startswith("en")
    rows = (
        PublishedServiceItem.objects.values("body_code", "body_name_zh", "body_name_en")
        .annotate(n=Count("pk"))
        .order_by("body_code")
    )
    facets: dict[str, Facet] = {}
    for row in rows:  # one body's name may differ between versions: the first one wins
        name = row["body_name_en"] if english and row["body_name_en"] else row["body_name_zh"]
        previous = facets.get(row["body_code"])
        count = row["n"] + (previous.count if previous else 0)
        facets[row["body_code"]] = Facet(
            row["body_code"], previous.label if previous else name, count
        )
    return list(facets.values())


def audiences() -> list[Facet]:
    """Individuals and organisations (an item serving both is found under each)."""
    counts = {
        code: selectors.published_items(audience=code).count()
        for code in (Audience.NATURAL, Audience.LEGAL)
    }
    return [
        Facet(Audience.NATURAL, _("Individuals"), counts[Audience.NATURAL]),
        Facet(Audience.LEGAL, _("Enterprises and organisations"), counts[Audience.LEGAL]),
    ]


# --- search --------------------------------------------------------------------------------


def search_text(item: PublishedServiceItem) -> str:
    """What a query is matched against: normalised, one line per element."""
    guide = item.guide or {}
    parts = [
        item.name,
        item.name_en,
        item.body_name_zh,
        item.body_name_en,
        guide.get("legal_basis", ""),
        guide.get("conditions", ""),
    ]
    for material in guide.get("materials", []):
        parts += [material.get("name", ""), material.get("notes", "")]
    parts += [result.get("name", "") for result in guide.get("results", [])]
    parts += [fee.get("name", "") for fee in guide.get("fees", [])]
    for faq in guide.get("faqs", []):
        parts += [faq.get("question", ""), faq.get("answer", "")]
    return normalise("\n".join(part for part in parts if part))


def search(items, query: str) -> list[PublishedServiceItem]:
    """The items of ``items`` (a queryset) that match every term of ``query``, items whose
    name matches first (see the module's docstring)."""
    terms = parse_query(query)
    if not terms:
        return list(items)
    in_name, elsewhere = [], []
    for item in items:
        text = search_text(item)
        if not all(any(v in text for v in term.variants) for term in terms):
            continue
        name = normalise(f"{item.name}\n{item.name_en}")
        if all(any(v in name for v in term.variants) for term in terms):
            in_name.append(item)
        else:
            elsewhere.append(item)
    return in_name + elsewhere


# --- the guide, ready for its page -----------------------------------------------------------


def limit_text(limit: dict | None) -> str:
    """ "20 working days", "60 natural days"; 0 says there is no limit set by law."""
    if not limit:
        return ""
    days = limit.get("days", 0)
    if limit.get("unit") == Unit.NATURAL_DAYS:
        return _("%(days)s natural days") % {"days": days}
    return _("%(days)s working days") % {"days": days}


def _step_name(step: dict) -> str:
    """The step's own name when staff gave it one, otherwise its translated label."""
    code_label = label(Step, step.get("step"))
    sent = step.get("name", "")
    defaults = {code_label}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            defaults.add(label(Step, step.get("step")))
    if sent and sent not in defaults:
        return f"{code_label} — {sent}"
    return code_label


def guide_for_page(item: PublishedServiceItem) -> dict:
    """The item's guide with every code turned into words, for the template."""
    guide = item.guide or {}
    statutory = guide.get("statutory_limit") or {}
    materials = []
    for material in guide.get("materials", []):
        materials.append(
            {
                **material,
                "form_label": label(MaterialForm, material.get("form")),
                "source_label": label(MaterialSource, material.get("source")),
                "licence_label": (
                    label(LicenceType, material["licence_type"])
                    if material.get("licence_type")
                    else ""
                ),
                "accepted_labels": [
                    label(UploadType, t) for t in material.get("accepted_types", [])
                ],
            }
        )
    results = [
        {
            **result,
            "kind_label": label(ResultKind, result.get("kind")),
            "licence_label": (
                label(LicenceType, result["licence_type"]) if result.get("licence_type") else ""
            ),
        }
        for result in guide.get("results", [])
    ]
    process = [
        {**step, "label": _step_name(step), "limit_text": limit_text(step)}
        for step in guide.get("process", [])
    ]
    return {
        **guide,
        "item_type_label": label(ItemType, item.item_type),
        "audience_label": label(Audience, item.audience),
        "handling_label": label(HandlingKind, item.handling_kind),
        "is_immediate": item.handling_kind == HandlingKind.IMMEDIATE,
        "depth_label": label(OnlineDepth, item.online_depth),
        "statutory_text": limit_text(statutory) if statutory.get("days") else "",
        "promised_text": limit_text(guide.get("promised_limit")),
        "materials": materials,
        "results": results,
        "process": process,
        "life_event_facets": [
            Facet(code, short_label(LifeEvent, code), 0) for code in guide.get("life_events", [])
        ],
        "stage_facets": [
            Facet(code, short_label(EnterpriseStage, code), 0)
            for code in guide.get("enterprise_stages", [])
        ],
    }


def file_refs(item: PublishedServiceItem) -> dict[str, dict]:
    """The blank forms and samples an item's guide names, by SHA-256 (what may be downloaded
    through that item's page)."""
    guide = item.guide or {}
    refs: dict[str, dict] = {}
    for material in guide.get("materials", []):
        for key in ("blank_form", "sample"):
            if material.get(key):
                refs[material[key]["sha256"]] = material[key]
    for result in guide.get("results", []):
        if result.get("sample"):
            refs[result["sample"]["sha256"]] = result["sample"]
    return refs


# --- applications --------------------------------------------------------------------------


def applies_online(item: PublishedServiceItem) -> bool:
    """Whether the hall takes applications for ``item``: depth 3 or 4 and a form."""
    return item.online_depth in APPLY_ONLINE_DEPTHS and bool((item.guide or {}).get("online_form"))


ACTION_LABELS = {
    "submit": gettext_noop("Application received"),
    "accept": gettext_noop("Accepted (受理)"),
    "refuse_acceptance": gettext_noop("Not accepted (不予受理)"),
    "request_correction": gettext_noop("Correction requested (补正)"),
    "answer_correction": gettext_noop("Correction received"),
    "review": gettext_noop("Reviewed (审查)"),
    "decide": gettext_noop("Decided (决定)"),
    "close": gettext_noop("Closed (办结)"),
    "deliver": gettext_noop("Result delivered (送达)"),
    "pause": gettext_noop("Paused"),
    "resume": gettext_noop("Resumed"),
}
DECISION_LABELS = {"grant": gettext_noop("granted"), "refuse": gettext_noop("refused")}


def progress_steps(progress) -> list[dict]:
    """The public steps of a case in words, oldest first, for the applicant's page."""
    if progress is None:
        return []
    steps = []
    for step in progress.steps:
        action = step.get("action", "")
        at = step.get("at", "")
        try:
            when = timezone.localtime(datetime.datetime.fromisoformat(at))
        except ValueError:
            when = None
        steps.append(
            {
                "label": _(ACTION_LABELS[action]) if action in ACTION_LABELS else action,
                "at": when,
                "reason": step.get("reason", ""),
                "decision": (
                    _(DECISION_LABELS[step["decision"]])
                    if step.get("decision") in DECISION_LABELS
                    else ""
                ),
                "correction": step.get("correction"),
            }
        )
    return steps
