"""Speed of the hall's online submission and of a busy department's case queue, each beside a
baseline measured in the same run.

    .venv/bin/python benchmarks/hall.py [--postgres URL | --sqlite] [--clients 50]
                                        [--submissions 400] [--cases 100000] [--quick] [--keep]

**The database.** PostgreSQL ``egov_bench_hall`` (``--postgres URL`` for another server or
name) or, with ``--sqlite``, a file in ``var/bench/hall/``; created and migrated for the run
(``--keep`` reuses it and keeps it). Filled in-process: the directory, one published 承诺件
of 区市场监管局 with a short form and **three materials** (PDF, up to 5 MB each), delivered
to the hall on loopback; ``--clients`` citizens with real-name data, each with a session; a
window clerk of the body with a verified two-factor session; and ``--cases`` open cases of
the body (``--quick``: 10,000), with their promised-limit timers: statuses submitted 20 %,
accepted 50 %, reviewed 20 %, waiting for correction 10 %; a tenth assigned to the clerk.

**Submissions** (goal p95 ≤ 300 ms): egov under ``waitress`` (8 threads, as ``./run``,
``egov.settings.production``); ``--clients`` threads, each with its own citizen session and
keep-alive connection, each round: GET the item's form (a new draft), then POST "submit" with
the answers and three 1 MB PDFs as ``multipart/form-data``. Timed: the POST, from the first
byte sent to the redirect to the receipt (content checks, files stored, the query code, the
exchange message with the three attachments, all in one transaction). Two runs: the clients
back to back (each submits again the moment it has its answer: the worst case, 50 uploads of
3 MB always in flight), and with think time (each client waits ``--think`` seconds on average,
exponentially distributed, between submissions — still far more than a district's peak).
**Baseline**: the same clients posting the same bodies to ``waitress`` running a WSGI
application that only reads the body and answers the same redirect — the cost of moving 3 MB
through waitress in Python.

**The case queue** (goal p95 ≤ 100 ms): ``/staff/cases/`` as the clerk through Django's test
client in-process (middleware, queries, template): "my cases", "unclaimed", "all open cases",
and the 100th page of all; 30 requests each after 3 warm-ups. **Baseline**: ``SELECT count(*)``
of the body's open cases.

The load average is printed: on the shared 2-core machine the clients, the server and the
database compete for the same cores; expect tens of percent of noise. Not part of the test
suite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.portal import (  # noqa: E402 - after the path
    BENCH_DIR,
    NGINX,
    Server,
    free_port,
    load,
    p95,
    recreate_database,
    server_env,
)

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/egov_bench_hall"
SUBMIT_GOAL_MS = 300
QUEUE_GOAL_MS = 100
MB = 1024 * 1024
BODY = "YC-SCJG"


def line(label: str, ms: float, baseline: float | None = None, goal: float | None = None):
    parts = [f"{label:<58} {ms:8.1f} ms"]
    if baseline:
        parts.append(f"(baseline {baseline:.1f} ms, ×{ms / baseline:.1f})")
    if goal:
        parts.append(f"goal ≤ {goal} ms: {'met' if ms <= goal else 'NOT met'}")
    print(" ".join(parts), f"[{load()}]")


# --- filling ------------------------------------------------------------------------------


def fill(clients: int, cases: int) -> dict:
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.base import ContentFile
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from egov.accounts import services as accounts
    from egov.accounts.models import User
    from egov.cases.models import Case
    from egov.core.models import Timer
    from egov.directory.models import Membership, Organisation, Role
    from egov.directory.services import import_organisations, read_organisations_csv
    from egov.exchange.transports import loopback
    from egov.services import services
    from egov.services.models import Material, PublishedServiceItem
    from egov.services.seed import demo_pdf
    from tests.services.conftest import complete_draft

    import_organisations(read_organisations_csv(), update_existing=False)
    body = Organisation.objects.get(code=BODY)
    item = services.create_item(
        body=body,
        basic_code="010600000001",
        implementation_code="11500118BENCH00001010600000001",
        name="食品经营许可（性能测试）",
        by=None,
    )
    version = item.versions.get()
    complete_draft(version, name=item.name)
    version.wait_for_payment = False
    version.save()
    version.materials.filter(name="营业执照").update(accepted_types=["application/pdf"])
    third = Material(
        version=version, order=3, name="场所证明", form="copy", accepted_types=["application/pdf"]
    )
    third.max_upload_mb = 5
    third.save()
    third.blank_form.save("场所证明.pdf", ContentFile(demo_pdf("blank")), save=True)
    published = services.publish_version(version, None)
    loopback.deliver()
    assert PublishedServiceItem.objects.filter(implementation_code=item.implementation_code)

    sessions = []
    for number in range(clients):
        user = accounts.register_citizen(mobile=f"139{number:08d}", password="Bench-2026-pass")
        accounts.set_citizen_identity(user, real_name=f"测试{number}", id_number=_id_number(number))
        sessions.append(_session(SessionStore, user))
    clerk = User.objects.create_user(username="bench-clerk", kind="staff", is_staff=True)
    Membership.objects.create(
        user=clerk, organisation=body, role=Role.objects.get(code="window_clerk")
    )
    device = TOTPDevice.objects.create(user=clerk, name="bench", confirmed=True)

    start = time.perf_counter()
    import datetime

    today = datetime.date(2026, 10, 12)
    statuses = ["submitted"] * 2 + ["accepted"] * 5 + ["reviewed"] * 2 + ["correction"]
    chunk = 5000
    for first in range(0, cases, chunk):
        numbers = range(first, min(cases, first + chunk))
        timers = Timer.objects.bulk_create(
            Timer(
                purpose="cases.promised",
                subject_type="cases.case",
                subject_id=str(n),
                owner_body=body,
                start_date=today - datetime.timedelta(days=n % 20),
                limit=20,
                unit="working",
                due_date=today + datetime.timedelta(days=(n * 7) % 60 - 10),
            )
            for n in numbers
        )
        Case.objects.bulk_create(
            Case(
                query_code=f"YC-2026-W{n + 1:06d}",
                year=2026,
                sequence=n + 1,
                version=published,
                body=body,
                applicant_name=f"申请人{n}",
                applicant_id_number=_id_number(n),
                channel="window",
                status=statuses[n % len(statuses)],
                last_step="" if n % 10 < 2 else "accept",
                assignee=clerk if n % 10 == 3 else None,
                timer=timer if n % 10 >= 2 else None,
            )
            for n, timer in zip(numbers, timers, strict=True)
        )
    print(f"filled {cases:,} cases in {time.perf_counter() - start:.1f} s")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
            cursor.execute("VACUUM ANALYZE core_timer")
    clerk_session = SessionStore()
    clerk_session.update(_login_data(clerk))
    clerk_session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    clerk_session.create()
    return {"code": item.implementation_code, "sessions": sessions, "clerk": clerk.pk}


def _id_number(number: int) -> str:
    """A valid 身份证号 of Yongchuan, different for each number below 3,650,000."""
    import datetime

    from egov.core.validators import id_check_char

    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=number % 3650)
    first17 = f"500118{born:%Y%m%d}{(number // 3650) % 1000:03d}"
    return first17 + id_check_char(first17)


def _login_data(user) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "egov.accounts.backends.IdentifierBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }


def _session(store_class, user) -> str:
    store = store_class()
    store.update(_login_data(user))
    store.create()
    return store.session_key


# --- submissions --------------------------------------------------------------------------


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----egovbench{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, data in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pdf_of(size: int, salt: str) -> bytes:
    from egov.services.seed import demo_pdf

    head = demo_pdf(salt)
    return head + b"%" + b"0" * (size - len(head) - 8) + b"\n%%EOF\n"


FIELD = re.compile(rb'name="(csrfmiddlewaretoken|token|revision)" value="([^"]+)"')


def _client(port, session, code, rounds, files, out, errors, barrier, egov=True, think=0.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    cookies = {"sessionid": session}
    times = []
    path = f"/hall/items/{code}/apply/"
    pause = random.Random(session)
    barrier.wait()
    if think:
        time.sleep(pause.uniform(0, think))
    try:
        for _round in range(rounds):
            if think and _round:
                time.sleep(pause.expovariate(1 / think))
            values = {"token": "t", "revision": "1", "csrfmiddlewaretoken": "x"}
            if egov:
                conn.request(
                    "GET", path, headers={"Cookie": _cookie(cookies), "Accept-Language": "zh"}
                )
                response = conn.getresponse()
                page = response.read()
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        cookies[name.strip()] = rest.split(";")[0]
                if response.status != 200:
                    errors.append(f"GET {response.status}")
                    return
                values.update({k.decode(): v.decode() for k, v in FIELD.findall(page)})
            fields = {
                **values,
                "action": "submit",
                "applicant_name": "测试申请人",
                "applicant_id_number": "11010519491231002X",
            }
            body, content_type = multipart(fields, files)
            headers = {
                "Cookie": _cookie(cookies),
                "Content-Type": content_type,
                "Content-Length": str(len(body)),
                "Referer": f"http://127.0.0.1:{port}{path}",
                "Origin": f"http://127.0.0.1:{port}",
            }
            start = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            location = response.getheader("Location") or ""
            if response.status != 302 or (egov and "/hall/applications/YC-" not in location):
                errors.append(f"POST {response.status} {location}")
                return
            times.append(elapsed * 1000)
    finally:
        conn.close()
        out.extend(times)


def _cookie(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def submissions(
    port: int, sessions: list[str], code: str, rounds: int, egov: bool, think: float = 0.0
) -> list:
    files = [(f"material_{i}", f"材料{i}.pdf", pdf_of(MB, f"m{i}")) for i in range(3)]
    out: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(len(sessions))
    threads = [
        threading.Thread(
            target=_client,
            args=(port, session, code, rounds, files, out, errors, barrier, egov, think),
        )
        for session in sessions
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return out


BASELINE_APP = """
def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    stream = environ["wsgi.input"]
    while length > 0:
        chunk = stream.read(min(length, 65536))
        if not chunk:
            break
        length -= len(chunk)
    start_response("302 Found", [("Location", "/hall/applications/YC-2026-000001/"),
                                 ("Content-Length", "0")])
    return [b""]
