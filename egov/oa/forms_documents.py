"""Forms of the official-document pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.directory.models import Organisation

from .models import Document, Secrecy, Urgency
from .services_documents import EDITABLE


class BodyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_zh


class DocumentForm(forms.ModelForm):
    body = forms.ModelChoiceField(
        label=_("Issuing body"), queryset=Organisation.objects.none(), empty_label=None
    )
    main_to = BodyChoiceField(
        label=_("Main recipients (主送机关)"),
        queryset=Organisation.objects.filter(is_active=True),
        help_text=_("Hold Ctrl (or ⌘) to choose several bodies."),
    )
    copy_to = BodyChoiceField(
        label=_("Copied to (抄送机关)"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("Hold Ctrl (or ⌘) to choose several bodies."),
    )

    class Meta:
        model = Document
        fields = [
            "doc_type",
            "title",
            "text",
            "attachment_note",
            "copy_number",
            "secrecy",
            "secrecy_term",
            "urgency",
            "signature",
            "remark",
            "printing_body",
            "sealed",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 14}),
            "attachment_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Organisation.objects.none()
        self.fields["signature"].required = False
        self.fields["printing_body"].required = False
        if self.instance.pk:
            del self.fields["body"]
            self.initial["main_to"] = list(self.instance.main_to.all())
            self.initial["copy_to"] = list(self.instance.copy_to.all())

    def draft_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in EDITABLE if name in self.cleaned_data}
        for name in ("signature", "printing_body"):
            if not data.get(name):
                data.pop(name, None)
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Reason or comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Send back to the drafter"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when sending back: say what is to change."),
    )


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept for handling")), ("return", _("Return it"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when returning the document."),
    )


class PeopleField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class InstructForm(forms.Form):
    note = forms.CharField(
        label=_("Instruction (批办意见)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    handler = PeopleField(label=_("Handled by"), queryset=User.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = people if people is not None else User.objects.none()


class CirculateForm(forms.Form):
    readers = forms.ModelMultipleChoiceField(label=_("Readers"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = people if people is not None else User.objects.none()
        self.fields["readers"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class ExternalForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Receiving body"), queryset=Organisation.objects.none(), empty_label=None
    )
    sender = forms.CharField(label=_("Sending body"), max_length=100)
    sender_number = forms.CharField(
        label=_("Sender's document number"), max_length=60, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    secrecy = forms.TypedChoiceField(
        label=_("Secrecy level (密级)"), choices=Secrecy.choices, coerce=int
    )
    urgency = forms.ChoiceField(
        label=_("Urgency (紧急程度)"), choices=Urgency.choices, required=False
    )
    due_on = forms.DateField(
        label=_("To be handled by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"))

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Organisation.objects.none()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search documents"), max_length=100, required=False)
