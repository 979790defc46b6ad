"""URL configuration per zone (architecture principle 2).

``settings.ROOT_URLCONF`` is ``egov.urls.<EGOV_ZONE>``. Each zone module is built from the
pieces below, so a URL is served by a zone only if that zone's list includes its piece.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from egov.web import views as web_views


def common_patterns():
    """Served by every zone: language, elder mode, health."""
    return [
        path("prefs/", include("egov.web.urls_prefs")),
        path("healthz", web_views.healthz, name="healthz"),
    ]


def external_patterns():
    """Internet-facing: the public portal, citizen and enterprise accounts, the CMS.

    The site group's pages are served by Wagtail at "/" for whichever site answers the
    request's host; Wagtail's pattern matches any path, so it comes last."""
    from wagtail import urls as wagtail_urls
    from wagtail.admin import urls as wagtailadmin_urls
    from wagtail.documents import urls as wagtaildocs_urls

    from egov.sharing.api import public_api

    return [
        # "/" (the site's home, served by Wagtail) and /bodies/<code>/ (a body's profile)
        path("", include("egov.web.urls_public")),
        path("", include("egov.portal.urls")),
        path("hall/", include("egov.hall.urls")),  # the service hall (docs/hall.md)
        path("licences/", include("egov.licences.urls")),  # wallet, verification
        path("disclosure/", include("egov.disclosure.urls")),  # 依申请公开 (docs/disclosure.md)
        path("interaction/", include("egov.interaction.urls")),  # mailboxes (docs/interaction.md)
        path("open-data/", include("egov.sharing.urls_public")),  # open data (docs/sharing.md)
        path("api/", public_api.urls),  # the open data API only (docs/sharing.md)
        path("cms/", include(wagtailadmin_urls)),
        path("documents/", include(wagtaildocs_urls)),
        path("", include(wagtail_urls)),
    ]


def internal_patterns():
    """The isolated internal network: the back-office and the staff workbench."""
    from egov.sharing.api import api as sharing_api

    return [
        path("backoffice/", admin.site.urls),
        path("staff/supervision/", include("egov.supervision.urls")),
        path("staff/cases/", include("egov.cases.urls")),
        path("staff/disclosure/", include("egov.disclosure.urls_staff")),
        path("staff/interaction/", include("egov.interaction.urls_staff")),
        path("staff/oa/", include("egov.oa.urls_staff")),  # office system (docs/oa.md)
        path("staff/sharing/", include("egov.sharing.urls_staff")),  # docs/sharing.md
        # The sharing API for the district's systems, with open data (docs/sharing.md).
        path("api/", sharing_api.urls),
        path("staff/", include("egov.web.urls_staff")),
    ]


def accounts_patterns(public: bool):
    """Login and two-factor everywhere; registration only where the public is served.

    Every zone is also an OpenID Connect provider for the systems of its own network, with
    its own issuer (this zone's address + /oauth) and key (decision 0027, docs/identity.md);
    discovery is also answered at the root, where some clients look for it."""
    from oauth2_provider import views as oauth2_views

    module = "egov.accounts.urls_public" if public else "egov.accounts.urls_common"
    return [
        path("accounts/", include(module)),
        path("oauth/", include("egov.accounts.urls_oauth")),
        path(
            ".well-known/openid-configuration",
            oauth2_views.ConnectDiscoveryInfoView.as_view(),
            name="oidc-discovery-root",
        ),
    ]


def media_patterns():
    if settings.DEBUG:
        return static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    return []
