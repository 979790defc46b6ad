"""Pages of consultations on drafts (征集意见) and surveys (问卷调查), external zone.

Public (/interaction/consultations/, /interaction/surveys/): anyone reads; a logged-in
resident or enterprise account comments (held until moderated, at most
``participation.COMMENTS_PER_DAY`` a day) and answers a survey once. Staff who work outside
(/interaction/manage/) with ``interaction.manage_participation``, for the bodies they see:
publish a draft or a survey, moderate comments, publish the feedback.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core import audit

from . import participation
from .forms_participation import (
    CommentForm,
    ConsultationForm,
    FeedbackForm,
    ModerationForm,
    ResponseForm,
    SurveyForm,
)
from .models_participation import Comment, Consultation, Question, Survey, SurveyResponse

WRITERS = ("citizen", "enterprise")
PURPOSE = "consultation moderation"

# --- public -------------------------------------------------------------------------------


@require_safe
def consultations(request):
    today = timezone.localdate()
    rows = Consultation.objects.filter(opens_on__lte=today).select_related("body")
    return render(
        request,
        "interaction/participation/consultations.html",
        {"title": _("Consultations on drafts"), "rows": rows, "today": today},
    )


def _consultation_page(request, row, form=None, status=200):
    today = timezone.localdate()
    comments = [
        (comment, participation.public_comment_text(comment.text))
        for comment in row.comments.filter(status=Comment.Status.APPROVED)
    ]
    may_comment = row.is_open(today) and getattr(request.user, "kind", "") in WRITERS
    return render(
        request,
        "interaction/participation/consultation.html",
        {
            "title": row.title,
            "row": row,
            "comments": comments,
            "is_open": row.is_open(today),
            "form": (form or CommentForm()) if may_comment else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    row = get_object_or_404(
        Consultation.objects.select_related("body"), pk=pk, opens_on__lte=timezone.localdate()
    )
    if request.method == "GET":
        return _consultation_page(request, row)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if request.user.kind not in WRITERS:
        raise PermissionDenied(
            _("Comments are written from a resident's or an enterprise's account.")
        )
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            participation.add_comment(row, by=request.user, text=form.cleaned_data["text"])
        except participation.ParticipationError as error:
            form.add_error("text", str(error))
            status = 429 if isinstance(error, participation.ThrottledError) else 400
        else:
            messages.success(
                request, _("Thank you: your comment is published once it has been moderated.")
            )
            return redirect("interaction:consultation", pk=row.pk)
    return _consultation_page(request, row, form=form, status=status)


@require_safe
def consultation_draft(request, pk: int):
    row = get_object_or_404(Consultation, pk=pk, opens_on__lte=timezone.localdate())
    if not row.attachment:
        raise Http404
    from egov.hall.views import content_disposition

    response = FileResponse(row.attachment.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(row.attachment_name)
    return response


@require_safe
def surveys(request):
    today = timezone.localdate()
    rows = Survey.objects.filter(opens_on__lte=today).select_related("body")
    return render(
        request,
        "interaction/participation/surveys.html",
        {"title": _("Surveys"), "rows": rows, "today": today},
    )


def _survey(pk):
    return get_object_or_404(
        Survey.objects.select_related("body"), pk=pk, opens_on__lte=timezone.localdate()
    )


@require_http_methods(["GET", "POST"])
def survey(request, pk: int):
    row = _survey(pk)
    today = timezone.localdate()
    answered = (
        request.user.is_authenticated
        and SurveyResponse.objects.filter(survey=row, respondent=request.user).exists()
    )
    may_answer = (
        row.is_open(today) and getattr(request.user, "kind", "") in WRITERS and not answered
    )
    form, status = None, 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if request.user.kind not in WRITERS:
            raise PermissionDenied(
                _("Surveys are answered from a resident's or an enterprise's account.")
            )
        form = ResponseForm(request.POST, survey=row)
        status = 400
        if form.is_valid():
            try:
                participation.respond(row, by=request.user, answers=form.answers())
            except participation.ParticipationError as error:
                form.add_error(None, str(error))
                status = 409 if answered else 400
            else:
                messages.success(request, _("Thank you: your answers are recorded."))
                return redirect("interaction:survey_results", pk=row.pk)
    elif may_answer:
        form = ResponseForm(survey=row)
    return render(
        request,
        "interaction/participation/survey.html",
        {
            "title": row.title,
            "row": row,
            "form": form,
            "answered": answered,
            "is_open": row.is_open(today),
            "single": Question.Kind.SINGLE,
            "text_kind": Question.Kind.TEXT,
        },
        status=status,
    )


@require_safe
def survey_results(request, pk: int):
    row = _survey(pk)
    results = participation.results(row)
    chart = [
        {
            "id": f"chart-q{item['question'].pk}",
            "title": item["question"].text,
            "labels": [choice["text"] for choice in item["choices"]],
            "values": [choice["count"] for choice in item["choices"]],
        }
        for item in results
        if item["choices"]
    ]
    return render(
        request,
        "interaction/participation/results.html",
        {
            "title": _("Results: %(title)s") % {"title": row.title},
            "row": row,
            "results": results,
            "total": row.responses.count(),
            "chart_data": {"charts": chart, "labels": {"count": _("Responses")}},
            "text_kind": Question.Kind.TEXT,
        },
    )


# --- staff (external zone) ----------------------------------------------------------------


def _require_manage(request):
    if not request.user.has_perm(participation.MANAGE):
        raise PermissionDenied(_("Your roles do not include consultations and surveys."))


def _managed_consultation(request, pk):
    return get_object_or_404(
        Consultation.objects.select_related("body").filter(
            body__in=participation.managed_bodies(request.user)
        ),
        pk=pk,
    )


@login_required
@require_safe
def manage(request):
    _require_manage(request)
    bodies = participation.managed_bodies(request.user)
    return render(
        request,
        "interaction/participation/manage.html",
        {
            "title": _("Consultations and surveys"),
            "consultations": Consultation.objects.filter(body__in=bodies).select_related("body"),
            "surveys": Survey.objects.filter(body__in=bodies).select_related("body"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_new_consultation(request):
    _require_manage(request)
    bodies = participation.managed_bodies(request.user)
    form = ConsultationForm(request.POST or None, request.FILES or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = participation.publish_consultation(
            body=data["body"],
            by=request.user,
            title=data["title"],
            text=data["text"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            attachment=data["attachment"],
            http_request=request,
        )
        messages.success(request, _("The draft is published for comments."))
        return redirect("interaction:manage_consultation", pk=row.pk)
    return render(
        request,
        "interaction/participation/manage_form.html",
        {"title": _("Publish a draft for comments"), "form": form, "multipart": True},
        status=400 if request.method == "POST" else 200,
    )


def _manage_page(request, row, moderation=None, feedback=None, status=200):
    held = list(row.comments.filter(status=Comment.Status.HELD))
    moderated = list(row.comments.exclude(status=Comment.Status.HELD))
    if held or moderated:
        # a comment's text may hold its writer's contact data: the read is audited
        audit.record_person_list_view(
            request, Comment, [c.pk for c in held + moderated], purpose=PURPOSE, body=row.body
        )
    forms = {comment.pk: ModerationForm(prefix=f"c{comment.pk}") for comment in held}
    if moderation is not None:
        forms[moderation[0]] = moderation[1]
    return render(
        request,
        "interaction/participation/manage_consultation.html",
        {
            "title": row.title,
            "row": row,
            "held": [(comment, forms[comment.pk]) for comment in held],
            "moderated": moderated,
            "feedback_form": feedback
            or FeedbackForm(initial={"feedback": row.feedback} if row.feedback else None),
            "feedback_due": participation.feedback_due(row),
            "closed": timezone.localdate() > row.closes_on,
        },
        status=status,
    )


@login_required
@require_safe
def manage_consultation(request, pk: int):
    _require_manage(request)
    return _manage_page(request, _managed_consultation(request, pk))


@login_required
@require_POST
def manage_moderate(request, pk: int, comment: int):
    _require_manage(request)
    row = _managed_consultation(request, pk)
    item = get_object_or_404(row.comments, pk=comment)
    form = ModerationForm(request.POST, prefix=f"c{item.pk}")
    if form.is_valid():
        try:
            participation.moderate(
                item,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                http_request=request,
            )
        except participation.ParticipationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Done."))
            return redirect("interaction:manage_consultation", pk=row.pk)
    return _manage_page(request, row, moderation=(item.pk, form), status=400)


@login_required
@require_POST
def manage_feedback(request, pk: int):
    _require_manage(request)
    row = _managed_consultation(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            participation.publish_feedback(
                row, by=request.user, text=form.cleaned_data["feedback"], http_request=request
            )
        except participation.ParticipationError as error:
            form.add_error("feedback", str(error))
        else:
            messages.success(request, _("The feedback is published."))
            return redirect("interaction:manage_consultation", pk=row.pk)
    return _manage_page(request, row, feedback=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def manage_new_survey(request):
    _require_manage(request)
    bodies = participation.managed_bodies(request.user)
    form = SurveyForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = participation.publish_survey(
            body=data["body"],
            by=request.user,
            title=data["title"],
            description=data["description"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            questions=data["questions"],
            http_request=request,
        )
        messages.success(request, _("The survey is published."))
        return redirect("interaction:survey_results", pk=row.pk)
    return render(
        request,
        "interaction/participation/manage_form.html",
        {"title": _("Publish a survey"), "form": form},
        status=400 if request.method == "POST" else 200,
    )
