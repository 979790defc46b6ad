"""The checks: for one subject (a site, or a body's section), what is wrong, what is about to
go wrong, the score and the verdict. Pure functions of a snapshot of the tree, the sources'
data and the rules — no writes (services.py stores the results)."""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from egov.portal.inspector import rules as r
from egov.portal.inspector.rules import Check, Rules
from egov.portal.inspector.snapshot import Column, Snapshot, Subject
from egov.portal.inspector.sources import Consultation, ServiceGuide
from egov.portal.models.pages import ColumnKind

PROBLEM = "problem"
WARNING = "warning"


@dataclass
class Finding:
    """One thing to fix (``level`` problem) or to see to before it must be fixed (warning).
    Stored as JSON in the day's report; messages.py says it in the reader's language."""

    check: str
    level: str
    key: str  # the same thing found on two days has the same key
    title: str  # the page, column, consultation or service concerned
    page_id: int | None = None
    area_id: int | None = None  # the body's area whose editors answer for it
    body: str = ""
    since: str | None = None  # ISO time: since when (last update, creation, receipt …)
    due: str | None = None  # ISO time: when the threshold is (or was) crossed
    detail: dict = field(default_factory=dict)
    url: str = ""  # where to fix it, when it is outside the page tree
    first_seen: str | None = None  # ISO date the inspector first found it

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    """The inspection of one subject."""

    subject: Subject
    findings: list[Finding]
    warnings: list[Finding]
    counts: dict[str, int]
    vetoes: list[str]
    deductions: dict[str, int]
    score: int
    passed: bool


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _days(delta: datetime.timedelta) -> int:
    return max(0, delta.days)


def _area_fields(snapshot: Snapshot, path: str) -> dict:
    area = snapshot.responsible_area(path)
    return {"area_id": area.id, "body": area.body_name} if area else {}


# --- page tree checks -------------------------------------------------------------------


def check_home(subject: Subject, snapshot: Snapshot, rules: Rules) -> list[Finding]:
    """Veto 3: the home page shows nothing new for 2 weeks. Its last update is the newest
    entry of the columns it shows, or its own last publication if later."""
    moments = [c.latest_content_at for c in snapshot.home_columns(subject) if c.latest_content_at]
    if subject.last_published_at is not None:
        moments.append(subject.last_published_at)
    if not moments:
        return []
    last = max(moments)
    limit = datetime.timedelta(days=r.HOME_LIMIT_DAYS)
    elapsed = snapshot.now - last
    common = {
        "check": Check.HOME,
        "title": subject.title,
        "page_id": subject.page_id,
        "since": _iso(last),
        "due": _iso(last + limit),
        "detail": {"days": _days(elapsed), "limit": r.HOME_LIMIT_DAYS},
        **_area_fields(snapshot, subject.path),
    }
    if elapsed >= limit:
        return [Finding(level=PROBLEM, key=f"home:{subject.page_id}", **common)]
    if elapsed >= rules.warn_after(limit):
        return [Finding(level=WARNING, key=f"home-soon:{subject.page_id}", **common)]
    return []


def idle_limit_days(column: Column) -> int | None:
    """Veto 4's idle limit for a column: news columns 2 weeks; notice and policy columns
    directly under a site's home or a section 6 months; others none."""
    if column.kind == ColumnKind.NEWS:
        return r.NEWS_IDLE_DAYS
    if column.kind in (ColumnKind.NOTICE, ColumnKind.POLICY) and column.first_level:
        return r.NOTICE_POLICY_IDLE_DAYS
    return None


