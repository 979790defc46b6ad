"""The supervision pages of the internal zone, under /staff/supervision/ (two-factor by
StaffSecurityMiddleware). Every page needs the permission ``supervision.view_signal`` and
shows only what ``visible_to`` allows: a supervisor (scope "all") every body, a body's
staff their own signals. Every table can be downloaded as Excel (``?format=xlsx``)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from egov.core.models import Timer
from egov.core.timers import timer_state
from egov.directory.models import Organisation
from egov.directory.scoping import visible_bodies, visible_to

from . import drilldown, notices, scores
from .export import MAX_ROWS as MAX_EXPORT_ROWS
from .export import workbook_response
from .forms import CloseForm, ExplainForm, NoticeTextForm, ScoresForm, SignalFilterForm
from .models import AnomalyRule, ClosedMonth, RatingMonth, Signal, SignalMonth, SupervisionNotice
from .services import SupervisionError, close_signal, explain_signal, rule_for

VIEW = "supervision.view_signal"
PAGE_SIZE = 50


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Your roles do not include e-supervision."))


def visible_signals(user):
    return visible_to(user, Signal.objects.all(), body_field="body")


def _bodies(user):
    return scores.scored_bodies(visible_bodies(user).filter(is_active=True)).order_by("code")


# --- the signal list --------------------------------------------------------------------


def _signal_rows(queryset):
    for signal in queryset.select_related("body").iterator(chunk_size=2000):
        yield [
            signal.pk,
            signal.get_kind_display(),
            signal.code,
            signal.body.name_zh if signal.body else "",
            signal.purpose,
            f"{signal.subject_type}:{signal.subject_id}",
            signal.due_date,
            signal.raised_on,
            signal.get_status_display(),
            signal.explanation,
            signal.close_reason,
        ]


SIGNAL_HEADERS = [
    gettext_lazy("ID"),
    gettext_lazy("Kind"),
    gettext_lazy("Code"),
    gettext_lazy("Body"),
    gettext_lazy("Timer purpose"),
    gettext_lazy("Subject"),
    gettext_lazy("Due date"),
    gettext_lazy("Raised on"),
    gettext_lazy("Status"),
    gettext_lazy("Explanation"),
    gettext_lazy("Reason for closing"),
]


@login_required
@require_GET
def signal_list(request):
    _require(request, VIEW)
    form = SignalFilterForm(request.GET or None, bodies=_bodies(request.user))
    queryset = visible_signals(request.user)
    if request.GET:
        queryset = form.apply(queryset)
    queryset = queryset.order_by("-raised_on", "-id")
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            f"signals-{timezone.localdate():%Y%m%d}.xlsx",
            _("Signals"),
            [str(h) for h in SIGNAL_HEADERS],
            _signal_rows(queryset),
        )
    page = Paginator(queryset.select_related("body"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "supervision/signal_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "title": _("Supervision signals"),
        },
    )


# --- one signal -------------------------------------------------------------------------


def _timeline(timer: Timer | None, signals) -> list[dict]:
    """What happened to the timer, in date order: start, pauses, resumes, due, stop, signals."""
    if timer is None:
        return []
    events = [
        {
            "day": timer.start_date,
            "what": _("Started: %(limit)s %(unit)s")
            % {"limit": timer.limit, "unit": timer.get_unit_display()},
        }
    ]
    for pause in timer.pauses.all():
        events.append(
            {"day": pause.paused_on, "what": _("Paused: %(reason)s") % {"reason": pause.reason}}
        )
        if pause.resumed_on:
            events.append({"day": pause.resumed_on, "what": _("Resumed")})
    events.append({"day": timer.due_date, "what": _("Due date (current)")})
    if timer.stopped_at:
        events.append(
            {
                "day": timezone.localdate(timer.stopped_at),
                "what": _("Stopped: %(reason)s") % {"reason": timer.stop_reason or "—"},
            }
        )
    for signal in signals:
        events.append(
            {
                "day": signal.raised_on,
                "what": _("Signal raised: %(kind)s") % {"kind": signal.get_kind_display()},
                "signal": signal,
            }
        )
    events.sort(key=lambda event: event["day"])
    return events


def _detail_context(request, signal, explain_form=None, close_form=None, notice_form=None) -> dict:
    timer = (
        Timer.objects.select_related("owner_body").filter(pk=signal.timer_id).first()
        if signal.timer_id
        else None
    )
    siblings = visible_signals(request.user).filter(timer_id=signal.timer_id) if timer else []
    user = request.user
    open_ = signal.status != Signal.Status.CLOSED
    return {
        "signal": signal,
        "case": _case_of(signal, timer),
        "disclosure_request": _disclosure_request_of(signal, timer),
        "letter": _letter_of(signal, timer),
        "anomaly_label": _anomaly_label(signal),
        "timer": timer,
        "timer_state": Timer.State(timer_state(timer)).label if timer else None,
        "rule": rule_for(timer) if timer else None,
        "timeline": _timeline(timer, siblings),
        "explain_form": (explain_form or ExplainForm())
        if open_ and user.has_perm("supervision.explain_signal")
        else None,
        "close_form": (close_form or CloseForm())
        if open_ and user.has_perm("supervision.close_signal")
        else None,
        "notices": notices.visible_notices(user).filter(signal=signal),
        "notice_form": (notice_form or NoticeTextForm(label=_("What the body must do")))
        if signal.body_id and user.has_perm("supervision.issue_notice")
        else None,
        "title": _("Signal #%(id)s") % {"id": signal.pk},
    }


def _on_time(user, months) -> list[dict]:
    """Cases closed per month and how many by their promised date (the on-time rate), from
    the monthly summary of the promised-limit timers stopped as closed (``ClosedMonth``: per
    month, owner body, on time), for the bodies the user sees: one grouped query over a few
    rows per body and month instead of every closed timer."""
    rows = (
        visible_to(user, ClosedMonth.objects.filter(month__gte=months[0]), body_field="body_id")
        .values("month", "on_time")
        .annotate(total=Sum("n"))
        .order_by()
    )
    closed = dict.fromkeys(months, 0)
    in_time = dict.fromkeys(months, 0)
    for row in rows:
        month = row["month"]
        if month in closed:
            closed[month] += row["total"]
            in_time[month] += row["total"] if row["on_time"] else 0
    return [
        {
            "month": month,
            "closed": closed[month],
            "on_time": in_time[month],
            "late": closed[month] - in_time[month],
            "rate": round(100 * in_time[month] / closed[month], 1) if closed[month] else None,
        }
        for month in months
    ]


def _ratings(user, today) -> list[dict]:
    """好差评 this year by level, for the cases of the bodies the user sees, from the daily
    summary (``RatingMonth``: per month rated, the case's body, score)."""
    ratings = visible_to(
        user,
        RatingMonth.objects.filter(month__gte=today.replace(month=1, day=1)),
        body_field="body_id",
    )
    counts = dict(ratings.values_list("score").annotate(total=Sum("n")).order_by())
    labels = {
        5: _("Very satisfied"),
        4: _("Satisfied"),
        3: _("Fairly satisfied"),
        2: _("Dissatisfied"),
        1: _("Very dissatisfied"),
    }
    return [
        {"score": score, "label": labels[score], "count": counts.get(score, 0)}
        for score in (5, 4, 3, 2, 1)
    ]


def _subject_id(signal, timer, subject_type: str) -> str | None:
    """The id of the record of ``subject_type`` a signal is about (its subject, or its
    timer's), or None."""
    kind, pk = signal.subject_type, signal.subject_id
    if timer is not None and not pk:
        kind, pk = timer.subject_type, timer.subject_id
    return pk if kind == subject_type and str(pk).isdigit() else None


def _disclosure_request_of(signal, timer):
    """The request for government information behind a signal, if any (its page's link)."""
    from egov.disclosure.models import DisclosureRequest

    subject_id = _subject_id(signal, timer, "disclosure.disclosurerequest")
    if subject_id is None:
        return None
    return DisclosureRequest.objects.filter(pk=int(subject_id)).only("number").first()


def _letter_of(signal, timer):
    """The letter behind a signal (its page checks who may open it), if any."""
    from egov.interaction.models import Letter

    subject_id = _subject_id(signal, timer, "interaction.letter")
    if subject_id is None:
        return None
    return Letter.objects.filter(pk=int(subject_id)).only("number").first()


def _case_of(signal, timer):
    """The case behind a signal (its subject, or its timer's), for the drill-down link."""
    from egov.cases.models import Case

    subject_id = _subject_id(signal, timer, "cases.case")
    if subject_id is None:
        return None
    return Case.objects.filter(pk=int(subject_id)).only("query_code").first()


def _anomaly_label(signal) -> str:
    if not signal.code.startswith("case."):
        return ""
    rule = AnomalyRule.objects.filter(code=signal.code, item_type="").first()
    return rule.label if rule else signal.code


def _visible_signal(request, pk: int) -> Signal:
    _require(request, VIEW)
    return get_object_or_404(visible_signals(request.user).select_related("body"), pk=pk)


@login_required
@require_GET
def signal_detail(request, pk: int):
    signal = _visible_signal(request, pk)
    return render(request, "supervision/signal_detail.html", _detail_context(request, signal))


@login_required
@require_POST
def signal_explain(request, pk: int):
    signal = _visible_signal(request, pk)
    _require(request, "supervision.explain_signal")
    form = ExplainForm(request.POST)
    if form.is_valid():
        try:
            explain_signal(signal, text=form.cleaned_data["text"], by=request.user, request=request)
        except SupervisionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Your explanation was recorded."))
            return HttpResponseRedirect(reverse("supervision:signal", args=[signal.pk]))
    context = _detail_context(request, signal, explain_form=form)
    return render(request, "supervision/signal_detail.html", context, status=400)


@login_required
@require_POST
def signal_close(request, pk: int):
    signal = _visible_signal(request, pk)
    _require(request, "supervision.close_signal")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            close_signal(
                signal,
                reason=form.cleaned_data["reason"],
                deducts=not form.cleaned_data["unfounded"],
                by=request.user,
                request=request,
            )
        except SupervisionError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("The signal was closed."))
            return HttpResponseRedirect(reverse("supervision:signal", args=[signal.pk]))
    context = _detail_context(request, signal, close_form=form)
    return render(request, "supervision/signal_detail.html", context, status=400)


