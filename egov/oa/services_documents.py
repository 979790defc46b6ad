"""The verbs of official documents: the only way a document or an incoming record changes.

Each verb is one transaction: it checks the actor's permission, scope and clearance, locks
the row, checks the status, changes it, writes one circulation event (``DocumentEvent``,
kept as written) and one audit entry. Outgoing (发文): draft → submit → review (as many
rounds as the body's settings ask) → sign (签发) → check (复核) → register (登记: the
number) → print (印制) → dispatch (核发: incoming records for every body in 主送 and 抄送).
Incoming (收文): sign_for → register_incoming → screen (初审, or return with a reason) →
propose (拟办) → instruct (批办) → take_on (承办) → circulate (传阅) / urge (催办) → finish
(答复/办结) → archive (归档). docs/oa.md, decision 0024.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit, timers
from egov.core.counters import next_number
from egov.directory.models import Organisation
from egov.directory.scoping import visible_bodies
from egov.portal.search import index_text, parse_query
from egov.services.uploads import check_content, read_head

from .models import (
    BodyDocumentSettings,
    Clearance,
    Document,
    DocumentEvent,
    DocumentFile,
    DocumentType,
    Receipt,
    Secrecy,
    Urgency,
)

P = "oa."
VIEW = "oa.view_document"
DRAFT = "oa.draft_document"
REVIEW = "oa.review_document"
SIGN = "oa.sign_document"
REGISTER = "oa.register_document"
RECEIVE = "oa.receive_document"
SCREEN = "oa.screen_document"
INSTRUCT = "oa.instruct_document"
HANDLE = "oa.handle_document"
URGE = "oa.urge_document"

TIMER_PURPOSE = "oa.incoming"
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_SCAN_BYTES = 30 * 1024 * 1024
ATTACHMENT_TYPES = (
    *SCAN_TYPES,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)

S = Document.Status
R = Receipt.Status


class DocumentStateError(ValueError):
    """A verb asked of a document or record in a status that does not allow it."""


def urgent_days() -> dict[str, int]:
    """Working days an urgent incoming document has (settings ``OA_URGENT_DAYS``)."""
    return {"very_urgent": 1, "urgent": 3, **getattr(settings, "OA_URGENT_DAYS", {})}


# --- who sees what ----------------------------------------------------------------------


def clearance_of(user) -> int:
    if user is None or not user.is_authenticated:
        return Secrecy.NONE
    row = Clearance.objects.filter(user=user.pk).values_list("level", flat=True).first()
    return row or Secrecy.NONE


def grant_clearance(user, level: int, *, by) -> Clearance:
    if not by.has_perm("oa.change_clearance"):
        raise PermissionDenied(_("Your roles do not include granting clearances."))
    with transaction.atomic():
        row, _created = Clearance.objects.update_or_create(
            user=user,
            defaults={"level": int(level), "granted_by": by, "granted_at": timezone.now()},
        )
        audit.record("oa.clearance.grant", actor=by, obj=row, detail={"level": int(level)})
    return row


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents of the bodies the user sees, and those addressed to them (they hold an
    incoming record), up to the user's clearance; nothing without ``oa.view_document``."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Document.objects.none()
    bodies = visible_bodies(user).values("pk")
    return Document.objects.filter(
        Q(body__in=bodies) | Q(receipts__body__in=bodies), secrecy__lte=clearance_of(user)
    ).distinct()


def receipts_visible_to(user) -> QuerySet[Receipt]:
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Receipt.objects.none()
    return Receipt.objects.filter(
        body__in=visible_bodies(user).values("pk"), secrecy__lte=clearance_of(user)
    )


def may_see_document(user, document: Document) -> bool:
    return documents_visible_to(user).filter(pk=document.pk).exists()


def may_see_receipt(user, receipt: Receipt) -> bool:
    return receipts_visible_to(user).filter(pk=receipt.pk).exists()


def _check(by, permission: str, body: Organisation, secrecy: int) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(_("Your roles do not allow this step."))
    if not visible_bodies(by).filter(pk=body.pk).exists():
        raise PermissionDenied(_("This document belongs to a body you do not work for."))
    if secrecy > clearance_of(by):
        raise PermissionDenied(_("You are not cleared for this document's secrecy level."))


def _status(row, *allowed: str) -> None:
    if row.status not in allowed:
        raise DocumentStateError(
            _("This step is not possible while the document is “%(status)s”.")
            % {"status": row.get_status_display()}
        )


def _lock(model, row):
    return model.objects.select_for_update().get(pk=row.pk)


def _event(action: str, *, by, document=None, receipt=None, note="", detail=None, holder=None):
    body = receipt.body if receipt is not None else document.body
    DocumentEvent.objects.create(
        document=document,
        receipt=receipt,
        body=body,
        action=action,
        on=timezone.localdate(),
        by=by,
        note=note,
        detail=detail or {},
        holder=holder,
    )
    audit.record(
        f"oa.{'receipt' if receipt is not None else 'document'}.{action}",
        actor=by,
        body=body,
        obj=receipt if receipt is not None else document,
        detail={"note": note[:200], **(detail or {})},
    )


def _hold(row, holder) -> None:
    row.holder = holder
    row.held_since = timezone.now()


def body_settings(body: Organisation) -> BodyDocumentSettings:
    found = BodyDocumentSettings.objects.filter(body=body).first()
    if found is not None:
        return found
    return BodyDocumentSettings(
        body=body, mark=f"{body.name_zh}文件", prefix=body.name_zh[:4] + "发"
    )


def _index_document(document: Document) -> None:
    parts = [
        document.title,
        document.number,
        document.mark,
        document.signature,
        document.text,
        document.attachment_note,
        document.get_doc_type_display(),
    ]
    Document.objects.filter(pk=document.pk).update(search_text=index_text("\n".join(parts)))


def _index_receipt(receipt: Receipt) -> None:
    parts = [receipt.title, receipt.sender, receipt.sender_number, receipt.incoming_number]
    if receipt.document_id:
        parts.append(receipt.document.text)
        parts.append(receipt.document.number)
    Receipt.objects.filter(pk=receipt.pk).update(search_text=index_text("\n".join(parts)))


# --- outgoing (发文) ----------------------------------------------------------------------


EDITABLE = (
    "doc_type",
    "copy_number",
    "secrecy",
    "secrecy_term",
    "urgency",
    "title",
    "text",
    "attachment_note",
    "signature",
    "written_on",
    "sealed",
    "remark",
    "printing_body",
)


def draft(*, by, body: Organisation, main_to=(), copy_to=(), **fields) -> Document:
    """A new draft (起草) of ``body``; ``fields`` are among ``EDITABLE``."""
    _check(by, DRAFT, body, int(fields.get("secrecy") or 0))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    if fields.get("doc_type") not in DocumentType.values:
        raise ValueError(_("Choose one of the 15 kinds of document."))
    config = body_settings(body)
    fields.setdefault("signature", body.name_zh)
    fields.setdefault("printing_body", f"{body.name_zh}办公室")
    with transaction.atomic():
        document = Document.objects.create(
            body=body,
            mark=config.mark,
            number_prefix=config.prefix,
            reviews_needed=config.review_rounds,
            drafted_by=by,
            holder=by,
            **fields,
        )
        document.main_to.set(main_to)
        document.copy_to.set(copy_to)
        _event("draft", by=by, document=document, holder=by)
        _index_document(document)
    return document


def update_draft(document: Document, *, by, main_to=None, copy_to=None, **fields) -> Document:
    """Change a draft. Nothing changes once the document is signed (re-issue it instead)."""
    _check(by, DRAFT, document.body, max(document.secrecy, int(fields.get("secrecy") or 0)))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.DRAFT)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        if main_to is not None:
            locked.main_to.set(main_to)
        if copy_to is not None:
            locked.copy_to.set(copy_to)
        _event(
            "edit", by=by, document=locked, holder=locked.holder, detail={"fields": sorted(fields)}
        )
        _index_document(locked)
    return locked


def add_attachment(document: Document, *, by, upload) -> DocumentFile:
    _check(by, DRAFT, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.DRAFT)
        stored = _store(upload, ATTACHMENT_TYPES, document=locked)
        _event("attach", by=by, document=locked, holder=locked.holder, detail={"file": stored.name})
    return stored


def _store(upload, allowed, **owner) -> DocumentFile:
    size = upload.size
    kind = check_content(
        upload.name, read_head(upload), size, allowed=allowed, max_bytes=MAX_SCAN_BYTES
    )
    upload.seek(0)
    data = upload.read()
    row = DocumentFile(
        name=upload.name[:200],
        content_type=kind,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        **owner,
    )
    row.data.save(
        f"{row.sha256[:16]}{upload.name[upload.name.rfind('.') :][:8]}",
        ContentFile(data),
        save=False,
    )
    row.save()
    return row


def submit(document: Document, *, by, note: str = "") -> Document:
    """The drafter sends the draft to review (or straight to be signed if the body asks
    for no review)."""
    _check(by, DRAFT, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.DRAFT)
        if not locked.main_to.exists():
            raise DocumentStateError(_("Name at least one main recipient (主送机关)."))
        locked.reviews_done = 0
        locked.status = S.REVIEWING if locked.reviews_needed else S.TO_SIGN
        _hold(locked, None)
        locked.save(update_fields=["reviews_done", "status", "holder", "held_since"])
        _event("submit", by=by, document=locked, note=note)
    return locked


def review(document: Document, *, by, approve: bool, note: str = "") -> Document:
    """One round of 审核: approved (on to the next round or to be signed) or sent back to
    the drafter with what to change."""
    _check(by, REVIEW, document.body, document.secrecy)
    if not approve and not note.strip():
        raise ValueError(_("Say what is to change when sending a draft back."))
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.REVIEWING)
        if approve:
            locked.reviews_done += 1
            if locked.reviews_done >= locked.reviews_needed:
                locked.status = S.TO_SIGN
            _hold(locked, None)
        else:
            locked.status = S.DRAFT
            locked.reviews_done = 0
            _hold(locked, locked.drafted_by)
        locked.save(update_fields=["reviews_done", "status", "holder", "held_since"])
        _event(
            "review" if approve else "review_return",
            by=by,
            document=locked,
            note=note,
            holder=locked.holder,
            detail={"round": locked.reviews_done},
        )
    return locked


def sign(document: Document, *, by, note: str = "") -> Document:
    """签发: the document is final; its content is locked from now on."""
    _check(by, SIGN, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.TO_SIGN)
        locked.status = S.SIGNED
        locked.signed_by = by
        locked.signed_at = timezone.now()
        locked.signers = (by.get_full_name() or by.get_username())[:100]
        if locked.written_on is None:
            locked.written_on = timezone.localdate()
        _hold(locked, None)
        locked.save(
            update_fields=[
                "status",
                "signed_by",
                "signed_at",
                "signers",
                "written_on",
                "holder",
                "held_since",
            ]
        )
        _event("sign", by=by, document=locked, note=note)
    return locked


def send_back_unsigned(document: Document, *, by, note: str) -> Document:
    """The signer refuses to sign: back to the drafter with the reason."""
    _check(by, SIGN, document.body, document.secrecy)
    if not note.strip():
        raise ValueError(_("Say why the document is not signed."))
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.TO_SIGN)
        locked.status = S.DRAFT
        locked.reviews_done = 0
        _hold(locked, locked.drafted_by)
        locked.save(update_fields=["status", "reviews_done", "holder", "held_since"])
        _event("sign_refuse", by=by, document=locked, note=note, holder=locked.holder)
    return locked


def check(document: Document, *, by, note: str = "") -> Document:
    """复核: the office checks the signed document before it is numbered."""
    _check(by, REGISTER, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.SIGNED)
        locked.status = S.CHECKED
        locked.save(update_fields=["status"])
        _event("check", by=by, document=locked, note=note)
    return locked


def register(document: Document, *, by) -> Document:
    """登记: the next number of the body's series for this prefix and year — no gaps and no
    duplicates: the counter row is locked (select_for_update) until this transaction ends.
    Only a signed and checked document is numbered."""
    _check(by, REGISTER, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        if locked.signed_at is None:
            raise DocumentStateError(_("A document is numbered only after it is signed (签发)."))
        _status(locked, S.CHECKED)
        year = timezone.localdate().year
        series = f"oa:{locked.body_id}:{locked.number_prefix}"[:40]
        locked.number_year = year
        locked.number_seq = next_number(series, year)
        locked.status = S.REGISTERED
        locked.save(update_fields=["number_year", "number_seq", "status"])
        _event("register", by=by, document=locked, detail={"number": locked.number})
        _index_document(locked)
    return locked


def print_document(document: Document, *, by, pages: int | None = None) -> Document:
    """印制: printed (rendered) with its 印发日期."""
    _check(by, REGISTER, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.REGISTERED)
        if pages is None:
            from .rendering import count_pages

            pages = count_pages(locked)
        locked.status = S.PRINTED
        locked.printed_on = timezone.localdate()
        locked.pages = pages
        locked.save(update_fields=["status", "printed_on", "pages"])
        _event("print", by=by, document=locked, detail={"pages": pages})
    return locked


def dispatch(document: Document, *, by) -> list[Receipt]:
    """核发: by the platform, an incoming record for every body in 主送 and 抄送."""
    _check(by, REGISTER, document.body, document.secrecy)
    with transaction.atomic():
        locked = _lock(Document, document)
        _status(locked, S.PRINTED)
        locked.status = S.SENT
        locked.save(update_fields=["status"])
        created = []
        seen = set()
        for role, bodies in (
            (Receipt.Role.MAIN, locked.main_to.all()),
            (Receipt.Role.COPY, locked.copy_to.all()),
        ):
            for body in bodies:
                if body.pk in seen:
                    continue
                seen.add(body.pk)
                receipt = Receipt.objects.create(
                    body=body,
                    document=locked,
                    role=role,
                    sender=locked.signature,
                    sender_number=locked.number,
                    title=locked.title,
                    secrecy=locked.secrecy,
                    urgency=locked.urgency,
                )
                _event("arrive", by=by, receipt=receipt, detail={"from": locked.body_id})
                _index_receipt(receipt)
                created.append(receipt)
        _event("dispatch", by=by, document=locked, detail={"to": sorted(seen)})
    return created


def reissue(document: Document, *, by, reason: str) -> Document:
    """The only way to change a signed document: a new draft that replaces it (recorded on
    both); the old one is superseded and keeps its number and history."""
    _check(by, DRAFT, document.body, document.secrecy)
    if not reason.strip():
        raise ValueError(_("Say why the document is re-issued."))
    with transaction.atomic():
        old = _lock(Document, document)
        if old.signed_at is None:
            raise DocumentStateError(_("A draft is edited, not re-issued."))
        if old.status == S.SUPERSEDED:
            raise DocumentStateError(_("This document was already re-issued."))
        config = body_settings(old.body)
        new = Document.objects.create(
            body=old.body,
            mark=old.mark,
            number_prefix=old.number_prefix,
            reviews_needed=config.review_rounds,
            drafted_by=by,
            holder=by,
            reissue_of=old,
            **{name: getattr(old, name) for name in EDITABLE},
        )
        new.main_to.set(old.main_to.all())
        new.copy_to.set(old.copy_to.all())
        old.status = S.SUPERSEDED
        old.save(update_fields=["status"])
        _event("reissue", by=by, document=old, note=reason, detail={"new": new.pk})
        _event("draft", by=by, document=new, note=reason, holder=by, detail={"reissue_of": old.pk})
        _index_document(new)
    return new


def comment(
    *,
    by,
    note: str,
    document: Document | None = None,
    receipt: Receipt | None = None,
    instruction: bool = False,
) -> None:
    """A comment, or a leader's 批示 (``instruction``), kept in order with the history."""
    if not note.strip():
        raise ValueError(_("Write the comment."))
    if receipt is not None:
        _check(by, INSTRUCT if instruction else VIEW, receipt.body, receipt.secrecy)
    else:
        _check(by, SIGN if instruction else VIEW, document.body, document.secrecy)
    with transaction.atomic():
        holder = (receipt or document).holder
        _event(
            "instruction" if instruction else "comment",
            by=by,
            document=document if receipt is None else receipt.document,
            receipt=receipt,
            note=note,
            holder=holder,
        )


