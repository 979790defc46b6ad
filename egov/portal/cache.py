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
- **CSRF**: the header's forms (language, elder mode) hold a CSRF token. Before a page is
  stored, every token of the visitor it was rendered for is replaced by a placeholder; each
  visitor served from the cache gets a token of their own (and the CSRF cookie with it, as
  on any page with a form). No visitor ever receives another's token.
- **Invalidation**: one generation for the whole group, kept in the database
  (``PageCacheGeneration``) so that the Huey worker — a separate process, which runs
  scheduled publishing — reaches the web server. Any publication, unpublication, move or
  deletion of a page, any change of a site's settings, a site, a view restriction, an image,
  a document, a snippet, a body of the directory or its area, and every ``migrate`` give it
  a new token. Each process reads the token at most every ``RECHECK_SECONDS`` (a primary-key
  read); a change made in the process itself applies at once.
- **Browsers**: ``Cache-Control: private, no-cache`` and an ``ETag`` (which depends on the
  visitor's CSRF cookie): a browser asks every time, and an unchanged page costs a 304.
  ``X-Cache: hit`` or ``miss`` says whether the page came from the cache.

The store is in the memory of each process (a least-recently-used dictionary bounded in
megabytes), so pages are never pickled and a hit costs a dictionary look-up.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
)
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

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
# A masked CSRF token as Django renders it: 64 letters and digits.
TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def config() -> dict:
    values = {"ENABLED": True, "MEGABYTES": 64, "SECONDS": 600, "RECHECK_SECONDS": 1}
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
        self.epoch = ""
        self.checked = float("-inf")

    def current(self) -> str:
        now = time.monotonic()
        if self.token is None or now - self.checked >= config()["RECHECK_SECONDS"]:
            token = _read_token()
            if token != self.token:
                self.token, self.epoch = token, secrets.token_hex(6)
            self.checked = now
        return self.epoch

    def bump(self) -> None:
        token = secrets.token_hex(8)
        _write_token(token)
        self.token, self.epoch, self.checked = token, secrets.token_hex(6), time.monotonic()

        def committed():
            self.token, self.epoch, self.checked = token, secrets.token_hex(6), time.monotonic()

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
    content: bytes  # CSRF tokens replaced by ``placeholder()``
    headers: tuple[tuple[str, str], ...]
    etag: str
    has_token: bool
    stored_at: float

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


# --- CSRF tokens ---------------------------------------------------------------------------


@functools.cache
def placeholder() -> bytes:
    """What stands for the visitor's CSRF token in a stored page (letters and digits, so it
    needs no escaping; derived from SECRET_KEY, so no author can type it by chance)."""
    return ("csrf" + salted_hmac("egov.portal.cache.csrf", "placeholder").hexdigest()).encode()


def _strip_tokens(content: bytes, secret: str | None) -> tuple[bytes, bool] | None:
    """``content`` with every CSRF token of ``secret`` replaced by the placeholder, and
    whether there were any; None when the secret itself appears (never stored)."""
    if not secret:
        return content, False
    if secret.encode() in content:
        return None
    from django.middleware.csrf import _unmask_cipher_token

    found = False

    def replace(match: re.Match) -> bytes:
        nonlocal found
        if _unmask_cipher_token(match.group().decode()) == secret:
            found = True
            return placeholder()
        return match.group()

    return TOKEN_RE.sub(replace, content), found


@functools.cache
def _etag_key() -> bytes:
    return salted_hmac("egov.portal.cache.etag", "key").digest()[:32]


def _visitor_etag(entry: Entry, secret: str | None) -> str:
    """The page's ETag for this visitor: it depends on their CSRF secret, so that a browser
    never revalidates into a copy holding someone else's token."""
    if not entry.has_token:
        return f'"{entry.etag}"'
    mine = hashlib.blake2b((secret or "").encode(), key=_etag_key(), digest_size=6).hexdigest()
    return f'"{entry.etag}-{mine}"'


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def _random_csrf_string() -> str:
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, uniformly (bytes ≥ 248 are
    dropped), from one urandom call: Django's get_random_string makes one per character,
    which is most of the cost of a cache hit."""
    size = len(CSRF_ALLOWED_CHARS)
    limit = 256 - 256 % size
    chars: list[str] = []
    while len(chars) < CSRF_SECRET_LENGTH:
        chars.extend(CSRF_ALLOWED_CHARS[b % size] for b in os.urandom(48) if b < limit)
    return "".join(chars[:CSRF_SECRET_LENGTH])


def visitor_token(request) -> str:
    """What ``django.middleware.csrf.get_token`` returns — the visitor's secret (a new one
    when they have none, then set as their cookie) masked with a fresh mask — made faster."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_csrf_string()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_csrf_string()
    size, index = len(CSRF_ALLOWED_CHARS), _CSRF_INDEX
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(index[x] + index[y]) % size] for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher


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
    return generation.current() + ":" + hashlib.sha256(parts.encode()).hexdigest()


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
    # No cookie but the visitor's own CSRF cookie (its tokens are taken out below).
    secret = request.META.get("CSRF_COOKIE")
    for name, morsel in response.cookies.items():
        if name != settings.CSRF_COOKIE_NAME or morsel.value != secret:
            return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= STORABLE_VARY:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _entry_of(request, response) -> Entry | None:
    stripped = _strip_tokens(response.content, request.META.get("CSRF_COOKIE"))
    if stripped is None:
        return None
    content, has_token = stripped
    kept = HttpResponse()
    for name, value in response.headers.items():
        if name.lower() not in UNSTORED_HEADERS:
            kept.headers[name] = value
    patch_vary_headers(kept, ("Cookie", "Accept-Language"))
    kept["Cache-Control"] = CACHE_CONTROL
    headers = tuple(kept.headers.items())
    etag = hashlib.sha256(content).hexdigest()[:20]
    return Entry(content, headers, etag, has_token, time.monotonic())


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
    more than reading the cookies, choosing the language and handing the visitor a CSRF
    token of their own; a stored page carries the headers every other middleware set."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        key = cache_key(request) if config()["ENABLED"] else None
        if key is not None:
            entry = store.get(key)
            if entry is not None:
                return self.replay(request, entry)
        if not request.path.startswith(_static_prefixes()):
            from egov.portal.selectors import remember_site

            remember_site(request)  # saves Wagtail two queries on every page
        response = self.get_response(request)
        if not getattr(request, "_egov_portal_page", False):
            return response
        if key is not None and _storable(request, response):
            entry = _entry_of(request, response)
            if entry is not None:
                store.put(key, entry)
                return _mark(
                    response, "miss", _visitor_etag(entry, request.META.get("CSRF_COOKIE"))
                )
        if not response.has_header("Cache-Control"):
            # A portal page for a logged-in user, or one the cache could not keep: private.
            _mark(response, None)
        return response

    def replay(self, request, entry: Entry):
        self.csrf.process_request(request)  # the visitor's CSRF secret, from their cookie
        secret = request.META.get("CSRF_COOKIE")
        if secret is not None or not entry.has_token:
            etag = _visitor_etag(entry, secret)
            if _matches(request, etag):
                return _mark(HttpResponseNotModified(), "hit", etag)
        content = entry.content
        if entry.has_token:
            content = content.replace(placeholder(), visitor_token(request).encode())
            secret = request.META.get("CSRF_COOKIE")
        response = HttpResponse(content, headers=dict(entry.headers))  # with Cache-Control, Vary
        self.csrf.process_response(request, response)  # sets the CSRF cookie as usual
        response[HEADER] = "hit"
        response["ETag"] = _visitor_etag(entry, secret)
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
