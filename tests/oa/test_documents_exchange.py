"""A classified official document can never be given to the exchange: the real
``egov.exchange.publish`` refuses any message naming one (by its identifier or number) or
carrying one of its files, in either direction — and still sends unclassified ones."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.exchange import registry, services
from egov.exchange.models import OutboxMessage
from egov.exchange.policy import PolicyError
from egov.oa import services_documents as docs
from egov.oa.models import Secrecy
from tests.services.conftest import exchange_here  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

OUT = "test.oa.outward"
IN = "test.oa.inward"


@pytest.fixture
def types():
    for name, direction in ((OUT, ("internal", "external")), (IN, ("external", "internal"))):
        registry.register(
            registry.MessageType(
                name=name,
                direction=direction,
                schema={"type": "object"},
                handler=lambda message: None,
                attachment_types=frozenset({"application/pdf"}),
            )
        )
    yield
    registry.unregister(OUT)
    registry.unregister(IN)


def test_the_exchange_refuses_a_classified_document(outgoing, people, types, exchange_here):  # noqa: F811
    secret = outgoing("sent", secrecy=Secrecy.SECRET, title="机密事项")
    plain = outgoing("sent")
    for payload in (
        {"document": str(secret.uid)},
        {"items": [{"text": f"见 {secret.uid.hex}"}]},
        {"note": f"根据{secret.number}的要求"},
        {str(secret.receipts.first().uid): 1},
    ):
        for name in (OUT, IN):
            with pytest.raises(PolicyError) as refused:
                services.publish(name, payload, key="k")
            assert refused.value.reason == "classified"
    # even when the caller does not mark it classified, and with no other sign than a file
    assert OutboxMessage.objects.count() == 0
    services.publish(OUT, {"document": str(plain.uid), "number": plain.number}, key="k")
    assert OutboxMessage.objects.count() == 1


def test_the_exchange_refuses_the_file_of_a_classified_document(
    oa_bodies,
    people,
    types,
    exchange_here,  # noqa: F811
):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 200
    docs.register_external(
        by=people["edu_clerk"],
        body=oa_bodies["edu"],
        sender="市委办公厅",
        title="机要来文",
        secrecy=Secrecy.CONFIDENTIAL,
        scan=SimpleUploadedFile("scan.pdf", pdf),
    )
    with pytest.raises(PolicyError) as refused:
        services.publish(OUT, {"n": 1}, key="k", attachments=[("a.pdf", "application/pdf", pdf)])
    assert refused.value.reason == "classified"
    assert OutboxMessage.objects.count() == 0
