"""The staff's form of an annual report: the three text sections and one input per figure of
tables 二 and 四 that the platform does not hold (``report.TABLE2_ENTERED``, table 四), stored
in ``AnnualReport.review_rows`` in the shape docs/disclosure.md gives. The labels are the
template's fixed Chinese wording; every message is shown next to its field, and what was
typed is kept (the figures are text inputs, so that a browser never drops what is not a
number before the server can name it)."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from . import report

TEXT_MAX = 20000
FIGURE_MAX = 10_000_000
NOT_A_FIGURE = _("Enter a whole number of 0 or more, such as 0 or 12.")
TEXT_HELP = _("One paragraph a line.")


def _figure_paths() -> list[tuple[str, tuple[str, ...], str, str]]:
    """(field name, path in review_rows, group label, column label) of every staff figure,
    in the order of the template."""
    found = []
    for item, columns, rows in report.TABLE2:
        for key, row_label in rows:
            if key not in report.TABLE2_ENTERED:
                continue
            if len(columns) == 1:
                found.append((f"table2__{key}", ("table2", key), f"{item} {columns[0]}", row_label))
            else:
                for column, column_label in zip(report.DOCUMENT_COLUMNS, columns, strict=True):
                    found.append(
                        (
                            f"table2__{key}__{column}",
                            ("table2", key, column),
                            row_label,
                            column_label,
                        )
                    )
    for group in report.REVIEW_GROUPS:
        group_label = report._review_group_label(group)
        for column in report.REVIEW_COLUMNS:
            found.append(
                (
                    f"{group}__{column}",
                    (group, column),
                    group_label,
                    report.REVIEW_COLUMN_LABELS[column],
                )
            )
    return found


FIGURES = _figure_paths()


def _lookup(rows: dict, path: tuple[str, ...]):
    value = rows
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class AnnualReportForm(forms.Form):
    overview = forms.CharField(
        label=report.SECTION_TITLES["overview"],
        required=False,
        max_length=TEXT_MAX,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    problems = forms.CharField(
        label=report.SECTION_TITLES["problems"],
        required=False,
        max_length=TEXT_MAX,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    other = forms.CharField(
        label=report.SECTION_TITLES["other"],
        required=False,
        max_length=TEXT_MAX,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, report_row=None, **kwargs):
        rows = report_row.review_rows if report_row is not None else {}
        self.existing = rows if isinstance(rows, dict) else {}
        if report_row is not None and not args and "data" not in kwargs:
            initial = {
                "overview": report_row.overview,
                "problems": report_row.problems,
                "other": report_row.other,
            }
            for name, path, _group, _column in FIGURES:
                value = _lookup(self.existing, path)
                if value is not None:
                    initial[name] = value
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for name, _path, group, column in FIGURES:
            field = forms.IntegerField(
                label=column,
                required=False,
                min_value=0,
                max_value=FIGURE_MAX,
                error_messages={"invalid": NOT_A_FIGURE, "min_value": NOT_A_FIGURE},
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8}
                ),
            )
            field.group_label = group  # for the summary of errors: 规章 本年制发件数
            if name.endswith("__total"):
                field.help_text = _("Left empty, it is the sum of the four figures before it.")
            self.fields[name] = field

    def figure_groups(self) -> list[dict]:
        """The figure fields grouped as the template groups them: ``table`` is "table2" or
        "table4", ``legend`` the group's label (规章, 行政复议 …)."""
        groups: list[dict] = []
        for name, path, group, _column in FIGURES:
            table = "table2" if path[0] == "table2" else "table4"
            if not groups or (groups[-1]["table"], groups[-1]["legend"]) != (table, group):
                groups.append({"table": table, "legend": group, "fields": []})
            groups[-1]["fields"].append(self[name])
        return groups

    def tables(self) -> dict[str, list[dict]]:
        """``figure_groups`` by table."""
        found: dict[str, list[dict]] = {"table2": [], "table4": []}
        for group in self.figure_groups():
            found[group["table"]].append(group)
        return found

    def text_fields(self):
        return [self["overview"], self["problems"], self["other"]]

    def review_rows(self) -> dict:
        """``review_rows`` with the entered figures (an empty input leaves its figure out,
        so the report shows it as not entered); keys the form does not know are kept."""
        rows = copy.deepcopy(self.existing)
        for name, path, _group, _column in FIGURES:
            value = self.cleaned_data.get(name)
            parent = rows
            for key in path[:-1]:
                if not isinstance(parent.get(key), dict):
                    parent[key] = {}
                parent = parent[key]
            if value is None:
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = value
        return rows
