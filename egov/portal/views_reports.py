"""Error reports (我为政府网站找错): the verbs, who may handle a report, the visitor's form and
status page, and the editors' inbox in the CMS.

- ``submit_error_report``: stores the report for the body owning the page (its site's or
  section's ``BodyArea``) and starts a timer of 3 working days on the one clock;
- ``reply_to_error_report``: stores the reply, stops the timer, and e-mails the reply when the
  visitor gave an address (otherwise the visitor reads it on the status page, whose address
  holds an unguessable token shown after submitting).

An editor sees and answers the reports of the bodies whose editors group they are in;
superusers see all. Every staff view of a report carrying the visitor's contact is audited.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Site

from egov.core.audit import record, record_person_view
from egov.core.calendar import CalendarNotCovered
from egov.core.masking import mask
from egov.core.models import Timer
from egov.core.timers import start_timer, stop_timer, timer_state
from egov.directory.models import Organisation
from egov.portal.forms_reports import ErrorReportForm, ReplyForm, issue_stamp
from egov.portal.models import BodyArea, ErrorReport, PortalSiteSettings
from egov.portal.models.reports import token_digest
from egov.portal.selectors import site_chrome
from egov.portal.services import owning_area

logger = logging.getLogger(__name__)

TIMER_PURPOSE = "portal.error_report"
REPLY_WORKING_DAYS = 3
TOKEN_BYTES = 24
INBOX_PAGE_SIZE = 50
VIEW_PURPOSE = "answer an error report of the site group"


class ReportError(ValueError):
    """A verb was asked for something it cannot do (e.g. answering a report twice)."""


# --- reads ------------------------------------------------------------------------------


def bodies_handled_by(user) -> list[Organisation] | None:
    """The bodies whose reports ``user`` handles (their editors); None means every body (a
    superuser)."""
    if not (user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return None
    areas = BodyArea.objects.filter(editors__in=user.groups.all()).select_related("body")
    return [area.body for area in areas]


def may_handle_reports(user) -> bool:
    bodies = bodies_handled_by(user)
    return bodies is None or bool(bodies)


def reports_for(user):
    """The error reports ``user`` may read and answer."""
    bodies = bodies_handled_by(user)
    reports = ErrorReport.objects.select_related("body", "site", "page", "timer")
    if bodies is None:
        return reports
    return reports.filter(body__in=bodies)


def can_handle(user, report: ErrorReport) -> bool:
    bodies = bodies_handled_by(user)
    return bodies is None or report.body_id in {body.pk for body in bodies}


def reported_page(site: Site, address: str) -> Page | None:
    """The page of the group an address names (a path on ``site``, or a full address on any
    site of the group), if there is one."""
    parts = urlsplit(address.strip())
    if parts.hostname:
        site = Site.objects.filter(hostname=parts.hostname.lower()).first() or (
            site if parts.hostname.lower() == site.hostname else None
        )
        if site is None:
            return None
    path = unquote(parts.path).strip("/")
    root = site.root_page
    url_path = root.url_path + (path + "/" if path else "")
    return Page.objects.filter(url_path=url_path, path__startswith=root.path).first()


def responsible_body(site: Site, page: Page | None) -> Organisation | None:
    """The body owning the reported page's site or section; else the site's host body."""
    area = owning_area(page if page is not None else site.root_page)
    if area is not None:
        return area.body
    return PortalSiteSettings.for_site(site).host_body


# --- the verbs --------------------------------------------------------------------------


def submit_error_report(
    *,
    site: Site,
    address: str,
    kind: str,
    description: str,
    contact_email: str = "",
    contact_mobile: str = "",
    language: str = "",
    now=None,
) -> tuple[ErrorReport, str]:
    """Store a visitor's report for the responsible body and start its reply timer (3 working
    days). Returns the report and its status token (shown once to the visitor; only its hash
    is stored)."""
    now = now or timezone.now()
    page = reported_page(site, address)
    body = responsible_body(site, page)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        report = ErrorReport.objects.create(
            site=site,
            page=page,
            address=address,
            body=body,
            kind=kind,
            description=description,
            contact_email=contact_email,
            contact_mobile=contact_mobile,
            language=language or settings.LANGUAGE_CODE,
            token_hash=token_digest(token),
            submitted_at=now,
        )
        try:
            with transaction.atomic():
                report.timer = start_timer(
                    purpose=TIMER_PURPOSE,
                    subject=report,
                    limit=REPLY_WORKING_DAYS,
                    unit=Timer.Unit.WORKING_DAYS,
                    start_date=timezone.localdate(now),
                    owner_body=body,
                )
        except CalendarNotCovered:
            # The report must not be lost for want of next year's calendar; the inbox shows
            # it without a due date, and administrators are already warned to load the year.
            logger.error("error report %s stored without a timer: calendar not covered", report.pk)
        else:
            report.save(update_fields=["timer"])
        record(
            "portal.error_report.submitted",
            body=body,
            obj=report,
            detail={"kind": kind, "address": address, "page_id": page.pk if page else None},
        )
    return report, token


def reply_to_error_report(report: ErrorReport, *, text: str, by, now=None) -> ErrorReport:
    """Answer a report: the reply is stored, the timer stopped, the audit log written; once
    committed, the reply is e-mailed when the visitor gave an address."""
    if not can_handle(by, report):
        raise PermissionDenied(gettext("Only the editors of the responsible body answer this."))
    text = (text or "").strip()
    if not text:
        raise ReportError(gettext("Write the reply before sending it."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = ErrorReport.objects.select_for_update().get(pk=report.pk)
        if locked.replied_at is not None:
            raise ReportError(
                gettext("This report was already answered on %(date)s; it takes one reply.")
                % {"date": timezone.localtime(locked.replied_at).strftime("%Y-%m-%d %H:%M")}
            )
        locked.reply = text
        locked.replied_at = now
        locked.replied_by = by
        locked.save(update_fields=["reply", "replied_at", "replied_by"])
        if locked.timer is not None and locked.timer.stopped_at is None:
            stop_timer(locked.timer, reason="replied", at=now, by=by)
        record("portal.error_report.replied", actor=by, body=locked.body, obj=locked)
        if locked.contact_email:
            transaction.on_commit(lambda: email_reply(locked.pk))
    return locked


def email_reply(report_id: int) -> bool:
    """E-mail a report's reply to the visitor, in the language they wrote in. A failure is
    logged and leaves ``reply_emailed_at`` empty; the reply stays on the status page."""
    report = ErrorReport.objects.select_related("site").get(pk=report_id)
    if not report.contact_email or not report.reply:
        return False
    site_name = str(PortalSiteSettings.for_site(report.site)) if report.site else ""
    with translation.override(report.language):
        subject = gettext("Reply to your error report on %(site)s") % {"site": site_name}
        body = gettext(
            "You reported an error on %(address)s (%(kind)s) on %(date)s.\n\n"
            "The editors reply:\n\n%(reply)s\n"
        ) % {
            "address": report.address,
            "kind": report.get_kind_display(),
            "date": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "reply": report.reply,
        }
    try:
        send_mail(subject, body, None, [report.contact_email])
    except Exception:  # any transport failure: the reply stays readable on the status page
        logger.exception("reply to error report %s could not be e-mailed", report.pk)
        return False
    ErrorReport.objects.filter(pk=report.pk).update(reply_emailed_at=timezone.now())
    record("portal.error_report.reply_emailed", body=report.body, obj=report)
    return True


# --- the visitor's pages ----------------------------------------------------------------


def _site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site of the group answers for this host")
    return site


def masked_contact(report: ErrorReport) -> str:
    if report.contact_email:
        return mask("email", report.contact_email)
    return mask("mobile", report.contact_mobile)


@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request):
    """Public: the form to report an error on a page of this site."""
    site = _site_or_404(request)
    if request.method == "POST":
        form = ErrorReportForm(request.POST)
        if form.is_valid():
            report, token = submit_error_report(
                site=site,
                address=form.cleaned_data["address"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                contact_email=form.contact_email,
                contact_mobile=form.contact_mobile,
                language=get_language(),
            )
            messages.success(
                request,
                _(
                    "Thank you: your report was received. The editors answer within %(days)s "
                    "working days. Keep the address of this page to read their reply."
                )
                % {"days": REPLY_WORKING_DAYS},
            )
            return redirect("portal:report_status", token=token)
        form.refresh_stamp()
    else:
        form = ErrorReportForm(
            initial={"address": request.GET.get("page", "")[:300], "stamp": issue_stamp()}
        )
    return render(
        request,
        "portal/report_error.html",
        {"portal": site_chrome(request), "form": form, "reply_days": REPLY_WORKING_DAYS},
    )


@require_safe
def report_status(request, token: str):
    """Public, for whoever holds the token: the state of one report and its reply."""
    _site_or_404(request)
    report = get_object_or_404(
        ErrorReport.objects.select_related("timer"), token_hash=token_digest(token)
    )
    return render(
        request,
        "portal/report_error_status.html",
        {
            "portal": site_chrome(request),
            "report": report,
            "contact": masked_contact(report),
            "status_url": request.build_absolute_uri(),
        },
    )


# --- the editors' inbox (Wagtail admin) -------------------------------------------------


class InboxMixin(WagtailAdminTemplateMixin):
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not may_handle_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReportInboxView(InboxMixin, TemplateView):
    """Staff (editors of a body, superusers): the error reports of one's bodies."""

    template_name = "portal/report_error_inbox.html"
    page_title = _("Error reports")
    FILTERS = {"open": _("Waiting for a reply"), "answered": _("Answered"), "all": _("All")}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.request.GET.get("show", "open")
        if shown not in self.FILTERS:
            shown = "open"
        reports = reports_for(self.request.user)
        if shown == "open":
            reports = reports.filter(replied_at__isnull=True).order_by("submitted_at", "pk")
        elif shown == "answered":
            reports = reports.filter(replied_at__isnull=False)
        page = Paginator(reports, INBOX_PAGE_SIZE).get_page(self.request.GET.get("p"))
        today = timezone.localdate()
        for report in page.object_list:
            report.timer_state = timer_state(report.timer, today) if report.timer else ""
        context.update(shown=shown, filters=self.FILTERS.items(), reports=page)
        return context


