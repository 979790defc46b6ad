"""Every page type of the site group can be created and edited in the CMS (its panels and
form work), and where each may be placed is enforced."""

import pytest
from django.urls import reverse

from egov.portal.models import (
    ArticlePage,
    ColumnPage,
    HomePage,
    PolicyDocumentPage,
    SectionPage,
)
from tests.conftest import login_verified
from tests.portal.conftest import add_article, add_document, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    admin = make_staff("root")
    admin.is_superuser = True
    admin.save()
    login_verified(client, admin)
    return client


@pytest.mark.parametrize(
    ("parent", "model"),
    [
        ("home", "columnpage"),
        ("home", "sectionpage"),
        ("home", "bodyprofilepage"),
        ("home", "downloadspage"),
        ("news", "articlepage"),
        ("policies", "policydocumentpage"),
        ("policies", "interpretationpage"),
        ("news", "leaderprofilepage"),
        ("news", "topicpage"),
        ("qingfeng", "columnpage"),
    ],
)
def test_the_add_form_of_each_page_type_opens(superuser_client, portal, parent, model):
    url = reverse("wagtailadmin_pages:add", args=["portal", model, portal[parent].pk])
    assert superuser_client.get(url).status_code == 200


def test_the_edit_form_of_each_kind_of_page_opens(superuser_client, portal):
    article = add_article(portal["news"], "新闻")
    document = add_document(portal["policies"], "文件")
    for page in (portal["home"], portal["qingfeng"], portal["news"], article, document):
        response = superuser_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page


def test_page_types_go_only_where_they_belong(portal):
    assert ArticlePage.can_create_at(portal["news"])
    assert not ArticlePage.can_create_at(portal["home"])
    assert not PolicyDocumentPage.can_create_at(portal["qingfeng"])
    assert SectionPage.can_create_at(portal["towns"])
    assert not HomePage.can_create_at(portal["home"])
    assert ColumnPage.can_create_at(portal["qingfeng"])
