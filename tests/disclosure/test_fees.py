"""Processing fees (国办函〔2020〕109号) at the boundaries of their tiers."""

import pytest

from egov.disclosure.fees import fee_by_count, fee_by_pages, fee_for_request_number


@pytest.mark.parametrize(
    ("number", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)],
)
def test_the_fee_of_the_nth_request_in_a_month(number, fee):
    assert fee_for_request_number(number) == fee


@pytest.mark.parametrize(
    ("count", "total"),
    [(0, 0), (10, 0), (11, 100), (30, 20 * 100), (31, 20 * 100 + 200), (41, 2000 + 2000 + 300)],
)
def test_a_month_of_requests_costs_the_sum_of_its_tiers(count, total):
    assert fee_by_count(count) == total


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 70 * 10),
        (101, 700 + 20),
        (200, 700 + 100 * 20),
        (201, 700 + 2000 + 40),
        (250, 700 + 2000 + 50 * 40),
    ],
)
def test_pages_are_charged_by_the_band_they_fall_in(pages, fee):
    assert fee_by_pages(pages) == fee


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_counts_must_be_whole_numbers(bad):
    with pytest.raises(ValueError, match="whole number"):
        fee_by_pages(bad)
    with pytest.raises(ValueError, match="whole number"):
        fee_by_count(bad)