# --- incoming (收文) ----------------------------------------------------------------------


def _start_deadline(receipt: Receipt, by) -> None:
    days = urgent_days().get(receipt.urgency)
    if days is None and receipt.due_on is None:
        return
    start = timezone.localdate()
    if days is None:
        timer = timers.start_timer(
            purpose=TIMER_PURPOSE,
            subject=receipt,
            limit=max((receipt.due_on - start).days, 0),
            unit="natural",
            owner_body=receipt.body,
            by=by,
            category=receipt.urgency or "due",
        )
    else:
        timer = timers.start_timer(
            purpose=TIMER_PURPOSE,
            subject=receipt,
            limit=days,
            unit="working",
            start_date=start,
            owner_body=receipt.body,
            by=by,
            category=receipt.urgency,
        )
    receipt.timer = timer
    receipt.due_on = timer.due_date
    receipt.save(update_fields=["timer", "due_on"])


def sign_for(receipt: Receipt, *, by) -> Receipt:
    """签收."""
    _check(by, RECEIVE, receipt.body, receipt.secrecy)
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.WAITING)
        locked.status = R.SIGNED_FOR
        _hold(locked, by)
        locked.save(update_fields=["status", "holder", "held_since"])
        _event("sign_for", by=by, receipt=locked, holder=by)
        if locked.document_id:
            _event(
                "signed_for_by", by=by, document=locked.document, detail={"body": locked.body_id}
            )
        _start_deadline(locked, by)
    return locked


