"""Settings shared by every deployment. Everything that differs comes from the environment;
docs/configuration.md lists each variable."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent  # the egov package
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("EGOV_DATA_DIR", str(REPO_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# --- zone -------------------------------------------------------------------------------
ZONES = ("combined", "external", "internal")
EGOV_ZONE = env_str("EGOV_ZONE", "combined")
if EGOV_ZONE not in ZONES:
    raise ImproperlyConfigured(f"EGOV_ZONE must be one of {', '.join(ZONES)}, not {EGOV_ZONE!r}")
ROOT_URLCONF = f"egov.urls.{EGOV_ZONE}"

# --- core -------------------------------------------------------------------------------
DEBUG = env_bool("EGOV_DEBUG", False)
_secret = env_str("SECRET_KEY")
if not _secret:
    # The embedded default: a key made once per data directory, never committed.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key() + get_random_secret_key())
        key_file.chmod(0o600)
    _secret = key_file.read_text().strip()
SECRET_KEY = _secret
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver", "rd.localhost"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # egov
    "egov.core",
    "egov.directory",
    "egov.accounts",
    "egov.web",
    "egov.exchange",
    "egov.portal",
    "egov.services",
    "egov.hall",
    "egov.cases",
    "egov.licences",
    "egov.supervision",
    "egov.disclosure",
    "egov.interaction",
    "egov.oa",
    "egov.sharing",
    # Wagtail (the site group's CMS)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # security
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # one identity for the district's other systems (OAuth 2 / OpenID Connect, issue 10)
    "oauth2_provider",
    # background work
    "huey.contrib.djhuey",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "egov.portal.cache.PageCacheMiddleware",  # anonymous portal pages (docs/portal.md)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.accounts.middleware.StaffSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.web.context_processors.egov",
            ],
        },
    },
]

WSGI_APPLICATION = "egov.wsgi.application"

# --- database ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'egov.sqlite3'}"),
        conn_max_age=env_int("EGOV_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- people -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "egov.accounts.backends.IdentifierBackend",
    "egov.directory.permissions.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Throttled logins (django-axes): after AXES_FAILURE_LIMIT failures for one identifier from
# one address, logins are refused for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env_int("EGOV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("EGOV_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "egov.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Staff: two-factor before any back-office page; sessions that end.
EGOV_STAFF_SESSION_SECONDS = env_int("EGOV_STAFF_SESSION_SECONDS", 30 * 60)
EGOV_BACKOFFICE_PREFIXES = ("/backoffice/", "/cms/", "/staff/")
OTP_TOTP_ISSUER = "egov"
SESSION_COOKIE_AGE = env_int("EGOV_SESSION_SECONDS", 14 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"


# --- one identity: egov as an OpenID Connect provider (docs/identity.md) -----------------
def _oidc_signing_key(path: Path) -> str:
    """The RS256 key that signs ID tokens: read from ``path``; made there once (PKCS#8 PEM,
    mode 0600) when the file is missing, so the embedded default needs no set-up. Never
    committed: it lives in the data directory or where EGOV_OIDC_SIGNING_KEY points."""
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        path.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Two processes starting at once: the first link wins, both then read the same key.
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(pem)
        partial.chmod(0o600)
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return path.read_text()


# DOT's own models, not swapped (the sharing API uses the same applications); named here
# because migrations that point at them read the setting.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
EGOV_OIDC_SIGNING_KEY = Path(
    env_str("EGOV_OIDC_SIGNING_KEY", str(DATA_DIR / "oidc" / "signing.pem"))
)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _oidc_signing_key(EGOV_OIDC_SIGNING_KEY),
    # Retired keys stay in the JWKS (so tokens they signed still verify) until they expire.
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [
        Path(item).read_text() for item in env_list("EGOV_OIDC_INACTIVE_KEYS", [])
    ],
    # Empty: the issuer is this zone's own address + /oauth (each zone is its own provider).
    "OIDC_ISS_ENDPOINT": env_str("EGOV_OIDC_ISSUER", ""),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # Logging out from a client system with its ID token ends the egov session without a
    # question; without one (or for someone else's token) egov asks first.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # egov revokes the tokens itself, on every logout (egov.accounts.oidc.on_user_logged_out).
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False,
    "OAUTH2_VALIDATOR_CLASS": "egov.accounts.oidc.EgovOAuth2Validator",
    # The back-office page of a client system, with its claims policy.
    "APPLICATION_ADMIN_CLASS": "egov.accounts.admin_oidc.ClientSystemAdmin",
    "SCOPES": {
        "openid": "Sign you in with your egov account",
        "profile": "Your name",
        "body": "The bodies you work for",
        "roles": "Your roles in those bodies",
        "phone": "Your mobile number, partly hidden",
        # Scopes of the sharing API (client credentials, docs/sharing.md).
        "read": "Read shared data",
        "write": "Write shared data",
    },
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    # The rest of the OAuth 2.0 Security BCP (RFC 9700): tokens only in the Authorization
    # header, `iss` in the authorization response, tokens stored hashed, a replayed refresh
    # token revokes its family.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": env_list("EGOV_OIDC_REDIRECT_SCHEMES", ["https", "http"]),
    # Trusted (skip authorization) systems never ask; others ask until the user said yes once.
    "REQUEST_APPROVAL_PROMPT": "auto",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("EGOV_OAUTH_ACCESS_TOKEN_SECONDS", 3600),
    "ID_TOKEN_EXPIRE_SECONDS": env_int("EGOV_OIDC_ID_TOKEN_SECONDS", 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int("EGOV_OAUTH_REFRESH_TOKEN_SECONDS", 8 * 3600),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}

# --- language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("EGOV_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("EGOV_MEDIA_ROOT", str(DATA_DIR / "media")))
EGOV_STORAGE = env_str("EGOV_STORAGE", "local")
if EGOV_STORAGE != "local":
    raise ImproperlyConfigured(
        "EGOV_STORAGE supports 'local' in this release; object storage is planned "
        "(docs/configuration.md)."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("EGOV_STATIC_FROM_APPS", True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- cache ------------------------------------------------------------------------------
_cache_url = env_str("EGOV_CACHE_URL", "locmem://")
if _cache_url.startswith("redis://") or _cache_url.startswith("rediss://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "egov_cache",
        }
    }
else:
    raise ImproperlyConfigured(
        f"EGOV_CACHE_URL must be locmem://, db:// or redis://..., not {_cache_url!r}"
    )

# Anonymous portal pages are kept in each process's memory and served from there until a
# change shown on them (egov/portal/cache.py; docs/portal.md, "Caching").
EGOV_PAGE_CACHE = {
    "ENABLED": env_bool("EGOV_PAGE_CACHE", True),
    "MEGABYTES": env_int("EGOV_PAGE_CACHE_MB", 64),
    "SECONDS": env_int("EGOV_PAGE_CACHE_SECONDS", 600),
    # How often a process reads the generation another process (the worker) may have changed.
    "RECHECK_SECONDS": env_int("EGOV_PAGE_CACHE_RECHECK_SECONDS", 1),
    # Also written as files for nginx to serve before Python (docs/deploy/nginx.md); empty: off.
    "DIRECTORY": env_str("EGOV_PAGE_CACHE_DIR", ""),
}

# --- background work (Huey) -------------------------------------------------------------
_huey_url = env_str("EGOV_WORKER_URL", f"sqlite:///{DATA_DIR / 'worker.sqlite3'}")
_huey_common = {
    "name": env_str("EGOV_WORKER_NAME", f"egov-{EGOV_ZONE}"),
    "immediate": env_bool("EGOV_WORKER_IMMEDIATE", False),
    "utc": True,
    "consumer": {
        "workers": env_int("EGOV_WORKER_THREADS", 2),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    },
}
if _huey_url.startswith("sqlite:///"):
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "filename": _huey_url[len("sqlite:///") :],
        **_huey_common,
    }
elif _huey_url.startswith("redis://"):
    HUEY = {"huey_class": "huey.RedisHuey", "url": _huey_url, **_huey_common}
else:
    raise ImproperlyConfigured(
        f"EGOV_WORKER_URL must be sqlite:///path or redis://..., not {_huey_url!r}"
    )

# --- security ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "egov"
WAGTAILADMIN_BASE_URL = env_str("EGOV_BASE_URL", "http://127.0.0.1:8000")
# Mail: without a server configured, messages are written as files under var/mail (the
# embedded default); set EGOV_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and
# Django's EMAIL_HOST etc. through the environment for real mail.
EMAIL_BACKEND = env_str("EGOV_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env_str("EGOV_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EGOV_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("EGOV_DEFAULT_FROM_EMAIL", "egov@localhost")
# Text messages (egov.core.sms): the default backend only writes a log.
EGOV_SMS = {
    "BACKEND": env_str("EGOV_SMS_BACKEND", "egov.core.sms.FileLogBackend"),
    "LOG_FILE": str(DATA_DIR / "sms.log"),
}
# Online payment (egov.hall.payments): the sandbox provider by default; SECRET signs and
# checks its notifications (derived from SECRET_KEY when empty).
EGOV_PAYMENT = {
    "PROVIDER": env_str("EGOV_PAYMENT_PROVIDER", "egov.hall.payments.SandboxProvider"),
    "SECRET": env_str("EGOV_PAYMENT_SECRET", ""),
}
# Natural days a payment notice stays payable; working days to rectify after a bad rating.
EGOV_PAYMENT_DAYS = env_int("EGOV_PAYMENT_DAYS", 15)
EGOV_RECTIFICATION_DAYS = env_int("EGOV_RECTIFICATION_DAYS", 5)
# Working days a body has to answer a supervision notice (督办).
EGOV_NOTICE_DAYS = env_int("EGOV_NOTICE_DAYS", 5)
# Letters (信箱): the petition rules' limits in days (docs/interaction.md), and how many letters
# one account may write in 24 hours.
EGOV_LETTER_LIMITS = {
    "ACCEPT_DAYS": env_int("EGOV_LETTER_ACCEPT_DAYS", 15),
    "CLOSE_DAYS": env_int("EGOV_LETTER_CLOSE_DAYS", 60),
    "MAX_EXTENSION_DAYS": env_int("EGOV_LETTER_MAX_EXTENSION_DAYS", 30),
    "REVIEW_DAYS": env_int("EGOV_LETTER_REVIEW_DAYS", 30),
}
EGOV_LETTER_DAILY_LIMIT = env_int("EGOV_LETTER_DAILY_LIMIT", 5)
# The public address of the external zone, for links that leave the platform (the QR code
# on an e-licence points to its verification page there).
EGOV_PUBLIC_URL = env_str("EGOV_PUBLIC_URL", WAGTAILADMIN_BASE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_LOGIN_URL = "accounts:login"

# --- egov -------------------------------------------------------------------------------
# Masking of personal data in public output: see egov.core.masking.
EGOV_MASKING = {
    "name": {"keep_first": 1, "keep_last": 0},
    "id_number": {"keep_first": 6, "keep_last": 4},
    "mobile": {"keep_first": 3, "keep_last": 4},
    "email": {"keep_first": 1, "keep_last": 0},
    "address": {"keep_first": 6, "keep_last": 0},
    "bank_card": {"keep_first": 4, "keep_last": 4},
    "plate": {"keep_first": 2, "keep_last": 1},
}
EGOV_MASK_CHAR = "*"
# The month (1-12) from which administrators are warned that next year's calendar is missing.
EGOV_CALENDAR_WARN_FROM_MONTH = env_int("EGOV_CALENDAR_WARN_FROM_MONTH", 11)
# How often (seconds) a process checks whether the calendar table changed in another process.
EGOV_CALENDAR_RECHECK_SECONDS = env_int("EGOV_CALENDAR_RECHECK_SECONDS", 60)

# The data exchange centre (docs/deploy/zones.md).
EGOV_EXCHANGE = {
    # This zone's private signing key (outside the database); made on first use if missing.
    "SIGNING_KEY": env_str(
        "EGOV_EXCHANGE_SIGNING_KEY", str(DATA_DIR / "exchange" / "keys" / "signing.key")
    ),
    # The other zone's public keys: a directory of *.pem files, with trusted.json beside them
    # giving each key's zone and validity window (rotation with an overlap).
    "TRUSTED_KEYS_DIR": env_str(
        "EGOV_EXCHANGE_TRUSTED_KEYS", str(DATA_DIR / "exchange" / "trusted")
    ),
    # loopback (combined zone), spool (a gap directory) or rabbitmq / nats (a broker).
    "TRANSPORT": env_str(
        "EGOV_EXCHANGE_TRANSPORT", "loopback" if EGOV_ZONE == "combined" else "spool"
    ),
    "SPOOL_DIR": env_str("EGOV_EXCHANGE_SPOOL_DIR", str(DATA_DIR / "exchange" / "spool")),
    "BROKER_URL": env_str("EGOV_EXCHANGE_BROKER_URL", ""),
    "BROKER_PREFIX": env_str("EGOV_EXCHANGE_BROKER_PREFIX", "egov.exchange"),
    "BROKER_STREAM": env_str("EGOV_EXCHANGE_BROKER_STREAM", "EGOV_EXCHANGE"),
    "BROKER_QUEUE_TYPE": env_str("EGOV_EXCHANGE_BROKER_QUEUE_TYPE", "classic"),
    "BROKER_RECEIVER_IDLE_SECONDS": env_int("EGOV_EXCHANGE_BROKER_RECEIVER_IDLE_SECONDS", 60),
    "ATTACHMENT_DIR": env_str("EGOV_EXCHANGE_ATTACHMENT_DIR", str(DATA_DIR / "exchange" / "blobs")),
    "ARCHIVE_DIR": env_str("EGOV_EXCHANGE_ARCHIVE_DIR", str(DATA_DIR / "exchange" / "archive")),
    "BATCH_SIZE": env_int("EGOV_EXCHANGE_BATCH_SIZE", 1000),
    # A message whose predecessor is missing waits; after this long an alert is raised.
    "GAP_ALERT_SECONDS": env_int("EGOV_EXCHANGE_GAP_ALERT_SECONDS", 3600),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("EGOV_LOG_LEVEL", "WARNING")},
}