def check_columns(subject: Subject, snapshot: Snapshot, rules: Rules):
    """Veto 4: idle news/notice/policy columns (5 fail), columns not updated as often as they
    should be (10 fail), blank columns (5 fail). A column nearing its limit is a warning."""
    found: dict[str, list[Finding]] = {Check.IDLE: [], Check.OVERDUE: [], Check.BLANK: []}
    warnings: list[Finding] = []
    for column in snapshot.under(subject, snapshot.columns):
        if column.page_id == subject.page_id:
            continue
        area = _area_fields(snapshot, column.path)
        last = column.last_update
        elapsed = snapshot.now - last if last is not None else datetime.timedelta(0)
        limits = {
            Check.IDLE: idle_limit_days(column),
            Check.OVERDUE: column.expected_update_days,
        }
        for check, days in limits.items():
            if days is not None and elapsed >= datetime.timedelta(days=days):
                found[check].append(
                    Finding(
                        check=check,
                        level=PROBLEM,
                        key=f"{check}:{column.page_id}",
                        title=column.title,
                        page_id=column.page_id,
                        since=_iso(last),
                        due=_iso(last + datetime.timedelta(days=days)),
                        detail={"days": _days(elapsed), "limit": days, "kind": column.kind},
                        **area,
                    )
                )
        if column.blank:
            found[Check.BLANK].append(
                Finding(
                    check=Check.BLANK,
                    level=PROBLEM,
                    key=f"{Check.BLANK}:{column.page_id}",
                    title=column.title,
                    page_id=column.page_id,
                    since=_iso(column.created_at),
                    detail={"days": _days(elapsed), "kind": column.kind},
                    **area,
                )
            )
        soonest = min(
            ((days, check) for check, days in limits.items() if days is not None), default=None
        )
        if soonest is not None and last is not None:
            days, check = soonest
            limit = datetime.timedelta(days=days)
            if rules.warn_after(limit) <= elapsed < limit:
                warnings.append(
                    Finding(
                        check=check,
                        level=WARNING,
                        key=f"column-soon:{column.page_id}",
                        title=column.title,
                        page_id=column.page_id,
                        since=_iso(last),
                        due=_iso(last + limit),
                        detail={"days": _days(elapsed), "limit": days, "kind": column.kind},
                        **area,
                    )
                )
    for check in r.COUNTED_CHECKS:
        count, limit = len(found[check]), r.VETO_COUNTS[check]
        if rules.warn_at_count(limit) <= count < limit:
            warnings.append(
                Finding(
                    check=check,
                    level=WARNING,
                    key=f"count:{check}:{subject.page_id}",
                    title=subject.title,
                    page_id=subject.page_id,
                    detail={"count": count, "limit": limit},
                    **_area_fields(snapshot, subject.path),
                )
            )
    return found, warnings


def check_links(subject: Subject, snapshot: Snapshot) -> list[Finding]:
    """Links in rich text and in the home page's entries to pages that are unpublished or
    deleted, and to documents or images that are deleted or whose file is missing."""
    return [
        Finding(
            check=Check.LINKS,
            level=PROBLEM,
            key=f"link:{link.page_id}:{link.target_type}:{link.target_id}",
            title=link.title,
            page_id=link.page_id,
            detail={
                "target_type": link.target_type,
                "target_id": link.target_id,
                "target_title": link.target_title,
                "reason": link.reason,
            },
            **_area_fields(snapshot, link.path),
        )
        for link in snapshot.under(subject, snapshot.broken_links)
    ]


# --- checks over the sources (interaction, services) -------------------------------------


def check_consultations(
    subject: Subject, snapshot: Snapshot, rules: Rules, consultations: list[Consultation]
):
    """Veto 5: a valid consultation received within the last year and unanswered for more
    than 3 months (or answered only after that). Nearing 3 months unanswered: a warning."""
    areas = {a.body_id: a for a in snapshot.areas}
    bodies = set(snapshot.body_ids_under(subject))
    window_start = snapshot.now - datetime.timedelta(days=r.CONSULTATION_WINDOW_DAYS)
    problems, warnings = [], []
    for item in consultations:
        if item.body_id not in bodies or not item.valid or item.received_at < window_start:
            continue
        due = r.months_after(item.received_at, r.CONSULTATION_LIMIT_MONTHS)
        area = areas.get(item.body_id)
        common = {
            "check": Check.CONSULTATIONS,
            "title": item.title,
            "since": _iso(item.received_at),
            "due": _iso(due),
            "url": item.url,
            "area_id": area.id if area else None,
            "body": area.body_name if area else "",
        }
        answered = item.answered_at
        if (answered is None and snapshot.now > due) or (answered is not None and answered > due):
            end = answered or snapshot.now
            problems.append(
                Finding(
                    level=PROBLEM,
                    key=f"consultation:{item.reference}",
                    detail={
                        "reference": item.reference,
                        "days": _days(end - item.received_at),
                        "answered_late": answered is not None,
                    },
                    **common,
                )
            )
        elif answered is None and snapshot.now >= item.received_at + rules.warn_after(
            due - item.received_at
        ):
            warnings.append(
                Finding(
                    level=WARNING,
                    key=f"consultation-soon:{item.reference}",
                    detail={
                        "reference": item.reference,
                        "days": _days(snapshot.now - item.received_at),
                    },
                    **common,
                )
            )
    return problems, warnings


