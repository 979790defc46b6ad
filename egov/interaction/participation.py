"""The verbs of consultations (征集意见) and surveys; docs/interaction.md, "Consultations and
surveys". Each verb is one transaction and writes an audit entry.

Staff act for a body they see (``directory.scoping.visible_bodies``) and need
``interaction.manage_participation``; residents comment and answer from their own account.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit

from .models_participation import (
    Answer,
    Choice,
    Comment,
    Consultation,
    Question,
    Survey,
    SurveyResponse,
)

MANAGE = "interaction.manage_participation"
FEEDBACK_LIMIT_MONTHS = 3
COMMENTS_PER_DAY = 10  # per account and consultation, in 24 hours
MIN_REASON = 5


class ParticipationError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ThrottledError(ParticipationError):
    """Too many comments in 24 hours."""


def managed_bodies(user):
    from egov.directory.scoping import visible_bodies

    if not user.has_perm(MANAGE):
        return visible_bodies(user).none()
    return visible_bodies(user)


def may_manage(user, body) -> bool:
    return user.has_perm(MANAGE) and managed_bodies(user).filter(pk=body.pk).exists()


def _check(user, body) -> None:
    if not may_manage(user, body):
        raise PermissionDenied(_("Your roles do not allow this action."))


def _record(action: str, by, obj, http_request=None, **details) -> None:
    audit.record(action, actor=by, body=obj.body, obj=obj, request=http_request, detail=details)


# --- consultations -----------------------------------------------------------------------


@transaction.atomic
def publish_consultation(
    *, body, by, title, text, opens_on, closes_on, attachment=None, http_request=None
) -> Consultation:
    _check(by, body)
    if closes_on < opens_on:
        raise ParticipationError(_("The period cannot end before it starts."), "closes_on")
    row = Consultation(
        body=body,
        title=title,
        text=text,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
        created_at=timezone.now(),
    )
    if attachment is not None:
        name, content = attachment
        from django.core.files.base import ContentFile

        row.attachment_name = name
        row.attachment.save(name, ContentFile(content), save=False)
    row.save()
    _record("interaction.consultation.published", by, row, http_request)
    return row


def comment_throttled(user, consultation, now=None) -> bool:
    since = (now or timezone.now()) - datetime.timedelta(hours=24)
    return (
        Comment.objects.filter(
            author=user, consultation=consultation, created_at__gte=since
        ).count()
        >= COMMENTS_PER_DAY
    )


@transaction.atomic
def add_comment(consultation, *, by, text) -> Comment:
    if not consultation.is_open(timezone.localdate()):
        raise ParticipationError(_("This consultation is not open for comments."), "text")
    if comment_throttled(by, consultation):
        raise ThrottledError(
            _("You have commented %(n)d times in 24 hours, the most allowed.")
            % {"n": COMMENTS_PER_DAY},
            "text",
        )
    return Comment.objects.create(
        consultation=consultation, author=by, text=text, created_at=timezone.now()
    )


@transaction.atomic
def moderate(comment, *, by, approve: bool, reason: str = "", http_request=None) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _check(by, comment.consultation.body)
    if comment.status != Comment.Status.HELD:
        raise ParticipationError(_("This comment is already moderated."), "reason")
    if not approve and len(reason.strip()) < MIN_REASON:
        raise ParticipationError(
            _("Give the reason for rejecting (at least %(n)d characters).") % {"n": MIN_REASON},
            "reason",
        )
    comment.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    comment.reason = "" if approve else reason.strip()
    comment.moderated_by = by
    comment.save()
    _record(
        "interaction.comment.moderated",
        by,
        comment.consultation,
        http_request,
        comment=comment.pk,
        status=comment.status,
    )
    return comment


@transaction.atomic
def publish_feedback(consultation, *, by, text, http_request=None) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check(by, consultation.body)
    if timezone.localdate() <= consultation.closes_on:
        raise ParticipationError(_("The feedback is published after the period ends."), "feedback")
    if len(text.strip()) < 10:
        raise ParticipationError(
            _("Say what was adopted and why (at least 10 characters)."), "feedback"
        )
    consultation.feedback = text.strip()
    consultation.feedback_published_at = timezone.now()
    consultation.save(update_fields=["feedback", "feedback_published_at"])
    _record("interaction.consultation.feedback", by, consultation, http_request)
    return consultation


def _months_after(day: datetime.date, months: int) -> datetime.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def feedback_due(consultation) -> datetime.date:
    """The last day the feedback may be published: 3 months after the period ends."""
    return _months_after(consultation.closes_on, FEEDBACK_LIMIT_MONTHS)


def unanswered_consultations(today: datetime.date) -> list[Consultation]:
    """Consultations whose period ended more than 3 months before ``today`` without a
    published feedback (the site health inspector's veto)."""
    rows = Consultation.objects.filter(
        feedback_published_at__isnull=True, closes_on__lt=today
    ).select_related("body")
    return [row for row in rows if today > feedback_due(row)]


class ConsultationFeedbackSource:
    """The inspector's consultation source (``portal.inspector.sources``): a consultation
    counts as "received" when its period ends and "answered" when its feedback is published,
    so the inspector's 3-month rule is the rule of ``unanswered_consultations``."""

    def consultations(self, body_ids, received_after):
        from egov.portal.inspector.sources import Consultation as Item

        tz = timezone.get_current_timezone()
        rows = Consultation.objects.filter(body_id__in=list(body_ids))
        for row in rows:
            ended = datetime.datetime.combine(
                row.closes_on + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
            )
            if ended < received_after:
                continue
            yield Item(
                reference=f"consultation-{row.pk}",
                title=row.title,
                body_id=row.body_id,
                received_at=ended,
                answered_at=row.feedback_published_at,
                url=f"/interaction/manage/consultations/{row.pk}/",
            )

    def __eq__(self, other):
        return isinstance(other, ConsultationFeedbackSource)

    def __hash__(self):
        return hash(ConsultationFeedbackSource)


# --- surveys ------------------------------------------------------------------------------


@transaction.atomic
def respond(survey, *, by, answers: dict) -> SurveyResponse:
    """``answers`` maps each question's pk to a list of choice pks or a text."""
    if not survey.is_open(timezone.localdate()):
        raise ParticipationError(_("This survey is not open."))
    if SurveyResponse.objects.filter(survey=survey, respondent=by).exists():
        raise ParticipationError(_("You have already answered this survey."))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, respondent=by, submitted_at=timezone.now()
            )
    except IntegrityError as error:  # answered at the same moment in another request
        raise ParticipationError(_("You have already answered this survey.")) from error
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if question.kind == Question.Kind.TEXT:
            if value:
                Answer.objects.create(response=response, question=question, text=value)
            continue
        picked = Choice.objects.filter(question=question, pk__in=list(value or []))
        if picked:
            answer = Answer.objects.create(response=response, question=question)
            answer.choices.set(picked)
    return response


