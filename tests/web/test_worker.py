"""Background and periodic work on Huey: the worker's scheduler runs the periodic heartbeat."""

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey import crontab

from egov.web.models import WorkerHeartbeat
from egov.web.tasks import beat, heartbeat
from tests.conftest import subprocess_env

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_heartbeat_counts_each_run():
    assert beat().runs == 1
    assert beat().runs == 2
    assert WorkerHeartbeat.objects.count() == 1


def test_heartbeat_is_scheduled_every_minute():
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    due = {task.name for task in HUEY.read_periodic(datetime(2026, 2, 14, 9, 31))}
    assert "web.heartbeat" in due
    assert heartbeat.name == "web.heartbeat"
    assert crontab(minute="*")(datetime(2026, 2, 14, 9, 31))


@pytest.mark.slow
def test_a_real_worker_runs_the_periodic_task(tmp_path):
    """Start `manage.py run_huey` on the embedded defaults (SQLite database, SQLite queue)
    and wait until the periodic heartbeat has written its row."""
    env = subprocess_env(EGOV_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="egov.settings.base")
    env.pop("DATABASE_URL", None)
    env.pop("EGOV_WORKER_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO, env=env, check=True, timeout=300,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--quiet"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        row = None
        while time.monotonic() < deadline and row is None:
            time.sleep(0.5)
            with sqlite3.connect(tmp_path / "egov.sqlite3") as db:
                row = db.execute(
                    "SELECT runs FROM web_workerheartbeat WHERE name = 'worker'"
                ).fetchone()
        assert row is not None and row[0] >= 1, "the worker never ran the periodic heartbeat"
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
