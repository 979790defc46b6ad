"""Pages of letters.

Public (external zone, /interaction/): the mailboxes, the letter form (a logged-in resident;
at most ``EGOV_LETTER_DAILY_LIMIT`` letters in 24 hours), the writer's own letters found by
their query code — another writer's letter is "not found" whatever code is typed —, the
rating, and the published replies.

Staff (internal zone, /staff/interaction/, two-factor by StaffSecurityMiddleware): the letters
the user's roles see (``services.letters_visible_to``: never a report on their own body),
each detail page an audited view of a person's data, and the verbs of ``services``, each a
form, checked there for permission and scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core import audit
from egov.core.timers import timer_state

from . import guard, online, publication, services
from .forms import STAFF_FORMS, LetterForm, QueryForm, RatingForm
from .mailboxes import active_mailboxes
from .models import (
    Category,
    Letter,
    LetterRouting,
    Moderation,
    OnlineLetter,
    PublicReply,
    Status,
)

PAGE_SIZE = 50
PURPOSE = "letter handling"
WRITERS = ("citizen", "enterprise")

# --- public -------------------------------------------------------------------------------


@require_safe
def index(request):
    return render(
        request,
        "interaction/index.html",
        {
            "title": _("Mailboxes"),
            "mailboxes": active_mailboxes(),
            "recent": PublicReply.objects.select_related("mailbox")[:10],
        },
    )


def _initial(user) -> dict:
    from egov.hall.applications import identities

    initial = {"phone": user.mobile or "", "email": user.email or ""}
    for identity in identities(user):
        if identity.kind == "natural":
            initial["writer_name"] = identity.name
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def write(request):
    if getattr(request.user, "kind", "") not in WRITERS:
        raise PermissionDenied(
            _("Letters are written from a resident's or an enterprise's account.")
        )
    mailbox = request.GET.get("mailbox", "")
    form = LetterForm(
        request.POST or None,
        request.FILES or None,
        initial={
            **_initial(request.user),
            "mailbox": active_mailboxes().filter(code=mailbox).first(),
            "stamp": LetterForm.new_stamp(),
        },
    )
    status = 200
    similar = {}
    if request.method == "POST" and "similar" in request.POST:
        # "Check similar questions first" (no JavaScript): nothing is sent, the form comes
        # back as typed, with the FAQ's answers like it (decision 0023).
        form, similar = _with_similar(request, form)
    elif request.method == "POST":
        if online.throttled(request.user):
            form.is_valid()  # keep what was typed, with its own messages
            form.add_error(
                None,
                _(
                    "You have written %(n)d letters in the last 24 hours, the most allowed. "
                    "Please write again later; what you typed is kept below."
                )
                % {"n": online.daily_limit()},
            )
            status = 429
        elif form.is_valid():
            row = online.submit(request.user, form.cleaned_data, form.cleaned_data["attachments"])
            messages.success(
                request,
                _("Your letter is sent. Keep its query code: %(code)s.") % {"code": row.query_code},
            )
            return redirect("interaction:letter", code=row.query_code)
        else:
            status = 400
        form.refresh_stamp()
    return render(
        request,
        "interaction/write.html",
        {
            "title": _("Write a letter"),
            "form": form,
            "limit": online.daily_limit(),
            **similar,
        },
        status=status,
    )


def _with_similar(request, bound):
    """The letter form again, unbound, holding what was typed (the chosen files cannot be
    kept), and the FAQ entries like its subject and text."""
    from .views_faq import similar_context

    kept = {name: bound[name].value() for name in bound.fields if name != "attachments"}
    form = LetterForm(initial=kept)
    typed = f"{kept.get('subject') or ''} {kept.get('text') or ''}"
    context = {
        **similar_context(typed),
        "similar_checked": True,
        "files_dropped": any(request.FILES.getlist(bound.add_prefix("attachments"))),
    }
    return form, context


@login_required
@require_safe
def my_letters(request):
    rows = OnlineLetter.objects.filter(writer=request.user).select_related("mailbox__body")
    return render(request, "interaction/my_letters.html", {"title": _("My letters"), "rows": rows})


def _own(request, code: str) -> OnlineLetter:
    """The writer's own letter with this code; anyone else's is "not found"."""
    return get_object_or_404(
        OnlineLetter.objects.select_related("mailbox__body"),
        writer=request.user,
        query_code=code.strip().upper(),
    )


@login_required
@require_safe
def query(request):
    form = QueryForm(request.GET or None)
    if request.GET and form.is_valid():
        found = OnlineLetter.objects.filter(
            writer=request.user, query_code=form.cleaned_data["code"]
        ).first()
        if found is not None:
            return redirect("interaction:letter", code=found.query_code)
        form.add_error("code", _("None of your letters has this query code."))
    return render(
        request,
        "interaction/query.html",
        {"title": _("Find a letter by its query code"), "form": form},
        status=404 if form.errors and "code" in form.errors and request.GET else 200,
    )


def _letter_page(request, row, rating_form=None, status=200):
    return render(
        request,
        "interaction/letter.html",
        {
            "title": _("Letter %(number)s") % {"number": row.number},
            "row": row,
            "rating_form": rating_form or (RatingForm() if row.may_rate else None),
        },
        status=status,
    )


@login_required
@require_safe
def letter_detail(request, code: str):
    return _letter_page(request, _own(request, code))


@login_required
@require_POST
def rate(request, code: str):
    row = _own(request, code)
    if not row.may_rate:
        messages.info(request, _("This letter waits for no rating."))
        return redirect("interaction:letter", code=row.query_code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _letter_page(request, row, rating_form=form, status=400)
    online.rate(row, form.cleaned_data["rating"], form.cleaned_data["comment"])
    messages.success(request, _("Thank you: your rating is sent."))
    return redirect("interaction:letter", code=row.query_code)


@require_safe
def replies(request):
    rows = PublicReply.objects.select_related("mailbox__body")
    category = request.GET.get("category", "")
    if category in Category.values:
        rows = rows.filter(category=category)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/replies.html",
        {
            "title": _("Published replies"),
            "page": page,
            "category": category,
            "categories": [c for c in Category.choices if c[0] != Category.REPORT],
        },
    )


@require_safe
def reply_detail(request, number: str):
    row = get_object_or_404(PublicReply.objects.select_related("mailbox__body"), number=number)
    return render(request, "interaction/reply.html", {"title": row.subject, "reply": row})


# --- staff ------------------------------------------------------------------------------


def _require_view(request) -> None:
    if not request.user.has_perm(services.VIEW):
        raise PermissionDenied(_("Your roles do not include letters."))


@login_required
@require_safe
def staff_list(request):
    _require_view(request)
    rows = services.letters_visible_to(request.user).select_related(
        "mailbox__body", "handling_body", "acceptance_timer", "handling_timer"
    )
    status = request.GET.get("status", "open")
    if status == "open":
        rows = rows.filter(status__in=[s.value for s in Status if s in services.OPEN_STATUSES])
    elif status in Status.values:
        rows = rows.filter(status=status)
    category = request.GET.get("category", "")
    if category in Category.values:
        rows = rows.filter(category=category)
    page = Paginator(rows.order_by("received_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    listed = []
    for row in page.object_list:
        timer = row.handling_timer or row.acceptance_timer
        listed.append((row, services.due_date(row), timer_state(timer, today) if timer else ""))
    if listed:
        audit.record_person_list_view(
            request, Letter, [row.pk for row, _due, _state in listed], purpose=PURPOSE
        )
    return render(
        request,
        "interaction/staff_list.html",
        {
            "title": _("Letters"),
            "rows": listed,
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "category": category,
            "categories": Category.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_register(request):
    """Register a letter that came by post or at a visit."""
    from egov.directory.scoping import visible_bodies

    from .forms import RegisterForm

    if not request.user.has_perm(services.HANDLE):
        raise PermissionDenied(_("Your roles do not allow this action."))
    mailboxes = active_mailboxes().filter(body__in=visible_bodies(request.user))
    form = RegisterForm(
        request.POST or None, mailboxes=mailboxes, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.register(
                mailbox=data["mailbox"],
                category=data["category"],
                subject=data["subject"],
                text=data["text"],
                writer_name=data["writer_name"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
                consent_to_publish=data["consent"],
                accused_body=data["accused_body"],
                received_on=data["received_on"],
                by=request.user,
                http_request=request,
            )
        except services.InteractionError as error:
            form.add_error(error.field if error.field in form.fields else "mailbox", str(error))
        else:
            messages.success(
                request, _("Letter %(number)s is registered.") % {"number": letter.number}
            )
            return redirect("interaction_staff:detail", number=letter.number)
    return render(
        request,
        "interaction/staff_register.html",
        {"title": _("Register a letter by post or at a visit"), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _visible(request, number: str) -> Letter:
    return get_object_or_404(
        services.letters_visible_to(request.user).select_related(
            "mailbox__body", "handling_body", "accused_body", "acceptance_timer", "handling_timer"
        ),
        number=number,
    )


def _verbs(user, row: Letter) -> list[str]:
    """The verbs this user may use on the letter now (each checked again by the service)."""
    if row.is_held:
        return ["release", "reject"] if user.has_perm(guard.MODERATE) else []
    shown = _handling_verbs(user, row)
    if (
        "accept" in shown or ("route" in shown and not row.routings.exists())
    ) and row.moderation == Moderation.NONE:
        shown.append("flag")
    if ("accept" in shown or "route" in shown) and row.status in (
        Status.REGISTERED,
        Status.ACCEPTED,
    ):
        shown.append("merge")
    return shown


def _handling_verbs(user, row: Letter) -> list[str]:
    if not user.has_perm(services.HANDLE):
        return []
    responsible = services._sees_body(user, row.handling_body)
    joint = any(services._sees_body(user, body) for body in services.joint_bodies(row))
    shown = []
    if not responsible:
        return ["opinion"] if joint and row.status in (Status.ACCEPTED, Status.DRAFTED) else []
    extendable = (
        user.has_perm(services.APPROVE)
        and not row.extension_days
        and row.status in (Status.ACCEPTED, Status.DRAFTED, Status.REVIEWED, Status.SIGNED)
    )
    if row.status == Status.REGISTERED:
        shown = ["accept", "decline"]
    elif row.status == Status.ACCEPTED:
        shown = ["draft", "route", "opinion"]
    elif row.status == Status.DRAFTED:
        shown = ["draft", "opinion"]
        if user.has_perm(services.REVIEW):
            shown.insert(0, "review")
    elif row.status == Status.REVIEWED and user.has_perm(services.SIGN_OFF):
        shown = ["sign_off"]
    elif row.status == Status.SIGNED:
        shown = ["reply"]
    elif row.status == Status.REPLIED:
        shown = ["follow_up"]
    if (
        row.status in (Status.ACCEPTED, Status.DRAFTED)
        and row.routings.filter(
            active=True, role=LetterRouting.Role.LEAD, to_body=row.handling_body
        ).exists()
    ):
        shown.append("refuse_routing")
    if extendable:
        shown.append("extend")
    if row.category == Category.REPORT and row.is_open:
        shown.append("accused_body")
    if (
        row.consent_to_publish
        and row.category != Category.REPORT
        and row.status in (Status.REPLIED, Status.CLOSED)
    ):
        shown.append("publish")
    return shown


VERB_TITLES = {
    "accept": gettext_lazy("Accept the letter"),
    "decline": gettext_lazy("Do not accept the letter"),
    "route": gettext_lazy("Route the letter (转办)"),
    "refuse_routing": gettext_lazy("Send the letter back: not our matter"),
    "accused_body": gettext_lazy("Name the body the report is about"),
    "opinion": gettext_lazy("Give an opinion for the reply"),
    "draft": gettext_lazy("Draft the reply"),
    "review": gettext_lazy("Review the reply"),
    "sign_off": gettext_lazy("Sign off the reply"),
    "reply": gettext_lazy("Send the reply"),
    "extend": gettext_lazy("Extend the handling limit"),
    "follow_up": gettext_lazy("Record a follow-up call"),
    "publish": gettext_lazy("Publish the question and the reply"),
    "flag": gettext_lazy("Hold the letter for moderation"),
    "release": gettext_lazy("Release the letter: its handling goes on"),
    "reject": gettext_lazy("Reject the letter for its content"),
    "merge": gettext_lazy("Merge into an earlier letter on the same matter"),
}


def _preview(row: Letter, question: str = "", answer: str = ""):
    """What will be public (or, once published and nothing new is asked, what is)."""
    if not (row.reply_text and row.consent_to_publish and row.category != Category.REPORT):
        return None
    if row.published_at and not (question or answer):
        question, answer = row.public_question, row.public_answer
    texts = publication.public_texts(row, question=question, answer=answer)
    return publication.Preview(row, texts)


def _staff_page(request, row, forms=None, status=200, preview=None):
    shown = {}
    verbs = _verbs(request.user, row)
    # a form sent back with its errors is shown even when the verb is no longer offered
    verbs += [verb for verb in (forms or {}) if verb not in verbs]
    for verb in verbs:
        form = (forms or {}).get(verb)
        if form is None:
            initial = {"text": row.reply_draft} if verb == "draft" and row.reply_draft else None
            form = STAFF_FORMS[verb](initial=initial)
        shown[verb] = (str(VERB_TITLES[verb]), form)
    timer = row.handling_timer or row.acceptance_timer
    return render(
        request,
        "interaction/staff_detail.html",
        {
            "title": _("Letter %(number)s") % {"number": row.number},
            "row": row,
            "events": row.events.select_related("by", "body"),
            "routings": row.routings.select_related("from_body", "to_body", "routed_by"),
            "files": row.files.all(),
            "forms": shown,
            "due": services.due_date(row),
            "state": timer_state(timer) if timer else "",
            "preview": preview or _preview(row),
            "similar": guard.similar_letters(row, request.user) if row.is_open else [],
            "original": row.duplicate_of
            if row.duplicate_of_id
            and services.letters_visible_to(request.user).filter(pk=row.duplicate_of_id).exists()
            else None,
        },
        status=status,
    )


@login_required
@require_safe
def staff_detail(request, number: str):
    _require_view(request)
    row = _visible(request, number)
    audit.record_person_view(request, row, purpose=PURPOSE, body=row.handling_body)
    return _staff_page(request, row)


def _review(service):
    return lambda row, by, data, req: service(
        row, by=by, approve=data["decision"] == "approve", note=data["note"], http_request=req
    )


VERBS = {
    "accept": lambda row, by, data, req: services.accept(
        row, by=by, note=data["note"], http_request=req
    ),
    "decline": lambda row, by, data, req: services.decline(
        row, by=by, reason=data["reason"], http_request=req
    ),
    "route": lambda row, by, data, req: services.route(
        row,
        by=by,
        to_body=data["to_body"],
        joint=list(data["joint"]),
        reason=data["reason"],
        http_request=req,
    ),
    "refuse_routing": lambda row, by, data, req: services.refuse_routing(
        row, by=by, reason=data["reason"], http_request=req
    ),
    "accused_body": lambda row, by, data, req: services.set_accused_body(
        row, by=by, body=data["body"], http_request=req
    ),
    "opinion": lambda row, by, data, req: services.add_opinion(
        row, by=by, text=data["text"], http_request=req
    ),
    "draft": lambda row, by, data, req: services.draft_reply(
        row, by=by, text=data["text"], http_request=req
    ),
    "review": _review(services.review_reply),
    "sign_off": _review(services.sign_off),
    "reply": lambda row, by, data, req: services.reply(row, by=by, http_request=req),
    "extend": lambda row, by, data, req: services.extend(
        row, by=by, days=data["days"], reason=data["reason"], http_request=req
    ),
    "follow_up": lambda row, by, data, req: services.rate(
        row,
        rating=data["rating"],
        comment=data["note"],
        by=by,
        follow_up=True,
        http_request=req,
    ),
    "publish": lambda row, by, data, req: services.publish_reply(
        row, by=by, question=data["question"], answer=data["answer"], http_request=req
    ),
}
VERBS.update(
    {
        "flag": lambda row, by, data, req: guard.flag(
            row, by=by, reason=data["reason"], http_request=req
        ),
        "release": lambda row, by, data, req: guard.release(
            row, by=by, note=data["note"], http_request=req
        ),
        "reject": lambda row, by, data, req: guard.reject(
            row, by=by, reason=data["reason"], http_request=req
        ),
        "merge": lambda row, by, data, req: guard.merge(
            row, into=_original(by, data["into"]), by=by, reason=data["reason"], http_request=req
        ),
    }
)


def _original(user, number: str) -> Letter:
    found = services.letters_visible_to(user).filter(number=number.strip()).first()
    if found is None:
        raise services.InteractionError(
            _("No letter %(number)s among the letters you may see.") % {"number": number},
            "into",
        )
    return found


VERB_PERMISSION = {
    "release": guard.MODERATE,
    "reject": guard.MODERATE,
    "extend": services.APPROVE,
    "review": services.REVIEW,
    "sign_off": services.SIGN_OFF,
}
# Which field a service's refusal belongs next to, when the service does not say
# (otherwise it is shown above the form).
ERROR_FIELD = {
    "flag": "reason",
    "reject": "reason",
    "refuse_routing": "reason",
    "decline": "reason",
    "extend": "days",
    "accused_body": "body",
    "draft": "text",
    "review": "decision",
    "sign_off": "decision",
}


@login_required
@require_POST
def staff_act(request, number: str, verb: str):
    _require_view(request)
    if verb not in VERBS:
        raise Http404
    row = _visible(request, number)
    if not request.user.has_perm(VERB_PERMISSION.get(verb, services.HANDLE)):
        raise PermissionDenied(_("Your roles do not allow this action."))
    form = STAFF_FORMS[verb](request.POST)
    if not form.is_valid():
        return _staff_page(request, row, forms={verb: form}, status=400)
    if verb == "publish" and form.cleaned_data["preview"]:
        preview = _preview(row, form.cleaned_data["question"], form.cleaned_data["answer"])
        return _staff_page(request, row, forms={verb: form}, preview=preview)
    try:
        VERBS[verb](row, request.user, form.cleaned_data, request)
    except services.InteractionError as error:
        field = error.field if error.field in form.fields else ERROR_FIELD.get(verb)
        form.add_error(field, str(error))
        return _staff_page(request, row, forms={verb: form}, status=400)
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("Done."))
    if not services.letters_visible_to(request.user).filter(pk=row.pk).exists():
        return redirect("interaction_staff:list")  # routed away, or reported on this body
    return redirect("interaction_staff:detail", number=number)


@login_required
@require_safe
def staff_file(request, number: str, pk: int):
    """An attachment of the letter: staff who see the letter only, audited."""
    from django.http import FileResponse

    from egov.hall.views import content_disposition

    _require_view(request)
    row = _visible(request, number)
    stored = get_object_or_404(row.files, pk=pk)
    audit.record_person_view(request, row, purpose=PURPOSE, body=row.handling_body)
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(stored.name)
    return response


@login_required
@require_safe
def moderation_queue(request):
    """The letters held for moderation that the moderator may see; the list read is
    audited like every list of letters."""
    if not request.user.has_perm(guard.MODERATE):
        raise PermissionDenied(_("Your roles do not allow this action."))
    page = Paginator(guard.moderation_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        audit.record_person_list_view(
            request, Letter, [row.pk for row in page.object_list], purpose=PURPOSE
        )
    return render(
        request,
        "interaction/staff_moderation.html",
        {"title": _("Letters held for moderation"), "page": page},
    )


@login_required
@require_safe
def statistics(request):
    """The figures per responsible body, of the bodies the user sees (supervisors: all;
    a body's staff: their own), for a period (``?start=&end=``, default this year)."""
    import datetime

    from egov.directory.scoping import visible_bodies

    _require_view(request)
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), today
    errors = []
    for name in ("start", "end"):
        value = request.GET.get(name, "")
        if value:
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                errors.append(name)
                continue
            start, end = (day, end) if name == "start" else (start, day)
    if start > end:
        errors.append("end")
    rows = (
        guard.statistics(visible_bodies(request.user).values_list("pk", flat=True), start, end)
        if not errors
        else []
    )
    return render(
        request,
        "interaction/staff_statistics.html",
        {
            "title": _("Letters per body"),
            "rows": rows,
            "start": request.GET.get("start") or start.isoformat(),
            "end": request.GET.get("end") or end.isoformat(),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
