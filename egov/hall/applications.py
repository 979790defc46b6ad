"""Online applications in the hall: drafts, files, submission and answers to corrections.

Everything here runs in the external zone and reads only the published catalogue
(``services.selectors``) and the hall's own tables; what goes inside goes as messages
(``egov.hall.messages``), written in the same transaction as the change they announce.

- A draft is saved as typed, valid or not (``save_draft``); its ``revision`` goes up at each
  save, and a save from a page opened before the last save is refused as stale
  (``StaleDraftError``) — the page shows the entries again, nothing is overwritten or lost.
- Files are checked by content when they arrive (``store_file``: type sniffing, the
  material's accepted types and size limit), so a bad file is refused next to its field
  while the rest of the draft is kept.
- ``submit`` is idempotent: under a row lock, a second submission of the same application
  (a double click, a resent form) finds it submitted and returns it with ``created=False``.
  The answers are checked against the form definition of the published version, and every
  required material must have its file. The query code comes from the hall's own counter
  (online series, ``cases.services.next_query_code``) in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov import exchange
from egov.cases.services import next_query_code
from egov.services.choices import Audience
from egov.services.forms import check_answers
from egov.services.models import PublishedServiceItem
from egov.services.uploads import check_content, read_head

from . import messages
from .models import Application, ApplicationFile, Progress, Rating

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def today():
    """The hall's day (the working-day clock's today); one place, so tests can set it."""
    return timezone.localdate()


class StaleDraftError(Exception):
    """The draft was saved elsewhere after this page was opened."""

    def __init__(self, application: Application):
        super().__init__(application.pk)
        self.application = application


@dataclass
class ApplicationError(Exception):
    """What stops a submission: errors per form field and per material."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    materials: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.materials or self.general)


# --- who applies -------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    kind: str  # "natural" or "legal"
    name: str
    id_number: str
    prefill: dict


def identities(user) -> list[Identity]:
    """The verified real-name identities of an account: as a person, as an enterprise."""
    found = []
    person = getattr(user, "citizen_identity", None)
    if person is not None:
        found.append(
            Identity(
                "natural",
                person.real_name,
                person.id_number,
                {
                    "real_name": person.real_name,
                    "id_number": person.id_number,
                    "mobile": user.mobile or "",
                    "email": user.email or "",
                },
            )
        )
    enterprise = getattr(user, "enterprise_identity", None)
    if enterprise is not None:
        found.append(
            Identity(
                "legal",
                enterprise.name,
                enterprise.uscc,
                {
                    "enterprise_name": enterprise.name,
                    "uscc": enterprise.uscc,
                    "legal_representative": enterprise.legal_representative,
                    "mobile": user.mobile or "",
                    "email": user.email or "",
                },
            )
        )
    return found


def identity_for(user, item: PublishedServiceItem) -> Identity | None:
    """The identity an account applies for ``item`` with: an enterprise for items of legal
    persons, a person for items of natural persons, either (the person first) for both."""
    wanted = {
        Audience.NATURAL: ("natural",),
        Audience.LEGAL: ("legal",),
        Audience.BOTH: ("natural", "legal"),
    }.get(item.audience, ("natural", "legal"))
    found = {identity.kind: identity for identity in identities(user)}
    for kind in wanted:
        if kind in found:
            return found[kind]
    return None


def prefilled(definition: dict, identity: Identity) -> dict:
    """The answers a new draft starts with: the fields whose ``prefill`` source is known."""
    return {
        spec["name"]: identity.prefill[spec["prefill"]]
        for spec in definition.get("fields", [])
        if spec.get("prefill") and identity.prefill.get(spec["prefill"])
    }


# --- drafts ------------------------------------------------------------------------------


def draft_for(user, item: PublishedServiceItem, identity: Identity) -> tuple[Application, bool]:
    """The applicant's draft for ``item`` (created, pre-filled, when there is none)."""
    draft = Application.objects.filter(
        applicant=user, implementation_code=item.implementation_code, status="draft"
    ).first()
    if draft is not None:
        return draft, False
    draft = Application.objects.create(
        applicant=user,
        implementation_code=item.implementation_code,
        version_number=item.version_number,
        item_name=item.name,
        body_name=item.body_name_zh,
        answers=prefilled(item.guide.get("online_form") or {}, identity),
    )
    return draft, True


