from __future__ import annotations

import datetime

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.masking import KINDS

from .models import FieldType, Resource, SharingType
from .services import default_grant_days


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "code",
            "name",
            "provider",
            "description",
            "sharing_type",
            "refusal_basis",
            "open_to_public",
            "update_frequency",
            "data_format",
            "access",
        ]
        widgets = {
            "sharing_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = bodies
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("sharing_type") == SharingType.NONE:
            if not (data.get("refusal_basis") or "").strip():
                self.add_error(
                    "refusal_basis", _("Name the law or rule under which it is not shared.")
                )
            if data.get("open_to_public"):
                self.add_error(
                    "open_to_public", _("A resource that is not shared cannot be open data.")
                )
        return data


class FieldForm(forms.Form):
    name = forms.SlugField(label=_("Field name"), max_length=60, required=False)
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    field_type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices)
    meaning = forms.CharField(label=_("Meaning"), max_length=300, required=False)
    personal = forms.BooleanField(label=_("Personal data"), required=False)
    mask_kind = forms.ChoiceField(
        label=_("Masked as"),
        required=False,
        choices=[("", "—"), *[(kind, kind) for kind in KINDS]],
    )

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("label"):
            self.add_error("label", _("Give the field a label."))
        if data.get("label") and not data.get("name"):
            self.add_error("name", _("Give the field a name."))
        if data.get("personal") and data.get("name") and not data.get("mask_kind"):
            data["mask_kind"] = "name"
        return data


FieldFormSet = formset_factory(FieldForm, extra=2)


def field_values(formset) -> list[dict]:
    return [
        {key: form.cleaned_data.get(key, "") for key in FieldForm.base_fields}
        for form in formset
        if form.cleaned_data.get("name")
    ]


class GrantRequestForm(forms.Form):
    body = forms.ModelChoiceField(label=_("For the body"), queryset=None, empty_label=None)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("What the data is needed for, and on what legal basis."),
    )
    wanted = forms.MultipleChoiceField(
        label=_("Fields needed"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, resource, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["wanted"].choices = [
            (f.name, f"{f.label} ({f.name})" + (" — " + str(_("personal")) if f.personal else ""))
            for f in resource.fields.all()
        ]


class ApproveForm(forms.Form):
    granted = forms.MultipleChoiceField(
        label=_("Fields granted"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a field to narrow the grant."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unmasked = forms.BooleanField(
        label=_("Personal fields in full (not masked)"),
        required=False,
        help_text=_("Only when the purpose needs them in full."),
    )

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(grant.resource.fields.values_list("name", "label"))
        self.fields["granted"].choices = [
            (name, f"{labels.get(name, name)} ({name})") for name in grant.fields_requested
        ]
        self.fields["granted"].initial = list(grant.fields_requested)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(
            days=default_grant_days()
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
