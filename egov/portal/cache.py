"""The anonymous page cache of the site group.

An anonymous GET of a portal page (a Wagtail page of ``egov.portal``) is rendered once and
then served from memory until something shown on the pages changes. docs/portal.md,
"Caching", says what is cached and what never is; in short:

- **Who**: requests that carry no cookie but the CSRF cookie, the language cookie and the
  elder-mode cookie — so nobody logged in, and no session of any kind — and no
  ``Authorization`` header. Only GET and HEAD, with no query string but ``?page=N``.
- **What**: 200 HTML responses of a ``PortalPage`` served by Wagtail (``before_serve_page``
  marks them, wagtail_hooks.py) that set no cookie of their own, left the session alone and
  carry no ``Cache-Control`` of their own (Wagtail marks pages behind a view restriction
  ``private, no-cache, no-store``). Search, the error-report form and every other view are
  never stored: they are not Wagtail pages.
- **Key**: scheme, host, path and query, the language of the request (cookie or
  ``Accept-Language``), elder mode, and the cache *epoch*.
- **CSRF**: a page whose rendering asked for the visitor's CSRF token (a form that posts)
  is never stored, so no visitor ever receives another's token. The header's language and
  elder-mode switches post without one (decision 0014): they only set a display preference,
  and without them every anonymous page is the same for every visitor.
- **Invalidation**: one generation for the whole group, kept in the database
  (``PageCacheGeneration``) so that the Huey worker — a separate process, which runs
  scheduled publishing — reaches the web server. Any publication, unpublication, move or
  deletion of a page, any change of a site's settings, a site, a view restriction, an image,
  a document, a snippet, a body of the directory or its area, and every ``migrate`` give it
  a new token. Each process reads the token at most every ``RECHECK_SECONDS`` (a primary-key
  read); a change made in the process itself applies at once.
- **Browsers**: ``Cache-Control: private, no-cache`` and an ``ETag``: a browser asks every
  time, and an unchanged page costs a 304.
  ``X-Cache: hit`` or ``miss`` says whether the page came from the cache.

The store is in the memory of each process (a least-recently-used dictionary bounded in
megabytes), so pages are never pickled and a hit costs a dictionary look-up.

**In front of Python** (``EGOV_PAGE_CACHE_DIR``, decision 0014): each stored page that
holds no CSRF token — every anonymous page since the language and elder-mode switches need
none — is also written as a file, ``<dir>/<token>/<host><path><scheme>~<language>~<mode>
[~p<N>].html``, and ``<dir>/current`` is a symbolic link to the directory of the committed
generation token. nginx (its configuration from ``manage.py portal_nginx``) serves such a
file when it exists and the request is one the cache is for, and passes everything else to
egov. A new generation is a new, empty directory: the link is turned when the change
commits (by the process that made it, and by every process that reads a new token), so
nothing rendered from the data before the change is served after it. ``portal.prune_pages``
removes old directories and files older than ``SECONDS``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

CACHE_CONTROL = "private, no-cache"
HEADER = "X-Cache"
# Query parameters a cached page may have (the pages of a column); anything else is served
# without the cache, so that nobody can fill it with made-up addresses.
QUERY_KEYS = frozenset({"page"})
MAX_QUERY_VALUE = 6
MAX_PATH = 512
# Never looked up, whatever the response: not pages of the site group.
NEVER_PREFIXES = (
    "/search/",
    "/report-error/",
    "/cms/",
    "/backoffice/",
    "/staff/",
    "/accounts/",
    "/i18n/",
    "/prefs/",
    "/documents/",
    "/bodies/",
    "/healthz",
)
STORABLE_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
# Response headers not kept with a stored page (set again on each response).
UNSTORED_HEADERS = frozenset(
    {"content-length", "date", "etag", "cache-control", "expires", "last-modified", HEADER.lower()}
)


def config() -> dict:
    values = {
        "ENABLED": True,
        "MEGABYTES": 64,
        "SECONDS": 600,
        "RECHECK_SECONDS": 1,
        "DIRECTORY": "",
    }
    values.update(getattr(settings, "EGOV_PAGE_CACHE", {}))
    return values


# --- the generation --------------------------------------------------------------------


def _read_token() -> str:
    from egov.portal.models import PageCacheGeneration

    try:
        token = PageCacheGeneration.objects.filter(pk=1).values_list("token", flat=True).first()
    except DatabaseError:  # before migrate; the cache then lives by its own changes only
        logger.warning("the page cache generation cannot be read", exc_info=True)
        return "-"
    return token or "-"


def _write_token(token: str) -> None:
    from egov.portal.models import PageCacheGeneration

    try:
        with transaction.atomic():
            now = timezone.now()
            if not PageCacheGeneration.objects.filter(pk=1).update(token=token, changed_at=now):
                PageCacheGeneration.objects.create(pk=1, token=token, changed_at=now)
    except DatabaseError:
        logger.warning("the page cache generation cannot be written", exc_info=True)


class Generation:
    """This process's view of the generation: the token last read from the database, and
    the *epoch* that goes into cache keys. The epoch is new whenever the token read differs
    from the last one, at each local change, and again when the transaction of a local
    change commits (pages rendered before the commit, from the data as it was, are never
    served after it)."""

    def __init__(self):
        self.token: str | None = None
        # The token last known to be committed: names the directory of the files in front.
        self.committed: str | None = None
        self.epoch = ""
        self.checked = float("-inf")

    def current(self) -> str:
        now = time.monotonic()
        if self.token is None or now - self.checked >= config()["RECHECK_SECONDS"]:
            token = _read_token()
            if token != self.token:
                self.token, self.epoch = token, secrets.token_hex(6)
            if token != self.committed:
                self.committed = token
                front.point(token)
            self.checked = now
        return self.epoch

    def bump(self) -> None:
        token = secrets.token_hex(8)
        _write_token(token)
        self.token, self.epoch, self.checked = token, secrets.token_hex(6), time.monotonic()

        def committed():
            self.token, self.epoch, self.checked = token, secrets.token_hex(6), time.monotonic()
            self.committed = token
            front.point(token)

        transaction.on_commit(committed)


generation = Generation()


class Memo:
    """Values that depend only on what the generation tracks (a site and its settings, the
    navigation, breadcrumbs, view restrictions), computed once per epoch in this process and
    shared by its threads — treat them as read-only."""

    def __init__(self, size: int = 4096):
        self._epoch: str | None = None
        self._values: dict = {}
        self._size = size
        self._lock = threading.Lock()

    def get(self, key, compute):
        epoch = generation.current()
        with self._lock:
            if epoch != self._epoch:
                self._values, self._epoch = {}, epoch
            found = self._values.get(key, self)
        if found is not self:
            return found
        value = compute()
        with self._lock:
            if self._epoch == epoch and len(self._values) < self._size:
                self._values[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._values, self._epoch = {}, None


memo = Memo()


def invalidate() -> None:
    """Something shown on the pages changed: no page cached so far is served again, in any
    process (in another process within ``RECHECK_SECONDS``)."""
    generation.bump()


# --- the store ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    stored_at: float
    language: str = ""

    @property
    def size(self) -> int:
        return len(self.content) + 512


class PageStore:
    """Least recently used pages, at most ``MEGABYTES`` of them, none older than
    ``SECONDS``."""

    def __init__(self):
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry.stored_at > config()["SECONDS"]:
                self._remove(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        budget = config()["MEGABYTES"] * 1024 * 1024
        if entry.size > budget:
            return
        with self._lock:
            if key in self._entries:
                self._remove(key)
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > budget:
                self._remove(next(iter(self._entries)))

    def _remove(self, key: str) -> None:
        self._bytes -= self._entries.pop(key).size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


store = PageStore()


# --- the files in front of Python ----------------------------------------------------------

FRONT_HEADER = "front"  # X-Cache of a page nginx served from the files
CURRENT = "current"
_GENERATION_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_PAGE_RE = re.compile(r"^page=([0-9]{1,6})$")


def front_language(request) -> str | None:
    """The language nginx chooses for a request, by the rule its configuration spells out:
    the language cookie when it names a language of the site, else the first tag of
    Accept-Language (zh… → zh-hans, en… → en), else the default language when there is no
    Accept-Language; None otherwise (nginx then passes the request to egov)."""
    languages = dict(settings.LANGUAGES)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in languages:
        return cookie
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "").strip().lower()
    if not header:
        return settings.LANGUAGE_CODE
    for prefix, language in front_language_prefixes():
        if header.startswith(prefix):
            return language
    return None


def front_language_prefixes() -> tuple[tuple[str, str], ...]:
    """(Accept-Language prefix, language) pairs: the generic part of each site language."""
    return tuple((code.split("-")[0], code) for code, _name in settings.LANGUAGES)


def front_name(request, language: str) -> str | None:
    """The file name of this request's page among its variants, or None when nginx would not
    look for one (so egov writes none)."""
    from egov.web.context_processors import ELDER_COOKIE

    if front_language(request) != language:
        return None
    query = request.META.get("QUERY_STRING", "")
    page = ""
    if query:
        match = _PAGE_RE.match(query)
        if match is None:
            return None
        page = "~p" + match.group(1)
    scheme = "https" if request.is_secure() else "http"
    mode = "elder" if request.COOKIES.get(ELDER_COOKIE) == "1" else "standard"
    return f"{scheme}~{language}~{mode}{page}.html"


def front_relative_path(request, language: str) -> str | None:
    """``<host><path><name>`` for this request, or None. Only paths that end with a slash and
    hold nothing a file system or nginx would read otherwise (``.``/``..`` segments, doubled
    slashes, backslashes, NUL)."""
    from django.http.request import split_domain_port

    path = request.path
    if not path.startswith("/") or not path.endswith("/") or "//" in path:
        return None
    if "\\" in path or "\x00" in path or "~" in path:
        return None
    if any(part in (".", "..") for part in path.split("/")):
        return None
    host, _port = split_domain_port(request.get_host())
    if not host or "/" in host or host.startswith("."):
        return None
    name = front_name(request, language)
    if name is None:
        return None
    return host.lower() + path + name


class FrontStore:
    """The page files nginx serves (``EGOV_PAGE_CACHE_DIR``); does nothing without it."""

    def directory(self) -> Path | None:
        value = config()["DIRECTORY"]
        return Path(value) if value else None

    def point(self, token: str) -> None:
        """Turn ``current`` to the directory of ``token`` (made empty if new), atomically."""
        root = self.directory()
        if root is None or not _GENERATION_RE.match(token or ""):
            return
        try:
            (root / token).mkdir(parents=True, exist_ok=True)
            link = root / CURRENT
            if link.is_symlink() and os.readlink(link) == token:
                return
            temporary = root / f".{CURRENT}-{secrets.token_hex(6)}"
            os.symlink(token, temporary)
            os.replace(temporary, link)
        except OSError:
            logger.warning("the page files cannot be turned to %s", token, exc_info=True)

    def write(self, request, content: bytes, language: str, *, only_missing=False) -> None:
        root = self.directory()
        token = getattr(request, "_egov_front_token", None)
        if root is None or not token or not _GENERATION_RE.match(token):
            return
        relative = front_relative_path(request, language)
        if relative is None:
            return
        target = root / token / relative
        if only_missing and target.exists():
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}")
            with open(temporary, "wb") as handle:
                handle.write(content)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except OSError:
            logger.warning("a page file cannot be written: %s", target, exc_info=True)

    def prune(self, now: float | None = None) -> tuple[int, int]:
        """Remove the directories of old generations and the files of the current one older
        than ``SECONDS``; (directories, files) removed."""
        root = self.directory()
        if root is None or not root.is_dir():
            return 0, 0
        link = root / CURRENT
        current = os.readlink(link) if link.is_symlink() else None
        directories = files = 0
        for child in root.iterdir():
            if child.name == CURRENT or child.name == current or child.is_symlink():
                continue
            if child.is_dir() and _GENERATION_RE.match(child.name):
                shutil.rmtree(child, ignore_errors=True)
                directories += 1
        if current is not None:
            limit = (now if now is not None else time.time()) - config()["SECONDS"]
            for path in (root / current).rglob("*.html"):
                try:
                    if path.stat().st_mtime < limit:
                        path.unlink()
                        files += 1
                except FileNotFoundError:
                    pass
        return directories, files


front = FrontStore()


# --- CSRF tokens ---------------------------------------------------------------------------


def _used_csrf(request) -> bool:
    """Whether rendering the page asked for the visitor's CSRF token (a form that posts):
    such a page holds a token of this visitor's own and is never stored."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


