"""The audit log in the back-office: read-only. Nobody, superusers included, may add, change
or delete an entry here; reading needs the "view audit entry" permission."""

from django.contrib import admin

from egov.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "purpose",
        "ip_address",
    )
    list_filter = ("action", "at", ("actor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=object_id", "=actor_label")
    ordering = ("-id",)
    # Counting millions of rows on every page is slow; the paginator shows "more" instead.
    show_full_result_count = False
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
