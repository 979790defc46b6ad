"""The inspector's verbs: ``inspect_sites`` (the daily inspection: a report per site and
section, the warnings of each body's editors) and ``notify_editors`` (the e-mail of new
warnings). The periodic task, ``manage.py inspect_sites`` and the tests call these."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.portal.inspector import rules as r
from egov.portal.inspector.checks import Finding, Result, inspect_subject
from egov.portal.inspector.messages import describe
from egov.portal.inspector.rules import Check, Rules
from egov.portal.inspector.snapshot import Snapshot, take_snapshot
from egov.portal.inspector.sources import consultation_sources, service_guide_sources
from egov.portal.models import BodyArea
from egov.portal.models.health import HealthWarning, SiteHealthReport

logger = logging.getLogger(__name__)


@dataclass
class Inspection:
    """What one run did."""

    day: datetime.date
    reports: list[SiteHealthReport]
    warnings_opened: int
    warnings_closed: int
    mails_sent: int


def inspect_sites(now: datetime.datetime | None = None, *, notify: bool = True) -> Inspection:
    """Inspect every site and body's section as of ``now``: store one report per subject for
    the day (replacing one made earlier the same day), open and close the editors' warnings,
    then e-mail the editors their new warnings."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    rules = Rules.load()
    snapshot = take_snapshot(now)
    consultations, guides, unchecked = _from_sources(snapshot)
    results = [
        inspect_subject(subject, snapshot, rules, consultations, guides)
        for subject in snapshot.subjects
    ]
    reports, opened, closed = _store(results, day, now, unchecked)
    sent = notify_editors(now) if notify else 0
    return Inspection(day, reports, opened, closed, sent)


def _from_sources(snapshot: Snapshot):
    body_ids = sorted({area.body_id for area in snapshot.areas})
    received_after = snapshot.now - datetime.timedelta(days=r.CONSULTATION_WINDOW_DAYS)
    consultations = [
        item
        for source in consultation_sources()
        for item in source.consultations(body_ids, received_after)
    ]
    guides = [
        item for source in service_guide_sources() for item in source.service_guides(body_ids)
    ]
    unchecked = []
    if not consultation_sources():
        unchecked.append(str(Check.CONSULTATIONS))
    if not service_guide_sources():
        unchecked.append(str(Check.SERVICE_GUIDES))
    return consultations, guides, unchecked


@transaction.atomic
def _store(results: list[Result], day: datetime.date, now: datetime.datetime, unchecked):
    reports = [_store_report(result, day, now, unchecked) for result in results]
    opened, closed = _update_warnings(results, day, now)
    return reports, opened, closed


def _first_seen(page_id: int, day: datetime.date) -> dict[str, str]:
    """When each finding of the subject's last earlier report was first seen."""
    previous = (
        SiteHealthReport.objects.filter(page_id=page_id, day__lt=day)
        .order_by("-day")
        .values_list("findings", "warnings")
        .first()
    )
    if previous is None:
        return {}
    return {
        item["key"]: item.get("first_seen") or ""
        for item in [*previous[0], *previous[1]]
        if item.get("first_seen")
    }


def _as_json(findings: list[Finding], seen: dict[str, str], day: datetime.date) -> list[dict]:
    stored = []
    for finding in findings:
        finding.first_seen = seen.get(finding.key) or day.isoformat()
        stored.append(finding.as_json())
    return stored


def _store_report(result: Result, day, now, unchecked) -> SiteHealthReport:
    subject = result.subject
    seen = _first_seen(subject.page_id, day)
    report, _created = SiteHealthReport.objects.update_or_create(
        page_id=subject.page_id,
        day=day,
        defaults={
            "kind": subject.kind,
            "title": subject.title[:255],
            "body_id": subject.body_id,
            "inspected_at": now,
            "score": result.score,
            "passed": result.passed,
            "vetoes": result.vetoes,
            "counts": result.counts,
            "deductions": result.deductions,
            "findings": _as_json(result.findings, seen, day),
            "warnings": _as_json(result.warnings, seen, day),
            "unchecked": unchecked,
        },
    )
    return report


def _update_warnings(results: list[Result], day, now) -> tuple[int, int]:
    """One open warning per body's area and thing warned about: kept up to date while the
    inspector still finds it, closed when it no longer does."""
    current: dict[tuple[int, str], Finding] = {}
    for result in results:
        for finding in result.warnings:
            if finding.area_id is not None:
                current.setdefault((finding.area_id, finding.key), finding)
    open_warnings = {(w.area_id, w.key): w for w in HealthWarning.objects.filter(resolved_at=None)}
    opened = 0
    for (area_id, key), finding in current.items():
        fields = {
            "check_code": finding.check,
            "page_id": finding.page_id,
            "finding": finding.as_json(),
            "due": datetime.datetime.fromisoformat(finding.due) if finding.due else None,
            "last_seen_on": day,
        }
        warning = open_warnings.get((area_id, key))
        if warning is None:
            HealthWarning.objects.create(area_id=area_id, key=key, opened_on=day, **fields)
            opened += 1
        else:
            for name, value in fields.items():
                setattr(warning, name, value)
            warning.save(update_fields=[*fields])
    gone = [w.pk for k, w in open_warnings.items() if k not in current]
    HealthWarning.objects.filter(pk__in=gone).update(resolved_at=now)
    return opened, len(gone)


def report_url(page_id: int) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("portal_health:report", args=[page_id])


def notify_editors(now: datetime.datetime | None = None) -> int:
    """E-mail each body's editors the open warnings they have not been told about yet, one
    message per editor; a warning is marked as told once its message is sent. Editors
    without an e-mail address see the warnings in the CMS only. Returns messages sent."""
    now = now or timezone.now()
    pending = defaultdict(list)
    for warning in (
        HealthWarning.objects.filter(resolved_at=None, notified_at=None)
        .select_related("area__body", "area__editors")
        .order_by("due", "pk")
    ):
        pending[warning.area].append(warning)
    sent = 0
    for area, warnings in pending.items():
        messages = _messages_for(area, warnings)
        if not messages:
            continue
        try:
            sent += get_connection().send_messages(messages) or 0
        except OSError:
            logger.exception("Site health warnings for %s could not be e-mailed", area)
            continue
        HealthWarning.objects.filter(pk__in=[w.pk for w in warnings]).update(notified_at=now)
    return sent


def _messages_for(area: BodyArea, warnings: list[HealthWarning]) -> list[EmailMessage]:
    recipients = list(
        area.editors.user_set.filter(is_active=True)
        .exclude(email=None)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Site health: %(count)s warnings for %(body)s") % {
            "count": len(warnings),
            "body": area.body.name_zh,
        }
        lines = [
            _(
                "The site health inspector found these limits of the State Council's website "
                "checks about to be crossed in %(body)s's part of the site group:"
            )
            % {"body": area.body.name_zh},
            "",
        ]
        lines += [f"- {describe(warning.finding)}" for warning in warnings]
        lines += ["", _("Details: %(url)s") % {"url": report_url(area.page_id)}]
    text = "\n".join(lines)
    return [EmailMessage(subject, text, to=[address]) for address in recipients]
