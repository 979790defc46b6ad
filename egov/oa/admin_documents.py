"""Back-office of official documents: secrecy clearances and each body's document settings
(mark, number prefix, rounds of review). Documents themselves change only through the
staff pages' verbs (egov.oa.services_documents); the back-office shows them read-only."""

from django.contrib import admin

from .models import BodyDocumentSettings, Clearance, Document


@admin.register(Clearance)
class ClearanceAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "granted_by", "granted_at"]
    list_filter = ["level"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        from egov.core import audit

        obj.granted_by = request.user
        obj.granted_at = timezone.now()
        super().save_model(request, obj, form, change)
        audit.record("oa.clearance.grant", request=request, obj=obj, detail={"level": obj.level})


@admin.register(BodyDocumentSettings)
class BodyDocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ["body", "mark", "prefix", "review_rounds"]
    search_fields = ["body__name_zh", "prefix"]
    autocomplete_fields = ["body"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "doc_type", "status", "secrecy"]
    list_filter = ["status", "doc_type", "secrecy"]

    # Staff read and handle documents on their pages (/staff/oa/documents/); the back-office
    # list is for the platform's administrators only, so a member who may draft documents is
    # not sent to the back-office for them.
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        from .services_documents import documents_visible_to

        return documents_visible_to(request.user)