def _allocate_incoming(receipt: Receipt) -> None:
    year = timezone.localdate().year
    receipt.incoming_year = year
    receipt.incoming_seq = next_number(f"oa-in:{receipt.body_id}", year)


def register_incoming(receipt: Receipt, *, by) -> Receipt:
    """登记: the body's next incoming number."""
    _check(by, RECEIVE, receipt.body, receipt.secrecy)
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.SIGNED_FOR)
        _allocate_incoming(locked)
        locked.status = R.REGISTERED
        locked.save(update_fields=["incoming_year", "incoming_seq", "status"])
        _event(
            "register",
            by=by,
            receipt=locked,
            holder=locked.holder,
            detail={"number": locked.incoming_number},
        )
        _index_receipt(locked)
    return locked


def register_external(
    *,
    by,
    body: Organisation,
    sender: str,
    title: str,
    scan,
    sender_number: str = "",
    secrecy: int = Secrecy.NONE,
    urgency: str = "",
    due_on: datetime.date | None = None,
) -> Receipt:
    """A paper document from outside the platform, registered by hand with its scan (PDF,
    JPEG or PNG, checked by its content)."""
    _check(by, RECEIVE, body, int(secrecy))
    if urgency not in Urgency.values:
        raise ValueError("unknown urgency")
    with transaction.atomic():
        receipt = Receipt(
            body=body,
            role=Receipt.Role.EXTERNAL,
            sender=sender,
            sender_number=sender_number,
            title=title,
            secrecy=int(secrecy),
            urgency=urgency,
            due_on=due_on,
            status=R.REGISTERED,
            holder=by,
        )
        _allocate_incoming(receipt)
        receipt.save()
        _store(scan, SCAN_TYPES, receipt=receipt)
        _event(
            "register_external",
            by=by,
            receipt=receipt,
            holder=by,
            detail={"number": receipt.incoming_number},
        )
        _start_deadline(receipt, by)
        _index_receipt(receipt)
    return receipt


