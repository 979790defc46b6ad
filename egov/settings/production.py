"""Production: a real secret, HTTPS only, strict cookies. `manage.py check --deploy` is clean."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY
from .env import env_bool, env_int, env_list

DEBUG = False
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production")

SECURE_SSL_REDIRECT = env_bool("EGOV_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("EGOV_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
WHITENOISE_USE_FINDERS = False

# Client systems are registered with https redirect addresses only (RFC 9700 §2.1).
OAUTH2_PROVIDER = {  # noqa: F405
    **OAUTH2_PROVIDER,  # noqa: F405
    "ALLOWED_REDIRECT_URI_SCHEMES": env_list("EGOV_OIDC_REDIRECT_SCHEMES", ["https"]),
}
