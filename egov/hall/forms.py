"""Django forms made from an item's form definition (data, ``egov.services.forms``) and its
materials, for rendering and for reading what was posted.

The Django fields are only the rendering (labels, help, widgets with the right input types,
``aria-describedby``/``aria-invalid``): every field is optional to Django, because a draft is
saved as typed. The checks are ``services.forms.check_answers``, run on submission, whose
messages are put next to their fields. Fields asked only under a condition say so in their
help text (the page works without JavaScript, so every field is shown).
"""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.hall.catalogue import label
from egov.services.choices import UploadType
from egov.services.forms import localised

INPUT_ATTRS = {
    "id-number": {"autocomplete": "off", "inputmode": "text", "spellcheck": "false"},
    "mobile": {"autocomplete": "tel", "inputmode": "tel", "type": "tel"},
    "email": {"autocomplete": "email", "type": "email"},
    "uscc": {"autocomplete": "off", "spellcheck": "false"},
    "number": {"inputmode": "decimal"},
    "date": {"type": "date"},
}


def _condition_text(spec: dict, by_name: dict[str, dict]) -> str:
    condition = spec.get("shown_if")
    if not condition:
        return ""
    other = by_name.get(condition["field"], {})
    other_label = localised(other.get("label")) or condition["field"]
    if "filled" in condition:
        return _("Only if “%(field)s” is filled in.") % {"field": other_label}
    wanted = condition["in"] if "in" in condition else [condition["equals"]]
    names = {choice["value"]: localised(choice["label"]) for choice in other.get("choices", [])}
    shown = []
    for value in wanted:
        if value is True:
            shown.append(_("yes"))
        elif value is False:
            shown.append(_("no"))
        else:
            shown.append(names.get(value, str(value)))
    return _("Only if the answer to “%(field)s” is %(values)s.") % {
        "field": other_label,
        "values": " / ".join(shown),
    }


def _django_field(spec: dict, help_text: str) -> forms.Field:
    kind = spec["type"]
    common = {"label": localised(spec["label"]), "required": False, "help_text": help_text}
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=False, **common)
    if kind == "choice":
        choices = [(c["value"], localised(c["label"])) for c in spec["choices"]]
        if spec.get("multiple"):
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=[("", _("— choose —")), *choices], **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    return forms.CharField(
        widget=forms.TextInput(attrs=dict(INPUT_ATTRS.get(kind, {}))), strip=False, **common
    )


class AnswersForm(forms.Form):
    """The applicant's answers; ``answer_required`` marks the fields the definition requires
    (shown as required; checked on submission)."""

    def __init__(self, definition: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        by_name = {spec["name"]: spec for spec in definition.get("fields", [])}
        for spec in definition.get("fields", []):
            help_parts = [localised(spec.get("help")), _condition_text(spec, by_name)]
            field = _django_field(spec, " ".join(part for part in help_parts if part))
            field.answer_required = bool(spec.get("required"))
            field.answer_type = spec["type"]
            self.fields[spec["name"]] = field

    def raw_answers(self) -> dict:
        """What was posted, as typed (for the draft): a list for multiple choices, True for a
        ticked box, text otherwise; empty fields left out."""
        answers = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                values = [v for v in self.data.getlist(name) if v]
                if values:
                    answers[name] = values
            elif isinstance(field, forms.BooleanField):
                if self.data.get(name) in {"on", "true", "1", "yes"}:
                    answers[name] = True
            else:
                value = self.data.get(name, "")
                if value.strip():
                    answers[name] = value[:10000]
        return answers

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the submission's problems next to their fields (the form is bound)."""
        self.cleaned_data = {}
        self._errors = forms.utils.ErrorDict()
        for name, messages in errors.items():
            if name in self.fields:
                self._errors[name] = self.error_class(messages)


class MaterialsForm(forms.Form):
    """One file field per material of the guide; ``stored`` says which file is kept."""

    def __init__(
        self,
        materials: list[dict],
        stored: dict,
        *args,
        optional=False,
        wallet: dict | None = None,
        chosen: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.materials = {}
        self.licence_fields = {}
        wallet = wallet or {}
        chosen = chosen or {}
        for index, material in enumerate(materials):
            name = f"material_{index}"
            accepted = ", ".join(
                label(UploadType, kind) for kind in material.get("accepted_types", [])
            )
            parts = [
                _("Accepted: %(types)s; at most %(size)s.")
                % {
                    "types": accepted or label(UploadType, "application/pdf"),
                    "size": filesizeformat(material.get("max_upload_bytes") or 0),
                }
            ]
            if material.get("requirement_note"):
                parts.insert(0, material["requirement_note"])
            kept = stored.get(material["name"])
            if kept is not None:
                parts.append(
                    _("Kept: %(file)s (%(size)s). Choose a file only to replace it.")
                    % {"file": kept.file_name, "size": filesizeformat(kept.size)}
                )
            field = forms.FileField(
                label=material["name"], required=False, help_text=" ".join(parts)
            )
            field.answer_required = not optional and bool(material.get("required")) and not kept
            field.widget.attrs["accept"] = ",".join(material.get("accepted_types", []))
            self.fields[name] = field
            self.materials[name] = material
            licences = wallet.get(material.get("licence_type") or "", [])
            if licences:
                if chosen.get(material["name"]):
                    field.answer_required = False
                choice = forms.ChoiceField(
                    label=_("Or use your e-licence for “%(material)s”")
                    % {"material": material["name"]},
                    required=False,
                    choices=[("", _("No: I upload a file"))]
                    + [(row.number, f"{row.name} {row.number}") for row in licences],
                    widget=forms.RadioSelect,
                    initial=chosen.get(material["name"], ""),
                    help_text=_("Taken from your e-licence wallet: nothing to upload."),
                )
                choice.answer_required = False
                self.fields[f"licence_{index}"] = choice
                self.licence_fields[f"licence_{index}"] = material

    def uploads(self) -> dict:
        """Material name → the file chosen for it in this post."""
        return {
            self.materials[name]["name"]: self.files[self.add_prefix(name)]
            for name in self.fields
            if self.files.get(self.add_prefix(name))
        }

    def chosen_licences(self) -> dict:
        """Material name → the licence number chosen for it in this post."""
        chosen = {}
        for name, material in self.licence_fields.items():
            value = self.data.get(self.add_prefix(name), "")
            if value:
                chosen[material["name"]] = value
        return chosen

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        self.cleaned_data = {}
        self._errors = forms.utils.ErrorDict()
        for name, material in self.materials.items():
            if material["name"] in errors:
                self._errors[name] = self.error_class(errors[material["name"]])


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the department"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What you send, or why something cannot be sent."),
        error_messages={"max_length": gettext_lazy("Write at most %(limit_value)d characters.")},
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with how your application was handled?"),
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the five levels.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required if you are dissatisfied: tell us what went wrong."),
        error_messages={"max_length": gettext_lazy("Write at most %(limit_value)d characters.")},
    )

    def __init__(self, *args, **kwargs):
        from .models import Rating

        super().__init__(*args, **kwargs)
        self.fields["score"].choices = Rating.Score.choices
        self.fields["score"].answer_required = True
        self.fields["comment"].answer_required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("score") is not None and cleaned["score"] <= 2:
            if len((cleaned.get("comment") or "").strip()) < 5:
                self.add_error("comment", gettext_lazy("Tell us in a few words what went wrong."))
        return cleaned
