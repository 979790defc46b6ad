"""Speed of the portal's public pages with a district's worth of articles, beside nginx serving
the same HTML as a static file in the same run.

    .venv/bin/python benchmarks/portal.py [--quick] [--articles 200000] [--postgres [URL]]
                                          [--sqlite] [--rebuild] [--seconds 10] [--clients 8]

**The database.** PostgreSQL ``egov_bench_portal`` (``--postgres URL`` for another; ``--quick``
uses ``egov_bench_portal_quick`` with 5,000 articles), and with ``--sqlite`` also an SQLite
file in ``var/bench/``. Built once and reused (and migrated) while its marker (article count,
generator version) matches; ``--rebuild`` builds it again. The build:
``migrate``, ``seed_demo``, ``seed_portal`` (the group's sites, sections and columns), then
``--articles`` articles written in bulk into every news, notice and general column of every
site and section (the portal's own columns five times as full as a section's): page rows
with treebeard paths numbered directly (no ``add_child`` per page), their article rows, and
their search entries and index (the words and bigrams of ``egov.portal.search.index_text``,
written through Wagtail's search backend in chunks). Texts are recombined sentences of the
demo content, so words are as frequent as in real news (常务会议 in a few, 工作 in many).

**The server.** ``waitress`` with 8 threads (as ``./run``), ``egov.settings.production``
(DEBUG off; HTTPS redirect off for loopback; ``EGOV_DB_CONN_MAX_AGE=60``), on a free loopback
port; once with the page cache on, once with it off (``EGOV_PAGE_CACHE=0``) for the uncached
figures. **nginx** (``/usr/sbin/nginx``, ``apt-get install nginx-light``) with a generated
configuration, one worker, not a daemon, serves the article's HTML as saved from egov.

**Measured** (clients: ``--clients`` threads, keep-alive ``http.client`` connections, spread
over two processes; every request a new visitor, without cookies):

- requests/s for one article: nginx's static copy (the baseline), egov cached, egov
  uncached (random articles, cache off);
- p95 latency of one client at a time, cache off: random articles; the first page of
  every column (and, for information, page 50 of the fullest);
- p95 latency of search (never cached): two-character words drawn by their frequency in the
  corpus, alone and with filters (column, type, dates, newest first, the whole group).

Goals (issue 4): cached ≥ 25 % of nginx's static rate; article and column p95 ≤ 50 ms;
search p95 ≤ 100 ms. Not part of the test suite; expect a few tens of percent of noise on a
shared machine (the load average is printed).
"""

import argparse
import datetime
import getpass
import hashlib
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "var" / "bench"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/egov_bench_portal"
NGINX = "/usr/sbin/nginx"
GENERATOR = "3"  # change when the generated corpus changes: the databases are rebuilt
GOAL_CACHED_SHARE = 0.25
GOAL_PAGE_P95_MS = 50
GOAL_SEARCH_P95_MS = 100
ARTICLE_KINDS = ("news", "notice", "general")
CHUNK = 2000


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


# --- the database: marker, build -------------------------------------------------------


def marker_for(articles: int) -> str:
    return f"articles={articles};generator={GENERATOR}"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def read_marker(url: str) -> str | None:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if not path.exists():
            return None
        with sqlite3.connect(path) as conn:
            try:
                return conn.execute("SELECT key FROM bench_portal_marker").fetchone()[0]
            except sqlite3.Error:
                return None
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute("SELECT key FROM bench_portal_marker").fetchone()[0]
    except (psycopg.Error, TypeError):
        return None


def recreate_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_env(url: str, data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="egov.settings.production",
        SECRET_KEY="bench-" + hashlib.sha256(str(data_dir).encode()).hexdigest() * 2,
        DATABASE_URL=url,
        EGOV_DATA_DIR=str(data_dir),
        EGOV_SSL_REDIRECT="0",
        EGOV_HSTS_SECONDS="0",
        EGOV_DB_CONN_MAX_AGE="60",
        EGOV_LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="127.0.0.1,localhost,rd.localhost",
        PYTHONPATH=str(REPO),
    )
    env.update(extra)
    return env


