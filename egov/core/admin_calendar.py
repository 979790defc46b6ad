"""Back-office for the one clock: the working-day calendar (editable) and timers (read-only)."""

from django import forms
from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from egov.core.calendar import is_package_source
from egov.core.models import CalendarDay, Timer, TimerPause
from egov.core.timers import with_state

WORKING_KINDS = {CalendarDay.Kind.WORKDAY, CalendarDay.Kind.MAKEUP}


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "is_working_day", "name", "source"]
        help_texts = {
            "source": _(
                "Where this day comes from, e.g. the State Council notice (国办发明电〔2026〕1号). "
                "A row whose source names the chinese-calendar package is refreshed by the next "
                "seeding; a row with your own source is never overwritten."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        kind, working = cleaned.get("kind"), cleaned.get("is_working_day")
        if kind and working is not None and (kind in WORKING_KINDS) != working:
            self.add_error(
                "is_working_day",
                _(
                    "A working day or a make-up working day is a working day; a weekend day or "
                    "a public holiday is not. Change the kind or this box so that they agree."
                ),
            )
        source = cleaned.get("source", "")
        if source and is_package_source(source) and self.changed_data:
            self.add_error(
                "source",
                _(
                    "Say where your change comes from (e.g. the State Council notice number). "
                    "A row whose source still names the chinese-calendar package would be "
                    "overwritten by the next seeding."
                ),
            )
        return cleaned


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            CalendarDay.objects.annotate(year=ExtractYear("date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "is_working_day", "name", "source", "updated_at"]
    list_filter = ["kind", YearFilter, "is_working_day"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"
    ordering = ["date"]
    list_per_page = 62
    readonly_fields = ["updated_at"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_format(obj.date, "D")

    def get_readonly_fields(self, request, obj=None):
        # The date is the key: to move a holiday, edit both days rather than renaming one.
        return [*self.readonly_fields, "date"] if obj else self.readonly_fields


class TimerPauseInline(admin.TabularInline):
    model = TimerPause
    fields = ["paused_on", "resumed_on", "remaining", "reason", "by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Timer.State.choices

    def queryset(self, request, queryset):
        # The changelist's queryset carries the ``state`` annotation (TimerAdmin.get_queryset).
        if self.value() in Timer.State.values:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin):
    """Read-only: timers change only through the verbs of egov.core.timers."""

    list_display = [
        "id",
        "purpose",
        "subject_type",
        "subject_id",
        "owner_body",
        "start_date",
        "limit",
        "unit",
        "due_date",
        "state",
    ]
    list_filter = [StateFilter, "unit", "purpose"]
    search_fields = ["purpose", "subject_type", "subject_id"]
    date_hierarchy = "due_date"
    list_select_related = ["owner_body"]
    inlines = [TimerPauseInline]

    def get_queryset(self, request):
        return with_state(super().get_queryset(request))

    @admin.display(description=_("state"), ordering="state")
    def state(self, obj):
        return Timer.State(obj.state).label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
