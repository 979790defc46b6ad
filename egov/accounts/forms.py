from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.core.validators import validate_id_number, validate_mobile, validate_uscc

from .models import CitizenIdentity, EnterpriseIdentity, User


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Mobile number, e-mail or user name"),
        max_length=150,
        error_messages={
            "required": _("Enter your mobile number, e-mail address or user name."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        error_messages={
            "required": _("Enter the 6-digit code that your authenticator app shows now."),
            "min_length": _("The code has 6 digits; you typed fewer. Enter all 6 digits."),
            "max_length": _("The code has 6 digits; you typed more. Enter only the 6 digits."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise ValidationError(
                _("The code is made of digits only: type the 6 digits your app shows."),
                code="digits",
            )
        return token


class RegistrationForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.com.")},
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the same password again.")},
    )

    def clean_mobile(self):
        value = self.cleaned_data.get("mobile", "").strip()
        if not value:
            return ""
        number = validate_mobile(value)
        if User.objects.filter(mobile=number).exists():
            raise ValidationError(
                _("This mobile number is already registered: log in instead."), code="taken"
            )
        return number

    def clean_email(self):
        value = (self.cleaned_data.get("email") or "").strip().lower()
        if value and User.objects.filter(email__iexact=value).exists():
            raise ValidationError(
                _("This e-mail address is already registered: log in instead."), code="taken"
            )
        return value

    def clean(self):
        data = super().clean()
        if (
            not data.get("mobile")
            and not data.get("email")
            and not self.has_error("mobile")
            and not self.has_error("email")
        ):
            self.add_error("mobile", _("Enter a mobile number or an e-mail address."))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        if p1:
            probe = User(mobile=data.get("mobile") or None, email=data.get("email") or None)
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class CitizenIdentityForm(forms.ModelForm):
    class Meta:
        model = CitizenIdentity
        fields = ["real_name", "id_number"]
        widgets = {
            "real_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        help_texts = {"id_number": _("18 characters, as printed on your resident identity card.")}
        error_messages = {
            "real_name": {"required": _("Enter your full name as on your identity card.")},
            "id_number": {
                "required": _("Enter the 18-character number of your resident identity card."),
            },
        }

    def clean_real_name(self):
        name = self.cleaned_data["real_name"].strip()
        if len(name) < 2:
            raise ValidationError(_("Enter your full name as on your identity card."), code="short")
        return name

    def clean_id_number(self):
        number = validate_id_number(self.cleaned_data["id_number"])
        others = CitizenIdentity.objects.filter(id_number=number)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("This ID number is already linked to another account."), code="taken"
            )
        return number


class EnterpriseIdentityForm(forms.ModelForm):
    class Meta:
        model = EnterpriseIdentity
        fields = ["name", "uscc", "legal_representative"]
        help_texts = {"uscc": _("18 characters, as printed on the business licence.")}
        error_messages = {
            "name": {"required": _("Enter the enterprise's name as on the business licence.")},
            "uscc": {
                "required": _(
                    "Enter the 18-character unified social credit code from the business licence."
                ),
            },
            "legal_representative": {
                "required": _(
                    "Enter the legal representative's full name as on the business licence."
                ),
            },
        }

    def clean_legal_representative(self):
        name = self.cleaned_data["legal_representative"].strip()
        if len(name) < 2:
            raise ValidationError(
                _("Enter the legal representative's full name as on the business licence."),
                code="short",
            )
        return name

    def clean_uscc(self):
        code = validate_uscc(self.cleaned_data["uscc"])
        others = EnterpriseIdentity.objects.filter(uscc=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("This enterprise is already registered by another account."), code="taken"
            )
        return code
