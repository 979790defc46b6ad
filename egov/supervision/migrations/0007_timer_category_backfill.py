"""Timers started before ``core.Timer.category`` existed: every timer whose subject is a case
(its promised limit, a rectification) gets the type of the case's service item, so that the
rules by item type (decision 0016) apply to them too. One UPDATE; nothing else is changed."""

from django.db import migrations
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce


def backfill(apps, schema_editor):
    Timer = apps.get_model("core", "Timer")
    Case = apps.get_model("cases", "Case")
    item_type = Case.objects.filter(
        pk=Cast(OuterRef("subject_id"), BigIntegerField())
    ).values("version__item_type")[:1]
    Timer.objects.filter(subject_type="cases.case", category="").update(
        category=Coalesce(Subquery(item_type), "category")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_timer_category"),
        ("cases", "0005_payments"),
        ("supervision", "0006_rules_by_item_type"),
    ]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
