"""One user model for staff, citizens and enterprise users (from the first migration)."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.validators import validate_id_number, validate_mobile, validate_uscc


class EgovUserManager(UserManager):
    @classmethod
    def normalize_email(cls, email):
        # A missing e-mail is stored as NULL, so that the unique constraint allows many.
        return super().normalize_email(email) or None

    def create_citizen(self, *, mobile=None, email=None, password=None, **extra):
        extra.setdefault("kind", User.Kind.CITIZEN)
        username = extra.pop("username", None) or f"u{uuid.uuid4().hex[:16]}"
        return self.create_user(
            username=username,
            mobile=mobile or None,
            email=email or None,
            password=password,
            **extra,
        )


class User(AbstractUser):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CITIZEN = "citizen", _("Citizen")
        ENTERPRISE = "enterprise", _("Enterprise user")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CITIZEN)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo-data command; only these may print a TOTP code."),
    )

    objects = EgovUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF


class CitizenIdentity(models.Model):
    """Real-name data of a natural person (实名信息)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_identity")
    real_name = models.CharField(_("real name"), max_length=50)
    id_number = models.CharField(
        _("resident ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("citizen identity")
        verbose_name_plural = _("citizen identities")

    def __str__(self) -> str:
        from egov.core.masking import mask

        return f"{mask('name', self.real_name)} {mask('id_number', self.id_number)}"


class EnterpriseIdentity(models.Model):
    """An enterprise user's legal entity (法人信息)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="enterprise_identity")
    name = models.CharField(_("enterprise name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise identity")
        verbose_name_plural = _("enterprise identities")

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"


class OidcSubject(models.Model):
    """The stable, opaque identifier (``sub``) under which client systems know a person.

    Not the user name (a staff user name often is the person's name) and not the database
    id: a random UUID made the first time the person logs in to a client system."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="oidc_subject")
    sub = models.UUIDField(_("subject identifier"), unique=True, default=uuid.uuid4)

    class Meta:
        verbose_name = _("subject identifier")
        verbose_name_plural = _("subject identifiers")

    def __str__(self) -> str:
        return str(self.sub)


class ClientPolicy(models.Model):
    """What a registered client system (an OAuth 2 application) may learn about the people
    who log in to it through egov: each group of claims is off until an administrator
    allows it (docs/identity.md)."""

    class Audience(models.TextChoices):
        STAFF = "staff", _("Government staff only")
        PUBLIC = "public", _("Citizens and enterprises only")
        EVERYONE = "everyone", _("Everyone with an egov account")

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        verbose_name=_("client system"),
        on_delete=models.CASCADE,
        related_name="egov_policy",
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=200,
        blank=True,
        help_text=_("What the system is for, as shown to people asked to allow it."),
    )
    audience = models.CharField(
        _("who may log in"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    allow_name = models.BooleanField(
        _("person’s name"), default=False, help_text=_("The person’s name (claim “name”).")
    )
    allow_body = models.BooleanField(
        _("bodies"),
        default=False,
        help_text=_("The bodies a staff member works for (claim “body”)."),
    )
    allow_roles = models.BooleanField(
        _("roles"),
        default=False,
        help_text=_("The staff member's roles in those bodies (claim “roles”)."),
    )
    allow_phone = models.BooleanField(
        _("mobile number (masked)"),
        default=False,
        help_text=_("The mobile number with its middle digits hidden (claim “phone_number”)."),
    )
    backchannel_logout_uri = models.URLField(
        _("back-channel logout address"),
        blank=True,
        help_text=_(
            "Optional: egov posts a signed logout token here when a person logs out of egov."
        ),
    )

    class Meta:
        verbose_name = _("claims policy")
        verbose_name_plural = _("claims policies")

    def __str__(self) -> str:
        return str(self.application)

    def admits(self, user) -> bool:
        staff = bool(user.is_staff or user.kind == User.Kind.STAFF)
        if self.audience == self.Audience.STAFF:
            return staff
        if self.audience == self.Audience.PUBLIC:
            return not staff
        return True

    def allowed_scopes(self) -> set[str]:
        """The OpenID Connect scopes this system may ask for."""
        allowed = {"openid"}
        for scope, flag in (
            ("profile", self.allow_name),
            ("body", self.allow_body),
            ("roles", self.allow_roles),
            ("phone", self.allow_phone),
        ):
            if flag:
                allowed.add(scope)
        return allowed
