"""Run an external and an internal egov as separate processes, each with its own data
directory and database, with only a gap directory between them.

Each zone's processes are ``manage.py …`` with DJANGO_SETTINGS_MODULE=tests.exchange.
zone_settings (egov's base settings and the test message types of tests/exchange/zoneapp),
EGOV_ZONE=external or internal, and a DATABASE_URL of its own:

- SQLite (the default): a file in the zone's directory, copied from a template that is
  migrated once per test session;
- PostgreSQL, when the test run's DATABASE_URL is PostgreSQL: a database per zone, created
  from a template database migrated once per session; all are dropped when the session ends.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.conftest import subprocess_env

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "tests.exchange.zone_settings"
ZONES = ("external", "internal")


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class _Postgres:
    """Create and drop the zones' databases on the server of DATABASE_URL."""

    def __init__(self, url: str):
        self.url = url
        base = urlsplit(url).path.lstrip("/") or "egov"
        self.prefix = f"{base}_zones_{os.getpid()}"
        self.created: list[str] = []
        self.counter = 0
        atexit.register(self.drop_all)

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(_with_database(self.url, "postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(reversed(self.created)):
            try:
                self.drop(name)
            except Exception as error:  # noqa: BLE001 - best effort at exit
                print(f"could not drop test database {name}: {error}", file=sys.stderr)


_template_lock = threading.Lock()
_templates: dict[str, tuple[str, object]] = {}


def _migrate(env: dict) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")


def _template_database() -> tuple[str, object]:
    """(the template: an SQLite file or a PostgreSQL database name, the _Postgres or None),
    migrated once per process for each kind of database."""
    postgres_url = _postgres_url()
    with _template_lock:
        if (postgres_url or "sqlite") not in _templates:
            directory = Path(tempfile.mkdtemp(prefix="egov-zone-template-"))
            atexit.register(shutil.rmtree, directory, True)
            env = subprocess_env(
                DJANGO_SETTINGS_MODULE=SETTINGS, EGOV_ZONE="internal", EGOV_DATA_DIR=str(directory)
            )
            if postgres_url:
                server = _Postgres(postgres_url)
                name = server.create("template")
                env["DATABASE_URL"] = _with_database(postgres_url, name)
                _migrate(env)
                _templates[postgres_url] = (name, server)
            else:
                path = directory / "template.sqlite3"
                env["DATABASE_URL"] = f"sqlite:///{path}"
                _migrate(env)
                _templates["sqlite"] = (str(path), None)
        return _templates[postgres_url or "sqlite"]


@dataclass
class Zone:
    """One deployment: its zone, data directory, database and the shared gap directory."""

    name: str
    root: Path
    gap: Path
    database_url: str
    extra_env: dict = field(default_factory=dict)
    processes: list = field(default_factory=list)

    @property
    def peer(self) -> str:
        return "internal" if self.name == "external" else "external"

    @property
    def signing_key(self) -> Path:
        return self.root / "keys" / "signing.key"

    @property
    def public_key(self) -> Path:
        return self.root / "keys" / "signing.key.public.pem"

    def env(self, **overrides) -> dict:
        return subprocess_env(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            EGOV_ZONE=self.name,
            EGOV_DATA_DIR=str(self.root),
            DATABASE_URL=self.database_url,
            EGOV_EXCHANGE_SIGNING_KEY=str(self.signing_key),
            EGOV_EXCHANGE_TRUSTED_KEYS=str(self.root / "trusted"),
            EGOV_EXCHANGE_SPOOL_DIR=str(self.gap),
            EGOV_LOG_LEVEL="WARNING",
            **self.extra_env,
            **overrides,
        )

    def manage(self, *args: str, check: bool = True, timeout: float = 600, **env):
        """Run ``manage.py args`` in this zone and wait; raise with its output if it fails."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"[{self.name}] manage.py {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def start(self, *args: str, **env) -> subprocess.Popen:
        """Start ``manage.py args`` in this zone; its output goes to a log file."""
        log = open(self.root / "processes.log", "ab")  # noqa: SIM115 - closed with the process
        log.write(f"--- manage.py {' '.join(args)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        self.processes.append(process)
        return process

    def log_text(self) -> str:
        path = self.root / "processes.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def report(self) -> dict:
        """Effects of the test handlers and the exchange's state (zone_report)."""
        return json.loads(self.manage("zone_report").stdout.strip().splitlines()[-1])

    def ferry(self, direction: str, *args: str) -> str:
        return self.manage("exchange_ferry", direction, "-v", "1", *args).stdout

    def publish(self, message_type: str, count: int = 1, *args: str) -> None:
        self.manage("zone_publish", message_type, "--count", str(count), *args)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
            process.log.close()
        self.processes.clear()


def make_zones(root: Path, **extra_env) -> tuple[Zone, Zone, object]:
    """An external and an internal zone under ``root`` sharing ``root/gap``; keys generated
    and cross-trusted. Returns (external, internal, a cleanup function)."""
    template, server = _template_database()
    gap = root / "gap"
    gap.mkdir()
    zones = []
    created = []
    for name in ZONES:
        directory = root / name
        directory.mkdir()
        if server is None:
            path = directory / "egov.sqlite3"
            with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
                source.backup(target)
            url = f"sqlite:///{path}"
        else:
            database = server.create(f"{name}_{len(server.created)}", template=template)
            created.append(database)
            url = _with_database(server.url, database)
        zones.append(Zone(name, directory, gap, url, dict(extra_env)))
    external, internal = zones
    for zone in zones:
        zone.manage("exchange_keygen")
    for zone in zones:
        other = external if zone is internal else internal
        zone.manage("exchange_trust", "add", str(other.public_key), "--zone", other.name)

    def cleanup():
        for zone in zones:
            zone.stop_all()
        for database in created:
            server.drop(database)

    return external, internal, cleanup