def results(survey) -> list[dict]:
    """Per question: each choice's count and percentage of the survey's responses (a
    multiple-choice question's percentages may add up to more than 100), or the number of
    text answers."""
    total = survey.responses.count()
    out = []
    for question in survey.questions.prefetch_related("choices"):
        counts = dict(
            Choice.objects.filter(question=question)
            .annotate(n=Count("answers"))
            .values_list("pk", "n")
        )
        rows = [
            {
                "text": choice.text,
                "count": counts.get(choice.pk, 0),
                "percent": round(100 * counts.get(choice.pk, 0) / total, 1) if total else 0,
            }
            for choice in question.choices.all()
        ]
        out.append(
            {
                "question": question,
                "choices": rows,
                "texts": question.answers.exclude(text="").count()
                if question.kind == Question.Kind.TEXT
                else 0,
            }
        )
    return out


__all__ = [
    "MANAGE",
    "ParticipationError",
    "Survey",
    "add_comment",
    "moderate",
    "publish_consultation",
    "publish_feedback",
    "respond",
    "results",
    "unanswered_consultations",
]


def public_comment_text(text: str) -> str:
    """A comment as published: mobile numbers, identity card numbers and e-mail addresses
    masked (``core.masking``), whoever they belong to; the author is never shown."""
    from egov.core.masking import mask

    from .publication import EMAIL, ID_NUMBER, MOBILE

    text = MOBILE.sub(lambda m: mask("mobile", re.sub(r"[ -]", "", m.group(0))), text)
    text = ID_NUMBER.sub(lambda m: mask("id_number", m.group(0)), text)
    return EMAIL.sub(lambda m: mask("email", m.group(0)), text)


@transaction.atomic
def publish_survey(
    *, body, by, title, description, opens_on, closes_on, questions, http_request=None
) -> Survey:
    """``questions``: dicts of kind, text, required and choices (texts)."""
    _check(by, body)
    if closes_on < opens_on:
        raise ParticipationError(_("The period cannot end before it starts."), "closes_on")
    row = Survey.objects.create(
        body=body,
        title=title,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
        created_at=timezone.now(),
    )
    for position, item in enumerate(questions):
        question = Question.objects.create(
            survey=row,
            position=position,
            kind=item["kind"],
            text=item["text"],
            required=item.get("required", True),
        )
        for number, text in enumerate(item.get("choices", [])):
            Choice.objects.create(question=question, position=number, text=text)
    _record("interaction.survey.published", by, row, http_request)
    return row
