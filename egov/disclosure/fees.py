"""Processing fees for requests on application (国办函〔2020〕109号, 《政府信息公开信息处理费
管理办法》). Disclosure is free by default; a fee is charged only when the amount asked for
exceeds a reasonable amount, by one of two methods (never both for one request):

- **by count** (按件计收): the applicant's requests to the body in one natural month — up to
  10 (inclusive) free; the 11th to the 30th at 100 元 each; from the 31st the price rises by
  100 元 for each further band of 10 (31st–40th 200 元, 41st–50th 300 元 …);
- **by pages** (按量计收): one request's pages — up to 30 free; the part from page 31 to 100
  at 10 元 a page; 101 to 200 at 20 元; above 200 at 40 元 (each price applies only to the
  pages of its band).

Amounts are whole yuan (``int``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

FREE_REQUESTS = 10
FIRST_BAND_LAST = 30
FIRST_BAND_PRICE = 100
BAND_SIZE = 10

# (first page of the band, last page or None, price per page)
PAGE_BANDS = ((31, 100, 10), (101, 200, 20), (201, None, 40))


def _whole(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(_("%(what)s must be a whole number, 0 or more.") % {"what": what})
    return value


def fee_for_request_number(number: int) -> int:
    """The fee of the applicant's ``number``-th request to the body in a month (1-based)."""
    number = _whole(number, _("The request's number in the month"))
    if number <= FREE_REQUESTS:
        return 0
    if number <= FIRST_BAND_LAST:
        return FIRST_BAND_PRICE
    bands_above = (number - FIRST_BAND_LAST - 1) // BAND_SIZE + 1
    return FIRST_BAND_PRICE + 100 * bands_above


def fee_by_count(requests_in_month: int) -> int:
    """What ``requests_in_month`` requests of one applicant in one month cost together."""
    count = _whole(requests_in_month, _("The number of requests"))
    return sum(fee_for_request_number(n) for n in range(1, count + 1))


def fee_by_pages(pages: int) -> int:
    """The fee of one request of ``pages`` pages."""
    pages = _whole(pages, _("The number of pages"))
    total = 0
    for first, last, price in PAGE_BANDS:
        top = pages if last is None else min(pages, last)
        if top >= first:
            total += (top - first + 1) * price
    return total
