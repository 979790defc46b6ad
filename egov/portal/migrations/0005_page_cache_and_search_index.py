"""The page cache's generation (egov/portal/cache.py), and on PostgreSQL two indexes for the
portal's search (search.BoundedResults): Wagtail's database backend matches
``(title || body) @@ query``, an expression its own indexes (on title and on body apart)
cannot serve, so every search read the whole index table; and the newest matches are found
by walking the pages newest first (``first_published_at DESC NULLS LAST, id DESC``)."""

import secrets

from django.db import migrations, models

SEARCH_INDEX = "portal_search_title_body_gin"
NEWEST_INDEX = "portal_page_newest"


def first_generation(apps, schema_editor):
    PageCacheGeneration = apps.get_model("portal", "PageCacheGeneration")
    PageCacheGeneration.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(8)})


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NEWEST_INDEX} ON wagtailcore_page "
            "(first_published_at DESC NULLS LAST, id DESC)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {NEWEST_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_site_health"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageCacheGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32, verbose_name="token")),
                (
                    "changed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="changed at"),
                ),
            ],
            options={
                "verbose_name": "page cache generation",
                "verbose_name_plural": "page cache generations",
            },
        ),
        migrations.RunPython(first_generation, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
