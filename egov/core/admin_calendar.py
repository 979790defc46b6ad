"""Back-office for the one clock: the working-day calendar (editable) and timers (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from egov.core import audit
from egov.core.calendar import (
    PROVISIONAL_SOURCE_PREFIX,
    invalidate_cache,
    is_package_source,
    is_provisional_source,
    snapshot,
)
from egov.core.models import CalendarDay, Timer, TimerPause
from egov.core.timers import redate_after_calendar_change, with_state

WORKING_KINDS = {CalendarDay.Kind.WORKDAY, CalendarDay.Kind.MAKEUP}


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "is_working_day", "name", "source"]
        help_texts = {
            "source": _(
                "Where this day comes from, e.g. the State Council notice (国办发明电〔2026〕1号). "
                "A row whose source names the chinese-calendar package is refreshed by the next "
                "seeding; a row with your own source is never overwritten. A provisional row "
                "(a year not yet published) is replaced by your edit."
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
        if source and is_provisional_source(source) and self.changed_data:
            self.add_error(
                "source",
                _(
                    "Say where your change comes from (e.g. the State Council notice number). "
                    "A row whose source still says provisional is not an official day."
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

    actions = ["confirm_provisional"]

    def get_readonly_fields(self, request, obj=None):
        # The date is the key: to move a holiday, edit both days rather than renaming one.
        return [*self.readonly_fields, "date"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Save the day, then move the due dates of the running timers it changes."""
        with transaction.atomic():
            before = snapshot()
            super().save_model(request, obj, form, change)
            invalidate_cache()
            moved = redate_after_calendar_change(before, obj.date)
            audit.record(
                "calendar.day.change",
                request=request,
                obj=obj,
                detail={
                    "is_working_day": obj.is_working_day,
                    "kind": obj.kind,
                    "source": obj.source,
                    "timers_redated": moved,
                },
            )
        if moved:
            self.message_user(
                request,
                ngettext(
                    "The due date of %(count)d running timer moved with this day.",
                    "The due dates of %(count)d running timers moved with this day.",
                    moved,
                )
                % {"count": moved},
                messages.WARNING,
            )

    @admin.action(
        description=_("Confirm the selected provisional days as official (no change needed)"),
        permissions=["change"],
    )
    def confirm_provisional(self, request, queryset):
        """After entering the holidays and make-up days of a notice, the remaining
        provisional days (ordinary weekdays and weekends) are right as they are: confirm them
        so that the year counts as published."""
        source = gettext("confirmed by %(user)s on %(date)s against the State Council notice") % {
            "user": request.user.get_username(),
            "date": timezone.localdate().isoformat(),
        }
        with transaction.atomic():
            days = queryset.filter(source__startswith=PROVISIONAL_SOURCE_PREFIX)
            count = days.update(source=source[:200], updated_at=timezone.now())
            invalidate_cache()
            transaction.on_commit(invalidate_cache)
            audit.record(
                "calendar.days.confirm", request=request, detail={"days": count, "source": source}
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d provisional day confirmed.",
                "%(count)d provisional days confirmed.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


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