class ReportDetailView(InboxMixin, TemplateView):
    """Staff: one report (its contact data audited as a staff view of a person's data), and
    the reply form until it is answered."""

    template_name = "portal/report_error_admin.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.report = None

    def get_report(self) -> ErrorReport:
        if self.report is None:
            self.report = get_object_or_404(reports_for(self.request.user), pk=self.kwargs["pk"])
        return self.report

    def get_page_title(self):
        return gettext("Error report %(number)s") % {"number": self.get_report().pk}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("portal_reports:inbox"), "label": _("Error reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ReplyForm()))

    def post(self, request, *args, **kwargs):
        report = self.get_report()
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                report = reply_to_error_report(
                    report, text=form.cleaned_data["reply"], by=request.user
                )
            except ReportError as error:
                form.add_error(None, str(error))
            else:
                report.refresh_from_db()
                if report.reply_emailed_at:
                    messages.success(request, _("The reply was saved and e-mailed."))
                elif report.contact_email:
                    messages.warning(
                        request,
                        _(
                            "The reply was saved but could not be e-mailed; the visitor can "
                            "read it on the status page. Tell the administrator."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("The reply was saved; the visitor reads it on the status page."),
                    )
                return redirect("portal_reports:detail", pk=report.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        if report.has_contact:
            record_person_view(self.request, report, purpose=VIEW_PURPOSE, body=report.body)
        context.update(
            report=report,
            state=timer_state(report.timer) if report.timer is not None else "",
            page_url=(report.page.get_url(self.request) or "") if report.page else "",
        )
        return context
