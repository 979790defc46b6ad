"""Blank forms and samples are checked by content, not by name."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.services.choices import MAX_GUIDE_FILE_BYTES
from egov.services.models import Material
from egov.services.uploads import check_content, validate_blank_form, validate_sample

from .conftest import pdf_bytes, png_bytes

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
PDF_ONLY = ["application/pdf"]


def test_a_real_pdf_is_accepted_and_its_type_returned():
    data = pdf_bytes()
    assert check_content("申请书.pdf", data, len(data), allowed=PDF_ONLY, max_bytes=1000) == (
        "application/pdf"
    )


def test_a_renamed_executable_is_refused_by_its_content():
    with pytest.raises(ValidationError, match="renamed to pass as another type") as refused:
        check_content("申请书.pdf", EXECUTABLE, len(EXECUTABLE), allowed=PDF_ONLY, max_bytes=10**6)
    assert refused.value.code == "file_type"
    assert "application/x-msdownload" in refused.value.messages[0]


def test_a_file_whose_name_lies_about_its_type_is_refused():
    data = pdf_bytes()
    with pytest.raises(ValidationError, match=r"ends in \.docx: name it \.pdf"):
        check_content(
            "form.docx",
            data,
            len(data),
            allowed=["application/pdf", "application/vnd.ms-excel"],
            max_bytes=10**6,
        )


def test_too_large_and_empty_files_are_refused():
    data = pdf_bytes()
    with pytest.raises(ValidationError, match="at most 100"):
        check_content("a.pdf", data, 10**6, allowed=PDF_ONLY, max_bytes=100)
    with pytest.raises(ValidationError, match="is empty"):
        check_content("a.pdf", b"", 0, allowed=PDF_ONLY, max_bytes=100)


def test_an_image_is_a_sample_but_not_a_blank_form():
    image = SimpleUploadedFile("样表.png", png_bytes(), content_type="image/png")
    validate_sample(image)
    with pytest.raises(ValidationError, match="PNG image"):
        validate_blank_form(SimpleUploadedFile("样表.png", png_bytes(), content_type="image/png"))
    text = SimpleUploadedFile("说明.pdf", "纯文本".encode(), content_type="application/pdf")
    with pytest.raises(ValidationError, match="of an unknown type|text/plain"):
        validate_sample(text)


def test_the_limit_for_guide_files_is_twenty_megabytes():
    big = SimpleUploadedFile("a.pdf", pdf_bytes() + b"\0" * MAX_GUIDE_FILE_BYTES)
    with pytest.raises(ValidationError, match="at most 20"):
        validate_blank_form(big)


@pytest.mark.django_db
def test_a_material_refuses_a_renamed_executable_as_its_blank_form(make_item):
    draft = make_item().versions.get()
    material = Material(
        version=draft,
        name="申请表",
        blank_form=SimpleUploadedFile("申请表.pdf", EXECUTABLE, content_type="application/pdf"),
    )
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert "blank_form" in refused.value.message_dict
    assert material.accepted_types == ["application/pdf", "image/jpeg", "image/png"]