"""


def start_baseline(directory: Path) -> Server:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bench_upload_app.py").write_text(BASELINE_APP)
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "waitress",
        f"--listen=127.0.0.1:{port}",
        "--threads=8",
        "bench_upload_app:application",
    ]
    return Server(args, port, cwd=directory)


def start_proxy(root: Path, ports: list[int]) -> Server:
    """nginx in front of several egov processes (least connections), as a deployment with
    one application process per core would run it."""
    port = free_port()
    root.mkdir(parents=True, exist_ok=True)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / name).mkdir(exist_ok=True)
    upstream = "".join(f"        server 127.0.0.1:{p};\n" for p in ports)
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_max_body_size 30m;
    client_body_buffer_size 4m;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    keepalive_requests 1000000;
    upstream egov {{
        least_conn;
{upstream}        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://egov;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""
    )
    return Server([NGINX, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")], port)


def start_egov(env: dict, processes: int, root: Path) -> list[Server]:
    """egov under waitress (8 threads each); with several processes, nginx in front (the
    last server of the list is the one to talk to)."""
    servers = []
    for _ in range(processes):
        port = free_port()
        command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}"]
        servers.append(Server([*command, "--threads=8", "egov.wsgi:application"], port, env))
    if processes > 1:
        servers.append(start_proxy(root, [server.port for server in servers]))
    return servers


# --- the queue ----------------------------------------------------------------------------


def queue_times(client, url: str, runs: int = 30) -> list[float]:
    for _ in range(3):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_POSTGRES, default=None)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--submissions", type=int, default=400, help="in all, spread over clients")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="10,000 cases, 100 submissions")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only", choices=["queue", "submit"], help="measure one part only")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="egov processes (waitress, 8 threads each); more than one: nginx in front",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds a client waits between its submissions in the second run (0: none)",
    )
    args = parser.parse_args()
    cases = args.cases or (10_000 if args.quick else 100_000)
    total = 100 if args.quick and args.submissions == 400 else args.submissions
    data_dir = BENCH_DIR / "hall"
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        url = f"sqlite:///{data_dir / 'hall.sqlite3'}"
    else:
        url = args.postgres or DEFAULT_POSTGRES
    recreate_database(url)
    env = server_env(url, data_dir, EGOV_PAGE_CACHE="0", EGOV_ZONE="combined")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    if not (data_dir / "exchange" / "keys" / "signing.key").exists():
        call_command("exchange_keygen", verbosity=0)
    made = fill(args.clients, cases)
    print(f"\n{connection.vendor}, {args.clients} clients, {cases:,} cases [{load()}]\n")

    # The queue, in-process.
    from egov.accounts.models import User
    from tests.conftest import login_verified

    client = Client(HTTP_HOST="127.0.0.1")
    login_verified(client, User.objects.get(pk=made["clerk"]))

    def count_open():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM cases_case WHERE status NOT IN ('delivered', 'not_accepted')"
            )
            cursor.fetchone()

    base = []
    for _ in range(10):
        start = time.perf_counter()
        count_open()
        base.append((time.perf_counter() - start) * 1000)
    baseline_ms = statistics.median(base)
    line("baseline: SELECT count(*) of the open cases", baseline_ms)
    pages = {
        "queue: my cases": "/staff/cases/",
        "queue: unclaimed": "/staff/cases/?view=unclaimed",
        "queue: all open cases": "/staff/cases/?view=all",
        "queue: all open cases, page 100": "/staff/cases/?view=all&page=100",
        "queue: all, waiting for correction": "/staff/cases/?view=all&status=correction",
    }
    for label, page in pages.items():
        if args.only == "submit":
            break
        line(f"{label} (p95)", p95(queue_times(client, page)), baseline_ms, QUEUE_GOAL_MS)
    connection.close()
    if args.only == "queue":
        if not args.keep and not args.sqlite:
            _drop(url)
        return

    # Submissions, over HTTP: all clients at once and back to back (the worst case: every
    # client submits the moment the last answer came), then with think time between.
    rounds = max(1, total // args.clients)
    sessions, code = made["sessions"], made["code"]
    baseline_server = start_baseline(data_dir / "baseline")
    try:
        base_burst = submissions(baseline_server.port, sessions, code, rounds, egov=False)
        base_think = submissions(
            baseline_server.port, sessions, code, rounds, egov=False, think=args.think
        )
    finally:
        baseline_server.stop()
    servers = start_egov(env, args.processes, data_dir / "proxy")
    egov_port = servers[-1].port
    try:
        burst = submissions(egov_port, sessions, code, rounds, egov=True)
        spread = submissions(egov_port, sessions, code, rounds, egov=True, think=args.think)
    finally:
        for server in reversed(servers):
            server.stop()
    print(
        f"\negov: {args.processes} waitress process(es) of 8 threads"
        + (", nginx in front" if args.processes > 1 else "")
    )
    for label, times, base in (
        (f"{args.clients} clients back to back", burst, base_burst),
        (f"{args.clients} clients, {args.think:g} s think time", spread, base_think),
    ):
        line(f"baseline: waitress reading the posts, {label} (p95)", p95(base))
        line(
            f"submit, three 1 MB files, {label} (p95 of {len(times)})",
            p95(times),
            p95(base),
            SUBMIT_GOAL_MS,
        )
        line(f"submit, {label} (median)", statistics.median(times), statistics.median(base))
    if not args.keep and not args.sqlite:
        _drop(url)


def _drop(url: str) -> None:
    import psycopg

    from benchmarks.portal import with_database

    name = url.rsplit("/", 1)[-1]
    admin = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
