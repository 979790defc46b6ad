"""Back-office: the rules and the scoring scheme are edited here; signals are read-only
(they are explained and closed on the supervision pages, with the audit trail)."""

from django.contrib import admin

from .models import AnomalyRule, Deduction, GradeThreshold, Signal, SupervisionRule


@admin.register(SupervisionRule)
class SupervisionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "purpose",
        "item_type",
        "body",
        "warning_days",
        "yellow_days",
        "red_days",
        "active",
    ]
    list_filter = ["active", "item_type"]
    list_select_related = ["body"]
    fields = [
        "purpose",
        "item_type",
        "body",
        ("warning_days", "yellow_days", "red_days"),
        "active",
        "note",
    ]
    autocomplete_fields = ["body"]
    search_fields = ["purpose", "body__name_zh", "body__code"]


@admin.register(AnomalyRule)
class AnomalyRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "item_type", "label", "active", "days", "serious"]
    list_editable = ["active", "days", "serious"]
    list_filter = ["item_type", "active"]


@admin.register(Deduction)
class DeductionAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "points"]


@admin.register(GradeThreshold)
class GradeThresholdAdmin(admin.ModelAdmin):
    list_display = ["grade", "min_score"]


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "code", "body", "purpose", "raised_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["body"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
