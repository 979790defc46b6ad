"""The organisation directory: the tree of bodies, roles and staff memberships."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from egov.core.validators import normalise_code, validate_uscc


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        PARTY = "party", _("Party committee body")
        NPC = "npc", _("People's congress")
        GOVERNMENT = "government", _("People's government")
        CPPCC = "cppcc", _("CPPCC")
        DEPARTMENT = "department", _("Department")
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        TOWN = "town", _("Town")
        STATIONED = "stationed", _("Municipal unit stationed in the district")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(
        _("tree path"), max_length=500, db_index=True, editable=False, default=""
    )
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("统一社会信用代码, 18 characters (GB 32100)."),
    )
    functions = models.TextField(_("functions"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    head = models.CharField(_("head"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    def _stored_path(self) -> str:
        if not self.pk:
            return ""
        stored = Organisation.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        return stored or ""

    def would_create_cycle(self) -> bool:
        """True if the chosen parent is this body itself or lies under it."""
        if not self.parent_id:
            return False
        if self.parent_id == self.pk:
            return True
        stored = self._stored_path()
        if not stored:
            return False
        parent_path = Organisation.objects.filter(pk=self.parent_id).values_list("path", flat=True)
        return (parent_path.first() or "").startswith(stored)

    def clean(self):
        super().clean()
        self.uscc = normalise_code(self.uscc)
        if "/" in self.code:
            raise ValidationError(
                {"code": _("A code cannot contain '/'; use letters, digits and '-'.")}
            )
        if self.would_create_cycle():
            raise ValidationError(
                {
                    "parent": _(
                        "A body cannot be placed under itself or under one of its own "
                        "sub-bodies; choose a parent outside its subtree."
                    )
                }
            )

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.would_create_cycle():
                raise ValueError("a body cannot be placed under itself or its sub-bodies")
            old_path = self._stored_path()
            if self.parent_id:
                self.parent.refresh_from_db(fields=["path"])
            self.path = self.compute_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Set-based: every descendant's path gets the new prefix in one statement.
                Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    def descendants(self, include_self: bool = True):
        qs = Organisation.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self):
        codes = [c for c in self.path.strip("/").split("/") if c]
        return Organisation.objects.filter(code__in=codes[:-1]).order_by("path")


class Role(models.Model):
    class Scope(models.TextChoices):
        OWN = "own", _("Own bodies only")
        SUBTREE = "subtree", _("Own bodies and the bodies under them")
        ALL = "all", _("All bodies")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=100)
    scope = models.CharField(_("data scope"), max_length=10, choices=Scope.choices)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(
        "auth.Permission",
        verbose_name=_("permissions"),
        blank=True,
        related_name="egov_roles",
        help_text=_(
            "What a member in this role may do in the back-office, in the bodies the role's "
            "data scope lets them see."
        ),
    )
    granted_defaults = models.JSONField(
        _("default permissions already granted"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Defaults the platform has granted once; one taken away here is not granted again."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.name_en
        return self.name_zh


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships"
    )
    title = models.CharField(_("post title"), max_length=100, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.role}"
