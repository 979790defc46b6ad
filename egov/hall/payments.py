"""Paying fees online (external zone).

A payment provider is a class with ``start(payment, return_url) -> url`` (where to send the
applicant to pay) and ``verify(body, signature) -> dict`` (check a notification the provider
sends back, raise ``PaymentError`` if it is not genuine). ``EGOV_PAYMENT["PROVIDER"]`` names
it. The default is the **sandbox**: its payment page is part of egov (clearly marked as a
test), and "paying" there makes a notification signed with HMAC-SHA256 under
``EGOV_PAYMENT["SECRET"]`` and hands it to the same entry point a real provider's call-back
reaches (``/hall/payments/notify/``): ``receive``. So the path from the notification on is the
real one: the signature is checked in constant time, the notice and the amount must match, a
notice is paid once (a repeated notification of the same transaction is acknowledged and
changes nothing), an expired notice is refused, and ``hall.payment.paid`` goes inside in the
same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from egov import exchange

from . import messages
from .models import Payment


class PaymentError(ValueError):
    """A notification that is not genuine, or that does not fit the notice."""


def _secret() -> bytes:
    secret = settings.EGOV_PAYMENT.get("SECRET") or ""
    if not secret:
        secret = hmac.new(settings.SECRET_KEY.encode(), b"egov.payment", hashlib.sha256).hexdigest()
    return secret.encode()


def sign(body: bytes) -> str:
    return hmac.new(_secret(), body, hashlib.sha256).hexdigest()


class SandboxProvider:
    """The test provider: pays at once on egov's own sandbox page."""

    name = "sandbox"

    def start(self, payment: Payment, return_url: str) -> str:
        return reverse("hall:payment_sandbox", args=[payment.number])

    def notification(self, payment: Payment) -> tuple[bytes, str]:
        """What the sandbox sends back when the applicant pays: the body and its signature."""
        body = json.dumps(
            {
                "notice": payment.number,
                "amount": f"{payment.amount:.2f}",
                "transaction_id": f"SANDBOX-{secrets.token_hex(8)}",
                "paid_at": timezone.now().isoformat(),
            },
            sort_keys=True,
        ).encode()
        return body, sign(body)

    def verify(self, body: bytes, signature: str) -> dict:
        if not hmac.compare_digest(sign(body), (signature or "").strip().lower()):
            raise PaymentError("bad signature")
        try:
            data = json.loads(body)
        except ValueError as error:
            raise PaymentError("not JSON") from error
        if not isinstance(data, dict) or not {
            "notice",
            "amount",
            "transaction_id",
            "paid_at",
        } <= set(data):
            raise PaymentError("fields missing")
        return data


def provider():
    return import_string(settings.EGOV_PAYMENT["PROVIDER"])()


def receive(body: bytes, signature: str, *, source=None) -> Payment:
    """A provider's notification: check it and mark the notice paid (once)."""
    source = source or provider()
    data = source.verify(body, signature)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(number=data["notice"]).first()
        if payment is None:
            raise PaymentError("unknown notice")
        if payment.status == Payment.Status.PAID:
            if payment.transaction_id == data["transaction_id"]:
                return payment  # the same notification again: already done
            raise PaymentError("the notice was paid by another transaction")
        if payment.status != Payment.Status.ISSUED or payment.expires_on < timezone.localdate():
            raise PaymentError("the notice is no longer payable")
        if Decimal(str(data["amount"])) != payment.amount:
            raise PaymentError("the amount does not match the notice")
        payment.status = Payment.Status.PAID
        payment.paid_at = timezone.now()
        payment.provider = source.name
        payment.transaction_id = str(data["transaction_id"])[:64]
        payment.save()
        exchange.publish(
            messages.PAYMENT_PAID,
            {
                "query_code": payment.query_code,
                "number": payment.number,
                "amount": f"{payment.amount:.2f}",
                "paid_at": payment.paid_at.isoformat(),
                "provider": payment.provider,
                "transaction_id": payment.transaction_id,
            },
            key=messages.key(payment.query_code),
        )
    return payment
