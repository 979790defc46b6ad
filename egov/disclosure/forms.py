"""The forms of disclosure requests: the applicant's online request and correction, and the
staff's verbs. Every message is shown next to its field, and what was typed is kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.directory.models import Organisation

from .choices import OUTCOMES_OF_KIND, AnswerKind, ApplicantType, Channel, FeeMethod, Form, Outcome
from .models import RedactionRule
from .services import CORRECTION_DAYS, MAX_EXTENSION

ORGANISATION_TYPES = [c for c in ApplicantType.choices if c[0] != ApplicantType.PERSON]


class RequestForm(forms.Form):
    """第29条: the body asked, who applies (from the verified identity), how to reach them,
    what is asked for, in which form and how to receive it."""

    body = forms.ModelChoiceField(
        label=_("Body you ask"),
        queryset=Organisation.objects.none(),
        empty_label=_("— choose a body —"),
    )
    applicant_type = forms.ChoiceField(
        label=_("Kind of organisation"), choices=ORGANISATION_TYPES, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^[0-9]{6}$",
        required=False,
        error_messages={"invalid": _("A postcode is 6 digits.")},
    )
    description = forms.CharField(
        label=_("Information requested"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The name or document number of the information, or a description precise enough "
            "for the body to find it."
        ),
    )
    form = forms.ChoiceField(label=_("Form wanted"), choices=Form.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(
        label=_("How to receive it"), choices=Channel.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, legal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal = legal
        self.fields["body"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "sort_order", "code"
        )
        self.fields["body"].label_from_instance = lambda body: body.name_zh
        if not legal:
            del self.fields["applicant_type"]
        else:
            self.fields["applicant_type"].required = True
        for name in ("phone",):
            self.fields[name].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == Channel.POST and not data.get("address"):
            self.add_error("address", _("Give a postal address to receive the answer by post."))
        if channel == Channel.EMAIL and not data.get("email"):
            self.add_error("email", _("Give an e-mail address to receive the answer by e-mail."))
        return data


class CorrectionForm(forms.Form):
    description = forms.CharField(
        label=_("Corrected request"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )


class AskCorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What must be corrected"), min_length=10, widget=forms.Textarea(attrs={"rows": 3})
    )
    days = forms.IntegerField(
        label=_("Working days to correct"), min_value=1, max_value=60, initial=CORRECTION_DAYS
    )


class ConsultForm(forms.Form):
    third_party = forms.CharField(label=_("Third party consulted"), max_length=200)


class EndConsultationForm(forms.Form):
    note = forms.CharField(
        label=_("The third party's reply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Extension (working days)"), min_value=1, max_value=MAX_EXTENSION
    )
    reason = forms.CharField(
        label=_("Reason, told to the applicant"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices)
    outcome = forms.ChoiceField(
        label=_("Reason (row of the annual report)"),
        choices=[("", _("— as the answer implies —")), *Outcome.choices],
        required=False,
        help_text=_("Needed when the answer is not disclosed, cannot be provided or not handled."),
    )
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))
    legal_basis = forms.CharField(
        label=_("Legal basis of the answer"), max_length=300, required=False
    )
    where_public = forms.CharField(
        label=_("Where it is already public"), max_length=500, required=False
    )
    right_body = forms.CharField(label=_("The body that holds it"), max_length=200, required=False)
    fee_method = forms.ChoiceField(
        label=_("Processing fee"), choices=FeeMethod.choices, initial=FeeMethod.NONE
    )
    pages = forms.IntegerField(label=_("Number of pages"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        kind, outcome = data.get("kind"), data.get("outcome")
        if kind and outcome and outcome not in OUTCOMES_OF_KIND[kind]:
            self.add_error("outcome", _("This reason does not go with this answer."))
        if data.get("fee_method") == FeeMethod.BY_PAGES and data.get("pages") is None:
            self.add_error("pages", _("Give the number of pages to charge by the amount."))
        return data


class RedactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RedactionRule.Kind.choices)
    value = forms.CharField(label=_("Text or pattern to hide"), max_length=500)
    scope = forms.ChoiceField(
        label=_("Applies to"), choices=RedactionRule.Scope.choices, initial="all"
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AnswerFileForm(forms.Form):
    file = forms.FileField(
        label=_("File of the answer"),
        help_text=_(
            "DOCX, PDF or plain text, at most 20 MB. What must be hidden is hidden in the copy "
            "the applicant gets."
        ),
    )


STAFF_FORMS = {
    "redact": RedactionForm,
    "ask_correction": AskCorrectionForm,
    "record_correction": CorrectionForm,
    "consult": ConsultForm,
    "end_consultation": EndConsultationForm,
    "extend": ExtendForm,
    "answer": AnswerForm,
}
