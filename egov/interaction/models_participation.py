"""Consultations on draft policies (征集意见) and surveys (问卷调查), external zone.

A body publishes a draft for comment over a period; residents comment while it is open,
each comment held until staff approve it (or reject it with a reason); after the period
staff publish a feedback summary (what was adopted and why). A survey is a questionnaire of
single-choice, multiple-choice and text questions, answered once per person (a unique
constraint), its results counted per choice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Answer",
    "Choice",
    "Comment",
    "Consultation",
    "Question",
    "Survey",
    "SurveyResponse",
]


class Consultation(models.Model):
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("draft text"))
    attachment = models.FileField(_("attachment"), upload_to="interaction/drafts/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    feedback = models.TextField(_("feedback: what was adopted and why"), blank=True)
    feedback_published_at = models.DateTimeField(_("feedback published at"), null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultation on a draft")
        verbose_name_plural = _("consultations on drafts")
        ordering = ["-opens_on", "-pk"]
        permissions = [("manage_participation", "Can manage consultations and surveys")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="interaction_consultation_period",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Comment(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    reason = models.TextField(_("reason"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.pk}"


class Survey(models.Model):
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        TEXT = "text", _("Text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="interaction_one_response_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
