"""The forms of error reports (我为政府网站找错): the visitor's report, and the editor's reply.

Spam is kept out without any puzzle for people (``egov.web.antispam``): a honeypot field that
people never see (a ``hidden`` block, so neither eyes nor screen readers meet it) must stay
empty, and the form must come back at least ``MIN_SECONDS`` after it was served and within
``MAX_AGE_SECONDS`` (a signed time stamp in a hidden field)."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from egov.core.validators import validate_mobile
from egov.portal.models import ErrorKind
from egov.web import antispam

STAMP_SALT = "portal.error_report.form"
MIN_SECONDS = 3
MAX_AGE_SECONDS = 24 * 3600
ADDRESS_LIMIT = 300
DESCRIPTION_LIMIT = 2000
REPLY_LIMIT = 4000


def issue_stamp(at: float | None = None) -> str:
    """The signed time the form was served (``at``, seconds since the epoch; now if not
    given)."""
    return antispam.issue_stamp(STAMP_SALT, at=at)


class ErrorReportForm(antispam.AntiSpamForm):
    stamp_salt = STAMP_SALT
    min_seconds = MIN_SECONDS
    max_age_seconds = MAX_AGE_SECONDS
    refused_message = _(
        "The report could not be accepted as sent. Check it and send it again; "
        "what you typed is kept."
    )

    address = forms.CharField(
        label=_("Address of the page"),
        max_length=ADDRESS_LIMIT,
        help_text=_("Filled in from the page you came from; correct it if needed, e.g. /news/."),
        error_messages={
            "required": _("Enter the address of the page with the error, e.g. /news/."),
            "max_length": _("The address is too long: at most %(limit_value)d characters."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Type of error"),
        choices=[("", _("Choose the type of error"))] + list(ErrorKind.choices),
        error_messages={
            "required": _("Choose the type of error from the list."),
            "invalid_choice": _("Choose the type of error from the list."),
        },
    )
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say where on the page the error is and what it should be."),
        error_messages={
            "required": _("Describe the error, so that the editors can find and correct it."),
            "max_length": _(
                "Shorten the description to at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )
    contact = forms.CharField(
        label=_("Your e-mail address or mobile number"),
        required=False,
        max_length=254,
        help_text=_(
            "Optional. With an e-mail address the reply is e-mailed to you; a mobile number "
            "lets the editors call you. Only the site's editors see it."
        ),
    )

    def clean_address(self) -> str:
        address = " ".join(self.cleaned_data["address"].split())
        if any(ord(char) < 32 for char in address):
            raise ValidationError(_("Remove the control characters from the address."))
        if urlsplit(address).scheme.lower() not in ("", "http", "https"):
            raise ValidationError(
                _("Enter a web address (http:// or https://) or a path such as /news/.")
            )
        return address

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(
                _("Describe the error, so that the editors can find and correct it.")
            )
        return description

    def clean_contact(self) -> str:
        contact = self.cleaned_data["contact"].strip()
        if not contact:
            return ""
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise ValidationError(
                    _(
                        "Enter an e-mail address such as name@example.com, or an 11-digit "
                        "mobile number such as 13800138000."
                    ),
                    code="contact",
                ) from None
            return contact
        try:
            return validate_mobile(contact)
        except ValidationError:
            raise ValidationError(
                _(
                    "Enter an 11-digit mobile number such as 13800138000, or an e-mail "
                    "address such as name@example.com."
                ),
                code="contact",
            ) from None

    @property
    def contact_email(self) -> str:
        contact = self.cleaned_data.get("contact", "")
        return contact if "@" in contact else ""

    @property
    def contact_mobile(self) -> str:
        contact = self.cleaned_data.get("contact", "")
        return "" if "@" in contact else contact


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the visitor"),
        max_length=REPLY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What was corrected, or why nothing needs to be. It is e-mailed to the visitor "
            "when they gave an address, and shown on their report's status page."
        ),
        error_messages={
            "required": _("Write the reply before sending it."),
            "max_length": _("Shorten the reply to at most %(limit_value)d characters."),
        },
    )

    def clean_reply(self) -> str:
        reply = self.cleaned_data["reply"].strip()
        if not reply:
            raise ValidationError(_("Write the reply before sending it."))
        return reply
