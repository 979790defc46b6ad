"""The exchange in the back-office (/backoffice/exchange/, behind two-factor login).

- Traffic by direction and type (a page of the outbox admin, ``.../outboxmessage/traffic/``):
  throughput in the last hour and day, backlog, oldest pending age, quarantine by reason,
  open alerts. Needs the "view outgoing message" permission.
- Quarantine: read-only rows with a safe preview of the bytes as received; two actions for
  holders of "change quarantined message": re-process (``services.requeue``) and dismiss
  with a reason. Nothing is ever deleted here, by anyone.
- Outbox, inbox, inbox sequences, alerts and the archive files: read-only lists.
"""

import logging
import re
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.core import audit

from . import selectors, services
from .models import (
    ArchiveFile,
    ExchangeAlert,
    InboxMessage,
    InboxSequence,
    OutboxMessage,
    QuarantinedMessage,
)

logger = logging.getLogger(__name__)

PREVIEW_BYTES = 4096
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
CHANGE_LIST_TEMPLATE = "exchange/change_list.html"


def bytes_preview(raw, limit: int = PREVIEW_BYTES):
    """The first ``limit`` bytes as text in a read-only box: UTF-8 where it is, ``\\xNN`` for
    any other byte and for control characters; HTML-escaped, never interpreted."""
    raw = bytes(raw or b"")
    shown = raw[:limit].decode("utf-8", errors="backslashreplace")
    shown = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", shown)
    if len(raw) > limit:
        note = gettext("The first %(shown)d of %(total)d bytes.") % {
            "shown": limit,
            "total": len(raw),
        }
    else:
        note = gettext("%(total)d bytes.") % {"total": len(raw)}
    return format_html(
        '<textarea readonly rows="14" cols="100" aria-label="{}">{}</textarea><p>{}</p>',
        gettext("Bytes as received"),
        shown,
        note,
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list and detail to look at: rows change only through the exchange's verbs."""

    change_list_template = CHANGE_LIST_TEMPLATE
    show_full_result_count = False  # counting a large outbox on every page is slow
    list_per_page = 50

    hidden_fields: tuple[str, ...] = ()  # raw bytes: shown through a preview instead
    extra_readonly: tuple[str, ...] = ()  # computed fields shown on the detail page

    def get_readonly_fields(self, request, obj=None):
        model_fields = [f.name for f in self.model._meta.fields if f.name not in self.hidden_fields]
        return [*model_fields, *self.extra_readonly]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- quarantine ---------------------------------------------------------------------------


class ReasonFilter(admin.SimpleListFilter):
    title = _("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [(code, selectors.reason_label(code)) for code in services.REASONS]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(reason=self.value())
        return queryset


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are these messages dismissed?"),
        max_length=QuarantinedMessage._meta.get_field("resolution").max_length,
        help_text=_(
            "Kept with each message and in the audit log, e.g. 'test message sent by "
            "mistake, confirmed with the sender on 3 March'. The messages stay in the "
            "quarantine list."
        ),
        widget=forms.TextInput(attrs={"size": 80}),
    )


def dismiss(rows, *, reason: str, request) -> int:
    """Mark held rows dismissed with ``reason`` (they stay, never deleted); one audit entry
    each. One transaction. Returns how many were dismissed."""
    reason = reason.strip()
    if not reason:
        raise ValueError("say why the messages are dismissed")
    now = timezone.now()
    dismissed = 0
    with transaction.atomic():
        for row in rows.select_for_update().filter(status=QuarantinedMessage.Status.HELD):
            row.status = QuarantinedMessage.Status.DISMISSED
            row.resolved_at = now
            row.resolution = reason
            row.save(update_fields=["status", "resolved_at", "resolution"])
            audit.record(
                "exchange.quarantine.dismissed",
                obj=row,
                purpose=reason,
                request=request,
                detail={"reason": row.reason, "sha256": row.sha256, "type": row.type},
            )
            dismissed += 1
    return dismissed


def describe_outcome(report) -> str:
    """What ``services.requeue`` did, in words."""
    if report.applied:
        return gettext("applied")
    if report.duplicates:
        return gettext("already applied before")
    if report.waiting:
        return gettext("waiting for an earlier message")
    if report.quarantined:
        reasons = ", ".join(selectors.reason_label(code) for code in report.reasons) or "?"
        return gettext("quarantined again: %(reasons)s") % {"reasons": reasons}
    return gettext("nothing to do")


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "received_at",
        "reason_display",
        "type",
        "source_zone",
        "status",
        "attempts",
        "message_id",
        "batch",
    ]
    list_filter = [ReasonFilter, "status", "type", "source_zone"]
    search_fields = ["=sha256", "=batch"]
    date_hierarchy = "received_at"
    hidden_fields = ("raw",)
    extra_readonly = ("reason_display", "raw_preview")
    actions = ["requeue_selected", "dismiss_selected"]

    @admin.display(description=_("reason"), ordering="reason")
    def reason_display(self, obj):
        return selectors.reason_label(obj.reason)

    @admin.display(description=_("bytes as received"))
    def raw_preview(self, obj):
        return bytes_preview(obj.raw)

    def has_requeue_permission(self, request):
        return request.user.has_perm("exchange.change_quarantinedmessage")

    has_dismiss_permission = has_requeue_permission

    @admin.action(description=_("Re-process the selected messages"), permissions=["requeue"])
    def requeue_selected(self, request, queryset):
        held = list(queryset.filter(status=QuarantinedMessage.Status.HELD).order_by("received_at"))
        skipped = queryset.count() - len(held)
        for row in held:
            try:
                report = services.requeue(row.pk)
            except Exception as error:  # one failure must not stop the others
                logger.exception("requeue of quarantined message %s failed", row.pk)
                self.message_user(
                    request,
                    gettext("Message %(id)s could not be re-processed: %(error)s")
                    % {"id": row.pk, "error": error},
                    messages.ERROR,
                )
                continue
            outcome = describe_outcome(report)
            audit.record(
                "exchange.quarantine.requeued",
                obj=row,
                request=request,
                detail={"reason": row.reason, "sha256": row.sha256, "outcome": outcome},
            )
            level = messages.SUCCESS if report.applied or report.duplicates else messages.WARNING
            self.message_user(
                request,
                gettext("Message %(id)s re-processed: %(outcome)s")
                % {"id": row.pk, "outcome": outcome},
                level,
            )
        if skipped:
            self.message_user(
                request,
                gettext(
                    "%(count)d selected messages were skipped: only held messages can be "
                    "re-processed."
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Dismiss the selected messages with a reason"), permissions=["dismiss"]
    )
    def dismiss_selected(self, request, queryset):
        form = DismissForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = dismiss(queryset, reason=form.cleaned_data["reason"], request=request)
            self.message_user(
                request,
                gettext("%(count)d messages dismissed; they stay in the quarantine list.")
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Dismiss quarantined messages"),
            "opts": self.model._meta,
            "form": form,
            "rows": queryset.order_by("received_at"),
            "action": "dismiss_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
        }
        return TemplateResponse(request, "exchange/dismiss.html", context)


# --- outbox, inbox, alerts, archive -------------------------------------------------------


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "type",
        "destination",
        "key",
        "seq",
        "status",
        "size",
        "created_at",
        "sent_at",
        "acked_at",
    ]
    list_filter = ["status", "destination", "type"]
    search_fields = ["=batch", "=key"]
    ordering = ["-id"]  # UUIDv7: newest first
    hidden_fields = ("envelope",)
    extra_readonly = ("envelope_preview",)

    @admin.display(description=_("envelope (unsealed)"))
    def envelope_preview(self, obj):
        return bytes_preview(obj.envelope)

    def get_urls(self):
        traffic = path(
            "traffic/",
            self.admin_site.admin_view(self.traffic_view),
            name="exchange_traffic",
        )
        return [traffic, *super().get_urls()]

    def traffic_view(self, request):
        """Traffic by direction and type. Who: staff who may view the outbox."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        rows = selectors.traffic(now)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Exchange traffic by direction and type"),
            "opts": self.model._meta,
            "now": now,
            "rows": [_traffic_line(row, now) for row in rows],
            "reasons": [
                (
                    code,
                    label,
                    count,
                    _changelist("quarantinedmessage", status__exact="held", reason=code),
                )
                for code, label, count in selectors.quarantine_by_reason()
            ],
            "alerts": selectors.open_alerts()[:100],
            "alerts_url": _changelist("exchangealert", open="1"),
        }
        return TemplateResponse(request, "exchange/traffic.html", context)


def _changelist(model: str, **query) -> str:
    url = reverse(f"admin:exchange_{model}_changelist")
    query = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


def _traffic_line(row: selectors.TrafficRow, now) -> dict:
    """A row of the traffic page with its ages and the links to its messages."""
    held = {"status__exact": "held", "type": row.type, "source_zone": row.source}
    return {
        "row": row,
        "oldest_pending_age": selectors.format_age(selectors.age(row.oldest_pending_at, now)),
        "oldest_waiting_age": selectors.format_age(selectors.age(row.oldest_waiting_at, now)),
        "outbox_url": _changelist(
            "outboxmessage", type=row.type, destination=row.destination, status__exact="pending"
        ),
        "inbox_url": _changelist(
            "inboxmessage", type=row.type, source_zone=row.source, status__exact="waiting"
        ),
        "quarantine": [
            (code, label, count, _changelist("quarantinedmessage", reason=code, **held))
            for code, label, count in row.quarantined_reasons()
        ],
    }


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "message_id",
        "type",
        "source_zone",
        "key",
        "seq",
        "status",
        "received_at",
        "applied_at",
    ]
    list_filter = ["status", "source_zone", "type"]
    search_fields = ["=batch", "=key", "=sha256"]
    ordering = ["-id"]
    hidden_fields = ("envelope",)
    extra_readonly = ("envelope_preview",)

    @admin.display(description=_("envelope"))
    def envelope_preview(self, obj):
        return bytes_preview(obj.envelope)


@admin.register(InboxSequence)
class InboxSequenceAdmin(ReadOnlyAdmin):
    list_display = ["source_zone", "key", "last_seq", "waiting_since"]
    list_filter = ["source_zone"]
    search_fields = ["=key"]
    ordering = ["source_zone", "key"]


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", _("open")), ("0", _("resolved"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(resolved_at__isnull=self.value() == "1")
        return queryset


@admin.register(ExchangeAlert)
class ExchangeAlertAdmin(ReadOnlyAdmin):
    list_display = ["raised_at", "kind", "subject", "resolved_at"]
    list_filter = [OpenFilter, "kind"]
    search_fields = ["subject"]
    ordering = ["-raised_at"]


@admin.register(ArchiveFile)
class ArchiveFileAdmin(ReadOnlyAdmin):
    list_display = ["day", "count", "sha256", "prev_sha256", "closed_at", "path"]
    ordering = ["-day"]
    date_hierarchy = "day"
