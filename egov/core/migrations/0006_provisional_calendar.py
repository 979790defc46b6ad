"""Give the years after the last published one provisional working days (weekends and the
statutory holidays off), up to next year, so that deadlines running into a year whose holiday
arrangement is not yet out can be computed (docs/decisions/0019-provisional-working-days.md).
The worker extends them every night; official days replace them when they are entered.
"""

from django.db import migrations


def extend(apps, schema_editor):
    from egov.core.calendar import extend_provisionally, provisional_horizon

    extend_provisionally(provisional_horizon(), apps=apps)


def remove(apps, schema_editor):
    from egov.core.calendar import PROVISIONAL_SOURCE_PREFIX

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(source__startswith=PROVISIONAL_SOURCE_PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_yearly_counter")]

    operations = [migrations.RunPython(extend, remove)]
