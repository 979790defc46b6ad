"""What a finding means and what to do about it, in the reader's language. Findings are
stored as data (checks.Finding as JSON); the text is made when it is shown or mailed, so a
report reads in Chinese or English whoever looks at it."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.portal.inspector.rules import SERVICE_GUIDE_ELEMENTS, Check
from egov.portal.models.pages import ColumnKind


def day_of(value: str | None) -> str:
    """An ISO time of a finding as the local date, YYYY-MM-DD ('' if none)."""
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d")


def _kind(value: str) -> str:
    try:
        return str(ColumnKind(value).label)
    except ValueError:
        return value


def _target(detail: dict) -> str:
    title, kind = detail.get("target_title") or "", detail.get("target_type")
    if kind == "page":
        return _("the page '%(title)s'") % {"title": title} if title else _("a deleted page")
    if kind == "document":
        return (
            _("the document '%(title)s'") % {"title": title} if title else _("a deleted document")
        )
    return _("the image '%(title)s'") % {"title": title} if title else _("a deleted image")


_REASONS = {
    "unpublished": lambda: _("is not published"),
    "deleted": lambda: _("no longer exists"),
    "file_missing": lambda: _("has lost its file"),
}


def describe(finding: dict) -> str:
    """The finding as a sentence: what is wrong and how to fix it."""
    check, level, detail = finding["check"], finding["level"], finding.get("detail") or {}
    values = {
        "title": finding.get("title", ""),
        "since": day_of(finding.get("since")),
        "due": day_of(finding.get("due")),
        **{k: v for k, v in detail.items() if not isinstance(v, list | dict)},
    }
    if "kind" in detail:
        values["kind"] = _kind(detail["kind"])
    warning = level == "warning"

    if check == Check.HOME:
        if warning:
            text = _(
                "The home page has shown nothing new for %(days)s days; publish something in "
                "one of its columns before %(due)s, when the site fails the check (%(limit)s "
                "days)."
            )
        else:
            text = _(
                "The home page has shown nothing new for %(days)s days (since %(since)s), more "
                "than the %(limit)s days allowed; publish news or a notice in one of the "
                "columns it shows."
            )
    elif "count" in detail:
        text = {
            Check.IDLE: _(
                "%(count)s news, notice or policy columns are idle; at %(limit)s the site "
                "fails. Publish in them."
            ),
            Check.OVERDUE: _(
                "%(count)s columns are not updated as often as they should be; at %(limit)s "
                "the site fails. Publish in them, or correct their expected intervals."
            ),
            Check.BLANK: _(
                "%(count)s columns are blank; at %(limit)s the site fails. Publish in them or "
                "unpublish them."
            ),
        }[check]
    elif check in (Check.IDLE, Check.OVERDUE) and warning:
        text = _(
            "Column '%(title)s' has had nothing new for %(days)s days; publish in it before "
            "%(due)s (its limit is %(limit)s days)."
        )
    elif check == Check.IDLE:
        text = _(
            "Column '%(title)s' (%(kind)s) has had nothing new for %(days)s days, since "
            "%(since)s; such a column must get something new at least every %(limit)s days. "
            "Publish in it."
        )
    elif check == Check.OVERDUE:
        text = _(
            "Column '%(title)s' should get something new every %(limit)s days but has had "
            "nothing for %(days)s days (since %(since)s). Publish in it, or correct its "
            "expected update interval if it is wrong."
        )
    elif check == Check.BLANK:
        text = _(
            "Column '%(title)s' has had nothing published in it since it was created on "
            "%(since)s. Publish its first entries, or unpublish the column."
        )
    elif check == Check.CONSULTATIONS and warning:
        text = _(
            "Consultation %(reference)s '%(title)s', received %(since)s, is unanswered after "
            "%(days)s days; answer it before %(due)s."
        )
    elif check == Check.CONSULTATIONS and detail.get("answered_late"):
        text = _(
            "Consultation %(reference)s '%(title)s', received %(since)s, was answered only "
            "after %(days)s days (the limit is 3 months); it counts against the site until a "
            "year after it was received."
        )
    elif check == Check.CONSULTATIONS:
        text = _(
            "Consultation %(reference)s '%(title)s', received %(since)s, has had no answer for "
            "%(days)s days (the limit is 3 months). Answer it."
        )
    elif check == Check.SERVICE_GUIDES:
        values["missing"] = "、".join(
            str(SERVICE_GUIDE_ELEMENTS.get(key, key)) for key in detail.get("missing", [])
        )
        text = _("The guide of '%(title)s' (%(reference)s) lacks %(missing)s. Complete it.")
    elif check == Check.LINKS:
        values["target"] = _target(detail)
        values["reason"] = _REASONS.get(detail.get("reason"), _REASONS["deleted"])()
        text = _("'%(title)s' links to %(target)s, which %(reason)s. Correct or remove the link.")
    else:
        text = "%(title)s"
    return text % values


def check_label(check: str) -> str:
    try:
        return str(Check(check).label)
    except ValueError:
        return check


__all__ = ["check_label", "day_of", "describe"]
