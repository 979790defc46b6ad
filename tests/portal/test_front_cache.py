"""The page files in front of Python (egov/portal/cache.py ``FrontStore``; decision 0014):
egov writes each anonymous page it stores as a file under the committed generation's
directory, ``current`` points at it, a change turns ``current`` to a new empty directory,
old files and directories are pruned — and a real nginx, configured by ``manage.py
portal_nginx``, serves those files with egov's own headers and passes everything else on."""

import getpass
import http.client
import io
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from egov.portal import cache, tasks
from tests.portal.conftest import add_article, make_citizen

NGINX = os.environ.get("EGOV_NGINX", "/usr/sbin/nginx")
NGINX_REQUIRED = os.environ.get("EGOV_REQUIRE_NGINX") == "1"
pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def pages(tmp_path, settings):
    directory = tmp_path / "pages"
    settings.EGOV_PAGE_CACHE = {**settings.EGOV_PAGE_CACHE, "DIRECTORY": str(directory)}
    cache.generation.committed = None  # as a process that starts now
    return directory


@pytest.fixture
def article(portal):
    return add_article(portal["news"], "区政府召开常务会议", slug="meeting")


def current(directory: Path) -> Path:
    return directory / cache.CURRENT


def file_of(directory: Path, url: str, name: str = "http~zh-hans~standard.html") -> Path:
    return current(directory) / "testserver" / url.lstrip("/") / name


@pytest.mark.django_db
def test_a_stored_page_is_written_under_the_committed_generation(client, article, pages):
    first = client.get(article.url)
    assert first["X-Cache"] == "miss"
    written = file_of(pages, article.url)
    assert written.read_bytes() == first.content
    assert current(pages).is_symlink()
    assert os.readlink(current(pages)) == cache.generation.committed
    assert oct(written.stat().st_mode & 0o777) == "0o644"
    # A hit (nginx asked egov: its file is gone) writes it again.
    written.unlink()
    assert client.get(article.url)["X-Cache"] == "hit"
    assert written.read_bytes() == first.content