def screen(receipt: Receipt, *, by, accept: bool, reason: str = "") -> Receipt:
    """初审: accepted for handling, or returned with the reason (to the sender's record as
    well when it came by the platform)."""
    _check(by, SCREEN, receipt.body, receipt.secrecy)
    if not accept and not reason.strip():
        raise ValueError(_("Give the reason for returning the document."))
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.REGISTERED)
        if accept:
            locked.status = R.SCREENED
        else:
            locked.status = R.RETURNED
            locked.returned_reason = reason.strip()
            if locked.timer_id:
                timers.stop_timer(locked.timer, reason="returned", by=by)
        locked.save(update_fields=["status", "returned_reason"])
        _event(
            "screen" if accept else "return",
            by=by,
            receipt=locked,
            note=reason,
            holder=locked.holder,
        )
        if not accept and locked.document_id:
            _event(
                "returned_by",
                by=by,
                document=locked.document,
                note=reason,
                detail={"body": locked.body_id},
            )
    return locked


def propose(receipt: Receipt, *, by, proposal: str) -> Receipt:
    """拟办: the office proposes how to handle it."""
    _check(by, SCREEN, receipt.body, receipt.secrecy)
    if not proposal.strip():
        raise ValueError(_("Write the proposed handling."))
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.SCREENED)
        locked.status = R.PROPOSED
        locked.proposal = proposal.strip()
        _hold(locked, None)
        locked.save(update_fields=["status", "proposal", "holder", "held_since"])
        _event("propose", by=by, receipt=locked, note=proposal)
    return locked