# --- supervision notices (督办) ----------------------------------------------------------


@login_required
@require_POST
def notice_issue(request, pk: int):
    signal = _visible_signal(request, pk)
    _require(request, "supervision.issue_notice")
    form = NoticeTextForm(request.POST, label=_("What the body must do"))
    if form.is_valid():
        try:
            notice = notices.issue(
                signal, text=form.cleaned_data["text"], by=request.user, request=request
            )
        except SupervisionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("The supervision notice was sent to the body."))
            return HttpResponseRedirect(reverse("supervision:notice", args=[notice.pk]))
    context = _detail_context(request, signal, notice_form=form)
    return render(request, "supervision/signal_detail.html", context, status=400)


@login_required
@require_GET
def notice_list(request):
    _require(request, "supervision.view_supervisionnotice")
    rows = notices.visible_notices(request.user).select_related("body", "timer")
    return render(
        request,
        "supervision/notice_list.html",
        {"title": _("Supervision notices (督办)"), "rows": rows[:500]},
    )


def _notice_context(request, notice, answer_form=None, close_form=None) -> dict:
    user = request.user
    return {
        "title": _("Supervision notice #%(id)s") % {"id": notice.pk},
        "notice": notice,
        "answer_form": (answer_form or NoticeTextForm(label=_("The body's answer")))
        if notice.status == SupervisionNotice.Status.OPEN
        and user.has_perm("supervision.answer_notice")
        else None,
        "close_form": (close_form or NoticeTextForm(label=_("Reason for closing")))
        if notice.status != SupervisionNotice.Status.CLOSED
        and user.has_perm("supervision.issue_notice")
        else None,
    }


