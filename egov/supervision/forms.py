import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Signal


def parse_month(value: str) -> datetime.date | None:
    """``YYYY-MM`` (the value of an ``<input type="month">``) → its first day, or None."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Give a month as year-month, e.g. 2026-10."))
        return month


def parse_quarter(value: str) -> datetime.date | None:
    """``YYYY-Qn`` (e.g. ``2026-Q3``) → the first day of the quarter, or None."""
    match = re.fullmatch(r"(\d{4})-[Qq]([1-4])", (value or "").strip())
    if match is None:
        return None
    return datetime.date(int(match[1]), 3 * int(match[2]) - 2, 1)


class QuarterField(forms.CharField):
    widget = forms.TextInput(attrs={"placeholder": "2026-Q3"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        quarter = parse_quarter(value)
        if quarter is None:
            raise forms.ValidationError(_("Give a quarter as year-Q and its number, e.g. 2026-Q3."))
        return quarter


class SignalFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all"))] + Signal.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + Signal.Status.choices
    )
    body = forms.ModelChoiceField(
        label=_("Body"), required=False, queryset=None, empty_label=_("all")
    )
    month = MonthField(label=_("Month raised"), required=False)
    code = forms.ChoiceField(label=_("Anomaly"), required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        from .models import AnomalyRule

        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["code"].choices = [("", _("all"))] + list(
            AnomalyRule.objects.filter(item_type="").values_list("code", "label")
        )

    def apply(self, queryset):
        if not self.is_valid():
            return queryset.none()  # say what is wrong rather than show something else
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("body"):
            queryset = queryset.filter(body=data["body"])
        if data.get("code"):
            queryset = queryset.filter(code=data["code"])
        if data.get("month"):
            first = data["month"]
            end = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            queryset = queryset.filter(raised_on__gte=first, raised_on__lt=end)
        return queryset


class ExplainForm(forms.Form):
    text = forms.CharField(
        label=_("Explanation (反馈)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Why the limit was not kept, and what the body is doing about it."),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,  # checked by the service, with its own message
        help_text=_("Required. It is kept with the signal and in the audit log."),
    )
    unfounded = forms.BooleanField(
        label=_("Unfounded: do not deduct it from the body's score"), required=False
    )


class ScoresForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


class NoticeTextForm(forms.Form):
    """督办: the text of a notice, of its answer or of the reason for closing it."""

    text = forms.CharField(
        label=_("Text"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write at least 10 characters."),
            "min_length": _("Write at least %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
