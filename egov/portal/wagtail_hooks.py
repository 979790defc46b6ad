"""Wagtail admin hooks: a site's home or a section created in the CMS becomes its body's
area at once (groups, permissions, review workflow), as if made by the services."""

from wagtail import hooks

from egov.portal.models import HomePage, SectionPage
from egov.portal.services import open_body_area


def _open_area(page) -> None:
    page = page.specific
    if isinstance(page, HomePage | SectionPage) and page.body_id:
        open_body_area(page.body, page)


@hooks.register("after_create_page")
def open_area_of_new_site_or_section(request, page):
    _open_area(page)


@hooks.register("after_edit_page")
def open_area_when_a_body_is_chosen(request, page):
    _open_area(page)
