"""A fresh install serves the portal's home page at "/" instead of Wagtail's welcome page.

Wagtail's own migrations create a page "Welcome to your new Wagtail site!" as the root of the
default site. If that page is still there, untouched and childless, it is replaced by a portal
home page (no owning body yet: `manage.py seed_portal`, or an administrator in the CMS, gives
it to the district government). A site someone has already built is left alone.
"""

from django.db import migrations

HOME_TITLE = "永川区人民政府网"


def replace_welcome_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("portal", "HomePage")

    welcome = Page.objects.filter(
        depth=2,
        slug="home",
        numchild=0,
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).first()
    if welcome is None:
        return
    sites = list(Site.objects.filter(root_page=welcome).values("hostname", "port", "is_default_site"))
    path, locale_id = welcome.path, welcome.locale_id
    welcome.delete()  # its Site goes with it and is made again below

    home_type, _created = ContentType.objects.get_or_create(app_label="portal", model="homepage")
    home = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=home_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale_id,
        live=True,
        service_entries=[],
        interaction_entries=[],
    )
    for site in sites or [{"hostname": "localhost", "port": 80, "is_default_site": True}]:
        Site.objects.create(root_page=home, site_name=HOME_TITLE, **site)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(replace_welcome_page, migrations.RunPython.noop)]