def ensure_database(url: str, articles: int, rebuild: bool, data_dir: Path) -> dict:
    """The database at ``url`` with ``articles`` articles (built unless its marker matches),
    and its manifest (sample addresses, the columns, the vocabulary)."""
    marker = marker_for(articles)
    manifest_path = data_dir / "manifest.json"
    if not rebuild and read_marker(url) == marker and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("marker") == marker:
            print(f"  reusing the database ({marker}); migrating it", flush=True)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=REPO,
                env=server_env(url, data_dir),
                check=True,
            )
            return manifest
    print(f"  building the database ({marker}) …", flush=True)
    recreate_database(url)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--build", str(articles), "--manifest", str(manifest_path)],
        cwd=REPO,
        env=server_env(url, data_dir, DJANGO_SETTINGS_MODULE="egov.settings.base"),
        check=True,
    )
    print(f"  built in {time.perf_counter() - start:,.0f} s", flush=True)
    return json.loads(manifest_path.read_text())


# --- the build (runs in its own process, Django set up on the bench database) ----------


SENTENCE_END = re.compile(r"(?<=[。！？；])")


def corpus_sentences() -> list[str]:
    """Sentences of the demo content (titles, summaries, paragraphs)."""
    from egov.portal import demo_content

    texts: list[str] = []

    def collect(value, depth=0):
        if depth > 4:
            return
        if isinstance(value, str):
            if re.search(r"[\u4e00-\u9fff]{4}", value):
                texts.append(value)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item, depth + 1)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                collect(getattr(value, name), depth + 1)

    for name in dir(demo_content):
        if name.isupper():
            collect(getattr(demo_content, name))
    sentences = []
    for text in texts:
        for piece in SENTENCE_END.split(text):
            piece = piece.strip()
            if len(piece) >= 8:
                sentences.append(piece)
    return sorted(set(sentences))


