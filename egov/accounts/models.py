"""One user model for staff, citizens and enterprise users (from the first migration)."""

import uuid

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
