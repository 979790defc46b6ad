"""Fees inside (收费): a granted case of an item that charges fixed fees gets a
``PaymentNotice`` (the sum of the version's fees with an amount), told to the hall as
``cases.payment``; where the item waits for payment (``wait_for_payment``), the promised-limit
timer pauses until it is paid (payment time is not the department's time) and the case cannot
close before. The hall's ``hall.payment.paid`` marks it paid (once; the amount must match);
notices not paid by ``expires_on`` (``EGOV_PAYMENT_DAYS`` natural days, 15 by default)
expire every night (``cases.expire_payments``) and stop blocking the case.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov import exchange
from egov.core import audit, timers

from .messages import PAYMENT
from .models import Case, PaymentNotice


def payment_days() -> int:
    return int(getattr(settings, "EGOV_PAYMENT_DAYS", 15))


def payload(notice: PaymentNotice) -> dict:
    return {
        "query_code": notice.case.query_code,
        "number": notice.number,
        "amount": f"{notice.amount:.2f}",
        "items": notice.items,
        "expires_on": notice.expires_on.isoformat(),
        "status": notice.status,
        "wait": notice.case.version.wait_for_payment,
    }


def _publish(notice: PaymentNotice) -> None:
    exchange.publish(PAYMENT, payload(notice), key=f"case:{notice.case.query_code}")


def raise_notice(case: Case, *, by=None, on: datetime.date | None = None) -> PaymentNotice | None:
    """The notice of a granted case's fixed fees (in the deciding transaction), or None."""
    version = case.version
    if not version.fee_charged:
        return None
    fees = [fee for fee in version.fees.all() if fee.amount is not None and fee.amount > 0]
    if not fees:
        return None  # fees by a rule: the department sets the amount (not automated yet)
    day = on or timezone.localdate()
    count = case.payment_notices.count() + 1
    notice = PaymentNotice.objects.create(
        case=case,
        number=f"{case.query_code}-F{count}",
        amount=sum((fee.amount for fee in fees), Decimal("0")),
        items=[{"name": fee.name, "amount": f"{fee.amount:.2f}"} for fee in fees],
        issued_on=day,
        expires_on=day + datetime.timedelta(days=payment_days()),
    )
    if version.wait_for_payment and case.timer_id and case.timer.stopped_at is None:
        timers.pause_timer(case.timer, reason=_("Waiting for payment"), on=day, by=by)
    audit.record(
        "cases.payment_notice",
        actor=by,
        body=case.body,
        obj=case,
        detail={"notice": notice.number, "amount": f"{notice.amount:.2f}"},
    )
    _publish(notice)
    return notice


def _resume_after_payment(case: Case, day: datetime.date) -> None:
    """The notice is settled (paid or expired): the clock the notice paused runs again."""
    timer = case.timer
    if (
        case.version.wait_for_payment
        and timer is not None
        and timer.stopped_at is None
        and not case.paused_for
        and timer.pauses.filter(resumed_on=None).exists()
    ):
        timers.resume_timer(timer, on=day)


def unpaid(case: Case) -> PaymentNotice | None:
    """The notice the case waits for, if its item waits for payment."""
    if not case.version.wait_for_payment:
        return None
    return case.payment_notices.filter(status=PaymentNotice.Status.ISSUED).first()


def record_payment(
    number: str, *, amount: str, paid_at: datetime.datetime, provider: str, transaction_id: str
) -> PaymentNotice:
    """The hall says the notice is paid: mark it (once), resume the timer."""
    with transaction.atomic():
        notice = (
            PaymentNotice.objects.select_for_update(of=("self",))
            .select_related("case__version", "case__timer", "case__body")
            .get(number=number)
        )
        if notice.status == PaymentNotice.Status.PAID:
            return notice
        if Decimal(amount) != notice.amount:
            raise ValueError(f"paid {amount}, the notice asks {notice.amount}")
        notice.status = PaymentNotice.Status.PAID
        notice.paid_at, notice.provider, notice.transaction_id = paid_at, provider, transaction_id
        notice.save()
        case = notice.case
        _resume_after_payment(case, timezone.localtime(paid_at).date())
        audit.record(
            "cases.paid",
            body=case.body,
            obj=case,
            detail={"notice": number, "provider": provider, "transaction": transaction_id},
        )
    return notice


def expire_notices(today: datetime.date | None = None) -> int:
    """Expire the notices not paid by their date; returns how many."""
    today = today or timezone.localdate()
    expired = 0
    for notice in PaymentNotice.objects.filter(
        status=PaymentNotice.Status.ISSUED, expires_on__lt=today
    ).select_related("case__version", "case__timer"):
        with transaction.atomic():
            notice.status = PaymentNotice.Status.EXPIRED
            notice.save(update_fields=["status"])
            _resume_after_payment(notice.case, today)
            _publish(notice)
        expired += 1
    return expired