# --- the middleware ------------------------------------------------------------------------


def note_page_served(request, page) -> None:
    """Called by the ``before_serve_page`` hook: Wagtail is serving ``page``."""
    from egov.portal.models import PortalPage

    if isinstance(page, PortalPage):
        request._egov_portal_page = True


@functools.cache
def _allowed_cookies() -> frozenset:
    from egov.web.context_processors import ELDER_COOKIE

    return frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, ELDER_COOKIE})


@functools.cache
def _static_prefixes() -> tuple[str, ...]:
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)


@functools.cache
def _never_prefixes() -> tuple[str, ...]:
    return NEVER_PREFIXES + _static_prefixes()


def cache_key(request) -> str | None:
    """The key of the page this request asks for, or None when the cache is not for it."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if len(path) > MAX_PATH or path.startswith(_never_prefixes()):
        return None
    meta = request.META
    if "HTTP_AUTHORIZATION" in meta or "HTTP_X_REQUESTED_WITH" in meta:
        return None
    if request.COOKIES and not request.COOKIES.keys() <= _allowed_cookies():
        return None
    if meta.get("QUERY_STRING"):
        query = request.GET
        if not query.keys() <= QUERY_KEYS or any(
            len(values) > 1 or len(values[0]) > MAX_QUERY_VALUE for _k, values in query.lists()
        ):
            return None
    from egov.web.context_processors import ELDER_COOKIE

    parts = "\n".join(
        (
            "https" if request.is_secure() else "http",
            request.get_host(),
            path,
            meta.get("QUERY_STRING", ""),
            translation.get_language_from_request(request),
            "elder" if request.COOKIES.get(ELDER_COOKIE) == "1" else "standard",
        )
    )
    epoch = generation.current()
    request._egov_front_token = generation.committed
    return epoch + ":" + hashlib.sha256(parts.encode()).hexdigest()


def _storable(request, response) -> bool:
    """Whether ``response`` (as it leaves every other middleware) may be kept for others."""
    if request.method != "GET" or not getattr(request, "_egov_portal_page", False):
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.has_header("Cache-Control"):
        return False
    if response.cookies or _used_csrf(request):  # a cookie of its own, or a form that posts
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= STORABLE_VARY:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _entry_of(request, response) -> Entry:
    kept = HttpResponse()
    for name, value in response.headers.items():
        if name.lower() not in UNSTORED_HEADERS:
            kept.headers[name] = value
    patch_vary_headers(kept, ("Cookie", "Accept-Language"))
    kept["Cache-Control"] = CACHE_CONTROL
    headers = tuple(kept.headers.items())
    content = response.content
    etag = '"' + hashlib.sha256(content).hexdigest()[:20] + '"'
    language = response.get("Content-Language") or translation.get_language() or ""
    return Entry(content, headers, etag, time.monotonic(), language)


def _mark(response, status: str | None, etag: str | None = None):
    response["Cache-Control"] = CACHE_CONTROL
    if status is not None:
        response[HEADER] = status
    if etag is not None:
        response["ETag"] = etag
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _matches(request, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(wanted) and etag in {part.strip() for part in wanted.split(",")}


class PageCacheMiddleware:
    """Serves anonymous portal pages from the cache. First of all middleware: a hit costs no
    more than reading the cookies and choosing the language; a stored page carries the
    headers every other middleware set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = cache_key(request) if config()["ENABLED"] else None
        if key is not None:
            entry = store.get(key)
            if entry is not None:
                front.write(request, entry.content, entry.language, only_missing=True)
                return self.replay(request, entry)
        if not request.path.startswith(_static_prefixes()):
            from egov.portal.selectors import remember_site

            remember_site(request)  # saves Wagtail two queries on every page
        response = self.get_response(request)
        if not getattr(request, "_egov_portal_page", False):
            return response
        if key is not None and _storable(request, response):
            entry = _entry_of(request, response)
            store.put(key, entry)
            # nginx serves the file from now on (when it is in front: decision 0014)
            front.write(request, entry.content, entry.language)
            return _mark(response, "miss", entry.etag)
        if not response.has_header("Cache-Control"):
            # A portal page for a logged-in user, or one the cache could not keep: private.
            _mark(response, None)
        return response

    def replay(self, request, entry: Entry):
        if _matches(request, entry.etag):
            return _mark(HttpResponseNotModified(), "hit", entry.etag)
        response = HttpResponse(entry.content, headers=dict(entry.headers))  # with Vary …
        response[HEADER] = "hit"
        response["ETag"] = entry.etag
        return response


