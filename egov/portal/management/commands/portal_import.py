"""manage.py portal_import: bring an old website's content into the site group."""

import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from egov.portal.importer import (
    EXISTS,
    FAILED,
    IMPORTED,
    REDIRECTED,
    WOULD_IMPORT,
    WOULD_REDIRECT,
    ColumnMap,
    ImportConfigError,
    ImportOptions,
    import_source,
    open_source,
    read_map_file,
    resolve_target,
)
from egov.portal.importer.html import CONTENT_SELECTORS

REPORT_FIELDS = ["where", "outcome", "title", "old_url", "new_url", "page_id", "reason"]


def plain(text: str) -> str:
    return text  # progress is not an error: no red on a terminal


class Progress:
    """Rows done / total on stderr: one line rewritten on a terminal, else a line every
    5 % (and the last)."""

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = total
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.step = max(1, total // 20)

    def __call__(self, done: int, total: int, result) -> None:
        text = _("%(done)d/%(total)d rows") % {"done": done, "total": total}
        if self.tty:
            self.stream.write("\r" + text, style_func=plain, ending="")
            if done == total:
                self.stream.write("", style_func=plain)
            self.stream.flush()
        elif done % self.step == 0 or done == total:
            self.stream.write(text, style_func=plain)

    def clear(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K", style_func=plain, ending="")


class Command(BaseCommand):
    help = (
        "Import an old website's content: a folder of saved HTML pages with its sitemap.xml, "
        "or a CSV/JSON export (title, date, column, body, attachments, old_url). Keeps the "
        "original publication dates, redirects the old addresses to the new pages, and "
        "reports every row it could not import and why (the others are imported). Running "
        "it again imports only what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", help="a folder holding the old site (with sitemap.xml), or a .csv/.json file"
        )
        parser.add_argument(
            "--site", help="host name (or host:port) of the target site; default: the default site"
        )
        parser.add_argument(
            "--section",
            help="code of the body whose site or section receives the pages (e.g. YC-QF)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="OLD=NEW",
            help="old column name (or old address prefix starting with /) = target column "
            "slug or path; repeat for each column",
        )
        parser.add_argument("--map-file", help="a UTF-8 file of OLD=NEW lines (# comments)")
        parser.add_argument("--sitemap", help="the sitemap, when it is not SOURCE/sitemap.xml")
        parser.add_argument(
            "--files",
            help="folder that attachment paths of a CSV/JSON export are relative to "
            "(default: the export's folder)",
        )
        parser.add_argument(
            "--encoding", help="encoding of a CSV/JSON export (default: UTF-8, else GB18030)"
        )
        parser.add_argument(
            "--content-selector",
            action="append",
            default=[],
            help="CSS selector of the article body in the old pages (tried before the "
            "built-in ones); repeatable",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="save the pages as drafts for the review workflow instead of publishing them",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report everything; write nothing"
        )
        parser.add_argument(
            "--user", help="username of the staff member running the import (for the audit log)"
        )
        parser.add_argument("--report", help="write a CSV of every row and its outcome here")
        parser.add_argument("--limit", type=int, help="import only the first N rows")
        parser.add_argument(
            "--attachments-heading",
            default="附件：",
            help="text before the list of attachments the body does not link to",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages (default: the site's, zh-hans)",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            return self._handle(options)

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user %(name)s.") % {"name": username})
        if not (user.is_staff or getattr(user, "kind", "") == "staff"):
            raise CommandError(
                _("%(name)s is not a staff account; name the staff member running the import.")
                % {"name": username}
            )
        return user

    def _handle(self, options):
        try:
            user = self._user(options["user"])
            source = open_source(
                Path(options["source"]),
                sitemap=Path(options["sitemap"]) if options["sitemap"] else None,
                files_root=Path(options["files"]) if options["files"] else None,
                encoding=options["encoding"],
                selectors=(options["content_selector"] + CONTENT_SELECTORS)
                if options["content_selector"]
                else None,
            )
            target = resolve_target(options["site"], options["section"])
            entries = list(options["map"])
            if options["map_file"]:
                entries += read_map_file(Path(options["map_file"]))
            columns = ColumnMap.build(target, entries)
        except ImportConfigError as error:
            raise CommandError(str(error)) from error

        dry_run = options["dry_run"]
        total = len(source) if options["limit"] is None else min(len(source), options["limit"])
        heading = (
            _("Dry run: checking %(total)d rows of %(source)s for %(target)s; nothing is written.")
            if dry_run
            else _("Importing %(total)d rows of %(source)s into %(target)s.")
        )
        self.stdout.write(heading % {"total": total, "source": source, "target": target.root.title})
        progress = Progress(self.stderr, total)

        def on_row(done, total, result):
            if result.outcome == FAILED:
                progress.clear()
                where = f"{result.where} «{result.title}»" if result.title else str(result.where)
                self.stdout.write(
                    _("Not imported — %(where)s: %(reason)s")
                    % {"where": where, "reason": result.reason}
                )
            for note in result.notes:
                progress.clear()
                self.stdout.write(
                    _("Note — %(where)s: %(note)s") % {"where": result.where, "note": note}
                )
            progress(done, total, result)

        report = import_source(
            source,
            target,
            columns,
            ImportOptions(
                dry_run=dry_run,
                draft=options["draft"],
                user=user,
                attachments_heading=options["attachments_heading"],
                limit=options["limit"],
            ),
            progress=on_row,
        )
        if options["report"]:
            self._write_report(Path(options["report"]), report)

        failed = report.count(FAILED)
        if dry_run:
            summary = _(
                "Dry run finished: %(new)d would be imported, %(redirected)d list pages would "
                "be redirected, %(exists)d already imported, %(failed)d could not be imported."
            ) % {
                "new": report.count(WOULD_IMPORT),
                "redirected": report.count(WOULD_REDIRECT),
                "exists": report.count(EXISTS),
                "failed": failed,
            }
        else:
            summary = _(
                "Finished: %(new)d imported (%(state)s), %(redirected)d list pages redirected, "
                "%(exists)d already imported, %(failed)d could not be imported."
            ) % {
                "new": report.count(IMPORTED),
                "state": _("drafts") if options["draft"] else _("published"),
                "redirected": report.count(REDIRECTED),
                "exists": report.count(EXISTS),
                "failed": failed,
            }
        self.stdout.write(summary)
        if failed:
            raise CommandError(
                _("%(failed)d of %(total)d rows were not imported; the reasons are listed above.")
                % {"failed": failed, "total": len(report.results)}
            )

    def _write_report(self, path: Path, report) -> None:
        # UTF-8 with a BOM, so that Excel opens the Chinese text correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_FIELDS)
            for result in report.results:
                reason = "; ".join([result.reason, *result.notes]).strip("; ")
                writer.writerow(
                    [
                        str(result.where),
                        result.outcome,
                        result.title,
                        result.old_url,
                        result.new_url,
                        result.page_id or "",
                        reason,
                    ]
                )
        self.stdout.write(_("Report written to %(path)s.") % {"path": path})
