"""Seed the eight roles of issue 2. Roles are rows: a district adds its own in the back-office.

Data scopes (see docs/decisions/0004-directory-and-scoping.md):
- supervisor sees every body (electronic supervision watches the whole district);
- approver and office head see their own bodies and every body under them;
- everyone else, the system administrator included, sees only their own bodies.
"""

from django.db import migrations

ROLES = [
    # code, name_zh, name_en, scope, description
    (
        "window_clerk",
        "窗口受理人员",
        "Window clerk",
        "own",
        "Accepts applications at the service window or from the online hall.",
    ),
    ("reviewer", "审核人员", "Reviewer", "own", "Examines accepted applications."),
    (
        "approver",
        "审批人员",
        "Approver",
        "subtree",
        "Decides on applications of their body and the bodies under it.",
    ),
    (
        "office_head",
        "科室负责人",
        "Office head",
        "subtree",
        "Leads an office; sees the work of their body and the bodies under it.",
    ),
    (
        "supervisor",
        "监察人员",
        "Supervisor",
        "all",
        "Electronic supervision: watches the time limits and conduct of every body.",
    ),
    ("editor", "网站编辑", "Website editor", "own", "Writes and updates the body's web pages."),
    (
        "site_admin",
        "网站管理员",
        "Site administrator",
        "own",
        "Configures the body's website: columns, menus, editors.",
    ),
    (
        "system_admin",
        "系统管理员",
        "System administrator",
        "own",
        "Configures the platform. Sees no citizen's case data beyond their own body "
        "(privacy by default).",
    ),
]


def seed_roles(apps, schema_editor):
    Role = apps.get_model("directory", "Role")
    for code, name_zh, name_en, scope, description in ROLES:
        Role.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "scope": scope,
                "description": description,
            },
        )


def remove_unused_roles(apps, schema_editor):
    Role = apps.get_model("directory", "Role")
    Role.objects.filter(code__in=[row[0] for row in ROLES], memberships__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed_roles, remove_unused_roles)]
