"""The README's run command starts egov on its embedded defaults, and stops cleanly."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


@pytest.mark.slow
def test_run_command_serves_the_home_page_and_stops(tmp_path):
    port = _free_port()
    env = subprocess_env(EGOV_DATA_DIR=str(tmp_path), EGOV_PORT=str(port))
    for name in ("DATABASE_URL", "EGOV_WORKER_URL", "DJANGO_SETTINGS_MODULE", "EGOV_ZONE"):
        env.pop(name, None)
    log = open(tmp_path / "run.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        ["./run"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 240
        status, body = None, ""
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        log.seek(0)
        output = log.read()
        assert status == 200, f"no answer from the run command; it printed:\n{output}"
        assert "永川" in body
        # The run command prints the address and the demo accounts.
        deadline = time.monotonic() + 30
        while "egov is running at" not in output and time.monotonic() < deadline:
            time.sleep(0.2)
            log.seek(0)
            output = log.read()
        assert f"http://127.0.0.1:{port}/" in output
        assert "admin" in output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    with pytest.raises(OSError):
        _get(f"http://127.0.0.1:{port}/")
