"""The back-office: the catalogue, grants (read-only: decided on the staff pages, audited),
consuming systems and the call log (read-only)."""

from django.contrib import admin
from django.db import transaction

from . import opendata
from .models import CallLog, Consumer, Grant, Resource, ResourceField


class FieldInline(admin.TabularInline):
    model = ResourceField
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "provider", "sharing_type", "open_to_public"]
    list_filter = ["sharing_type", "open_to_public"]
    search_fields = ["code", "name"]
    inlines = [FieldInline]

    # Bodies describe their own resources on the staff pages (/staff/sharing/), which keep
    # each body to its own; the back-office's unscoped list is the administrators' only.
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def changeform_view(self, *args, **kwargs):
        # The resource and its fields are saved one after the other: one open data message
        # for them all, in the same transaction (egov/sharing/opendata.py).
        with transaction.atomic(), opendata.batched():
            return super().changeform_view(*args, **kwargs)


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["resource", "consumer_body", "status", "expires_on", "requested_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "application", "is_active"]
    list_filter = ["is_active"]


@admin.register(CallLog)
class CallLogAdmin(admin.ModelAdmin):
    list_display = ["at", "consumer", "resource_code", "status_code", "rows_returned"]
    list_filter = ["status_code"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
