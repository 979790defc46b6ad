"""The anomaly rules and their deductions (../shared/design/domain-cn.md "Electronic
supervision": −0.5 for a refusal without reason, −1 per 不满意 rating). Step out of order is
serious (a red card). An item of online depth 4 taken at the window is watched but costs
nothing by default: helping an elderly applicant at the window is lawful (decision 0010).
Labels are data, in Chinese (the back-office edits them). Rows already there are kept."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("case.not_accepted_in_time", "超时未受理", 2, False),
    ("case.refusal_without_reason", "不予受理或不予许可未说明理由", 0, False),
    ("case.step_out_of_order", "跳过环节或环节顺序错误", 0, True),
    ("case.pause_without_reason", "暂停计时未说明理由", 0, False),
    ("case.pause_too_long", "暂停计时过长", 60, False),
    ("case.correction_repeated", "多次要求补正", 0, False),
    ("case.fee_off_standard", "收费与事项标准不符", 0, False),
    ("case.offline_for_online_item", "全程网办事项在窗口办理", 0, False),
    ("case.bad_rating", "不满意或非常不满意评价", 0, False),
]
DEDUCTIONS = [
    ("anomaly:case.refusal_without_reason", "Refusal without reason", Decimal("0.50")),
    ("anomaly:case.bad_rating", "不满意 rating", Decimal("1.00")),
    ("anomaly:case.not_accepted_in_time", "Not accepted in time", Decimal("0.50")),
    ("anomaly:case.correction_repeated", "Correction requested more than once", Decimal("0.50")),
    ("anomaly:case.fee_off_standard", "Fee off the standard", Decimal("1.00")),
]


def seed(apps, schema_editor):
    AnomalyRule = apps.get_model("supervision", "AnomalyRule")
    Deduction = apps.get_model("supervision", "Deduction")
    for code, label, days, serious in RULES:
        AnomalyRule.objects.get_or_create(
            code=code, defaults={"label": label, "days": days, "serious": serious}
        )
    for code, label, points in DEDUCTIONS:
        Deduction.objects.get_or_create(code=code, defaults={"label": label, "points": points})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_anomalies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