def build(articles: int, manifest_path: Path) -> None:
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page, Site
    from wagtail.search.backends import get_search_backend

    from egov.portal.models import ArticlePage, ColumnPage, SearchEntry
    from egov.portal.search import page_text

    rng = random.Random(20261129)
    step = time.perf_counter()

    def done(what: str) -> None:
        nonlocal step
        print(f"    {what}: {time.perf_counter() - step:,.1f} s", flush=True)
        step = time.perf_counter()

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_portal", verbosity=0)
    done("migrate, seed_demo, seed_portal")

    sentences = corpus_sentences()
    sites = list(Site.objects.select_related("root_page"))
    columns = list(ColumnPage.objects.live().filter(kind__in=ARTICLE_KINDS).order_by("path"))
    roots = {site.root_page.path: site for site in sites}

    def site_of(page) -> Site:
        return next(site for path, site in roots.items() if page.path.startswith(path))

    weights = [
        5 if column.depth == site_of(column).root_page.depth + 1 else 1 for column in columns
    ]
    counts = [0] * len(columns)
    for index in rng.choices(range(len(columns)), weights=weights, k=articles):
        counts[index] += 1
    article_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    backend = get_search_backend()
    # Bulk loading: the search index's GIN indexes are built once at the end, and its title
    # norms computed once (Wagtail recomputes them over the whole table after every chunk).
    gin = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute(
                "SELECT indexdef, indexname FROM pg_indexes "
                "WHERE tablename = 'wagtailsearch_indexentry' AND indexdef LIKE '%USING gin%'"
            )
            gin = cursor.fetchall()
            for _definition, name in gin:
                cursor.execute(f'DROP INDEX "{name}"')
        index = backend.get_index_for_model(SearchEntry)
        refresh_title_norms = type(index)._refresh_title_norms
        type(index)._refresh_title_norms = lambda self, full=False: None
    page_fields = [f for f in Page._meta.concrete_fields if f.attname != "id"]
    number = 0
    for column, count in zip(columns, counts, strict=True):
        last = column.get_children().order_by("-path").values_list("path", flat=True).first()
        next_step = int(last[-Page.steplen :], 36) + 1 if last else 1
        for start in range(0, count, CHUNK):
            pages = []
            for offset in range(start, min(count, start + CHUNK)):
                number += 1
                title = rng.choice(sentences).rstrip("。！？；，")[:28] + f"（{number}）"
                paragraphs = [
                    "".join(rng.choices(sentences, k=rng.randint(2, 5)))
                    for _ in range(rng.randint(2, 6))
                ]
                when = now - datetime.timedelta(seconds=rng.randint(0, 5 * 365 * 86400))
                path_step = _base36(next_step + offset).rjust(Page.steplen, "0")
                page = ArticlePage(
                    title=title,
                    draft_title=title,
                    slug=f"b{number}",
                    path=column.path + path_step,
                    depth=column.depth + 1,
                    numchild=0,
                    url_path=f"{column.url_path}b{number}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=when,
                    last_published_at=when,
                    latest_revision_created_at=when,
                    content_type=article_type,
                    locale_id=column.locale_id,
                    summary=paragraphs[0][:120],
                    content="".join(f"<p>{text}</p>" for text in paragraphs),
                    source="区政府办公室",
                )
                pages.append(page)
            with transaction.atomic():
                base = [
                    Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages
                ]
                Page.objects.bulk_create(base)
                rows = []
                for page, made in zip(pages, base, strict=True):
                    page.pk = page.page_ptr_id = page.id = made.pk
                    rows.append((made.pk, page.summary, page.content, page.source))
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO portal_articlepage (page_ptr_id, summary, content, source) "
                        "VALUES (%s, %s, %s, %s)",
                        rows,
                    )
                entries = [
                    SearchEntry(page=made, title=page.title, text=page_text(page))
                    for page, made in zip(pages, base, strict=True)
                ]
                SearchEntry.objects.bulk_create(entries)
                backend.add_bulk(SearchEntry, entries)
        Page.objects.filter(pk=column.pk).update(numchild=F("numchild") + count)
        print(f"    {number:,} articles …", end="\r", flush=True)
    done(f"{articles:,} articles, their search entries and index")
    if connection.vendor == "postgresql":
        type(index)._refresh_title_norms = refresh_title_norms
        refresh_title_norms(index, full=True)
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition, _name in gin:
                cursor.execute(definition)
        done("the search index's title norms and GIN indexes")
    # The search's own table (PostgreSQL), filled as migration 0006 fills it for an existing
    # site (decision 0015).
    import importlib
    from types import SimpleNamespace

    importlib.import_module("egov.portal.migrations.0006_search_document").fill(
        None, SimpleNamespace(connection=connection)
    )
    done("the search documents")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_portal_marker (key text)")
        cursor.execute("DELETE FROM bench_portal_marker")
        cursor.execute("INSERT INTO bench_portal_marker (key) VALUES (%s)", [marker_for(articles)])
    done("analyse")

    # The manifest: where things are, and what to search for.
    def address(page) -> list[str]:
        site = site_of(page)
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
        return [host, page.url_path[len(site.root_page.url_path) - 1 :]]

    sample = list(
        Page.objects.filter(content_type=article_type).order_by("?")[:3000].only("path", "url_path")
    )
    listed = ColumnPage.objects.live().filter(kind__in=ARTICLE_KINDS).order_by("path")
    words: dict[str, int] = {}
    from egov.portal.search import words as cut

    for sentence in sentences:
        for word in set(cut(sentence)):
            if len(word) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", word):
                words[word] = words.get(word, 0) + 1
    manifest = {
        "marker": marker_for(articles),
        "articles": [address(page) for page in sample],
        "columns": [
            address(column)
            + [column.numchild, column.pk, column.depth == site_of(column).root_page.depth + 1]
            for column in listed
        ],
        "words": sorted(words.items(), key=lambda pair: -pair[1]),
        "types": ["article", "policy", "interpretation"],
        "sites": [[site.pk, site.hostname, site.is_default_site] for site in sites],
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False))
    done("manifest")


