"""People in the back-office: users, citizens' and enterprises' real-name data.

Lists show masked values only; every staff view of a person's data here (a change page, a
list of people) is written to the audit log through ``egov.core.audit``.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from egov.core.audit import record_person_list_view, record_person_view
from egov.core.masking import mask

from .models import CitizenIdentity, EnterpriseIdentity, User

# Stored in the audit log as is (not translated: the log reads the same in every language).
BACKOFFICE_VIEW = "back-office view"


@admin.display(description=_("user name"), ordering="user__username")
def account_username(identity):
    # Not str(user): that is the display name, which may be the person's real name.
    return identity.user.username


class PersonViewAuditMixin:
    """Write an audit entry for each page that shows people's data to a staff member: the
    change page (on GET, once it rendered) and the list (naming the ids on the page)."""

    audit_purpose = BACKOFFICE_VIEW

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        if request.method == "GET" and response.status_code == 200 and shown.get("original"):
            record_person_view(request, shown["original"], purpose=self.audit_purpose)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            record_person_list_view(
                request,
                self.model,
                [obj.pk for obj in changelist.result_list],
                purpose=self.audit_purpose,
            )
        return response


class EgovUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "kind", "mobile", "email")


class EgovUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(PersonViewAuditMixin, DjangoUserAdmin):
    form = EgovUserChangeForm
    add_form = EgovUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password", "kind", "is_demo")}),
        (
            _("Personal info"),
            {"fields": ("display_name", "first_name", "last_name", "mobile", "email")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "kind",
                    "mobile",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "username",
        "kind",
        "masked_mobile",
        "masked_email",
        "is_staff",
        "is_active",
        "is_demo",
    )
    list_filter = ("kind", "is_staff", "is_superuser", "is_active", "is_demo", "groups")
    # Exact matches only: a search box is not a way to browse people by fragments.
    search_fields = ("=username", "=mobile", "=email")
    readonly_fields = ("is_demo", "last_login", "date_joined")

    @admin.display(description=_("mobile number"), ordering="mobile")
    def masked_mobile(self, user):
        return mask("mobile", user.mobile)

    @admin.display(description=_("e-mail"), ordering="email")
    def masked_email(self, user):
        return mask("email", user.email)


@admin.register(CitizenIdentity)
class CitizenIdentityAdmin(PersonViewAuditMixin, admin.ModelAdmin):
    list_display = (
        "masked_name",
        "masked_id_number",
        account_username,
        "verified_at",
        "created_at",
    )
    list_filter = ("verified_at",)
    search_fields = ("=id_number", "=user__mobile", "=user__username")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    readonly_fields = ("created_at",)

    @admin.display(description=_("real name"))
    def masked_name(self, identity):
        return mask("name", identity.real_name)

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, identity):
        return mask("id_number", identity.id_number)


@admin.register(EnterpriseIdentity)
class EnterpriseIdentityAdmin(PersonViewAuditMixin, admin.ModelAdmin):
    list_display = ("name", "uscc", "masked_legal_representative", account_username, "verified_at")
    list_filter = ("verified_at",)
    search_fields = ("name", "=uscc", "=user__username")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    readonly_fields = ("created_at",)

    @admin.display(description=_("legal representative"))
    def masked_legal_representative(self, identity):
        return mask("name", identity.legal_representative)