def instruct(receipt: Receipt, *, by, instruction: str, handler) -> Receipt:
    """批办: a leader's instruction and who handles it."""
    _check(by, INSTRUCT, receipt.body, receipt.secrecy)
    if not instruction.strip():
        raise ValueError(_("Write the instruction."))
    if handler is None or not visible_bodies(handler).filter(pk=receipt.body_id).exists():
        raise ValueError(_("Choose a handler who works for the receiving body."))
    if receipt.secrecy > clearance_of(handler):
        raise ValueError(_("The handler is not cleared for this document's secrecy level."))
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.PROPOSED)
        locked.status = R.INSTRUCTED
        locked.instruction = instruction.strip()
        locked.handler = handler
        _hold(locked, handler)
        locked.save(update_fields=["status", "instruction", "handler", "holder", "held_since"])
        _event(
            "instruct",
            by=by,
            receipt=locked,
            note=instruction,
            holder=handler,
            detail={"handler": handler.pk},
        )
    return locked


def take_on(receipt: Receipt, *, by) -> Receipt:
    """承办: the handler starts work."""
    _check(by, HANDLE, receipt.body, receipt.secrecy)
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.INSTRUCTED)
        if locked.handler_id != by.pk:
            raise PermissionDenied(_("Only the handler named in the instruction takes it on."))
        locked.status = R.HANDLING
        _hold(locked, by)
        locked.save(update_fields=["status", "holder", "held_since"])
        _event("take_on", by=by, receipt=locked, holder=by)
    return locked


