"""The search's own narrow table on PostgreSQL (decision 0015): ``SearchDocument``, filled
here from the existing entries, their pages and Wagtail's index entries in one set-based
statement (the words, and the facets: the page's and its ancestors' paths, its type), with a GIN index on the words and a B-tree on the publication time, newest first.
Nothing is filled on SQLite (its search keeps Wagtail's query)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

DOCUMENT_INDEX = "portal_searchdocument_words_gin"
NEWEST_INDEX = "portal_searchdocument_newest"


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'portal' "
            "AND model = 'searchentry'"
        )
        row = cursor.fetchone()
        if row is not None:
            cursor.execute(
                "INSERT INTO portal_searchdocument (entry_id, path, content_type_id, "
                "published_at, document, title_document) "
                "SELECT e.page_id, p.path, p.content_type_id, p.first_published_at, "
                "strip(i.title || i.body) || array_to_tsvector(ARRAY("
                "SELECT '§p' || substr(p.path, 1, n * 4) "
                "FROM generate_series(1, length(p.path) / 4) AS n) "
                "|| ('§t' || p.content_type_id)), i.title "
                "FROM portal_searchentry e JOIN wagtailcore_page p ON p.id = e.page_id "
                "JOIN wagtailsearch_indexentry i ON i.content_type_id = %s "
                "AND i.object_id = e.page_id::text "
                "ON CONFLICT (entry_id) DO NOTHING",
                [row[0]],
            )
        # The insert leaves deferred foreign-key checks pending; indexes are built on a
        # table with none.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {DOCUMENT_INDEX} ON portal_searchdocument "
            "USING gin (document)"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {NEWEST_INDEX} ON portal_searchdocument "
            "(published_at DESC NULLS LAST, entry_id DESC)"
        )
        cursor.execute("ANALYZE portal_searchdocument")


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DOCUMENT_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {NEWEST_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_page_cache_and_search_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="document",
                        serialize=False,
                        to="portal.searchentry",
                        verbose_name="search entry",
                    ),
                ),
                ("path", models.CharField(max_length=255, verbose_name="path")),
                ("content_type_id", models.PositiveIntegerField(verbose_name="page type")),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="first published at"),
                ),
                (
                    "document",
                    django.contrib.postgres.search.SearchVectorField(verbose_name="words"),
                ),
                (
                    "title_document",
                    django.contrib.postgres.search.SearchVectorField(
                        verbose_name="words of the title"
                    ),
                ),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.RunPython(fill, unfill, elidable=False),
    ]
