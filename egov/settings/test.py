"""Settings for the test suite: the base settings, with fast hashing, an immediate worker and
files in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import EGOV_PAGE_CACHE, EGOV_SMS, HUEY, STATIC_ROOT

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
# Each test rolls the database back: read the page cache generation on every request.
EGOV_PAGE_CACHE = {**EGOV_PAGE_CACHE, "RECHECK_SECONDS": 0}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="egov-test-media-"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
EGOV_SMS = {**EGOV_SMS, "LOG_FILE": str(MEDIA_ROOT.parent / f"{MEDIA_ROOT.name}-sms.log")}