def wallet_by_type(user, identity: Identity) -> dict[str, list]:
    """The valid e-licences of the applying identity, by licence type."""
    from egov.licences.selectors import wallet_of

    found: dict[str, list] = {}
    for row in wallet_of(user, holder=identity.id_number):
        found.setdefault(row.licence_type, []).append(row)
    return found


def save_draft(
    application: Application,
    *,
    answers: dict,
    revision: int,
    uploads: dict | None = None,
    licences: dict | None = None,
    wallet: dict | None = None,
) -> dict[str, list[str]]:
    """Save what the applicant typed (``answers``: raw values) and the files they chose
    (``uploads``: material name → uploaded file), when the page was opened on the current
    ``revision``; raises StaleDraftError otherwise. Returns the files refused, per material, with
    the reason (the rest is saved)."""
    refused: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_draft:
            raise StaleDraftError(locked)
        if locked.revision != revision:
            raise StaleDraftError(locked)
        item = _published(locked)
        for name, upload in (uploads or {}).items():
            material = _material(item, name)
            try:
                store_file(locked, material, upload)
            except ValidationError as error:
                refused[name] = list(error.messages)
        kept = {}
        for name, number in (licences or {}).items():
            material = _material(item, name)
            numbers = {row.number for row in (wallet or {}).get(material.get("licence_type"), [])}
            if number in numbers:
                kept[name] = number
            else:
                refused[name] = [_("This e-licence is not in your wallet (or no longer valid).")]
        locked.licences = kept
        locked.answers = answers
        locked.revision += 1
        locked.updated_at = timezone.now()
        if item is not None:
            locked.version_number = item.version_number
        locked.save()
    application.refresh_from_db()
    return refused


def _published(application: Application) -> PublishedServiceItem | None:
    return PublishedServiceItem.objects.filter(
        implementation_code=application.implementation_code
    ).first()


def _material(item: PublishedServiceItem | None, name: str) -> dict:
    for material in (item.guide if item else {}).get("materials", []):
        if material["name"] == name:
            return material
    raise ValidationError(_("The guide has no material “%(name)s”.") % {"name": name})


