"""The OAuth 2 / OpenID Connect endpoints, mounted at /oauth/ in every zone (decision 0027).

Only what egov uses of django-oauth-toolkit: no self-service application pages (systems are
registered in the back-office), no device flow, no dynamic registration."""

from django.urls import path, re_path
from oauth2_provider import views

from .views_oidc import EgovAuthorizationView, EgovLogoutView

app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", EgovAuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
    path("logout/", EgovLogoutView.as_view(), name="rp-initiated-logout"),
]
