"""Settings for the test suite: the base settings, with fast hashing, an immediate worker and
files in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import HUEY, STATIC_ROOT

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="egov-test-media-"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
