"""The combined zone's URLs plus django-oauth-toolkit's token endpoint (the identity
helper mounts the real one under /oauth/; this one is only for the sharing tests)."""

from django.urls import include, path

from egov.urls.combined import urlpatterns as combined

urlpatterns = [
    path("test-oauth/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *combined,
]
