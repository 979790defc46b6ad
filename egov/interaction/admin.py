"""Back-office: the abusive terms that hold a letter for moderation (data, edited by holders
of the model's permissions; every change audited)."""

from django.contrib import admin

from egov.core import audit

from .models import AbusiveTerm


@admin.register(AbusiveTerm)
class AbusiveTermAdmin(admin.ModelAdmin):
    list_display = ["term", "is_active", "note", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["term"]
    actions = None  # no bulk delete: each deletion goes through delete_model, audited

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            "interaction.abusive_term.changed" if change else "interaction.abusive_term.added",
            actor=request.user,
            obj=obj,
            request=request,
            detail={"term": obj.term, "active": obj.is_active},
        )

    def delete_model(self, request, obj):
        audit.record(
            "interaction.abusive_term.deleted",
            actor=request.user,
            obj=obj,
            request=request,
            detail={"term": obj.term},
        )
        super().delete_model(request, obj)
