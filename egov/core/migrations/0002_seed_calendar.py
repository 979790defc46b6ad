"""Seed the working-day calendar for 2020-2026 from the chinese-calendar package.

Every fresh database, the test database included, starts with a calendar. Later years come
from ``manage.py seed_calendar`` (docs/decisions/0002-working-day-clock.md).
"""

from django.db import migrations

YEARS = range(2020, 2027)


def seed(apps, schema_editor):
    from egov.core.calendar import seed_from_package

    seed_from_package(YEARS, apps=apps)


def unseed(apps, schema_editor):
    from egov.core.calendar import PACKAGE_SOURCE_PREFIX

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(
        date__year__in=list(YEARS), source__startswith=PACKAGE_SOURCE_PREFIX
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
