"""The FAQ / knowledge base (常见问题): where its entries come from, the staff's verbs, and
the search and suggestions with the portal's Chinese search. Decision 0023;
docs/interaction.md, "FAQ".

- **From a published reply** (``propose_from_reply``, on every ``PublicReply`` saved): a
  proposal, not published, with the reply's masked subject (the question), question (the
  question as asked) and answer — nothing else of the letter crosses. Until staff edit it, it
  follows the reply when it is published again.
- **From the published catalogue** (``sync_service_item``, on every ``PublishedServiceItem``
  saved; ``remove_service_item`` when one is withdrawn): what to bring, how long it takes,
  whether it costs anything, where to go, and the guide's own questions, published at once
  (the guide is public already). Staff may hide one; its words are the guide's.
- **Written by staff** (``create_entry``).

Staff holding ``interaction.manage_participation`` curate the entries of the bodies they see
(``participation.managed_bodies``); each verb is one transaction with an audit entry. What
staff type is masked as a public reply is (``publication.mask_text``): any mobile number,
identity card number or e-mail address, and — for an entry from a reply to a letter written
online — the writer's own name, telephone, e-mail and address.

**Search** (``search``) reads a query as the portal does (``portal.search.parse_query``:
jieba, synonyms, stop words) and matches the entries' segmented text with the portal's query
(``build_query``: every term, in one of its variants). **Suggestions** (``suggest``) take
what a writer has typed so far: any term may match (the letter's own words are many); the
candidates are ranked by the terms they hold, in the question first.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Or

from egov.core import audit
from egov.portal.search import (
    CJK_RUN,
    SCRIPT_RUN,
    Term,
    bigrams,
    build_query,
    index_text,
    parse_query,
    term_query,
)

from . import participation, publication
from .models_faq import FaqEntry

MANAGE = participation.MANAGE
SUGGESTIONS = 5
CANDIDATES = 30
MAX_SUGGEST_INPUT = 300  # characters of what the writer typed that are read


class FaqError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- where entries come from -----------------------------------------------------------


def _body_named(name: str, fallback=None):
    from egov.directory.models import Organisation

    return Organisation.objects.filter(name_zh=name).first() or fallback


def propose_from_reply(reply) -> FaqEntry | None:
    """The FAQ entry proposed by a published reply (``PublicReply``: its texts are masked
    already). Created unpublished; refreshed from the reply until staff edit it."""
    entry = FaqEntry.objects.filter(public_reply=reply).first()
    if entry is not None and entry.curated:
        return entry
    if entry is None:
        entry = FaqEntry(
            source=FaqEntry.Source.REPLY,
            public_reply=reply,
            body=_body_named(reply.body_name, fallback=reply.mailbox.body),
        )
    entry.question = reply.subject[:300]
    entry.context = reply.question
    entry.answer = reply.answer
    entry.save()
    return entry


# Chinese, the language of the catalogue's texts: the generated entries are content.
_UNITS = {"natural": "个自然日"}


def _limit(limit) -> str:
    if not limit or not limit.get("days"):
        return ""
    return f"{limit['days']}{_UNITS.get(limit.get('unit'), '个工作日')}"


def service_questions(item) -> list[tuple[str, str, str]]:
    """The (key, question, answer) entries of a published item, from its guide."""
    guide = item.guide or {}
    name = guide.get("name") or item.name
    found: list[tuple[str, str, str]] = []
    materials = [m for m in guide.get("materials", []) if m.get("name")]
    if materials:
        lines = []
        for number, material in enumerate(materials, start=1):
            line = f"{number}. {material['name']}"
            if material.get("copies"):
                line += f"（{material['copies']}份）"
            if material.get("required") is False:
                line += "（如有）"
            lines.append(line)
        found.append(("materials", f"办理{name}需要什么材料？", "需要提交：\n" + "\n".join(lines)))
    if item.handling_kind == "immediate":
        found.append(
            ("time", f"办理{name}要多久？", "即办件：材料齐全、符合法定形式的，当场办结。")
        )
    elif _limit(guide.get("promised_limit")):
        answer = f"承诺办结时限为{_limit(guide.get('promised_limit'))}"
        if _limit(guide.get("statutory_limit")):
            answer += f"（法定时限{_limit(guide.get('statutory_limit'))}）"
        found.append(("time", f"办理{name}要多久？", answer + "。"))
    if not guide.get("fee_charged"):
        found.append(("fees", f"办理{name}收费吗？", "不收费。"))
    else:
        fees = []
        for fee in guide.get("fees", []):
            amount = fee.get("amount")
            fees.append(
                f"{fee.get('name', '')}：{f'{amount}元' if amount else fee.get('rule', '')}"
            )
        found.append(("fees", f"办理{name}收费吗？", "收费：" + "；".join(fees) + "。"))
    where = [
        f"{label}：{guide[key]}"
        for key, label in (("place", "办理地点"), ("hours", "办理时间"), ("phone", "咨询电话"))
        if (guide.get(key) or "").strip()
    ]
    if where:
        found.append(("where", f"在哪里办理{name}？", "；".join(where) + "。"))
    for number, row in enumerate(guide.get("faqs", [])):
        if (row.get("question") or "").strip() and (row.get("answer") or "").strip():
            found.append((f"faq{number}", row["question"].strip()[:300], row["answer"].strip()))
    return found


def sync_service_item(item) -> list[FaqEntry]:
    """Write the entries of a published item (a new version rewrites them; an entry staff
    hid stays hidden). Written in bulk and indexed in one batch: the catalogue is published
    item by item, often many at once."""
    from egov.directory.models import Organisation

    body = Organisation.objects.filter(code=item.body_code).first()
    existing = {
        entry.service_key: entry
        for entry in FaqEntry.objects.filter(
            source=FaqEntry.Source.SERVICE, service_code=item.implementation_code
        )
    }
    kept, created, changed = [], [], []
    now = timezone.now()
    for key, question, answer in service_questions(item):
        entry = existing.pop(key, None)
        values = (question, answer, item.name, body.pk if body else None)
        if entry is None:
            entry = FaqEntry(
                source=FaqEntry.Source.SERVICE,
                service_code=item.implementation_code,
                service_key=key,
                is_published=True,
                published_at=now,
                created_at=now,
            )
            created.append(entry)
        elif (entry.question, entry.answer, entry.topic, entry.body_id) != values:
            changed.append(entry)
        else:
            kept.append(entry)
            continue
        entry.question, entry.answer, entry.topic, entry.body = question, answer, item.name, body
        entry.updated_at = now
        kept.append(entry)
    if created:
        FaqEntry.objects.bulk_create(created)
    if changed:
        FaqEntry.objects.bulk_update(changed, ["question", "answer", "topic", "body", "updated_at"])
    if created or changed:
        _index(created + changed)
    for entry in existing.values():
        entry.delete()
    return kept


def _index(entries: list[FaqEntry]) -> None:
    """Index entries written in bulk (no ``save()``, so Wagtail's signals did not)."""
    from wagtail.search.backends import get_search_backends

    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(FaqEntry, entries)


def remove_service_item(implementation_code: str) -> None:
    """A withdrawn item's entries go with it."""
    for entry in FaqEntry.objects.filter(
        source=FaqEntry.Source.SERVICE, service_code=implementation_code
    ):
        entry.delete()


def sync_catalogue() -> int:
    """Write the entries of every published item (after a deployment: the items published
    before the FAQ existed) and drop those of items no longer published."""
    from egov.services.models import PublishedServiceItem

    codes = set()
    for item in PublishedServiceItem.objects.iterator(chunk_size=200):
        sync_service_item(item)
        codes.add(item.implementation_code)
    for entry in FaqEntry.objects.filter(source=FaqEntry.Source.SERVICE).exclude(
        service_code__in=codes
    ):
        entry.delete()
    return len(codes)


# --- the staff's verbs ---------------------------------------------------------------------


def entries_managed_by(user):
    return FaqEntry.objects.filter(body__in=participation.managed_bodies(user))


def _check(user, body) -> None:
    if body is None or not participation.may_manage(user, body):
        raise PermissionDenied(_("Your roles do not allow this action."))


def _person(entry):
    """Whose personal data an entry may hold: the writer of the letter its reply answers,
    when it was written online here (``publication.mask_text`` reads these fields)."""
    from .models import OnlineLetter

    if entry is not None and entry.public_reply_id:
        letter = OnlineLetter.objects.filter(number=entry.public_reply.number).first()
        if letter is not None:
            return letter
    return _Nobody()


@dataclasses.dataclass
class _Nobody:
    writer_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _masked(text: str, entry=None) -> str:
    return publication.mask_text((text or "").strip(), _person(entry))


def _record(action: str, by, entry, http_request=None, **detail) -> None:
    audit.record(action, actor=by, body=entry.body, obj=entry, request=http_request, detail=detail)


@transaction.atomic
def create_entry(
    *, by, body, question, answer, topic="", publish=False, http_request=None
) -> FaqEntry:
    _check(by, body)
    entry = FaqEntry(
        source=FaqEntry.Source.STAFF,
        body=body,
        question=_masked(question)[:300],
        answer=_masked(answer),
        topic=(topic or "").strip(),
        is_published=publish,
        published_at=timezone.now() if publish else None,
        curated=True,
        updated_by=by,
    )
    entry.save()
    _record("interaction.faq.created", by, entry, http_request, published=publish)
    return entry


@transaction.atomic
def update_entry(entry, *, by, question, answer, topic="", http_request=None) -> FaqEntry:
    entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
    _check(by, entry.body)
    if entry.source == FaqEntry.Source.SERVICE:
        raise FaqError(
            _("The words of this entry are the service guide's: change the guide instead."),
        )
    entry.question = _masked(question, entry)[:300]
    entry.answer = _masked(answer, entry)
    entry.topic = (topic or "").strip()
    entry.curated = True
    entry.updated_by = by
    entry.save()
    _record("interaction.faq.changed", by, entry, http_request)
    return entry


@transaction.atomic
def set_published(entry, *, by, published: bool, http_request=None) -> FaqEntry:
    entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
    _check(by, entry.body)
    if published and not entry.answer.strip():
        raise FaqError(_("An entry without an answer cannot be published."), "answer")
    entry.is_published = published
    if published and entry.published_at is None:
        entry.published_at = timezone.now()
    entry.updated_by = by
    entry.save()
    _record(
        "interaction.faq.published" if published else "interaction.faq.hidden",
        by,
        entry,
        http_request,
    )
    return entry


# --- search and suggestions ----------------------------------------------------------------


def published_entries():
    return FaqEntry.objects.filter(is_published=True)


def search(query: str, *, topic: str = ""):
    """(terms, results): the published entries matching every term of ``query``, best
    first; nothing for a query without a word."""
    terms = parse_query(query)
    entries = published_entries()
    if topic:
        entries = entries.filter(topic=topic)
    if not terms:
        return terms, entries.none()
    return terms, get_search_backend().search(build_query(terms), entries)


def _part_in(part: str, tokens: set[str]) -> bool:
    """As the portal's query matches a part of a word: a token, or all its bigrams."""
    if part in tokens:
        return True
    return bool(CJK_RUN.fullmatch(part)) and len(part) > 2 and set(bigrams(part)) <= tokens


def term_in(term: Term, tokens: set[str]) -> bool:
    return any(
        all(_part_in(part, tokens) for part in SCRIPT_RUN.findall(variant) if part)
        for variant in term.variants
    )


def suggest(text: str, *, limit: int = SUGGESTIONS) -> tuple[list[Term], list[FaqEntry]]:
    """Published entries like what a writer has typed (subject first, then the text): any
    term may match; an entry must hold two of the terms (or the one term there is), and
    those holding more, in their question first, come first."""
    terms = parse_query((text or "")[:MAX_SUGGEST_INPUT])
    if not terms:
        return terms, []
    query = Or([term_query(term) for term in terms]) if len(terms) > 1 else term_query(terms[0])
    candidates = list(get_search_backend().search(query, published_entries())[:CANDIDATES])
    needed = min(2, len(terms))
    scored = []
    for rank, entry in enumerate(candidates):
        in_question = set(index_text(f"{entry.question}\n{entry.context}").split())
        everywhere = in_question | set(index_text(entry.answer).split())
        hits = sum(term_in(term, everywhere) for term in terms)
        if hits < needed:
            continue
        first = sum(term_in(term, in_question) for term in terms)
        scored.append((-hits, -first, rank, entry))
    scored.sort(key=lambda row: row[:3])
    return terms, [row[3] for row in scored[:limit]]
