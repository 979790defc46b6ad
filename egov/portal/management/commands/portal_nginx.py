"""Print the nginx configuration that serves anonymous portal pages from egov's page files
before Python (decision 0014, docs/deploy/nginx.md).

    manage.py portal_nginx --part http   > /etc/nginx/conf.d/egov-maps.conf
    manage.py portal_nginx --part server > /etc/nginx/snippets/egov-server.conf

The *http* part is the maps that choose a request's page file (inside ``http { }``); the
*server* part the locations (inside the ``server { }`` that answers for the sites). The
headers nginx adds to a page file are those egov itself sends with the home page of the
default site (rendered here through every middleware), so that a page looks the same
whoever serves it; run the command again after changing a security setting.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from egov.portal import cache
from egov.web.context_processors import ELDER_COOKIE

# Headers of a response that belong to that response alone, or that nginx sets itself.
NOT_COPIED = frozenset(
    {
        "content-length",
        "content-type",
        "content-language",
        "date",
        "etag",
        "expires",
        "last-modified",
        "set-cookie",
        "cache-control",
        cache.HEADER.lower(),
    }
)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Command(BaseCommand):
    help = "Print the nginx configuration for the page files in front of Python."

    def add_arguments(self, parser):
        parser.add_argument("--part", choices=("http", "server"), required=True)
        parser.add_argument(
            "--upstream",
            default="127.0.0.1:8000",
            help="the egov web process(es): host:port, or the name of an upstream block",
        )
        parser.add_argument(
            "--directory", help="the page files' directory (default EGOV_PAGE_CACHE_DIR)"
        )
        parser.add_argument(
            "--host", help="render the headers from this site (default: the default site)"
        )

    def handle(self, *args, **options):
        if options["part"] == "http":
            self.stdout.write(self.http_part())
        else:
            directory = options["directory"] or cache.config()["DIRECTORY"]
            if not directory:
                raise CommandError("Set EGOV_PAGE_CACHE_DIR (or give --directory).")
            headers = self.page_headers(options["host"])
            self.stdout.write(self.server_part(directory, options["upstream"], headers))

    # --- the maps --------------------------------------------------------------------------

    def http_part(self) -> str:
        languages = [code for code, _name in settings.LANGUAGES]
        allowed = "|".join(
            sorted({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, ELDER_COOKIE})
        )
        lines = [
            "# egov: which page file answers a request (manage.py portal_nginx --part http).",
            "# The same rule as egov.portal.cache.front_name: a file only for GET and HEAD,",
            "# no cookie but the CSRF, language and elder-mode ones, no Authorization, no",
            "# query but ?page=N; the language from its cookie, else Accept-Language's first tag.",
            f"map $cookie_{settings.LANGUAGE_COOKIE_NAME} $egov_lang_cookie {{",
            '    default "";',
            *(f'    "{code}" "{code}";' for code in languages),
            "}",
            'map "$egov_lang_cookie|$http_accept_language" $egov_lang {',
            f'    "~^(?<egov_cookie_lang>{"|".join(languages)})\\|" $egov_cookie_lang;',
            *(
                f'    "~*^\\|\\s*{prefix}" "{code}";'
                for prefix, code in cache.front_language_prefixes()
            ),
            f'    "~^\\|\\s*$" "{settings.LANGUAGE_CODE}";',
            '    default "";',
            "}",
            f"map $cookie_{ELDER_COOKIE} $egov_mode {{",
            '    "1" "elder";',
            '    default "standard";',
            "}",
            "map $args $egov_page {",
            '    "" "";',
            '    "~^page=(?<egov_page_number>[0-9]{1,6})$" "~p$egov_page_number";',
            '    default "!";',
            "}",
            "map $request_method $egov_method {",
            "    GET 1;",
            "    HEAD 1;",
            "    default 0;",
            "}",
            "map $http_cookie $egov_cookies {",
            '    "" 1;',
            f'    "~^(\\s*({allowed})=[^;]*;?)*\\s*$" 1;',
            "    default 0;",
            "}",
            'map "$egov_method$egov_cookies|$http_authorization$http_x_requested_with|'
            '$egov_lang|$egov_page" $egov_file {',
            '    "~^11\\|\\|(?<egov_file_lang>[a-z-]+)\\|(?<egov_file_page>[^!]*)$"'
            ' "$scheme~$egov_file_lang~$egov_mode$egov_file_page.html";',
            '    default "~none";',
            "}",
        ]
        return "\n".join(lines) + "\n"

    # --- the locations -----------------------------------------------------------------------

    def page_headers(self, host: str | None) -> list[tuple[str, str]]:
        from wagtail.models import Site

        if host is None:
            site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
            if site is None:
                raise CommandError("No site yet: run migrate and seed_portal (or give --host).")
            host = site.hostname
        secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
        response = Client(HTTP_HOST=host).get("/", secure=secure)
        if response.status_code != 200:
            raise CommandError(f"The home page of {host} answered {response.status_code}.")
        return [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in NOT_COPIED
        ]

    def server_part(self, directory: str, upstream: str, headers) -> str:
        root = directory.rstrip("/") + "/" + cache.CURRENT
        static_root = str(settings.STATIC_ROOT).rstrip("/") + "/"
        lines = [
            "# egov: anonymous portal pages from egov's page files, everything else from egov",
            "# (manage.py portal_nginx --part server; decision 0014).",
            f"location {settings.STATIC_URL} {{",
            f"    alias {static_root};",
            "    expires 7d;",
            "    access_log off;",
            "}",
            "location / {",
            f"    root {root};",
            "    charset utf-8;",
            "    try_files /$host$uri$egov_file @egov;",
            *(f"    add_header {name} {_quote(value)} always;" for name, value in headers),
            f'    add_header Cache-Control "{cache.CACHE_CONTROL}" always;',
            "    add_header Content-Language $egov_lang always;",
            f"    add_header {cache.HEADER} {cache.FRONT_HEADER} always;",
            "}",
            "location @egov {",
            f"    proxy_pass http://{upstream};",
            "    proxy_set_header Host $http_host;",
            "    proxy_set_header X-Forwarded-Proto $scheme;",
            "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "    proxy_http_version 1.1;",
            '    proxy_set_header Connection "";',
            "    client_max_body_size 30m;  # uploads (docs/deploy/zones.md)",
            "}",
        ]
        return "\n".join(lines) + "\n"