def store_file(
    application: Application, material: dict, upload, correction_round: int = 0
) -> ApplicationFile:
    """Check ``upload`` by its content against ``material`` (a material of the guide) and
    keep it, in place of an earlier file of the same material and round."""
    head = read_head(upload)
    content_type = check_content(
        upload.name,
        head,
        upload.size,
        allowed=material.get("accepted_types") or ["application/pdf"],
        max_bytes=material.get("max_upload_bytes") or DEFAULT_MAX_BYTES,
    )
    upload.seek(0)
    data = upload.read()
    stale = application.files.filter(
        material_name=material["name"], correction_round=correction_round
    )
    for row in stale:
        row.file.delete(save=False)
    stale.delete()
    row = ApplicationFile(
        application=application,
        material_name=material["name"],
        file_name=upload.name.replace("\\", "/").rsplit("/", 1)[-1][:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        correction_round=correction_round,
    )
    row.file.save(row.file_name, ContentFile(data), save=False)
    row.save()
    return row


# --- submission --------------------------------------------------------------------------


def _file_refs(rows) -> tuple[list[dict], list[tuple[str, str, bytes]]]:
    refs, attachments, seen = [], [], set()
    for row in rows:
        with row.file.open("rb") as handle:
            data = handle.read()
        refs.append(
            {
                "material": row.material_name,
                "sha256": row.sha256,
                "file_name": row.file_name,
                "content_type": row.content_type,
                "size": row.size,
            }
        )
        if row.sha256 not in seen:
            seen.add(row.sha256)
            attachments.append((row.file_name, row.content_type, data))
    return refs, attachments


def submit(application: Application, *, token, identity: Identity) -> tuple[Application, bool]:
    """Submit a draft: (the application, True), or (it, False) when it was submitted already
    with this token. Raises ApplicationError with everything that is wrong at once."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if str(locked.token) != str(token):
            raise ApplicationError(
                general=[_("This page is out of date: open the application again.")]
            )
        if not locked.is_draft:
            return locked, False
        item = _published(locked)
        if item is None or not item.guide.get("online_form"):
            raise ApplicationError(general=[_("This item can no longer be applied for online.")])
        problems = ApplicationError()
        cleaned, problems.fields = check_answers(
            item.guide["online_form"], locked.answers, today=today()
        )
        files = {row.material_name: row for row in locked.files.filter(correction_round=0)}
        for material in item.guide["materials"]:
            if (
                material["required"]
                and material["name"] not in files
                and material["name"] not in locked.licences
            ):
                problems.materials[material["name"]] = [_("Upload this material: it is required.")]
        if problems:
            raise problems
        now = timezone.now()
        _sequence, code = next_query_code(timezone.localtime(now).year)
        refs, attachments = _file_refs(
            row for name, row in files.items() if name not in locked.licences
        )
        exchange.publish(
            messages.SUBMITTED,
            {
                "query_code": code,
                "implementation_code": locked.implementation_code,
                "version": item.version_number,
                "submitted_at": now.isoformat(),
                "applicant": {
                    "kind": identity.kind,
                    "name": identity.name,
                    "id_number": identity.id_number,
                },
                "answers": cleaned,
                "materials": refs,
                "licences": [
                    {"material": name, "number": number}
                    for name, number in sorted(locked.licences.items())
                ],
            },
            key=messages.key(code),
            attachments=attachments,
        )
        locked.answers = cleaned
        locked.version_number = item.version_number
        locked.status = Application.Status.SUBMITTED
        locked.query_code = code
        locked.submitted_at = now
        locked.updated_at = now
        locked.save()
    return locked, True


# --- after submission --------------------------------------------------------------------


def progress_of(application: Application) -> Progress | None:
    if not application.query_code:
        return None
    return Progress.objects.filter(query_code=application.query_code).first()


def correction_answered(application: Application, progress: Progress) -> bool:
    """Whether the applicant has sent the answer to the open correction request."""
    return application.answered_round >= progress.correction_round


def answer_correction(
    application: Application, progress: Progress, *, note: str, uploads: dict
) -> dict[str, list[str]]:
    """Send the answer to the open correction request: ``uploads`` (material name → file)
    and a note. Refused after the deadline and when already sent. Returns the files refused
    per material (nothing is sent then)."""
    today_ = today()
    correction = progress.correction
    if not correction:
        raise ApplicationError(general=[_("No correction is requested for this application.")])
    deadline = correction["deadline"]
    if today_.isoformat() > deadline:
        raise ApplicationError(
            general=[
                _(
                    "The deadline for the correction was %(deadline)s; it cannot be answered "
                    "online any more. Call the department (see the guide) or apply again."
                )
                % {"deadline": deadline}
            ]
        )
    note = (note or "").strip()
    if not uploads and not note:
        raise ApplicationError(
            general=[_("Upload what was asked for, or explain in the note what you send.")]
        )
    item = _published(application)
    round_ = progress.correction_round
    refused: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.answered_round >= round_:
            raise ApplicationError(
                general=[_("Your answer to this correction request was sent already.")]
            )
        rows = []
        for name, upload in uploads.items():
            try:
                rows.append(store_file(locked, _material(item, name), upload, round_))
            except ValidationError as error:
                refused[name] = list(error.messages)
        if refused:
            transaction.set_rollback(True)
            return refused
        refs, attachments = _file_refs(rows)
        exchange.publish(
            messages.CORRECTION_ANSWERED,
            {
                "query_code": locked.query_code,
                "round": round_,
                "answered_on": today_.isoformat(),
                "note": note[:4000],
                "materials": refs,
            },
            key=messages.key(locked.query_code),
            attachments=attachments,
        )
        locked.answered_round = round_
        locked.updated_at = timezone.now()
        locked.save(update_fields=["answered_round", "updated_at"])
    application.refresh_from_db()
    return {}


# --- ratings (好差评) --------------------------------------------------------------------

RATEABLE = {"closed", "delivered", "not_accepted"}


def may_rate(application: Application, progress: Progress | None) -> bool:
    return (
        progress is not None
        and progress.status in RATEABLE
        and not Rating.objects.filter(application=application).exists()
    )


def rate(application: Application, *, score: int, comment: str) -> Rating:
    """Record the rating once and send it inside (a bad one opens a rectification there)."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if Rating.objects.filter(application=locked).exists():
            raise ApplicationError(general=[_("You have rated this application already.")])
        if not may_rate(locked, progress_of(locked)):
            raise ApplicationError(general=[_("An application can be rated once it is finished.")])
        rating = Rating.objects.create(application=locked, score=score, comment=comment.strip())
        exchange.publish(
            messages.RATING_GIVEN,
            {
                "query_code": locked.query_code,
                "score": score,
                "comment": rating.comment,
                "rated_at": rating.created_at.isoformat(),
            },
            key=messages.key(locked.query_code),
        )
    return rating