def _missing_elements(guide: ServiceGuide) -> list[str]:
    def empty(value) -> bool:
        if value is None:
            return True
        if isinstance(value, str):
            return not value.strip()
        if isinstance(value, list | tuple | dict | set):
            return len(value) == 0
        return False

    return [key for key in r.SERVICE_GUIDE_ELEMENTS if empty(guide.elements.get(key))]


def check_service_guides(
    subject: Subject, snapshot: Snapshot, guides: list[ServiceGuide]
) -> list[Finding]:
    """Veto 6: a service guide missing any of the ten key elements."""
    areas = {a.body_id: a for a in snapshot.areas}
    bodies = set(snapshot.body_ids_under(subject))
    problems = []
    for guide in guides:
        if guide.body_id not in bodies:
            continue
        missing = _missing_elements(guide)
        if missing:
            area = areas.get(guide.body_id)
            problems.append(
                Finding(
                    check=Check.SERVICE_GUIDES,
                    level=PROBLEM,
                    key=f"guide:{guide.reference}",
                    title=guide.name,
                    url=guide.url,
                    area_id=area.id if area else None,
                    body=area.body_name if area else "",
                    detail={"reference": guide.reference, "missing": missing},
                )
            )
    return problems


# --- verdict ----------------------------------------------------------------------------


def vetoes_of(counts: dict[str, int]) -> list[str]:
    """The single-veto checks failed: those with at least their limit of findings."""
    return [
        check
        for check in r.VETO_CHECKS
        if r.VETO_COUNTS[check] is not None and counts.get(check, 0) >= r.VETO_COUNTS[check]
    ]


def deductions_of(findings: list[Finding], rules: Rules) -> dict[str, int]:
    """Points deducted per check, each capped. A column both idle and overdue counts once."""
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_check[finding.check].append(finding)
    cap = rules.max_points_per_check

    def points(n: int, each: int) -> int:
        return min(n * each, cap)

    idle_pages = {f.page_id for f in by_check[Check.IDLE]}
    stale_pages = idle_pages | {f.page_id for f in by_check[Check.OVERDUE]}
    idle_points = points(len(idle_pages), rules.stale_column_points)
    deductions = {
        Check.HOME: min(rules.home_stale_points, cap) if by_check[Check.HOME] else 0,
        Check.IDLE: idle_points,
        Check.OVERDUE: points(len(stale_pages), rules.stale_column_points) - idle_points,
        Check.BLANK: points(len(by_check[Check.BLANK]), rules.blank_column_points),
        Check.CONSULTATIONS: points(len(by_check[Check.CONSULTATIONS]), rules.consultation_points),
        Check.SERVICE_GUIDES: points(
            len(by_check[Check.SERVICE_GUIDES]), rules.service_guide_points
        ),
        Check.LINKS: points(len(by_check[Check.LINKS]), rules.broken_link_points),
    }
    return {str(check): value for check, value in deductions.items()}


def inspect_subject(
    subject: Subject,
    snapshot: Snapshot,
    rules: Rules,
    consultations: list[Consultation],
    guides: list[ServiceGuide],
) -> Result:
    findings: list[Finding] = []
    warnings: list[Finding] = []

    for finding in check_home(subject, snapshot, rules):
        (findings if finding.level == PROBLEM else warnings).append(finding)
    by_check, column_warnings = check_columns(subject, snapshot, rules)
    for check_findings in by_check.values():
        findings.extend(check_findings)
    warnings.extend(column_warnings)
    problems, consultation_warnings = check_consultations(subject, snapshot, rules, consultations)
    findings.extend(problems)
    warnings.extend(consultation_warnings)
    findings.extend(check_service_guides(subject, snapshot, guides))
    findings.extend(check_links(subject, snapshot))

    counts = {str(check): 0 for check in Check}
    for finding in findings:
        counts[finding.check] += 1
    vetoes = [str(v) for v in vetoes_of(counts)]
    deductions = deductions_of(findings, rules)
    score = max(0, 100 - sum(deductions.values()))
    return Result(
        subject=subject,
        findings=findings,
        warnings=warnings,
        counts=counts,
        vetoes=vetoes,
        deductions=deductions,
        score=score,
        passed=not vetoes and score >= rules.pass_mark,
    )