def _visible_notice(request, pk: int) -> SupervisionNotice:
    _require(request, "supervision.view_supervisionnotice")
    return get_object_or_404(
        notices.visible_notices(request.user).select_related("body", "timer", "signal"), pk=pk
    )


@login_required
@require_GET
def notice_detail(request, pk: int):
    notice = _visible_notice(request, pk)
    return render(request, "supervision/notice_detail.html", _notice_context(request, notice))


@login_required
@require_POST
def notice_act(request, pk: int, action: str):
    notice = _visible_notice(request, pk)
    labels = {"answer": _("The body's answer"), "close": _("Reason for closing")}
    if action not in labels:
        raise Http404(_("No such action."))
    form = NoticeTextForm(request.POST, label=labels[action])
    if form.is_valid():
        verb = notices.answer if action == "answer" else notices.close
        try:
            verb(
                notice,
                **{"text" if action == "answer" else "reason": form.cleaned_data["text"]},
                by=request.user,
                request=request,
            )
        except SupervisionError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Recorded."))
            return HttpResponseRedirect(reverse("supervision:notice", args=[notice.pk]))
    context = _notice_context(
        request, notice, **{"answer_form" if action == "answer" else "close_form": form}
    )
    return render(request, "supervision/notice_detail.html", context, status=400)