def circulate(receipt: Receipt, *, by, readers, note: str = "") -> Receipt:
    """传阅: the document is shown to ``readers`` (each must be cleared and in the body)."""
    _check(by, HANDLE, receipt.body, receipt.secrecy)
    readers = list(readers)
    if not readers:
        raise ValueError(_("Choose who is to read it."))
    for reader in readers:
        if not visible_bodies(reader).filter(pk=receipt.body_id).exists():
            raise ValueError(_("A reader must work for the receiving body."))
        if receipt.secrecy > clearance_of(reader):
            raise ValueError(_("A reader is not cleared for this document's secrecy level."))
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.SCREENED, R.PROPOSED, R.INSTRUCTED, R.HANDLING)
        _event(
            "circulate",
            by=by,
            receipt=locked,
            note=note,
            holder=locked.holder,
            detail={"readers": [reader.pk for reader in readers]},
        )
    return locked


def urge(receipt: Receipt, *, by, note: str) -> Receipt:
    """催办: a reminder to the holder, recorded."""
    _check(by, URGE, receipt.body, receipt.secrecy)
    if not note.strip():
        raise ValueError(_("Write the reminder."))
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.REGISTERED, R.SCREENED, R.PROPOSED, R.INSTRUCTED, R.HANDLING)
        _event("urge", by=by, receipt=locked, note=note, holder=locked.holder)
    return locked


def finish(receipt: Receipt, *, by, answer: str) -> Receipt:
    """答复/办结: the handling is done, with the answer or conclusion."""
    _check(by, HANDLE, receipt.body, receipt.secrecy)
    if not answer.strip():
        raise ValueError(_("Write the answer or the conclusion."))
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.HANDLING, R.SCREENED)
        locked.status = R.DONE
        locked.answer = answer.strip()
        _hold(locked, None)
        locked.save(update_fields=["status", "answer", "holder", "held_since"])
        if locked.timer_id:
            timers.stop_timer(locked.timer, reason="done", by=by)
        _event("finish", by=by, receipt=locked, note=answer)
        if locked.document_id:
            _event(
                "answered_by",
                by=by,
                document=locked.document,
                note=answer,
                detail={"body": locked.body_id},
            )
    return locked


def archive(receipt: Receipt, *, by) -> Receipt:
    """归档."""
    _check(by, RECEIVE, receipt.body, receipt.secrecy)
    with transaction.atomic():
        locked = _lock(Receipt, receipt)
        _status(locked, R.DONE, R.RETURNED)
        locked.status = R.ARCHIVED
        locked.save(update_fields=["status"])
        _event("archive", by=by, receipt=locked)
    return locked


# --- search -------------------------------------------------------------------------------


def _matching(queryset, query: str):
    terms = parse_query(query, groups=[])
    if not terms:
        return queryset.none()
    for term in terms:
        condition = Q()
        for variant in term.variants:
            condition |= Q(search_text__contains=variant)
        queryset = queryset.filter(condition)
    return queryset


def search(user, query: str) -> tuple[QuerySet[Document], QuerySet[Receipt]]:
    """Documents and incoming records the user may see whose text matches every term of
    ``query`` (segmented as the portal's search does)."""
    return (
        _matching(documents_visible_to(user), query),
        _matching(receipts_visible_to(user), query),
    )
