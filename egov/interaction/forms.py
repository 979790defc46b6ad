"""The forms of letters: the writer's letter and rating, the query by code, and the staff's
verbs. Every message is shown next to its field, and what was typed is kept."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from egov.directory.models import Organisation
from egov.services.uploads import HEAD_BYTES, check_content
from egov.web.antispam import AntiSpamForm

from .mailboxes import active_mailboxes
from .messages import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from .models import Category, Rating
from .services import MIN_REASON, limits


def _bodies():
    return Organisation.objects.filter(is_active=True).order_by("sort_order", "code")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to three files, each a PDF, JPEG or PNG by its content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(n)d files may go with a letter.") % {"n": MAX_ATTACHMENTS}
            )
        checked = []
        for upload in files:
            upload = super().clean(upload, initial)
            head = upload.read(HEAD_BYTES)
            upload.seek(0)
            content_type = check_content(
                upload.name,
                head,
                upload.size,
                allowed=sorted(ATTACHMENT_TYPES),
                max_bytes=MAX_ATTACHMENT_BYTES,
            )
            checked.append((upload.name, content_type, upload.read()))
        return checked


class LetterForm(AntiSpamForm):
    """The writer's letter, with the shared spam checks and a text question (the CAPTCHA,
    non-visual: ``egov.web.antispam``)."""

    stamp_salt = "interaction.letter.form"
    ask_question = True
    refused_message = _(
        "The letter could not be accepted as sent. Check it and send it again; what you "
        "typed is kept."
    )

    mailbox = forms.ModelChoiceField(
        label=_("Mailbox"), queryset=None, empty_label=_("— choose a mailbox —")
    )
    category = forms.ChoiceField(
        label=_("Kind of letter"), choices=Category.choices, widget=forms.RadioSelect
    )
    accused_body = forms.ModelChoiceField(
        label=_("Body your report is about"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
        help_text=_("For a report (举报) only. The letter and your name never go to this body."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Your letter"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = AttachmentsField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 3 files: PDF, JPEG or PNG, at most 10 MB each."),
    )
    writer_name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(label=_("Telephone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_("The question and the reply may be published, with my personal data hidden"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailbox"].queryset = active_mailboxes()
        self.fields["mailbox"].label_from_instance = lambda mailbox: mailbox.name
        self.fields["accused_body"].queryset = _bodies()
        self.fields["accused_body"].label_from_instance = lambda body: body.name_zh
        self.fields["writer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    def clean(self):
        data = super().clean()
        accused, mailbox = data.get("accused_body"), data.get("mailbox")
        if data.get("category") != Category.REPORT:
            data["accused_body"] = None
        elif accused is not None and mailbox is not None:
            if mailbox.body.path.startswith(accused.path):
                self.add_error(
                    "mailbox",
                    _(
                        "A report on %(body)s cannot go to a mailbox of that body: choose the "
                        "district head's mailbox or a supervising body."
                    )
                    % {"body": accused.name_zh},
                )
        return data


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueryForm(forms.Form):
    code = forms.CharField(
        label=_("Query code"),
        max_length=24,
        help_text=_("The code you were given when you wrote the letter, e.g. ABCD-EFGH-JKMN-PQRS."),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


# --- staff ------------------------------------------------------------------------------


class RegisterForm(forms.Form):
    """A letter by post or at a visit, registered by the mailbox's staff."""

    mailbox = forms.ModelChoiceField(label=_("Mailbox"), queryset=None)
    received_on = forms.DateField(
        label=_("Received on"), help_text=_("YYYY-MM-DD: the acceptance limit counts from it.")
    )
    category = forms.ChoiceField(
        label=_("Kind of letter"), choices=Category.choices, widget=forms.RadioSelect
    )
    accused_body = forms.ModelChoiceField(
        label=_("Body the report is about"), queryset=None, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Text of the letter"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    writer_name = forms.CharField(label=_("Writer's name"), max_length=100)
    phone = forms.CharField(label=_("Telephone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_("The writer agrees to publication (personal data hidden)"), required=False
    )

    def __init__(self, *args, mailboxes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailbox"].queryset = mailboxes
        self.fields["mailbox"].label_from_instance = lambda mailbox: mailbox.name
        self.fields["accused_body"].queryset = _bodies()
        self.fields["accused_body"].label_from_instance = lambda body: body.name_zh


def _reason(label, required=True):
    return forms.CharField(
        label=label,
        min_length=MIN_REASON if required else None,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note to the writer"), required=False, max_length=1000)


class DeclineForm(forms.Form):
    reason = _reason(_("Why it is not accepted, told to the writer (and where to turn)"))


class RouteForm(forms.Form):
    to_body = forms.ModelChoiceField(label=_("Responsible body"), queryset=None)
    joint = forms.ModelMultipleChoiceField(
        label=_("Bodies handling it jointly"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = _reason(_("Reason (needed when the letter was routed before)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("to_body", "joint"):
            self.fields[name].queryset = _bodies()
            self.fields[name].label_from_instance = lambda body: body.name_zh


class RefuseRoutingForm(forms.Form):
    reason = _reason(_("Why this is not your body's matter"))


class AccusedBodyForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body the report is about"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies()
        self.fields["body"].label_from_instance = lambda body: body.name_zh


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), min_length=MIN_REASON, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("send_back", _("Send back"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What to change (when sent back)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == "send_back"
            and len((data.get("note") or "").strip()) < MIN_REASON
        ):
            self.add_error(
                "note",
                _("Say what to change in at least %(n)d characters.") % {"n": MIN_REASON},
            )
        return data


class ReplyForm(forms.Form):
    confirm = forms.BooleanField(label=_("Send the signed-off reply to the writer"))


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extension (days)"), min_value=1)
    reason = _reason(_("Reason, told to the writer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        maximum = limits()["MAX_EXTENSION_DAYS"]
        self.fields["days"].max_value = maximum
        self.fields["days"].validators.append(MaxValueValidator(maximum))
        self.fields["days"].widget.attrs["max"] = maximum


class FollowUpForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("The writer's rating (follow-up call)"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note of the call"), required=False, max_length=1000)


class PublishForm(forms.Form):
    question = forms.CharField(
        label=_("Question as published"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Leave empty to publish the letter's text. Personal data is masked either way."
        ),
    )
    answer = forms.CharField(
        label=_("Answer as published"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to publish the reply."),
    )
    preview = forms.BooleanField(label=_("Preview only"), required=False)


class FlagForm(forms.Form):
    reason = _reason(_("Why the letter is held for moderation"))


class ReleaseForm(forms.Form):
    note = forms.CharField(label=_("Note (internal)"), required=False, max_length=1000)


class RejectForm(forms.Form):
    reason = _reason(_("Why the letter is rejected, told to the writer"))


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Number of the earlier letter on the same matter"),
        max_length=30,
        help_text=_("This letter is closed and its writer told which letter answers the matter."),
    )
    reason = forms.CharField(label=_("Note (internal)"), required=False, max_length=1000)


STAFF_FORMS = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "route": RouteForm,
    "refuse_routing": RefuseRoutingForm,
    "accused_body": AccusedBodyForm,
    "opinion": OpinionForm,
    "draft": DraftForm,
    "review": ReviewForm,
    "sign_off": ReviewForm,
    "reply": ReplyForm,
    "extend": ExtendForm,
    "follow_up": FollowUpForm,
    "publish": PublishForm,
    "flag": FlagForm,
    "release": ReleaseForm,
    "reject": RejectForm,
    "merge": MergeForm,
}