# --- scores -----------------------------------------------------------------------------


def _score_rows(ranking, with_grade: bool):
    for item in ranking:
        row = [
            item.rank,
            item.body.code,
            item.body.name_zh,
            item.score,
            item.counts.get(Signal.Kind.YELLOW, 0),
            item.counts.get(Signal.Kind.RED, 0),
        ]
        if with_grade:
            row.append(str(item.grade_label))
        yield row


@login_required
@require_GET
def score_list(request):
    _require(request, VIEW)
    today = timezone.localdate()
    form = ScoresForm(request.GET or None)
    month = (form.cleaned_data.get("month") if form.is_valid() else None) or today.replace(day=1)
    bodies = visible_bodies(request.user).filter(is_active=True)
    monthly, quarterly = scores.month_and_quarter(bodies, month, today)
    quarter = (month.month - 1) // 3 + 1
    table = request.GET.get("table")
    headers = [_("Rank"), _("Code"), _("Body"), _("Score"), _("Yellow cards"), _("Red cards")]
    if request.GET.get("format") == "xlsx":
        if table == "quarter":
            return workbook_response(
                f"scores-{month.year}-Q{quarter}.xlsx",
                f"{month.year} Q{quarter}",
                [*headers, _("Grade")],
                _score_rows(quarterly, True),
            )
        return workbook_response(
            f"scores-{month:%Y-%m}.xlsx", f"{month:%Y-%m}", headers, _score_rows(monthly, False)
        )
    return render(
        request,
        "supervision/scores.html",
        {
            "form": form,
            "month": month,
            "quarter": quarter,
            "monthly": monthly,
            "quarterly": quarterly,
            "month_value": f"{month:%Y-%m}",
            # The drill-down's period of each ranking (figure=score&body=…&<period>).
            "month_period": f"month={month:%Y-%m}",
            "quarter_period": f"quarter={month.year}-Q{quarter}",
            "title": _("Efficiency scores"),
        },
    )


# --- dashboard --------------------------------------------------------------------------


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = [today.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - datetime.timedelta(days=1)).replace(day=1))
    return months


