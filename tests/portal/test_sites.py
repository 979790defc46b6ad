"""Sites of the group and their settings: the footer identifiers are validated with messages
that say how to fix them, sites and sections are made by the services, the settings screen
works in the CMS, and page slugs cannot hide the platform's own addresses."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import querydict_from_html

from egov.portal import services
from egov.portal.blocks import EntryBlock
from egov.portal.forms import slug_is_taken_by_platform
from egov.portal.models import BodyArea, HomePage, PortalSiteSettings
from egov.portal.validators import (
    police_filing_code,
    validate_icp_number,
    validate_police_filing_number,
    validate_site_code,
)
from tests.conftest import login_verified
from tests.portal.conftest import make_staff

ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(st.text(alphabet=ALNUM, min_size=10, max_size=10))
def test_any_ten_letters_or_digits_are_a_site_code(code):
    validate_site_code(code)


@given(st.text(alphabet=ALNUM, max_size=20).filter(lambda s: len(s) != 10))
def test_a_site_code_of_another_length_is_refused_with_its_length(code):
    with pytest.raises(ValidationError) as caught:
        validate_site_code(code)
    assert f"this one has {len(code)} characters" in caught.value.messages[0]


def test_full_width_digits_count_as_digits():
    validate_site_code("５０００００００４１")
    validate_icp_number("渝ＩＣＰ备2021005620号-2")


@pytest.mark.parametrize(
    "value", ["渝ICP备2021005620号-2", "京ICP备12345678号", "渝ICP备2021005620号"]
)
def test_icp_numbers_in_their_usual_forms_are_accepted(value):
    validate_icp_number(value)


@pytest.mark.parametrize(
    "value", ["ICP备2021005620号", "渝ICP2021005620号", "渝ICP备号", "2021005620"]
)
def test_malformed_icp_numbers_are_refused_with_an_example(value):
    with pytest.raises(ValidationError, match="渝ICP备2021005620号-2"):
        validate_icp_number(value)


def test_police_filing_numbers():
    validate_police_filing_number("渝公网安备 50011202501695号")
    validate_police_filing_number("渝公网安备50011202501695号")
    assert police_filing_code("渝公网安备 50011202501695号") == "50011202501695"
    with pytest.raises(ValidationError, match="14 digits"):
        validate_police_filing_number("渝公网安备 500112号")


@pytest.mark.django_db
def test_a_fresh_install_serves_a_portal_home_page(client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_new_site_gets_its_body_settings_and_workflow(bodies):
    home = services.create_site(
        bodies["YC-RD"],
        hostname="rd.example.test",
        title="永川区人大常委会",
        site_name="永川人大网",
    )
    site = Site.objects.get(root_page=home)
    settings = PortalSiteSettings.for_site(site)
    area = BodyArea.objects.get(page=home)
    assert home.live and home.body == bodies["YC-RD"]
    assert settings.site_name == "永川人大网" and settings.host_body == bodies["YC-RD"]
    assert settings.review_workflow == area.workflow == home.get_workflow()
    with pytest.raises(services.PortalError, match="already answers for rd.example.test:80"):
        services.create_site(bodies["YC-ZF"], hostname="rd.example.test", title="另一个")


@pytest.mark.django_db
def test_only_a_portal_home_page_can_be_adopted(bodies):
    root = Page.get_first_root_node()
    plain = root.add_child(instance=Page(title="普通页面", slug="plain"))
    site = Site.objects.create(hostname="plain.example.test", root_page=plain)
    with pytest.raises(services.PortalError, match="not a portal home page"):
        services.adopt_site(site, bodies["YC-ZF"])


@pytest.mark.django_db
def test_the_settings_screen_validates_the_footer_identifiers(client, portal):
    admin = make_staff("root")
    admin.is_superuser = True
    admin.save()
    login_verified(client, admin)
    site = portal["home"].get_site()
    url = reverse("wagtailsettings:edit", args=["portal", "portalsitesettings", site.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = querydict_from_html(page.content.decode(), form_id="w-editor-form").dict()
    data.update({"site_code": "50011800", "theme": "green"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "this one has 8 characters" in response.content.decode()
    data["site_code"] = "5001180009"
    assert client.post(url, data).status_code == 302
    settings = PortalSiteSettings.for_site(site)
    assert (settings.site_code, settings.theme) == ("5001180009", "green")
    assert '<body class="theme-green">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_slugs_that_would_hide_the_platforms_addresses_are_taken():
    for slug in ("accounts", "cms", "bodies", "report-error", "static", "documents"):
        assert slug_is_taken_by_platform(slug), slug
    for slug in ("news", "zwgk", "政策文件"):
        assert not slug_is_taken_by_platform(slug), slug


@pytest.mark.django_db
def test_a_column_cannot_take_a_platform_address_in_the_cms(client, portal):
    admin = make_staff("root")
    admin.is_superuser = True
    admin.save()
    login_verified(client, admin)
    url = reverse("wagtailadmin_pages:add", args=["portal", "columnpage", portal["home"].pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form").dict()
    data.update({"title": "账户", "slug": "accounts", "kind": "general"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "belongs to another part of the platform" in response.content.decode()
    data["slug"] = "zhanghu"
    assert client.post(url, data).status_code == 302


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({"label": "办事", "page": None, "address": "", "description": ""}, "Choose a page"),
        ({"label": "办事", "page": None, "address": "hall", "description": ""}, "starts with /"),
    ],
)
def test_an_entry_needs_a_page_or_a_proper_address(value, error):
    from wagtail.blocks.struct_block import StructBlockValidationError

    block = EntryBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python(value))
    assert error in str(caught.value.block_errors)


def test_an_entry_with_an_address_is_clean():
    block = EntryBlock()
    value = block.clean(
        block.to_python({"label": "办事", "page": None, "address": "/hall/", "description": ""})
    )
    assert value.href() == "/hall/"