# --- what invalidates ----------------------------------------------------------------------

# Page fields whose change shows on the site (a draft saved changes none of them).
PUBLIC_PAGE_FIELDS = frozenset(
    {
        "title",
        "slug",
        "url_path",
        "live",
        "show_in_menus",
        "seo_title",
        "search_description",
        "first_published_at",
        "last_published_at",
        "go_live_at",
        "expire_at",
        "expired",
        "path",
        "depth",
        "numchild",
        "live_revision",
    }
)

_watched: frozenset | None = None


def watched_models() -> frozenset:
    """Models whose rows show on portal pages, besides the pages themselves (and the
    snippets, see ``is_watched``)."""
    global _watched
    if _watched is None:
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import PageViewRestriction, Site

        from egov.directory.models import Organisation
        from egov.portal.models import BodyArea, PortalSiteSettings

        _watched = frozenset(
            {
                PortalSiteSettings,
                Site,
                PageViewRestriction,
                Organisation,
                BodyArea,
                get_image_model(),
                get_document_model(),
            }
        )
    return _watched


def is_watched(model) -> bool:
    from wagtail.snippets.models import get_snippet_models

    # Snippets are asked for each time: they are registered as the hooks load.
    return model in watched_models() or model in get_snippet_models()


def on_model_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    from wagtail.models import Page

    if isinstance(instance, Page):
        fields = set(update_fields) if update_fields is not None else None
        if fields is not None and not fields & PUBLIC_PAGE_FIELDS:
            return
        if instance.live or (fields is not None and "live" in fields):
            invalidate()
    elif is_watched(sender):
        invalidate()


def on_model_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) or is_watched(sender):
        invalidate()


def on_page_changed(sender, **kwargs):
    invalidate()


def on_migrated(sender, **kwargs):
    # In its own atomic block: post_migrate is also sent by ``flush`` (transactional tests),
    # whose connection a live server thread may be using at the same moment.
    with transaction.atomic():
        invalidate()


def connect() -> None:
    """Connect the receivers (PortalConfig.ready, through signals.py)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(on_model_saved, dispatch_uid="portal.cache.saved")
    post_delete.connect(on_model_deleted, dispatch_uid="portal.cache.deleted")
    page_published.connect(on_page_changed, dispatch_uid="portal.cache.published")
    page_unpublished.connect(on_page_changed, dispatch_uid="portal.cache.unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="portal.cache.moved")
    post_migrate.connect(
        on_migrated, sender=apps.get_app_config("portal"), dispatch_uid="portal.cache.migrated"
    )
