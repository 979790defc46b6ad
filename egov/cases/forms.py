"""The workbench's forms: one per verb, plus the queue's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, PauseKind, Status


class QueueFilterForm(forms.Form):
    VIEWS = [
        ("mine", _("My queue")),
        ("unclaimed", _("Not yet claimed")),
        ("all", _("All open cases")),
    ]
    view = forms.ChoiceField(label=_("Show"), choices=VIEWS, required=False)
    status = forms.ChoiceField(label=_("Step"), required=False)
    item = forms.ChoiceField(label=_("Service item"), required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any"))] + list(Status.choices)
        self.fields["item"].choices = [("", _("Any"))] + [(str(pk), name) for pk, name in items]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Legal reason"),
        help_text=_("At least 10 characters: the law or rule and why it applies."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(forms.Form):
    items = forms.CharField(
        label=_("Everything missing or to correct"),
        help_text=_("One item a line. Tell the applicant everything at once."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        help_text=_("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    override = forms.BooleanField(
        label=_("Allow a second correction request (supervisor)"), required=False
    )

    def __init__(self, *args, can_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override"]

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class AnswerCorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("What the applicant handed in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    material = forms.ChoiceField(label=_("Material"), required=False)
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = {str(m.pk): m for m in materials}
        self.fields["material"].choices = [("", "—")] + [
            (pk, m.name) for pk, m in self.materials.items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("material"):
            self.add_error("material", _("Say which material the file is."))
        return data


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Required for a refusal: at least 10 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Waiting for"), choices=PauseKind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    to = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        self.fields["to"].choices = [(pk, u.get_username()) for pk, u in self.staff.items()]


FORMS = {
    "accept": CommentForm,
    "refuse_acceptance": ReasonForm,
    "request_correction": CorrectionForm,
    "answer_correction": AnswerCorrectionForm,
    "review": CommentForm,
    "decide": DecideForm,
    "close": CommentForm,
    "deliver": CommentForm,
    "pause": PauseForm,
    "resume": CommentForm,
}


class RectificationTextForm(forms.Form):
    text = forms.CharField(
        label=_("Record"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write what happened."),
            "min_length": _("Write at least %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class AppealDecisionForm(RectificationTextForm):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "1",
        choices=[
            ("1", _("Uphold the appeal: the rating does not count")),
            ("0", _("Reject it: rectify")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to uphold or to reject the appeal.")},
    )
