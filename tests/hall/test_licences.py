"""E-licences: issued once when a granted case closes (not for a refusal), signed, delivered
to the holder's wallet only; the verification page refuses a wrong code and notices a
changed PDF or a revoked licence; nobody else downloads the holder's PDF."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from egov.cases import services as cases
from egov.exchange.transports import loopback
from egov.licences.models import Licence, WalletLicence
from tests.hall.test_apply import ID_NUMBER, OTHER_ID, citizen
from tests.services.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_staff, bodies):
    body = bodies["YC-SCJG"]
    return {role: make_staff(role, body, role) for role in ("window_clerk", "reviewer", "approver")}


def run_case(item, staff, outcome="grant", id_number=ID_NUMBER):
    version = item.versions.get(status="published")
    materials = {m.name: m for m in version.materials.all()}
    case = cases.open_case(
        version,
        applicant_name="张三丰",
        applicant_id_number=id_number,
        materials=[
            (materials["申请书"], ("申请书.pdf", pdf_bytes("x"))),
            (materials["营业执照"], ("营业执照.png", png_bytes())),
        ],
    )
    cases.accept(case, by=staff["window_clerk"])
    cases.review(case, by=staff["reviewer"])
    reason = "" if outcome == "grant" else "不符合法定条件，依法不予许可。"
    cases.decide(case, by=staff["approver"], outcome=outcome, reason=reason)
    cases.close(case, by=staff["window_clerk"])
    loopback.deliver()
    return case


def test_a_grant_issues_one_signed_licence_and_a_refusal_none(item, staff):
    granted = run_case(item, staff)
    refused = run_case(item, staff, outcome="refuse")
    assert Licence.objects.filter(case=refused).count() == 0
    licence = Licence.objects.get(case=granted)
    assert licence.number.startswith("YCZZ-") and licence.signature and licence.key_id
    assert WalletLicence.objects.get().number == licence.number


def test_only_the_holder_sees_and_downloads_it(client, item, staff):
    run_case(item, staff)
    held = WalletLicence.objects.get()
    holder, other = citizen(), citizen("李四", OTHER_ID, "13900139000")
    client.force_login(other)
    assert held.number not in client.get(reverse("licences:wallet")).content.decode()
    assert client.get(reverse("licences:pdf", args=[held.number])).status_code == 404
    client.force_login(holder)
    assert held.number in client.get(reverse("licences:wallet")).content.decode()
    assert client.get(reverse("licences:pdf", args=[held.number])).status_code == 200
    client.logout()
    response = client.get(reverse("licences:wallet"))
    assert response.status_code == 302 and "login" in response.url


def test_the_verification_page_notices_a_changed_pdf_and_a_revocation(client, item, staff):
    run_case(item, staff)
    held = WalletLicence.objects.get()
    url = reverse("licences:verify", args=[held.number, held.verification_code])
    assert "verify-valid" in client.get(url).content.decode()
    assert (
        client.get(reverse("licences:verify", args=[held.number, "guess-guess"])).status_code == 404
    )

    held.pdf.save("forged.pdf", ContentFile(pdf_bytes("forged")), save=True)
    assert "verify-invalid" in client.get(url).content.decode()

    original = Licence.objects.get()
    with original.pdf.open("rb") as handle:
        held.pdf.save("again.pdf", ContentFile(handle.read()), save=True)
    WalletLicence.objects.filter(pk=held.pk).update(status="revoked")
    assert "verify-revoked" in client.get(url).content.decode()
