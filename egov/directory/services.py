"""The verbs of the organisation directory. Commands, the back-office and tests change the
tree of bodies only through these functions; each runs in one transaction."""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Organisation

DEFAULT_ORGS_CSV = Path(__file__).resolve().parent / "data" / "yongchuan-orgs.csv"
CSV_COLUMNS = ("code", "name_zh", "name_en", "kind", "parent_code")
IMPORTED_FIELDS = ("name_zh", "name_en", "kind", "parent_id")


@dataclass
class ImportReport:
    """What an import did, code by code."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # code -> the kind given in the input, for kinds the directory does not know
    unknown_kinds: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def read_organisations_csv(path: Path | str = DEFAULT_ORGS_CSV) -> list[dict[str, str]]:
    """Read the rows of an organisation CSV (columns code, name_zh, name_en, kind,
    parent_code; UTF-8, with or without a byte-order mark)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(
                _(
                    "The file %(path)s lacks the column(s) %(columns)s; its first line must be: %(header)s"
                )
                % {"path": path, "columns": ", ".join(missing), "header": ",".join(CSV_COLUMNS)}
            )
        return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


def _parents_first(rows: list[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """Order the rows so that every parent given in the rows comes before its children."""
    by_code = {row["code"]: row for row in rows}
    depth: dict[str, int] = {}

    def depth_of(code: str, seen: tuple[str, ...] = ()) -> int:
        if code in depth:
            return depth[code]
        if code in seen:
            raise ValidationError(
                _("The rows form a cycle (%(chain)s): a body cannot be its own ancestor.")
                % {"chain": " → ".join((*seen, code))}
            )
        parent_code = by_code[code].get("parent_code", "")
        result = depth_of(parent_code, (*seen, code)) + 1 if parent_code in by_code else 0
        depth[code] = result
        return result

    return sorted(rows, key=lambda row: depth_of(row["code"]))


def _check_rows(rows: list[Mapping[str, str]]) -> None:
    errors = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        code = row.get("code", "")
        if not code:
            errors.append(_("Row %(row)d has no code; every body needs one.") % {"row": number})
            continue
        if "/" in code:
            errors.append(
                _("Row %(row)d: the code %(code)s contains '/'; use letters, digits and '-'.")
                % {"row": number, "code": code}
            )
        if code in seen:
            errors.append(
                _("Row %(row)d repeats the code %(code)s; each code may appear once.")
                % {"row": number, "code": code}
            )
        seen.add(code)
        if not row.get("name_zh"):
            errors.append(
                _("Row %(row)d (%(code)s) has no Chinese name (name_zh).")
                % {"row": number, "code": code}
            )
    parents = {row.get("parent_code", "") for row in rows} - seen - {""}
    known = set(Organisation.objects.filter(code__in=parents).values_list("code", flat=True))
    for missing in sorted(parents - known):
        errors.append(
            _(
                "The parent code %(code)s is neither in the file nor in the directory; "
                "add a row for it or correct the parent_code."
            )
            % {"code": missing}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def import_organisations(
    rows: Iterable[Mapping[str, str]], *, update_existing: bool = True
) -> ImportReport:
    """Create or update bodies by code, parents first, and set their tree paths.

    Unknown kinds become "other" and are listed in the report. With
    ``update_existing=False`` bodies that already exist are left exactly as they are (the
    demo data uses this so that edits made in the back-office survive a restart). Nothing
    is changed if any row is wrong: the ValidationError lists every problem."""
    rows = [dict(row) for row in rows]
    _check_rows(rows)
    report = ImportReport()
    known_kinds = set(Organisation.Kind.values)
    existing = {org.code: org for org in Organisation.objects.all()}
    for row in _parents_first(rows):
        code = row["code"]
        kind = row.get("kind", "")
        if kind not in known_kinds:
            report.unknown_kinds[code] = kind
            kind = Organisation.Kind.OTHER
        parent_code = row.get("parent_code", "")
        values = {
            "name_zh": row["name_zh"],
            "name_en": row.get("name_en", ""),
            "kind": kind,
            "parent_id": existing[parent_code].pk if parent_code else None,
        }
        org = existing.get(code)
        if org is None:
            org = Organisation(code=code, **values)
            org.save()
            existing[code] = org
            report.created.append(code)
        elif not update_existing or all(getattr(org, k) == v for k, v in values.items()):
            report.unchanged.append(code)
        else:
            if org.parent_id != values["parent_id"] and org.pk is not None:
                _refuse_cycle(org, existing[parent_code] if parent_code else None)
            for key, value in values.items():
                setattr(org, key, value)
            org.save()
            report.updated.append(code)
    return report


def _refuse_cycle(org: Organisation, new_parent: Organisation | None) -> None:
    if new_parent is None:
        return
    new_parent.refresh_from_db(fields=["path"])
    org.refresh_from_db(fields=["path"])
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise ValidationError(
            _(
                "%(body)s cannot be moved under %(parent)s, which is %(body)s itself or one "
                "of its sub-bodies; choose a parent outside its subtree."
            )
            % {"body": org.name, "parent": new_parent.name},
            code="cycle",
        )


@transaction.atomic
def move_organisation(org: Organisation, new_parent: Organisation | None) -> Organisation:
    """Place a body (with everything under it) under another parent, or at the top with
    ``None``. Refuses to place a body under itself or one of its sub-bodies."""
    _refuse_cycle(org, new_parent)
    org.parent = new_parent
    org.save()
    return org
