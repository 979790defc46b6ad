"""Production settings pass Django's deployment checks without a single warning."""

import secrets
import subprocess
import sys
from pathlib import Path

from tests.conftest import subprocess_env

REPO = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = subprocess_env(**env)
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=full_env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="egov.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="www.cqyc.gov.cn",
        EGOV_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_weak_secret_key(tmp_path):
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="egov.settings.production",
        SECRET_KEY="short",
        EGOV_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def test_production_without_secret_key_does_not_invent_one(tmp_path):
    env = subprocess_env(DJANGO_SETTINGS_MODULE="egov.settings.production")
    env.pop("SECRET_KEY", None)
    env["EGOV_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
