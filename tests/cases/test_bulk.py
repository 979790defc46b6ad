"""Bulk actions of the queue: claim or assign several cases at once, each checked as if alone
(scope, permission, state); what is refused is said case by case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egov.cases.models import Case
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_a_head_assigns_several_cases_and_another_bodys_case_is_not_found(
    client, promised_version, staff, new_case, make_item
):
    from egov.services import services as catalogue

    own = [new_case(promised_version) for _ in range(3)]
    other_item = make_item("YC-MZJ", name="民政事项")
    other = new_case(catalogue.publish_version(other_item.versions.get(), None))
    login_verified(client, staff["head"])
    page = client.get(reverse("cases:queue") + "?view=all").content.decode()
    assert 'name="codes"' in page and 'name="to"' in page
    response = client.post(
        reverse("cases:bulk"),
        {
            "action": "assign",
            "to": str(staff["clerk"].pk),
            "codes": [case.query_code for case in own] + [other.query_code],
        },
    )
    assert response.status_code == 302
    assert set(Case.objects.filter(assignee=staff["clerk"]).values_list("pk", flat=True)) == {
        case.pk for case in own
    }
    assert Case.objects.get(pk=other.pk).assignee is None
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("1" in m and ("not found" in m or "未找到" in m) for m in messages), messages


def test_a_clerk_claims_in_bulk_but_cannot_assign(client, promised_version, staff, new_case):
    first, second = new_case(promised_version), new_case(promised_version)
    Case.objects.filter(pk=second.pk).update(assignee=staff["reviewer"])
    login_verified(client, staff["clerk"])
    page = client.get(reverse("cases:queue") + "?view=all").content.decode()
    assert 'name="to"' not in page  # no assigning for a clerk
    response = client.post(
        reverse("cases:bulk"),
        {"action": "assign", "to": str(staff["clerk"].pk), "codes": [first.query_code]},
    )
    assert Case.objects.get(pk=first.pk).assignee is None  # refused
    client.post(
        reverse("cases:bulk"),
        {"action": "claim", "codes": [first.query_code, second.query_code]},
    )
    assert Case.objects.get(pk=first.pk).assignee == staff["clerk"]
    assert Case.objects.get(pk=second.pk).assignee == staff["reviewer"]  # not taken over
    response = client.post(reverse("cases:bulk"), {"action": "claim"})
    assert response.status_code == 302  # nothing chosen: told, nothing done
