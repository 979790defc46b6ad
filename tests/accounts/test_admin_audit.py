"""People in the back-office: masked lists, an audit entry for every staff view of a
person's data, and a read-only audit log."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import CitizenIdentity, EnterpriseIdentity, User
from egov.core.audit import PERSON_LIST, PERSON_VIEW, record, verify_chain
from egov.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ID_NUMBER = "500383199001011235"
REAL_NAME = "欧阳娜娜"
MOBILE = "13812341234"


def login_verified(client, user: User) -> TOTPDevice:
    """Log ``user`` in as if they had passed two-factor: what django_otp.login() leaves in
    the session (DEVICE_ID_SESSION_KEY = the device's persistent id), which OTPMiddleware
    reads back on every request."""
    device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, email=f"{username}@example.org", **extra)


@pytest.fixture
def superuser():
    return User.objects.create_superuser(
        username="sysadmin", email="sysadmin@example.org", password="x", kind=User.Kind.STAFF
    )


@pytest.fixture
def clerk():
    """A staff member with back-office access but no permission on people."""
    return make_user("clerk", kind=User.Kind.STAFF, is_staff=True)


@pytest.fixture
def citizen():
    user = User.objects.create_citizen(mobile=MOBILE, email="nana@example.org")
    identity = CitizenIdentity.objects.create(user=user, real_name=REAL_NAME, id_number=ID_NUMBER)
    return identity


@pytest.fixture
def enterprise():
    user = make_user("firm", kind=User.Kind.ENTERPRISE)
    return EnterpriseIdentity.objects.create(
        user=user,
        name="重庆永川示例有限公司",
        uscc="11500383009338112H",
        legal_representative="张三",
    )


def grant(user: User, codename: str) -> None:
    user.user_permissions.add(Permission.objects.get(codename=codename))


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def list_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


# --- the helper itself ---------------------------------------------------------------------


def test_login_verified_passes_the_two_factor_gate(client, superuser):
    client.force_login(superuser)
    refused = client.get(list_url(CitizenIdentity))
    assert refused.status_code == 302
    assert reverse("accounts:two_factor") in refused["Location"]

    login_verified(client, superuser)
    assert client.get(list_url(CitizenIdentity)).status_code == 200


# --- staff views of a person's data are audited ---------------------------------------------


def test_the_change_view_of_a_citizen_identity_writes_an_audit_entry(client, superuser, citizen):
    login_verified(client, superuser)

    response = client.get(change_url(citizen))

    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()  # the full value, for this audited view
    entry = AuditEntry.objects.get(action=PERSON_VIEW)
    assert entry.actor_id == superuser.pk
    assert entry.actor_label == "sysadmin"
    assert entry.ip_address == "127.0.0.1"
    assert (entry.object_type, entry.object_id) == ("accounts.citizenidentity", str(citizen.pk))
    assert entry.purpose == "back-office view"
    assert verify_chain()


def test_each_view_is_a_new_entry(client, superuser, citizen):
    login_verified(client, superuser)
    client.get(change_url(citizen))
    client.get(change_url(citizen))
    assert AuditEntry.objects.filter(action=PERSON_VIEW).count() == 2


def test_the_list_of_identities_is_masked_and_audited(client, superuser, citizen):
    login_verified(client, superuser)

    response = client.get(list_url(CitizenIdentity))

    html = response.content.decode()
    assert response.status_code == 200
    assert "500383********1235" in html and "欧***" in html
    assert ID_NUMBER not in html and REAL_NAME not in html
    entry = AuditEntry.objects.get(action=PERSON_LIST)
    assert entry.object_type == "accounts.citizenidentity"
    assert entry.detail["ids"] == [str(citizen.pk)]
    assert (entry.actor_id, entry.purpose) == (superuser.pk, "back-office view")


def test_an_exact_search_is_recorded_with_the_list(client, superuser, citizen):
    login_verified(client, superuser)
    response = client.get(list_url(CitizenIdentity), {"q": ID_NUMBER})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=PERSON_LIST)
    assert entry.detail["query"] == ID_NUMBER
    assert entry.detail["ids"] == [str(citizen.pk)]


def test_the_user_list_is_masked_and_the_user_page_audited(client, superuser, citizen):
    login_verified(client, superuser)

    html = client.get(list_url(User)).content.decode()
    assert "138****1234" in html
    assert MOBILE not in html

    assert client.get(change_url(citizen.user)).status_code == 200
    entry = AuditEntry.objects.get(action=PERSON_VIEW)
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(citizen.user.pk))


def test_the_enterprise_identity_page_is_audited(client, superuser, enterprise):
    login_verified(client, superuser)
    html = client.get(list_url(EnterpriseIdentity)).content.decode()
    assert "张*" in html and "张三" not in html
    assert client.get(change_url(enterprise)).status_code == 200
    entry = AuditEntry.objects.get(action=PERSON_VIEW)
    assert entry.object_type == "accounts.enterpriseidentity"


def test_staff_without_permission_are_refused_and_nothing_is_recorded(client, clerk, citizen):
    login_verified(client, clerk)
    assert client.get(change_url(citizen)).status_code == 403
    assert client.get(list_url(CitizenIdentity)).status_code == 403
    assert not AuditEntry.objects.exists()


def test_staff_with_the_view_permission_may_look_and_are_recorded(client, clerk, citizen):
    grant(clerk, "view_citizenidentity")
    login_verified(client, clerk)
    assert client.get(change_url(citizen)).status_code == 200
    assert AuditEntry.objects.get(action=PERSON_VIEW).actor_id == clerk.pk


def test_without_two_factor_nothing_is_shown_and_nothing_recorded(client, superuser, citizen):
    client.force_login(superuser)
    assert client.get(change_url(citizen)).status_code == 302
    assert not AuditEntry.objects.exists()


def test_a_missing_identity_is_not_recorded_as_viewed(client, superuser):
    login_verified(client, superuser)
    response = client.get(reverse("admin:accounts_citizenidentity_change", args=[999]))
    assert response.status_code == 302  # the admin redirects with "does not exist"
    assert not AuditEntry.objects.filter(action=PERSON_VIEW).exists()


# --- the adapted user admin ----------------------------------------------------------------


def add_user(client, username: str, **fields):
    data = {
        "username": username,
        "kind": User.Kind.STAFF,
        "mobile": "",
        "email": "",
        "usable_password": "true",
        "password1": "a-long-enough-Passw0rd",
        "password2": "a-long-enough-Passw0rd",
        **fields,
    }
    return client.post(reverse("admin:accounts_user_add"), data)


def test_a_user_is_added_through_the_back_office(client, superuser):
    login_verified(client, superuser)
    response = add_user(client, "newclerk", mobile="13900001111", email="new@example.org")
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(username="newclerk")
    assert (created.kind, created.mobile, created.email) == (
        "staff",
        "13900001111",
        "new@example.org",
    )
    assert created.check_password("a-long-enough-Passw0rd")


def test_a_bad_mobile_number_is_refused_with_the_validator_message(client, superuser):
    login_verified(client, superuser)
    response = add_user(client, "newclerk", mobile="12345")
    assert response.status_code == 200
    assert "13800138000" in str(response.context["adminform"].form.errors["mobile"])
    assert not User.objects.filter(username="newclerk").exists()


def test_two_users_without_an_e_mail_are_added(client, superuser):
    login_verified(client, superuser)
    assert add_user(client, "first").status_code == 302
    assert add_user(client, "second").status_code == 302
    assert User.objects.filter(username__in=["first", "second"], email=None).count() == 2


def test_the_demo_flag_cannot_be_set_in_the_back_office(client, superuser, citizen):
    login_verified(client, superuser)
    html = client.get(change_url(citizen.user)).content.decode()
    assert 'name="is_demo"' not in html


# --- the audit log in the back-office is read-only -----------------------------------------


@pytest.fixture
def entry():
    return record("test.event", purpose="original")


def test_superusers_read_the_audit_log(client, superuser, entry):
    login_verified(client, superuser)
    assert client.get(list_url(AuditEntry)).status_code == 200
    detail = client.get(change_url(entry))
    assert detail.status_code == 200
    assert "original" in detail.content.decode()


def test_the_audit_log_filters_by_action_and_actor(client, superuser, entry):
    login_verified(client, superuser)
    response = client.get(list_url(AuditEntry), {"action": "test.event"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = client.get(list_url(AuditEntry), {"action": "other"})
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("who", ["superuser", "clerk"])
def test_nobody_adds_changes_or_deletes_audit_entries_in_the_back_office(
    client, request, who, entry
):
    user = request.getfixturevalue(who)
    if who == "clerk":
        grant(user, "view_auditentry")
        grant(user, "change_auditentry")
        grant(user, "delete_auditentry")
        grant(user, "add_auditentry")
    login_verified(client, user)

    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    changed = client.post(change_url(entry), {"purpose": "changed", "action": "x"})
    assert changed.status_code == 403
    delete_url = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        list_url(AuditEntry), {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert bulk.status_code in (200, 302)  # "no action selected": the action does not exist

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.purpose == "original"
    assert verify_chain()


def test_staff_without_the_view_permission_cannot_read_the_audit_log(client, clerk, entry):
    login_verified(client, clerk)
    assert client.get(list_url(AuditEntry)).status_code == 403
    assert client.get(change_url(entry)).status_code == 403
    grant(clerk, "view_auditentry")
    assert client.get(list_url(AuditEntry)).status_code == 200