@pytest.mark.django_db
def test_each_variant_has_its_file_and_odd_requests_none(portal, article, pages):
    elder = Client()
    elder.cookies["egov_elder"] = "1"
    elder.get(article.url)
    assert 'class="elder"' in file_of(pages, article.url, "http~zh-hans~elder.html").read_text()
    Client().get(article.url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    english = file_of(pages, article.url, "http~en~standard.html").read_text()
    assert '<html lang="en"' in english
    Client().get(portal["news"].url + "?page=1")
    assert file_of(pages, portal["news"].url, "http~zh-hans~standard~p1.html").exists()
    Client().get(article.url, secure=True)
    assert file_of(pages, article.url, "https~zh-hans~standard.html").exists()
    before = sorted(p.name for p in file_of(pages, article.url).parent.iterdir())
    # A language nginx cannot tell from the first tag, another query, a logged-in user:
    # served by egov, never written.
    Client().get(article.url, HTTP_ACCEPT_LANGUAGE="fr, en;q=0.8")
    Client().get(article.url + "?utm=1")
    user = Client()
    user.force_login(make_citizen("citizen-front"))
    user.get(article.url)
    assert sorted(p.name for p in file_of(pages, article.url).parent.iterdir()) == before


def test_the_file_name_follows_nginxs_rule(rf, settings):
    request = rf.get("/news/a/", HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert (
        cache.front_relative_path(request, "zh-hans")
        == "testserver/news/a/http~zh-hans~standard.html"
    )
    assert cache.front_relative_path(request, "en") is None  # egov chose otherwise: no file
    request = rf.get("/news/a/", HTTP_ACCEPT_LANGUAGE="")
    assert cache.front_language(request) == settings.LANGUAGE_CODE
    request = rf.get("/news/a/", HTTP_ACCEPT_LANGUAGE="de")
    request.COOKIES["django_language"] = "en"
    assert cache.front_language(request) == "en"
    request.COOKIES["django_language"] = "xx"
    assert cache.front_language(request) is None
    for odd in ("/news/a", "/news//a/", "/news/../a/", "/news/./a/", "/news/a~b/"):
        assert cache.front_relative_path(rf.get(odd), "zh-hans") is None, odd
    assert cache.front_relative_path(rf.get("/news/a/?page=1234567"), "zh-hans") is None


@pytest.mark.django_db
def test_a_change_turns_current_to_a_new_empty_generation_and_prune_clears_the_old(
    client, article, pages
):
    client.get(article.url)
    old = os.readlink(current(pages))
    article.title = "区政府召开第十次常务会议"
    article.save_revision().publish()
    assert client.get(article.url)["X-Cache"] == "miss"
    new = os.readlink(current(pages))
    assert new != old
    assert "第十次常务会议" in file_of(pages, article.url).read_text()
    assert (pages / old).is_dir()  # until the prune: nginx may be sending one of its files
    assert tasks.prune_pages.call_local() == "1 old generations and 0 old pages removed"
    assert not (pages / old).exists() and file_of(pages, article.url).exists()
    # Pages older than EGOV_PAGE_CACHE_SECONDS go too (nginx then asks egov again).
    assert cache.front.prune(now=time.time() + cache.config()["SECONDS"] + 1) == (0, 1)
    assert not file_of(pages, article.url).exists()


@pytest.mark.django_db
def test_the_front_is_off_without_a_directory(client, article, tmp_path):
    assert not cache.config()["DIRECTORY"]
    assert client.get(article.url)["X-Cache"] == "miss"
    assert cache.front.prune() == (0, 0)


@pytest.mark.django_db
def test_the_nginx_configuration_carries_egovs_headers(article, pages):
    http, server = io.StringIO(), io.StringIO()
    call_command("portal_nginx", "--part", "http", stdout=http)
    call_command("portal_nginx", "--part", "server", "--upstream", "127.0.0.1:9", stdout=server)
    egov = Client().get(article.url)
    assert "map $cookie_django_language $egov_lang_cookie" in http.getvalue()
    assert "csrftoken|django_language|egov_elder" in http.getvalue()
    text = server.getvalue()
    assert f"root {pages}/current;" in text
    assert "try_files /$host$uri$egov_file @egov;" in text
    assert "proxy_pass http://127.0.0.1:9;" in text
    csp = egov["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert f'add_header Content-Security-Policy "{csp}" always;' in text
    assert f'add_header X-Frame-Options "{egov["X-Frame-Options"]}" always;' in text


# --- a real nginx in front -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(tmp_path, live_server, pages, portal):  # the headers come from a real site
    if not (os.path.exists(NGINX) and shutil.which(NGINX)):
        message = f"the nginx test needs {NGINX}: install it with 'apt-get install nginx-light'"
        if NGINX_REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path / "nginx"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / name).mkdir(parents=True)
    pages.mkdir(exist_ok=True)
    http, server = io.StringIO(), io.StringIO()
    upstream = live_server.url.removeprefix("http://")
    call_command("portal_nginx", "--part", "http", stdout=http)
    call_command("portal_nginx", "--part", "server", "--upstream", upstream, stdout=server)
    port = _free_port()
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
daemon off;
user {getpass.getuser()};
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    types {{ text/html html; }}
    default_type application/octet-stream;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
{http.getvalue()}
    server {{
        listen 127.0.0.1:{port};
{server.getvalue()}
    }}
}}
"""
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")]
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, method: str = "GET", **headers):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_files_and_passes_everything_else_to_egov(portal, nginx, client):
    article = add_article(portal["news"], "区政府召开常务会议", slug="meeting")
    url = nginx + article.url
    status, body, headers = fetch(url)
    assert status == 200 and headers["X-Cache"] == "miss"  # egov, through nginx
    status, again, front = fetch(url)
    assert status == 200 and front["X-Cache"] == "front" and again == body
    for name in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Vary"):
        assert front[name] == headers[name], name
    assert front["Content-Language"] == "zh-hans"
    assert front["Content-Type"] == "text/html; charset=utf-8"
    assert front["Cache-Control"] == "private, no-cache"
    # Elder mode and English are files of their own.
    assert fetch(url, Cookie="egov_elder=1")[2]["X-Cache"] == "miss"
    status, elder, seen = fetch(url, Cookie="egov_elder=1; csrftoken=abc")
    assert seen["X-Cache"] == "front" and b'class="elder"' in elder
    fetch(url, **{"Accept-Language": "en"})
    assert fetch(url, **{"Accept-Language": "en-GB,en"})[2]["X-Cache"] == "front"
    # A session, another cookie, another query, Authorization, a POST: egov answers.
    for extra in (
        {"Cookie": "sessionid=x"},
        {"Cookie": "messages=y"},
        {"Authorization": "Basic eDp5"},
    ):
        assert fetch(url, **extra)[2].get("X-Cache") != "front", extra
    assert fetch(url + "?utm=1")[2].get("X-Cache") != "front"
    status, _body, posted = fetch(url, method="POST")
    assert status != 405 and posted.get("X-Cache") != "front"
    assert fetch(nginx + "/search/?q=%E4%BC%9A%E8%AE%AE")[2].get("X-Cache") != "front"
    # A logged-in visitor's session never gets the anonymous file.
    client.force_login(make_citizen("front-user"))
    session = client.cookies["sessionid"].value
    assert fetch(url, Cookie=f"sessionid={session}")[2].get("X-Cache") != "front"
    # A publication: nginx no longer finds the old file; the next visit renders the new page.
    article.title = "区政府召开第十次常务会议"
    article.save_revision().publish()
    status, changed, seen = fetch(url)
    assert seen["X-Cache"] == "miss" and "第十次常务会议".encode() in changed
    status, changed, seen = fetch(url)
    assert seen["X-Cache"] == "front" and "第十次常务会议".encode() in changed
