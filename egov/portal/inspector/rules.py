"""The rules the inspector applies: the State Council's single-veto checks of government
websites (国办秘函〔2019〕19号, docs: shared/design/domain-cn.md "Government websites") and the
district's deductions (``SiteHealthRules``, editable in the CMS under Settings).

The limits below are national rules and deliberately not settings: a site that passes here
must pass the real check. What the district chooses — points deducted, the pass mark, how
early editors are warned — is in ``SiteHealthRules``.
"""

import datetime
import math
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Check(models.TextChoices):
    """The inspector's checks; all but broken links are single-veto checks."""

    HOME = "home_stale", _("Home page updated")
    IDLE = "idle_columns", _("News, notice and policy columns updated")
    OVERDUE = "overdue_columns", _("Columns updated as often as they should be")
    BLANK = "blank_columns", _("No blank columns")
    CONSULTATIONS = "consultations", _("Consultations answered within 3 months")
    SERVICE_GUIDES = "service_guides", _("Service guides complete")
    LINKS = "broken_links", _("Internal links work")


VETO_CHECKS = (
    Check.HOME,
    Check.IDLE,
    Check.OVERDUE,
    Check.BLANK,
    Check.CONSULTATIONS,
    Check.SERVICE_GUIDES,
)

# 3. home page not updated for 2 weeks.
HOME_LIMIT_DAYS = 14
# 4. news (要闻) columns idle 2 weeks plus first-level notice (通知公告) and policy (政策文件)
#    columns idle 6 months, adding up to 5 or more; or 10 or more columns that should be updated
#    but are not; or 5 or more blank columns (nothing since creation).
NEWS_IDLE_DAYS = 14
NOTICE_POLICY_IDLE_DAYS = 180
IDLE_COLUMNS_LIMIT = 5
OVERDUE_COLUMNS_LIMIT = 10
BLANK_COLUMNS_LIMIT = 5
# 5. a valid consultation unanswered for more than 3 months within the last year.
CONSULTATION_LIMIT_MONTHS = 3
CONSULTATION_WINDOW_DAYS = 365
# 6. service guides missing key elements: these ten (the keys a service source reports; the
#    same keys as ``egov.services.selectors.KEY_ELEMENTS``, whose ``guide_gaps`` decides).
SERVICE_GUIDE_ELEMENTS = {
    "name": _("name (事项名称)"),
    "legal_basis": _("legal basis (设定依据)"),
    "conditions": _("conditions (申请条件)"),
    "materials": _("materials (办理材料)"),
    "place": _("place (办理地点)"),
    "handling_body": _("handling body (办理机构)"),
    "fees": _("fees (收费标准)"),
    "hours": _("hours (办理时间)"),
    "phone": _("phone (联系电话)"),
    "process": _("process (办理流程)"),
}
# How many findings of a check fail the site (1: any one does; None: scored only).
VETO_COUNTS = {
    Check.HOME: 1,
    Check.IDLE: IDLE_COLUMNS_LIMIT,
    Check.OVERDUE: OVERDUE_COLUMNS_LIMIT,
    Check.BLANK: BLANK_COLUMNS_LIMIT,
    Check.CONSULTATIONS: 1,
    Check.SERVICE_GUIDES: 1,
    Check.LINKS: None,
}
# Checks whose findings are counted against a limit of several: editors are warned when the
# count nears it.
COUNTED_CHECKS = (Check.IDLE, Check.OVERDUE, Check.BLANK)


@dataclass(frozen=True)
class Rules:
    """The district's scoring rules, read once per inspection."""

    pass_mark: int = 60
    warning_percent: int = 70
    home_stale_points: int = 20
    stale_column_points: int = 2
    blank_column_points: int = 2
    consultation_points: int = 5
    service_guide_points: int = 2
    broken_link_points: int = 1
    max_points_per_check: int = 30

    @classmethod
    def load(cls) -> "Rules":
        from egov.portal.models.health import SiteHealthRules

        stored = SiteHealthRules.load()
        return cls(**{name: getattr(stored, name) for name in cls.__dataclass_fields__})

    def warn_after(self, limit: datetime.timedelta) -> datetime.timedelta:
        """How long into ``limit`` editors are warned, in whole days (70 % of 14 days: 10)."""
        days = limit.total_seconds() / 86400 * self.warning_percent / 100
        return datetime.timedelta(days=math.ceil(days))

    def warn_at_count(self, limit: int) -> int:
        """From how many findings of a counted check editors are warned (70 % of 5: 4)."""
        return max(1, math.ceil(limit * self.warning_percent / 100))


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same time ``months`` calendar months earlier (the last day of a shorter month)."""
    month_index = moment.month - 1 - months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def months_after(moment: datetime.datetime, months: int) -> datetime.datetime:
    return months_before(moment, -months)
