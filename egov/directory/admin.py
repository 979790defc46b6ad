"""Back-office (Django admin at /backoffice/) for the organisation directory."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Role


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "title", "since"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_zh", "name_en", "uscc"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["code", "name_zh", "name_en", "kind", "parent", "path", "is_active"]}),
        (
            _("Public facts"),
            {
                "fields": [
                    "uscc",
                    "functions",
                    "address",
                    "office_hours",
                    "phone",
                    "head",
                    "sort_order",
                ]
            },
        ),
    ]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "scope", "member_count"]
    list_filter = ["scope"]
    search_fields = ["code", "name_zh", "name_en"]
    filter_horizontal = ["permissions"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, role) -> int:
        return role.member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "title", "since"]
    list_filter = ["role", "organisation__kind"]
    search_fields = [
        "user__username",
        "user__display_name",
        "organisation__code",
        "organisation__name_zh",
        "title",
    ]
    list_select_related = ["user", "organisation", "role"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]
