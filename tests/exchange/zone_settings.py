"""Settings for the processes of the two-zone and crash tests (tests/exchange/zone_harness.py):
egov's base settings, plus a small test app whose handlers apply the test message types and
whose commands publish and count them. Everything else comes from the environment
(EGOV_ZONE, EGOV_DATA_DIR, DATABASE_URL, EGOV_EXCHANGE_*), as in a real deployment."""

from egov.settings.base import *  # noqa: F403
from egov.settings.base import INSTALLED_APPS, PASSWORD_HASHERS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.exchange.zoneapp"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