def _base36(value: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if value == 0:
            return out


# --- servers -----------------------------------------------------------------------------


class Server:
    def __init__(self, args: list[str], port: int, env: dict | None = None, cwd=None):
        self.port = port
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            args, env=env, cwd=cwd or REPO, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"{args[0]} exited:\n{self.log.read().decode()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{args} did not listen on {port}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_egov(url: str, data_dir: Path, cache: bool, pages: Path | None = None) -> Server:
    port = free_port()
    extra = {"EGOV_PAGE_CACHE_DIR": str(pages)} if pages is not None else {}
    env = server_env(url, data_dir, EGOV_PAGE_CACHE="1" if cache else "0", **extra)
    args = [
        sys.executable,
        "-m",
        "waitress",
        f"--listen=127.0.0.1:{port}",
        "--threads=8",
        "egov.wsgi:application",
    ]
    return Server(args, port, env)


def start_waitress_static(root: Path, html: bytes) -> Server:
    """waitress alone: a WSGI application that answers every request with the saved HTML —
    the ceiling of anything served by waitress in Python."""
    port = free_port()
    (root / "article.html").write_bytes(html)
    (root / "static_app.py").write_text(
        "BODY = open(__file__.replace('static_app.py', 'article.html'), 'rb').read()\n"
        "HEADERS = [('Content-Type', 'text/html; charset=utf-8'), "
        "('Content-Length', str(len(BODY)))]\n\n"
        "def application(environ, start_response):\n"
        "    start_response('200 OK', HEADERS)\n"
        "    return [BODY]\n"
    )
    args = [
        sys.executable,
        "-m",
        "waitress",
        f"--listen=127.0.0.1:{port}",
        "--threads=8",
        "static_app:application",
    ]
    return Server(args, port, cwd=root)


def start_nginx(root: Path, html: bytes | None, http_part="", server_part="") -> Server:
    """nginx serving ``html`` as /article.html (the baseline), or, given the two parts of
    ``manage.py portal_nginx``, in front of egov as deployed (docs/deploy/nginx.md)."""
    port = free_port()
    www = root / "www"
    www.mkdir(parents=True, exist_ok=True)
    if html is not None:
        (www / "article.html").write_bytes(html)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / name).mkdir(exist_ok=True)
    root.chmod(0o755)
    conf = root / "nginx.conf"
    server = server_part or f"root {www};\n        location / {{ }}"
    conf.write_text(
        f"""
worker_processes 1;
daemon off;
user {getpass.getuser()};
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    keepalive_requests 1000000;
    {http_part}
    server {{
        listen 127.0.0.1:{port};
        {server}
    }}
}}
"""
    )
    return Server([NGINX, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")], port)


# --- clients ------------------------------------------------------------------------------

HEADERS = {"Accept-Language": "zh-CN,zh;q=0.9", "User-Agent": "egov-bench"}


def fetch(conn, host: str, path: str) -> tuple[int, bytes, dict]:
    conn.request("GET", path, headers={**HEADERS, "Host": host})
    response = conn.getresponse()
    body = response.read()
    return response.status, body, dict(response.getheaders())


def _client_thread(port, targets, seconds, seed, out):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done, errors, hits = 0, 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        host, path = rng.choice(targets)
        try:
            status, _body, headers = fetch(conn, host, path)
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if status != 200:
            errors += 1
        done += 1
        hits += headers.get("X-Cache") in ("hit", "front")
    conn.close()
    out.append((done, errors, hits))


def _client_process(port, targets, seconds, threads, seed):
    out: list = []
    workers = [
        threading.Thread(target=_client_thread, args=(port, targets, seconds, seed + i, out))
        for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [sum(column) for column in zip(*out, strict=True)]


def throughput(port: int, targets: list, seconds: float, clients: int) -> dict:
    """Requests/s with ``clients`` keep-alive connections over two client processes."""
    processes = 2 if clients > 1 else 1
    per = [clients // processes + (i < clients % processes) for i in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        warm = [
            pool.submit(_client_process, port, targets, 1.0, n, 7 + i) for i, n in enumerate(per)
        ]
        for future in warm:
            future.result()
        start = time.perf_counter()
        futures = [
            pool.submit(_client_process, port, targets, seconds, n, 100 + 10 * i)
            for i, n in enumerate(per)
        ]
        totals = [sum(column) for column in zip(*(f.result() for f in futures), strict=True)]
        elapsed = time.perf_counter() - start
    done, errors, hits = totals
    if errors > done / 100:
        raise SystemExit(f"{errors:,} of {done:,} requests to port {port} failed")
    return {"rate": done / elapsed, "errors": errors, "hits": hits, "done": done}


def latencies(port: int, targets: list, count: int) -> list[float]:
    """Milliseconds per request, one client, one request at a time."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for index in range(count):
        host, path = targets[index % len(targets)]
        start = time.perf_counter()
        status, _body, _headers = fetch(conn, host, path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"GET {host}{path} answered {status}")
    conn.close()
    return times


def search_targets(manifest: dict, count: int, seed: int = 5) -> list[tuple[str, str, str]]:
    """(label, host, address) of ``count`` searches: words drawn by frequency, a third with
    filters."""
    rng = random.Random(seed)
    words = [word for word, _n in manifest["words"]]
    weights = [n for _word, n in manifest["words"]]
    portal_host = "127.0.0.1"
    # The column filter offers the top-level columns of the site searched.
    columns = [c for c in manifest["columns"] if c[4] and not c[0].startswith("rd.")]
    targets = []
    for index in range(count):
        word = rng.choices(words, weights=weights)[0]
        query = {"q": word}
        label = "plain"
        variant = index % 6
        if variant == 1:
            query["column"] = rng.choice(columns)[3]
            label = "column"
        elif variant == 2:
            query["type"] = "article"
            label = "type"
        elif variant == 3:
            query["date_from"], query["date_to"] = "2025-01-01", "2025-12-31"
            label = "dates"
        elif variant == 4:
            query["order"] = "newest"
            label = "newest"
        elif variant == 5:
            query["scope"] = "group"
            label = "group"
        targets.append((label, portal_host, "/search/?" + urlencode(query)))
    return targets


# --- the run ------------------------------------------------------------------------------


def data_dir_for(url: str) -> Path:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :]).with_suffix(".data")
    return BENCH_DIR / (urlsplit(url).path.strip("/").replace("/", "_") or "db")


def run(name: str, url: str, options) -> dict:
    data_dir = data_dir_for(url)
    manifest = ensure_database(url, options.articles, options.rebuild, data_dir)
    articles = [tuple(a) for a in manifest["articles"]]
    portal_articles = [a for a in articles if not a[0].startswith("rd.")] or articles
    hot = portal_articles[0]
    columns = [(c[0], c[1]) for c in manifest["columns"] if c[2] > 0]
    fullest = max(manifest["columns"], key=lambda c: c[2])
    result: dict = {"articles": options.articles, "columns": len(columns)}

    with tempfile.TemporaryDirectory(prefix="egov-bench-nginx-") as root:
        cached = start_egov(url, data_dir, cache=True)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", cached.port, timeout=60)
            status, html, headers = fetch(conn, *hot)
            status2, _html, headers2 = fetch(conn, *hot)
            conn.close()
            if status != 200 or headers2.get("X-Cache") != "hit":
                raise SystemExit(f"the article is not cached: {status} {status2} {headers2}")
            result["html_bytes"] = len(html)
            Path(root).chmod(0o755)  # nginx's worker runs as nobody
            (Path(root) / "waitress").mkdir()
            nginx = start_nginx(Path(root) / "nginx", html)
            try:
                result["nginx"] = throughput(
                    nginx.port, [("127.0.0.1", "/article.html")], options.seconds, options.clients
                )
            finally:
                nginx.stop()
            print(f"    nginx static        {result['nginx']['rate']:>8,.0f} /s   ({load()})")
            plain = start_waitress_static(Path(root) / "waitress", html)
            try:
                result["waitress"] = throughput(
                    plain.port, [("127.0.0.1", "/")], options.seconds, options.clients
                )
            finally:
                plain.stop()
            print(f"    waitress static     {result['waitress']['rate']:>8,.0f} /s   ({load()})")
            result["cached"] = throughput(cached.port, [hot], options.seconds, options.clients)
            print(f"    egov cached         {result['cached']['rate']:>8,.0f} /s   ({load()})")
        finally:
            cached.stop()
        result["front"] = measure_front(url, data_dir, Path(root), hot, options)
        print(f"    egov, nginx in front {result['front']['rate']:>7,.0f} /s   ({load()})")

    uncached = start_egov(url, data_dir, cache=False)
    try:
        result["uncached"] = throughput(uncached.port, articles, options.seconds, options.clients)
        print(f"    egov uncached       {result['uncached']['rate']:>8,.0f} /s   ({load()})")
        rng = random.Random(11)
        sample = rng.sample(articles, min(len(articles), options.samples))
        latencies(uncached.port, sample[:20], 20)  # warm up
        result["article_ms"] = latencies(uncached.port, sample, len(sample))
        result["column_ms"] = latencies(uncached.port, columns, max(len(columns), options.samples))
        deep = (fullest[0], fullest[1] + "?page=50")
        result["deep_column_ms"] = latencies(uncached.port, [deep], 20)
        searches = search_targets(manifest, options.samples)
        latencies(uncached.port, [(h, p) for _l, h, p in searches[:10]], 10)
        times = latencies(uncached.port, [(h, p) for _l, h, p in searches], len(searches))
        result["search_ms"] = times
        by_label: dict[str, list[float]] = {}
        for (label, _h, _p), ms in zip(searches, times, strict=True):
            by_label.setdefault(label, []).append(ms)
        result["search_by_label"] = by_label
    finally:
        uncached.stop()
    return result


def measure_front(url: str, data_dir: Path, root: Path, hot, options) -> dict:
    """egov as deployed behind nginx (decision 0014): egov writes the page files, nginx,
    configured by ``manage.py portal_nginx``, serves them."""
    pages = root / "pages"
    pages.mkdir()
    egov = start_egov(url, data_dir, cache=True, pages=pages)
    try:
        env = server_env(url, data_dir, EGOV_PAGE_CACHE_DIR=str(pages))
        parts = []
        for part in ("http", "server"):
            command = [sys.executable, "manage.py", "portal_nginx", "--part", part]
            command += ["--upstream", f"127.0.0.1:{egov.port}"] if part == "server" else []
            done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"portal_nginx --part {part}: {done.stderr}")
            parts.append(done.stdout)
        nginx = start_nginx(root / "nginx-front", None, *parts)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=60)
            fetch(conn, *hot)
            status, _html, headers = fetch(conn, *hot)
            conn.close()
            if status != 200 or headers.get("X-Cache") != "front":
                raise SystemExit(f"nginx does not serve the page file: {status} {headers}")
            return throughput(nginx.port, [hot], options.seconds, options.clients)
        finally:
            nginx.stop()
    finally:
        egov.stop()


def report(name: str, result: dict) -> None:
    nginx, cached, uncached = result["nginx"], result["cached"], result["uncached"]
    share = cached["rate"] / nginx["rate"]
    print(
        f"{name}: {result['articles']:,} articles in {result['columns']} columns; "
        f"article HTML {result['html_bytes']:,} bytes"
    )
    plain = result["waitress"]
    print(f"  nginx, the same HTML as a static file  {nginx['rate']:>9,.0f} requests/s (baseline)")
    print(
        f"  waitress alone, the same HTML          {plain['rate']:>9,.0f} requests/s "
        f"= {plain['rate'] / nginx['rate']:.0%} of nginx (the ceiling under waitress)"
    )
    print(
        f"  egov alone, cached in its memory       {cached['rate']:>9,.0f} requests/s "
        f"= {share:.0%} of nginx (goal ≥ {GOAL_CACHED_SHARE:.0%}; {cached['hits']:,} of "
        f"{cached['done']:,} hits; {cached['rate'] / plain['rate']:.0%} of waitress alone)"
    )
    front = result["front"]
    print(
        f"  egov behind nginx, cached (deployed)   {front['rate']:>9,.0f} requests/s "
        f"= {front['rate'] / nginx['rate']:.0%} of nginx (goal ≥ {GOAL_CACHED_SHARE:.0%}; "
        f"{front['hits']:,} of {front['done']:,} from the page files)"
    )
    print(
        f"  egov, uncached (random articles)       {uncached['rate']:>9,.0f} requests/s "
        f"= {uncached['rate'] / nginx['rate']:.1%} of nginx"
    )
    for label, key, goal in (
        ("article p95 (uncached)", "article_ms", GOAL_PAGE_P95_MS),
        ("column p95 (first pages)", "column_ms", GOAL_PAGE_P95_MS),
        ("search p95", "search_ms", GOAL_SEARCH_P95_MS),
    ):
        values = result[key]
        print(
            f"  {label:<26} {p95(values):>7.1f} ms  (median {statistics.median(values):.1f}, "
            f"max {max(values):.1f}; goal ≤ {goal} ms; {len(values)} requests)"
        )
    deep = result["deep_column_ms"]
    print(f"  column page 50 of the fullest, p95 {p95(deep):>6.1f} ms (for information)")
    print(
        "  search p95 by kind: "
        + ", ".join(f"{k} {p95(v):.0f} ms" for k, v in sorted(result["search_by_label"].items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="default 200,000")
    parser.add_argument("--quick", action="store_true", help="5,000 articles, 3 s per figure")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=DEFAULT_POSTGRES,
        default=DEFAULT_POSTGRES,
        help=f"the PostgreSQL database (default {DEFAULT_POSTGRES})",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only (with --sqlite)")
    parser.add_argument("--sqlite", action="store_true", help="also an SQLite database")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--seconds", type=float, default=None, help="per throughput figure")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--samples", type=int, default=None, help="requests per latency figure")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or check) the databases, measure nothing"
    )
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--manifest", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build is not None:
        build(options.build, options.manifest)
        return
    if options.articles is None:
        options.articles = 5_000 if options.quick else 200_000
    if options.seconds is None:
        options.seconds = 3.0 if options.quick else 10.0
    if options.samples is None:
        options.samples = 100 if options.quick else 300
    if not Path(NGINX).exists():
        raise SystemExit(f"{NGINX} is missing: apt-get install nginx-light")

    print(
        f"egov portal pages (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{options.articles:,} articles, {options.clients} clients, {options.seconds:.0f} s per "
        f"rate; {load()})"
    )
    databases = []
    if not options.no_postgres:
        url = options.postgres
        if options.quick and url == DEFAULT_POSTGRES:
            url = with_database(url, "egov_bench_portal_quick")
        databases.append(("PostgreSQL", url))
    if options.sqlite:
        suffix = "quick" if options.quick else str(options.articles)
        databases.append(("SQLite", f"sqlite:///{BENCH_DIR / f'portal-{suffix}.sqlite3'}"))
    results = []
    for name, url in databases:
        print(f"{name}: {url}")
        if options.build_only:
            ensure_database(url, options.articles, options.rebuild, data_dir_for(url))
            continue
        results.append((name, run(name, url, options)))
    print()
    for name, result in results:
        report(name, result)


if __name__ == "__main__":
    main()
