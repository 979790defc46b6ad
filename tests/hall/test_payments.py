"""Fees: a granted case of an item with fixed fees raises a payment notice; where the item
waits for payment, the promised-limit timer pauses and the case cannot close until it is
paid. The applicant pays through the sandbox provider, whose signed notification reaches the
same entry point as a real provider's; forged, altered or replayed notifications change
nothing; an unpaid notice expires and stops blocking the case."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from egov.cases import payments as case_payments
from egov.cases import services as cases
from egov.cases.models import Case, PaymentNotice
from egov.exchange.models import OutboxMessage
from egov.exchange.transports import loopback
from egov.hall import payments
from egov.hall.models import Payment
from tests.hall.conftest import citizen, publish_and_deliver
from tests.hall.test_apply import staff_of, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_item(make_item):
    version = make_item("YC-SCJG", name="特种设备使用登记").versions.get()
    version.wait_for_payment = True
    version.save()
    publish_and_deliver(version)
    return version.item


@pytest.fixture
def decided(client, waiting_item, applicant, make_staff, bodies):
    application = submitted(client, waiting_item)
    loopback.deliver()
    case = Case.objects.get()
    clerk = staff_of(make_staff, bodies, "window_clerk", name="clerk")
    cases.accept(case, by=clerk)
    cases.review(case, by=staff_of(make_staff, bodies, "reviewer"))
    cases.decide(case, by=staff_of(make_staff, bodies, "approver"), outcome="grant")
    loopback.deliver()
    return application, case, clerk


def test_the_case_waits_for_payment_and_goes_on_once_paid(client, decided):
    application, case, clerk = decided
    notice = PaymentNotice.objects.get(case=case)
    assert (notice.amount, notice.status) == (20, "issued")
    case.refresh_from_db()
    assert case.timer.pauses.filter(resumed_on=None).exists()  # payment time is not counted
    with pytest.raises(cases.CaseError, match="waits for payment|等待缴费"):
        cases.close(case, by=clerk)

    page = client.get(reverse("hall:application", args=[application.query_code])).content.decode()
    assert notice.number in page and "20.00" in page
    response = client.post(reverse("hall:payment_start", args=[notice.number]))
    assert response.status_code == 302
    assert response.url == reverse("hall:payment_sandbox", args=[notice.number])
    assert client.get(response.url).status_code == 200
    response = client.post(response.url, {"action": "pay"})
    assert response.status_code == 302
    paid = Payment.objects.get(number=notice.number)
    assert paid.status == "paid" and paid.transaction_id.startswith("SANDBOX-")
    loopback.deliver()
    notice.refresh_from_db()
    case.refresh_from_db()
    assert notice.status == "paid" and notice.transaction_id == paid.transaction_id
    assert not case.timer.pauses.filter(resumed_on=None).exists()
    cases.close(case, by=clerk)  # now it may close


def test_forged_altered_and_replayed_notifications_change_nothing(client, decided):
    application, case, _clerk = decided
    payment = Payment.objects.get()
    notify = reverse("hall:payment_notify")
    body = json.dumps(
        {"notice": payment.number, "amount": "20.00", "transaction_id": "T1", "paid_at": "x"}
    ).encode()
    forged = client.post(
        notify, body, content_type="application/json", HTTP_X_EGOV_SIGNATURE="0" * 64
    )
    assert forged.status_code == 400
    cheap = json.dumps(
        {"notice": payment.number, "amount": "0.01", "transaction_id": "T2", "paid_at": "x"}
    ).encode()
    response = client.post(
        notify,
        cheap,
        content_type="application/json",
        HTTP_X_EGOV_SIGNATURE=payments.sign(cheap),
    )
    assert response.status_code == 400 and b"amount" in response.content
    payment.refresh_from_db()
    assert payment.status == "issued"

    good = client.post(
        notify, body, content_type="application/json", HTTP_X_EGOV_SIGNATURE=payments.sign(body)
    )
    again = client.post(
        notify, body, content_type="application/json", HTTP_X_EGOV_SIGNATURE=payments.sign(body)
    )
    assert good.status_code == again.status_code == 200
    assert OutboxMessage.objects.filter(type="hall.payment.paid").count() == 1
    other = body.replace(b"T1", b"T3")
    response = client.post(
        notify, other, content_type="application/json", HTTP_X_EGOV_SIGNATURE=payments.sign(other)
    )
    assert response.status_code == 400  # paid already, by another transaction


def test_another_citizen_cannot_pay_or_see_the_notice(client, decided):
    _application, _case, _clerk = decided
    payment = Payment.objects.get()
    client.force_login(citizen("李四", "110105194912310021", "13900139000"))
    assert client.post(reverse("hall:payment_start", args=[payment.number])).status_code == 404
    assert client.get(reverse("hall:payment_sandbox", args=[payment.number])).status_code == 404


def test_an_unpaid_notice_expires_and_no_longer_blocks_the_case(client, decided):
    application, case, clerk = decided
    notice = PaymentNotice.objects.get()
    assert case_payments.expire_notices(notice.expires_on) == 0  # still payable that day
    assert case_payments.expire_notices(notice.expires_on + datetime.timedelta(days=1)) == 1
    loopback.deliver()
    assert Payment.objects.get().status == "expired"
    page = client.get(reverse("hall:application", args=[application.query_code])).content.decode()
    assert "expired unpaid" in page or "已过期" in page
    response = client.post(reverse("hall:payment_start", args=[notice.number]))
    assert response.status_code == 302 and "sandbox" not in response.url
    cases.close(Case.objects.get(pk=case.pk), by=clerk)
