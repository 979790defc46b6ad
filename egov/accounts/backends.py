"""Log in with a user name, a mobile number or an e-mail address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from egov.core.validators import normalise_code, validate_mobile


def normalise_identifier(identifier: str) -> str:
    """One spelling per identifier: a mobile number as its 11 digits, an e-mail address in
    lower case, anything else as half-width lower-case text."""
    text = (identifier or "").strip()
    if "@" in text:
        return text.lower()
    try:
        return validate_mobile(text)
    except ValidationError:
        return normalise_code(text).lower()


def find_user(identifier: str):
    """The account that ``identifier`` names: an exact user name first, then an e-mail
    address or a mobile number (in any spelling), then a user name typed in another case or
    in full-width characters."""
    User = get_user_model()
    text = (identifier or "").strip()
    if not text:
        return None
    exact = User.objects.filter(username=text).first()
    if exact is not None:
        return exact
    normalised = normalise_identifier(text)
    if "@" in text:
        return User.objects.filter(email__iexact=normalised).order_by("id").first()
    if normalised.isdigit() and len(normalised) == 11:
        found = User.objects.filter(mobile=normalised).first()
        if found is not None:
            return found
    return User.objects.filter(username=normalised).first()


def throttle_key(identifier: str) -> str:
    """What login throttling counts failures against: the account's user name when the
    identifier names an account, so that its mobile number, e-mail address and user name
    (in any spelling) share one counter; otherwise the normalised identifier."""
    user = find_user(identifier)
    if user is not None:
        return user.get_username()
    return normalise_identifier(identifier)


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Spend the same time as a real check, so that timing does not tell who exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
