"""Background and periodic work on Huey: the worker's scheduler runs the periodic heartbeat."""

import os
import shutil
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
    # The database: a copy of the session's migrated SQLite template (the zone tests' one:
    # migrating takes about a minute of CPU), or migrated here when the run is on PostgreSQL.
    from tests.exchange.zone_harness import _template_database

    template, server = _template_database()
    if server is None:
        shutil.copyfile(template, tmp_path / "egov.sqlite3")
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


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        message = "Redis is not running at 127.0.0.1:6379; start it to run this test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_worker_queue_moves_to_redis_when_configured(tmp_path):
    """EGOV_WORKER_URL=redis://… puts the queue in Redis: a task enqueued by one process is
    dequeued and run from Redis (the real server)."""
    _redis_or_skip()
    code = (
        "import django; django.setup()\n"
        "from huey.contrib.djhuey import HUEY\n"
        "from huey import RedisHuey\n"
        "assert isinstance(HUEY, RedisHuey), type(HUEY)\n"
        "HUEY.flush()\n"
        "@HUEY.task()\n"
        "def add(a, b):\n"
        "    return a + b\n"
        "result = add(20, 22)\n"
        "assert HUEY.pending_count() == 1\n"
        "task = HUEY.dequeue()\n"
        "HUEY.execute(task)\n"
        "print('result', result.get())\n"
        "HUEY.flush()\n"
    )
    env = subprocess_env(
        EGOV_DATA_DIR=str(tmp_path),
        EGOV_WORKER_URL=REDIS_URL,
        EGOV_WORKER_NAME=f"egov-test-{os.getpid()}",
        DJANGO_SETTINGS_MODULE="egov.settings.base",
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "result 42" in result.stdout
