"""Index numbers (索引号) of policy documents: a configurable format, allocated on first
publication, unique and gap-free per publishing body and year — also under concurrent
publishing on PostgreSQL."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from wagtail.test.utils.form_data import querydict_from_html

from egov.portal import services
from egov.portal.models import IndexNumber, IndexNumberCounter, PolicyDocumentPage
from egov.portal.validators import (
    index_number_format_problems,
    render_index_number,
    validate_index_number_format,
)
from tests.conftest import login_verified
from tests.portal.conftest import GOV_USCC, add_column, add_document, make_staff

# --- the format -----------------------------------------------------------------------


@given(
    prefix=st.text(alphabet="ABC-/_ 号", max_size=5),
    width=st.integers(min_value=1, max_value=9),
    sequence=st.integers(min_value=1, max_value=10**9),
    year=st.integers(min_value=2000, max_value=2099),
)
def test_a_valid_format_renders_the_padded_sequence(prefix, width, sequence, year):
    fmt = prefix + "{USCC}/{YYYY}-{" + "N" * width + "}"
    assert index_number_format_problems(fmt) == []
    number = render_index_number(fmt, uscc=GOV_USCC, code="YC-ZF", year=year, sequence=sequence)
    assert number == f"{prefix}{GOV_USCC}/{year}-{sequence:0{width}d}"


def test_the_default_format_gives_yongchuans_numbers():
    number = render_index_number(
        "{USCC}/{YYYY}-{NNNNN}", uscc=GOV_USCC, code="YC-ZF", year=2021, sequence=21
    )
    assert number == "11500383009338112H/2021-00021"
    assert render_index_number(
        "{CODE}-{YYYY}-{NNN}", uscc="", code="YC-QF", year=2026, sequence=7
    ) == ("YC-QF-2026-007")


@pytest.mark.parametrize(
    ("fmt", "problem"),
    [
        ("{USCC}/{YYYY}", "exactly one sequence placeholder"),
        ("{USCC}/{NNN}-{NNN}", "exactly one sequence placeholder"),
        ("{YYYY}-{NNNNN}", "{USCC} or {CODE}"),
        ("{USCC}/{YEAR}-{NNNNN}", "Unknown placeholders: {YEAR}"),
        ("{USCC}/{YYYY-{NNNNN}", "brace"),
        ("{USCC}/{NNNNNNNNNN}", "at most 9"),
    ],
)
def test_a_bad_format_is_refused_saying_what_is_wrong(fmt, problem):
    with pytest.raises(ValidationError) as caught:
        validate_index_number_format(fmt)
    assert problem in " ".join(caught.value.messages)


# --- allocation -----------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_are_allocated_on_first_publication_in_sequence(portal):
    draft = add_document(portal["policies"], "草稿", publish=False)
    assert draft.index_number == ""
    docs = [add_document(portal["policies"], f"文件{i}") for i in range(1, 4)]
    year = timezone.localtime(docs[0].first_published_at).year
    assert [d.index_number for d in docs] == [f"{GOV_USCC}/{year}-{n:05d}" for n in (1, 2, 3)]
    # Publishing again keeps the number; the draft published later takes the next one.
    docs[0].save_revision().publish()
    assert IndexNumber.objects.get(page=docs[0]).sequence == 1
    draft.save_revision().publish()
    assert PolicyDocumentPage.objects.get(pk=draft.pk).index_number.endswith("-00004")
    assert IndexNumberCounter.objects.get(body__code="YC-ZF", year=year).last_sequence == 4


@pytest.mark.django_db
def test_each_body_and_each_year_has_its_own_sequence(portal, bodies):
    bodies["YC-QF"].uscc = "11500383MB1234567X"
    bodies["YC-QF"].save()
    town_column = add_column(portal["qingfeng"], "镇政府文件", "policy", slug="qf-policies")
    a = add_document(portal["policies"], "区政府文件")
    b = add_document(town_column, "镇政府文件一")
    c = add_document(town_column, "镇政府文件二")
    old = add_document(
        portal["policies"],
        "往年文件",
        publish=False,
    )
    old.first_published_at = datetime.datetime(2019, 6, 1, 9, 0, tzinfo=datetime.UTC)
    old.save_revision().publish()
    old.refresh_from_db()
    assert a.index_number.endswith("-00001") and a.index_number.startswith(GOV_USCC)
    assert b.index_number.startswith("11500383MB1234567X/") and b.index_number.endswith("-00001")
    assert c.index_number.endswith("-00002")
    assert old.index_number == f"{GOV_USCC}/2019-00001"


@pytest.mark.django_db
def test_the_publisher_named_on_the_page_takes_the_number(portal, bodies):
    bodies["YC-SCJG"].uscc = "11500383MB0000001A"
    bodies["YC-SCJG"].save()
    doc = add_document(portal["policies"], "联合发文", publisher=bodies["YC-SCJG"])
    assert doc.index_number.startswith("11500383MB0000001A/")


@pytest.mark.django_db
def test_the_sites_format_is_used(portal):
    portal["settings"].index_number_format = "{CODE}〔{YYYY}〕{NNN}"
    portal["settings"].save()
    doc = add_document(portal["policies"], "文件")
    year = timezone.localtime(doc.first_published_at).year
    assert doc.index_number == f"YC-ZF〔{year}〕001"


@pytest.mark.django_db
def test_a_deleted_document_keeps_its_number_and_no_number_is_given_twice(portal):
    first = add_document(portal["policies"], "文件一")
    number = first.index_number
    first.delete()
    kept = IndexNumber.objects.get(number=number)
    assert kept.page is None and kept.title == "文件一"
    second = add_document(portal["policies"], "文件二")
    assert second.index_number.endswith("-00002")


@pytest.mark.django_db
def test_a_publisher_without_uscc_is_refused_before_publishing(client, portal, bodies):
    town_column = add_column(portal["jinlong"], "镇政府文件", "policy", slug="jl-policies")
    with pytest.raises(services.PortalError, match="no unified social credit code"):
        add_document(town_column, "金龙镇文件")
    # In the CMS, the form says so at the publisher field, before anything is saved.
    admin = make_staff("root")
    admin.is_superuser = True
    admin.save()
    login_verified(client, admin)
    url = reverse("wagtailadmin_pages:add", args=["portal", "policydocumentpage", town_column.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form").dict()
    data.update({"title": "金龙镇文件二", "slug": "jl-2", "written_on": "2026-03-02"})
    data["content"] = (
        '{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
    )
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "has no unified social credit code" in response.content.decode()
    assert not PolicyDocumentPage.objects.filter(slug="jl-2").exists()
    # Naming a publisher that has one is accepted.
    data["publisher"] = str(bodies["YC-ZF"].pk)
    assert client.post(url, data).status_code == 302
    assert PolicyDocumentPage.objects.filter(slug="jl-2").exists()


# --- concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks (SQLite serialises every writer, so there is no "
    "concurrency to test): run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_get_unique_gap_free_numbers(portal):
    """Many documents of one body published at the same moment, each in its own connection:
    the counter's row lock hands out 1..N, each once."""
    count = 12
    documents = [
        add_document(portal["policies"], f"并发文件{i}", publish=False) for i in range(count)
    ]
    for document in documents:
        document.first_published_at = timezone.now()
        document.save(update_fields=["first_published_at"])
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def publish(document_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            document = PolicyDocumentPage.objects.get(pk=document_id)
            services.allocate_index_number(document)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(d.pk,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sequences = sorted(
        IndexNumber.objects.filter(page__in=documents).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, count + 1))
    numbers = IndexNumber.objects.filter(page__in=documents).values_list("number", flat=True)
    assert len(set(numbers)) == count
    assert all(re.fullmatch(rf"{GOV_USCC}/\d{{4}}-\d{{5}}", n) for n in numbers)
