"""The mailboxes of the bodies already in the directory (later bodies get theirs when they
are saved: ``mailboxes.sync_body``)."""

from django.db import migrations

KINDS = ("government", "department", "town", "subdistrict", "stationed")


def make_mailboxes(apps, schema_editor):
    Organisation = apps.get_model("directory", "Organisation")
    Mailbox = apps.get_model("interaction", "Mailbox")
    for body in Organisation.objects.filter(kind__in=KINDS).order_by("sort_order", "code"):
        Mailbox.objects.get_or_create(
            code=body.code,
            defaults={
                "kind": "body",
                "body": body,
                "is_active": body.is_active,
                "sort_order": body.sort_order + 1,
            },
        )
        if body.kind == "government" and body.is_active:
            Mailbox.objects.get_or_create(
                code="head", defaults={"kind": "head", "body": body, "sort_order": 0}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0001_initial"),
        ("directory", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_mailboxes, migrations.RunPython.noop)]
