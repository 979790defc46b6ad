"""The staff pages of official documents: who may open and act, and a classified document
invisible to an uncleared member of the addressed body on every page (list, detail, files,
downloads, search)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.oa import services_documents as docs
from egov.oa.models import Document, Receipt, Secrecy
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 200


def _as(client, user):
    login_verified(client, user)
    return client


def test_the_list_shows_the_work_of_each_role(client, outgoing, people):
    draft = outgoing("draft")
    to_sign = outgoing("to_sign", title="关于待签发事项的通知")
    page = _as(client, people["signer"]).get("/staff/oa/documents/", **EN).content.decode()
    assert "To sign" in page and to_sign.title in page
    page = _as(client, people["drafter"]).get("/staff/oa/documents/", **EN).content.decode()
    assert "My drafts" in page and draft.title in page and "To sign" not in page


def test_a_citizen_or_a_member_of_another_body_gets_nothing(client, outgoing, people, make_user):
    document = outgoing("draft")
    assert (
        _as(client, people["health_clerk"]).get(f"/staff/oa/documents/{document.uid}/").status_code
        == 404
    )
    nobody = make_user("nobody")
    assert _as(client, nobody).get("/staff/oa/documents/").status_code == 403


def test_drafting_through_the_form_keeps_what_was_typed_on_an_error(client, oa_bodies, people):
    client = _as(client, people["drafter"])
    data = {"body": oa_bodies["zf"].pk, "doc_type": "notice", "title": "", "text": "正文内容"}
    response = client.post("/staff/oa/documents/new/", data, **EN)
    assert response.status_code == 400
    assert "正文内容" in response.content.decode()
    data.update(title="关于测试的通知", main_to=[oa_bodies["edu"].pk], secrecy=0, sealed="on")
    response = client.post("/staff/oa/documents/new/", data)
    assert response.status_code == 302
    document = Document.objects.get(title="关于测试的通知")
    assert list(document.main_to.all()) == [oa_bodies["edu"]]
    assert document.signature == oa_bodies["zf"].name_zh


def test_signing_through_the_page_needs_the_signers_role(client, outgoing, people):
    document = outgoing("to_sign")
    url = f"/staff/oa/documents/{document.uid}/do/sign/"
    assert _as(client, people["reviewer"]).post(url, {"note": ""}).status_code == 403
    response = _as(client, people["signer"]).post(url, {"note": "同意"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.SIGNED
    # the page offers no edit any more, the PDF and DOCX download
    page = client.get(f"/staff/oa/documents/{document.uid}/", **EN).content.decode()
    assert "Edit the draft" not in page and "Re-issue" in page
    pdf = client.get(f"/staff/oa/documents/{document.uid}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store"
    docx = client.get(f"/staff/oa/documents/{document.uid}/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_returning_at_screening_through_the_page_needs_a_reason(client, outgoing, people):
    receipt = outgoing("sent").receipts.get(role=Receipt.Role.MAIN)
    receipt = docs.register_incoming(
        docs.sign_for(receipt, by=people["edu_clerk"]), by=people["edu_clerk"]
    )
    client = _as(client, people["edu_reviewer"])
    url = f"/staff/oa/documents/incoming/{receipt.uid}/do/screen/"
    response = client.post(url, {"decision": "return", "note": ""}, **EN)
    assert response.status_code == 400
    response = client.post(url, {"decision": "return", "note": "请按规定渠道报送"})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.returned_reason == "请按规定渠道报送"
    page = client.get(f"/staff/oa/documents/incoming/{receipt.uid}/").content.decode()
    assert "请按规定渠道报送" in page
    # the receiving body reads the document but takes none of the issuing body's steps
    page = client.get(f"/staff/oa/documents/{receipt.document.uid}/", **EN).content.decode()
    assert receipt.document.title in page and "Re-issue" not in page


def test_a_classified_document_is_invisible_to_an_uncleared_member_on_every_page(
    client, outgoing, people, oa_bodies
):
    secret = outgoing("sent", secrecy=Secrecy.CONFIDENTIAL, title="关于机要演练的通知")
    receipt = secret.receipts.get(role=Receipt.Role.MAIN)
    scan = docs.register_external(
        by=people["edu_clerk"],
        body=oa_bodies["edu"],
        sender="市委办公厅",
        title="机要来文",
        secrecy=Secrecy.SECRET,
        scan=SimpleUploadedFile("scan.pdf", PDF),
    )
    file_pk = scan.files.get().pk
    pages = [
        f"/staff/oa/documents/{secret.uid}/",
        f"/staff/oa/documents/{secret.uid}/pdf/",
        f"/staff/oa/documents/{secret.uid}/docx/",
        f"/staff/oa/documents/incoming/{receipt.uid}/",
        f"/staff/oa/documents/incoming/{scan.uid}/",
        f"/staff/oa/documents/files/{file_pk}/",
    ]
    client = _as(client, people["edu_uncleared"])
    for url in pages:
        assert client.get(url).status_code == 404, url
    listing = client.get("/staff/oa/documents/").content.decode()
    found = client.get("/staff/oa/documents/?q=机要").content.decode()
    for page in (listing, found):
        assert "机要演练" not in page and "机要来文" not in page
    # the same pages open for a cleared member of the same body
    client = _as(client, people["edu_head"])
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert "机要演练" in client.get("/staff/oa/documents/?q=机要").content.decode()


def test_the_workbench_links_the_documents(client, people):
    page = _as(client, people["drafter"]).get("/staff/").content.decode()
    assert "/staff/oa/documents/" in page
