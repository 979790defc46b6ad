"""Log in with a user name, a mobile number or an e-mail address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q

from egov.core.validators import normalise_code, validate_mobile


def find_user(identifier: str):
    User = get_user_model()
    text = (identifier or "").strip()
    if not text:
        return None
    query = Q(username=text)
    if "@" in text:
        query |= Q(email__iexact=text)
    else:
        try:
            query |= Q(mobile=validate_mobile(text))
        except ValidationError:
            query |= Q(username=normalise_code(text).lower())
    return User.objects.filter(query).order_by("id").first()


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
