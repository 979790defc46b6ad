"""Forms of the FAQ (docs/interaction.md, "FAQ")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the questions"), max_length=100, required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t, t) for t in topics]


class FaqEntryForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=None)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=100,
        required=False,
        help_text=_("Questions of one topic are listed together, such as 社会保障."),
    )
    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        help_text=_("A general question, as residents would ask it."),
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    publish = forms.BooleanField(label=_("Publish now"), required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is None:
            del self.fields["body"]  # an entry's body stays
            del self.fields["publish"]  # published or hidden with its own buttons
        else:
            self.fields["body"].queryset = bodies
            self.fields["body"].label_from_instance = lambda body: body.name_zh