@login_required
@require_GET
def dashboard(request):
    _require(request, VIEW)
    today = timezone.localdate()
    kinds = [Signal.Kind.WARNING, Signal.Kind.YELLOW, Signal.Kind.RED]
    labels = dict(Signal.Kind.choices)

    # Every signal figure of the page from the monthly summary of the visible bodies' signals
    # (``SignalMonth``: per month, body, kind, code, status and whether it counts — rows the
    # verbs keep exact, a few per body and month instead of every signal). Each figure is its
    # own small aggregate over those rows, so that a long history adds rows to scan, not
    # rows to send to Python. A body id of 0 is a signal without a body (visible to those
    # who see every body). Sums of 0 (keys whose signals all moved on) are skipped.
    summary = visible_to(request.user, SignalMonth.objects.all(), body_field="body_id")
    months = _months_back(today, 12)
    this_month = months[-1]
    this_year = today.replace(month=1, day=1)
    totals = dict.fromkeys(Signal.Status.values, 0)
    for status, n in summary.values_list("status").annotate(total=Sum("n")).order_by():
        totals[status] += n
    trend: dict = {}
    trend_rows = (
        summary.filter(month__gte=months[0], kind__in=kinds)
        .values_list("month", "kind")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for month, kind, n in trend_rows:
        trend[(month, kind)] = n
    by_body: dict = {}
    open_rows = (
        summary.filter(kind__in=kinds)
        .exclude(status=Signal.Status.CLOSED)
        .values_list("body_id", "kind")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for body_id, kind, n in open_rows:
        if n:
            by_body.setdefault(body_id or None, dict.fromkeys(kinds, 0))[kind] += n
    # This month's counted signals for the ranking (cards by kind, anomalies by code).
    month_counts: dict = {}
    counted = (
        summary.filter(month__gte=this_month, deducts=True)
        .exclude(body_id=0)
        .values_list("body_id", "kind", "code")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for body_id, kind, code, n in counted:
        if not n:
            continue
        key = f"anomaly:{code}" if kind == Signal.Kind.ANOMALY else kind
        counts = month_counts.setdefault(body_id, {})
        counts[key] = counts.get(key, 0) + n
    # Anomalies of this year by their code.
    anomaly_types = {
        code: n
        for code, n in summary.filter(month__gte=this_year, kind=Signal.Kind.ANOMALY)
        .values_list("code")
        .annotate(total=Sum("n"))
        .order_by()
        if n
    }
    trend_table = [
        {"month": m, "counts": [trend.get((m, kind), 0) for kind in kinds]} for m in months
    ]
    for row in trend_table:  # each figure with its kind, for the drill-down links
        row["cells"] = [
            {"n": n, "kind": str(kind)} for n, kind in zip(row["counts"], kinds, strict=True)
        ]
    names = dict(
        Organisation.objects.filter(pk__in=[b for b in by_body if b]).values_list("pk", "name_zh")
    )
    body_table = sorted(
        (
            {
                "body_id": body_id,
                "name": names.get(body_id, _("no body")),
                "counts": [counts[kind] for kind in kinds],
            }
            for body_id, counts in by_body.items()
        ),
        key=lambda row: (-row["counts"][2], -row["counts"][1], -row["counts"][0], row["name"]),
    )[:20]
    for row in body_table:
        row["cells"] = [
            {"n": n, "kind": str(kind)} for n, kind in zip(row["counts"], kinds, strict=True)
        ]
    rule_labels = dict(AnomalyRule.objects.filter(item_type="").values_list("code", "label"))
    anomaly_table = [
        {"code": code, "label": rule_labels.get(code, code), "count": n}
        for code, n in sorted(anomaly_types.items(), key=lambda item: -item[1])
    ]
    ranking = scores.ranking_from_counts(
        visible_bodies(request.user).filter(is_active=True), this_month, month_counts
    )
    on_time_table = _on_time(request.user, months)
    rating_table = _ratings(request.user, today)

    if request.GET.get("format") == "xlsx":
        table = request.GET.get("table")
        headers = [_("Warnings"), _("Yellow cards"), _("Red cards")]
        if table == "bodies":
            return workbook_response(
                "open-signals-by-body.xlsx",
                _("Open signals by body"),
                [_("Body"), *headers],
                ([row["name"], *row["counts"]] for row in body_table),
            )
        return workbook_response(
            "signals-by-month.xlsx",
            _("Signals by month"),
            [_("Month"), *headers],
            ([f"{row['month']:%Y-%m}", *row["counts"]] for row in trend_table),
        )

    chart_data = {
        "labels": {
            "signals": _("Signals"),
            "score": _("Score"),
            "rate": _("On-time rate (%)"),
            "cases": _("Cases"),
        },
        "ontime": {
            "months": [f"{row['month']:%Y-%m}" for row in on_time_table],
            "rates": [row["rate"] for row in on_time_table],
        },
        "ratings": {
            "labels": [str(row["label"]) for row in rating_table],
            "counts": [row["count"] for row in rating_table],
        },
        "kinds": [str(labels[k]) for k in kinds],
        "trend": {
            "months": [f"{m:%Y-%m}" for m in months],
            "series": [[row["counts"][i] for row in trend_table] for i in range(len(kinds))],
        },
        "bodies": {
            "names": [str(row["name"]) for row in body_table],
            "series": [[row["counts"][i] for row in body_table] for i in range(len(kinds))],
        },
        "scores": {
            "names": [item.body.name_zh for item in ranking[:20]],
            "values": [float(item.score) for item in ranking[:20]],
        },
    }
    return render(
        request,
        "supervision/dashboard.html",
        {
            "kinds": [labels[k] for k in kinds],
            "kind_codes": [str(k) for k in kinds],
            "trend_table": trend_table,
            "body_table": body_table,
            "anomaly_table": anomaly_table,
            "on_time_table": on_time_table,
            "rating_table": rating_table,
            "totals": totals,
            "total_links": _total_links(totals),
            "ranking": ranking[:20],
            "chart_data": chart_data,
            "today": today,
            "score_period": f"month={today:%Y-%m}",
            "year": today.year,
            "title": _("E-supervision"),
        },
    )


def _total_links(totals: dict) -> dict:
    """The totals line's numbers, each (other than 0) a link to the cases behind it."""
    base = reverse("supervision:cases")
    return {
        status: format_html('<a href="{}?figure=status&amp;status={}">{}</a>', base, status, n)
        if n
        else n
        for status, n in totals.items()
    }


# --- the cases behind a figure (drill-down) ---------------------------------------------

CASE_HEADERS = [
    gettext_lazy("Query code"),
    gettext_lazy("Service item"),
    gettext_lazy("Body"),
    gettext_lazy("Status"),
    gettext_lazy("Accepted on"),
    gettext_lazy("Due date"),
    gettext_lazy("Closed at"),
    gettext_lazy("Signals"),
]


def _case_signals(selection, case_pks) -> dict[int, list[Signal]]:
    """The figure's signals of these cases (one query for a page)."""
    if selection.signals is None or not case_pks:
        return {}
    found: dict[int, list[Signal]] = {}
    rows = selection.signals.filter(
        subject_type=drilldown.CASE, subject_id__in=[str(pk) for pk in case_pks]
    ).order_by("raised_on", "pk")
    for signal in rows:
        found.setdefault(int(signal.subject_id), []).append(signal)
    return found


def _case_rows(selection):
    """The export's rows, streamed: cases 2,000 at a time, each batch with its signals."""

    def rows(chunk):
        signals = _case_signals(selection, [case.pk for case in chunk])
        for case in chunk:
            yield [
                case.query_code,
                case.version.name,
                case.body.name_zh,
                case.get_status_display(),
                case.accepted_on,
                case.timer.due_date if case.timer else None,
                case.closed_at,
                ", ".join(
                    f"#{s.pk} {s.get_kind_display()} {s.code}" for s in signals.get(case.pk, [])
                ),
            ]

    cases = selection.cases.select_related("version", "body", "timer").order_by("-pk")
    chunk = []
    for case in cases[:MAX_EXPORT_ROWS].iterator(chunk_size=2000):
        chunk.append(case)
        if len(chunk) == 2000:
            yield from rows(chunk)
            chunk = []
    yield from rows(chunk)


@login_required
@require_GET
def case_list(request):
    """The cases behind one figure of the dashboard, scoped to the user's bodies; a body the
    user may not see is refused (403), whatever the figure."""
    _require(request, VIEW)
    form = drilldown.FigureForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "supervision/case_list.html",
            {"form": form, "title": _("Cases behind a figure")},
            status=400,
        )
    data = form.cleaned_data
    if data.get("body") and not visible_bodies(request.user).filter(pk=data["body"]).exists():
        raise PermissionDenied(_("This body is not among the bodies you may see."))
    selection = drilldown.cases_behind(request.user, data, visible_signals(request.user))
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            f"cases-{data['figure']}-{timezone.localdate():%Y%m%d}.xlsx",
            _("Cases"),
            [str(h) for h in CASE_HEADERS],
            _case_rows(selection),
        )
    cases = selection.cases.select_related("version", "body", "timer").order_by("-pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    signals = _case_signals(selection, [case.pk for case in page.object_list])
    rows = [{"case": case, "signals": signals.get(case.pk, [])} for case in page.object_list]
    elsewhere = signal_count = 0
    if selection.signals is not None:
        signal_count = selection.signals.count()
        elsewhere = selection.signals.exclude(subject_type=drilldown.CASE).count()
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "supervision/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "selection": selection,
            "elsewhere": elsewhere,
            "signal_count": signal_count,
            "query": query.urlencode(),
            "title": _("Cases behind a figure"),
        },
    )
