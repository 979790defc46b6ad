"""Query codes (YC-2026-000123): unique, consecutive, per year — also when many applications
arrive at the same moment (PostgreSQL's row lock on the year's counter)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from egov.cases import services as cases
from egov.cases.models import Case, QueryCodeCounter


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one():
    QueryCodeCounter.objects.create(year=2025, last_sequence=41)
    assert cases.next_query_code(2025) == (42, "YC-2025-000042")
    assert cases.next_query_code(2026) == (1, "YC-2026-000001")
    assert cases.next_query_code(2026) == (2, "YC-2026-000002")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks (SQLite serialises every writer, so there is no "
    "concurrency to test): run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_applications_get_unique_gap_free_codes(promised_version):
    count = 12
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def apply(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            cases.open_case(promised_version, applicant_name=f"申请人{number}", materials=[])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    year = timezone.localdate().year
    assert sorted(Case.objects.values_list("sequence", flat=True)) == list(range(1, count + 1))
    codes = set(Case.objects.values_list("query_code", flat=True))
    assert codes == {f"YC-{year}-{n:06d}" for n in range(1, count + 1)}


@pytest.mark.django_db
def test_window_cases_have_their_own_series_so_the_zones_never_collide(promised_version):
    online = cases.next_query_code(2026)  # as the hall numbers an online application
    window = cases.open_case(promised_version, applicant_name="王五", channel="window")
    year = timezone.localdate().year
    assert online == (1, "YC-2026-000001")
    assert window.query_code == f"YC-{year}-W000001"
    # A code given by the hall is kept as it is (year and number read from it).
    received = cases.open_case(
        promised_version, applicant_name="赵六", query_code="YC-2026-000007", materials=[]
    )
    assert (received.query_code, received.year, received.sequence) == ("YC-2026-000007", 2026, 7)
    with pytest.raises(cases.CaseError, match="not a query code"):
        cases.open_case(promised_version, applicant_name="赵六", query_code="YC-26-1")
