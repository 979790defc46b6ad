"""E-licences: ``Licence`` is the register inside (the issuing side), ``WalletLicence`` its
copy outside, as the ``licences.issued`` message delivered it (the holder's wallet and the
public verification page read it)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.masking import mask


def verification_code() -> str:
    """The secret part of the verification address (in the QR code): without it a licence
    number alone shows nothing, so numbers cannot be walked through."""
    return secrets.token_urlsafe(12)


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class LicenceFields(models.Model):
    """What the register and the wallet both keep of a licence."""

    number = models.CharField(_("licence number"), max_length=30, unique=True)
    licence_type = models.CharField(_("licence type"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    holder_kind = models.CharField(
        _("holder kind"),
        max_length=10,
        choices=[("natural", _("a person")), ("legal", _("an enterprise or organisation"))],
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_id_number = models.CharField(
        _("holder's ID number or credit code"), max_length=36, db_index=True
    )
    issuing_body_name = models.CharField(_("issued by"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    query_code = models.CharField(_("case"), max_length=20, blank=True)
    item_name = models.CharField(_("service item"), max_length=200, blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=30, default=verification_code
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    key_id = models.CharField(_("signing key"), max_length=80)
    signature = models.CharField(_("signature (hex)"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )

    class Meta:
        abstract = True
        ordering = ["-issued_on", "-number"]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def masked_holder(self) -> str:
        """A person's name masked; an enterprise's name is public."""
        if self.holder_kind == "legal":
            return self.holder_name
        return mask("name", self.holder_name)

    @property
    def masked_id_number(self) -> str:
        """A person's ID number masked; a credit code is public."""
        if self.holder_kind == "legal":
            return self.holder_id_number
        return mask("id_number", self.holder_id_number)

    def signed_record(self) -> dict:
        """The fields the signature covers (canonical JSON of this dict)."""
        return {
            "number": self.number,
            "licence_type": self.licence_type,
            "name": self.name,
            "holder_kind": self.holder_kind,
            "holder_name": self.holder_name,
            "holder_id_number": self.holder_id_number,
            "issuing_body_name": self.issuing_body_name,
            "issued_on": self.issued_on.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "query_code": self.query_code,
            "item_name": self.item_name,
            "pdf_sha256": self.pdf_sha256,
        }


class LicenceCounter(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_sequence = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("licence number counter")
        verbose_name_plural = _("licence number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_sequence}"


class Licence(LicenceFields):
    """The register inside: one row per licence issued."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licences",
    )
    issuing_body = models.ForeignKey(
        "directory.Organisation", verbose_name=_("issuing body"), on_delete=models.PROTECT
    )
    pdf = models.FileField(_("PDF"), upload_to="licences/issued/%Y/", max_length=300)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta(LicenceFields.Meta):
        verbose_name = _("e-licence")
        verbose_name_plural = _("e-licences")


class WalletLicence(LicenceFields):
    """Outside: a licence as delivered, in its holder's wallet."""

    pdf = models.FileField(_("PDF"), upload_to="licences/wallet/%Y/", max_length=300)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta(LicenceFields.Meta):
        verbose_name = _("e-licence in a wallet")
        verbose_name_plural = _("e-licences in wallets")
