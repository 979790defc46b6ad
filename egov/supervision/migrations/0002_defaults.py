"""The defaults of ../shared/design/domain-cn.md "Electronic supervision": one rule for every
timer (a warning 1 working day before the due date, a yellow card from 1 working day
overdue, a red card from 2), the deductions (−1 yellow, −1.5 red) and the quarterly grades.
The supervising department edits them in the back-office; rows already there are kept."""

from decimal import Decimal

from django.db import migrations

DEDUCTIONS = [
    ("signal:yellow", "Yellow card", Decimal("1.00")),
    ("signal:red", "Red card", Decimal("1.50")),
]
GRADES = [("excellent", Decimal("95")), ("good", Decimal("85")), ("pass", Decimal("70"))]


def seed(apps, schema_editor):
    Rule = apps.get_model("supervision", "SupervisionRule")
    Deduction = apps.get_model("supervision", "Deduction")
    GradeThreshold = apps.get_model("supervision", "GradeThreshold")
    if not Rule.objects.filter(purpose="", body__isnull=True).exists():
        Rule.objects.create(
            purpose="",
            body=None,
            warning_days=1,
            yellow_days=1,
            red_days=2,
            note="Default (domain-cn.md, Electronic supervision)",
        )
    for code, label, points in DEDUCTIONS:
        Deduction.objects.get_or_create(code=code, defaults={"label": label, "points": points})
    for grade, minimum in GRADES:
        GradeThreshold.objects.get_or_create(grade=grade, defaults={"min_score": minimum})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
