"""Forms of consultations and surveys (docs/interaction.md, "Consultations and surveys")."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.services.uploads import HEAD_BYTES, check_content

from .models_participation import Question

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DRAFT_TYPES = ["application/pdf"]
MAX_DRAFT_BYTES = 20 * 1024 * 1024


class PeriodMixin:
    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The period cannot end before it starts."))
        return data


class ConsultationForm(PeriodMixin, forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Draft text"), widget=forms.Textarea, min_length=20)
    attachment = forms.FileField(
        label=_("The draft as a PDF"), required=False, help_text=_("A PDF of at most 20 MB.")
    )
    opens_on = forms.DateField(label=_("Open for comments from"), widget=DATE)
    closes_on = forms.DateField(label=_("Open for comments until"), widget=DATE)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        check_content(
            upload.name, head, upload.size, allowed=DRAFT_TYPES, max_bytes=MAX_DRAFT_BYTES
        )
        return (upload.name, upload.read())


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=5,
        max_length=3000,
        help_text=_("Comments are published after moderation, without your name."),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for rejecting"), required=False, max_length=500)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback: what was adopted and why"), widget=forms.Textarea, min_length=10
    )


class SurveyForm(PeriodMixin, forms.Form):
    """A survey and its questions, written as text so that no script is needed: each
    question on a line starting with [single], [multiple] or [text] (add * at the end for an
    optional question), each choice of the question below it on a line starting with "-"."""

    body = forms.ModelChoiceField(label=_("Body"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    opens_on = forms.DateField(label=_("Open from"), widget=DATE)
    closes_on = forms.DateField(label=_("Open until"), widget=DATE)
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "One question a line, starting with [single], [multiple] or [text]; its choices "
            'below it, each on a line starting with "-".'
        ),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean_questions(self):
        kinds = {f"[{kind}]": kind for kind in Question.Kind.values}
        parsed = []
        for number, line in enumerate(self.cleaned_data["questions"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            if line.startswith("-"):
                if not parsed or parsed[-1]["kind"] == Question.Kind.TEXT:
                    raise ValidationError(
                        _("Line %(n)d: a choice must follow a choice question.") % {"n": number}
                    )
                parsed[-1]["choices"].append(line[1:].strip()[:200])
                continue
            tag, _space, text = line.partition(" ")
            if tag not in kinds or not text.strip():
                raise ValidationError(
                    _("Line %(n)d: start a question with [single], [multiple] or [text].")
                    % {"n": number}
                )
            text = text.strip()
            required = not text.endswith("*")
            parsed.append(
                {
                    "kind": kinds[tag],
                    "text": text.rstrip("*").strip()[:300],
                    "required": required,
                    "choices": [],
                }
            )
        if not parsed:
            raise ValidationError(_("Write at least one question."))
        for item in parsed:
            if item["kind"] != Question.Kind.TEXT and len(item["choices"]) < 2:
                raise ValidationError(
                    _("The question “%(q)s” needs at least two choices.") % {"q": item["text"]}
                )
        return parsed


class ResponseForm(forms.Form):
    """The survey's questions as fields ``q<pk>``."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.prefetch_related("choices"))
        for question in self.questions:
            name = f"q{question.pk}"
            choices = [(c.pk, c.text) for c in question.choices.all()]
            if question.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
            field.label = question.text
            field.required = question.required
            self.fields[name] = field

    def answers(self) -> dict:
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == Question.Kind.SINGLE:
                value = [value] if value else []
            out[question.pk] = value
        return out
