"""Where imported pages go: the target (a site of the group, or a body's section) and the
map from the old site's columns to the target's columns.

A map entry is ``old=new``: ``old`` is a column name as the source gives it (工作动态), or an
old address prefix starting with ``/`` (``/xwzx/gzdt/``: every page under it); ``new`` is a
column of the target by its slug (``news``) or its path of slugs below the target's root
(``towns/qingfeng/qf-news``). A column name without an entry goes to the target's column of
exactly that title, if there is one. Anything else is reported, row by row: columns are part
of a site's plan, approved by its body, and are not created by an import.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _
from wagtail.models import Collection, Page, Site

from egov.portal.importer.records import ImportConfigError
from egov.portal.models import BodyArea, ColumnPage


@dataclass
class Target:
    root: Page  # a site's home page or a body's section
    site: Site
    area: BodyArea | None
    collection: Collection

    @property
    def body(self):
        return self.area.body if self.area else None


def _site(spec: str | None) -> Site:
    if not spec:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise ImportConfigError(_("There is no default site; name one with --site."))
        return site
    hostname, _sep, port = spec.partition(":")
    sites = Site.objects.filter(hostname=hostname)
    if port:
        sites = sites.filter(port=int(port)) if port.isdigit() else sites.none()
    found = list(sites[:2])
    if len(found) != 1:
        known = ", ".join(f"{s.hostname}:{s.port}" for s in Site.objects.order_by("hostname"))
        raise ImportConfigError(
            (
                _("No site answers for %(spec)s; the sites are %(known)s.")
                if not found
                else _("Several sites answer for %(spec)s; add the port (%(known)s).")
            )
            % {"spec": spec, "known": known}
        )
    return found[0]


def resolve_target(site: str | None = None, section: str | None = None) -> Target:
    """The target of an import: ``section`` (a body's code) names a body's site or section;
    else ``site`` (host name, or host:port) names a site; else the default site."""
    if section:
        area = BodyArea.objects.filter(body__code=section).select_related("body", "page").first()
        if area is None:
            raise ImportConfigError(
                _("The body %(code)s has no site or section in the site group; create it first.")
                % {"code": section}
            )
        root = area.page.specific
        page_site = root.get_site()
        if page_site is None:
            raise ImportConfigError(_("%(page)s belongs to no site.") % {"page": root.title})
        if site and _site(site).pk != page_site.pk:
            raise ImportConfigError(
                _("The section of %(code)s is not part of the site %(site)s.")
                % {"code": section, "site": site}
            )
    else:
        page_site = _site(site)
        root = page_site.root_page.specific
        area = BodyArea.objects.filter(page=root).select_related("body").first()
    collection = (
        area.collection if area and area.collection_id else Collection.get_first_root_node()
    )
    return Target(root=root, site=page_site, area=area, collection=collection)


def read_map_file(path: Path) -> list[str]:
    """The entries of a map file: one ``old=new`` a line; ``#`` starts a comment."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportConfigError(
            _("The column map %(path)s cannot be read (%(error)s); save it as UTF-8.")
            % {"path": path, "error": error}
        ) from None
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


def normalise_prefix(value: str) -> str:
    """An address prefix as compared: its path, decoded, with one leading and one trailing
    slash (``/xwzx/gzdt/``)."""
    path = unquote(urlsplit(value).path)
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def old_path(url: str) -> str:
    return unquote(urlsplit(url).path) or "/"


@dataclass
class ColumnMap:
    target: Target
    names: dict[str, ColumnPage] = field(default_factory=dict)
    prefixes: list[tuple[str, ColumnPage]] = field(default_factory=list)
    by_title: dict[str, list[ColumnPage]] = field(default_factory=dict)

    @classmethod
    def build(cls, target: Target, entries: list[str]) -> "ColumnMap":
        """The map of ``entries`` (``old=new``); raises ImportConfigError naming every entry
        that is malformed or names no column of the target."""
        columns = list(ColumnPage.objects.descendant_of(target.root).order_by("path"))
        mapping = cls(target=target)
        for column in columns:
            mapping.by_title.setdefault(column.title.strip(), []).append(column)
        problems = []
        for entry in entries:
            old, sep, new = entry.rpartition("=")
            old, new = old.strip(), new.strip()
            if not sep or not old or not new:
                problems.append(
                    _("'%(entry)s' is not old=new (e.g. 工作动态=news).") % {"entry": entry}
                )
                continue
            column, problem = mapping._find(new, columns)
            if problem:
                problems.append(problem)
            elif old.startswith("/"):
                mapping.prefixes.append((normalise_prefix(old), column))
            else:
                mapping.names[old] = column
        if problems:
            raise ImportConfigError("\n".join(problems))
        mapping.prefixes.sort(key=lambda item: len(item[0]), reverse=True)
        return mapping

    def _find(self, spec: str, columns: list[ColumnPage]) -> tuple[ColumnPage | None, str]:
        root = self.target.root
        slugs = [s for s in spec.strip("/").split("/") if s]
        if len(slugs) == 1:
            # A direct child of the root first; else the one column of that slug below it.
            found = [c for c in columns if c.slug == slugs[0] and c.depth == root.depth + 1]
            found = found or [c for c in columns if c.slug == slugs[0]]
        else:
            page = root
            for slug in slugs:
                page = page.get_children().filter(slug=slug).first() if page else None
            found = [c for c in columns if page is not None and c.pk == page.pk]
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("%(spec)s is not a column of %(root)s.") % {
                "spec": spec,
                "root": root.title,
            }
        paths = ", ".join(self.relative_path(c) for c in found)
        return None, _("%(spec)s names several columns (%(paths)s); give the path.") % {
            "spec": spec,
            "paths": paths,
        }

    def relative_path(self, page: Page) -> str:
        return page.url_path[len(self.target.root.url_path) :].strip("/")

    def column_for(self, name: str, url: str = "") -> tuple[ColumnPage | None, str]:
        """The column a record goes to, or None and why not."""
        if name and name in self.names:
            return self.names[name], ""
        if url:
            path = old_path(url)
            for prefix, column in self.prefixes:
                if path.startswith(prefix):
                    return column, ""
        if name:
            candidates = self.by_title.get(name, [])
            if len(candidates) == 1:
                return candidates[0], ""
            if candidates:
                return None, _(
                    "Several columns of the site are called '%(name)s' (%(paths)s); map it "
                    "with --map '%(name)s=<path>'."
                ) % {"name": name, "paths": ", ".join(self.relative_path(c) for c in candidates)}
            return None, _(
                "The column '%(name)s' is not mapped to a column of the site; add --map "
                "'%(name)s=<column slug>' (or map its old address with --map '/path/=<column>')."
            ) % {"name": name}
        return None, _(
            "The record names no column; map its old address with --map '/path/=<column slug>'."
        )

    def listing_target(self, url: str) -> Page | None:
        """The page an old list page (a column's index, or the site's home) now is: the
        column mapped to exactly its address, or the target's root for the old home."""
        path = old_path(url)
        directory = path
        last = path.rsplit("/", 1)[-1]
        if last.lower().startswith(("index.", "default.")):
            directory = path[: -len(last)]
        directory = normalise_prefix(directory)
        if directory == "/":
            return self.target.root
        for prefix, column in self.prefixes:
            if prefix == directory:
                return column
        return None
