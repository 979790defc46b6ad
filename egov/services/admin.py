"""Back-office (Django admin at /backoffice/) for service items.

Who may do what is the role's permissions (apps.ServicesConfig.role_permissions, edited on
the role); which items they see and act on is the role's data scope: every list, page and
action goes through ``directory.scoping`` (an item of another body is "not found"). A draft
is edited with its materials, fees, steps, results and FAQ inline; a published version is
shown read-only. Publishing and withdrawing are actions that call ``services``.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from egov.core import audit
from egov.directory.scoping import visible_bodies

from . import selectors, services
from .choices import (
    APPLICANT_UPLOAD_TYPES,
    EnterpriseStage,
    ItemType,
    LifeEvent,
    UploadType,
)
from .models import (
    FAQ,
    Fee,
    Material,
    ProcessStep,
    Result,
    ServiceItem,
    ServiceItemVersion,
)

Status = ServiceItemVersion.Status


def _codes_field(choices, label, *, required=False):
    return forms.TypedMultipleChoiceField(
        label=capfirst(label),
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
    )


def _report(modeladmin, request, error: services.ServicesError, prefix: str = "") -> None:
    for problem in error.problems:
        modeladmin.message_user(request, f"{prefix}{problem}", messages.ERROR)


# --- versions and their parts ---------------------------------------------------------------


class DraftOnlyInline:
    """A part of a version: editable while the version is a draft, shown read-only after."""

    extra = 0

    def _editable(self, request, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class MaterialForm(forms.ModelForm):
    accepted_types = forms.TypedMultipleChoiceField(
        label=capfirst(_("accepted file types")),
        choices=[
            (kind.value, kind.label) for kind in UploadType if kind.value in APPLICANT_UPLOAD_TYPES
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What an applicant may upload for this material, judged by content."),
    )

    class Meta:
        model = Material
        fields = [
            "order",
            "name",
            "form",
            "copies",
            "required",
            "requirement_note",
            "source",
            "issuing_body",
            "licence_type",
            "accepted_types",
            "max_upload_mb",
            "blank_form",
            "sample",
            "notes",
        ]


class MaterialInline(DraftOnlyInline, admin.StackedInline):
    model = Material
    form = MaterialForm
    fields = [
        ("order", "name"),
        ("form", "copies", "required", "requirement_note"),
        ("source", "issuing_body", "licence_type"),
        ("accepted_types", "max_upload_mb"),
        ("blank_form", "sample"),
        "notes",
    ]


class FeeInline(DraftOnlyInline, admin.StackedInline):
    model = Fee
    fields = [("order", "name", "amount"), "rule", "legal_basis"]


class ProcessStepInline(DraftOnlyInline, admin.TabularInline):
    model = ProcessStep
    fields = ["order", "step", "name", "limit", "unit", "description"]


class ResultInline(DraftOnlyInline, admin.StackedInline):
    model = Result
    fields = [("order", "name", "kind"), ("grants_licence", "licence_type"), "sample"]


class FAQInline(DraftOnlyInline, admin.StackedInline):
    model = FAQ
    fields = [("order", "question"), "answer"]


class IndentedJSONField(forms.JSONField):
    """The online form's JSON, indented so that staff can read and edit it."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:
            return ""  # no online form
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


class VersionForm(forms.ModelForm):
    online_form = IndentedJSONField(
        label=capfirst(_("online application form")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text=_(
            'The fields of the online form as JSON (docs/services.md, "The online form"). '
            "Needed from online depth level 3."
        ),
    )
    life_events = _codes_field(LifeEvent.choices, _("life events"))
    enterprise_stages = _codes_field(EnterpriseStage.choices, _("enterprise stages"))

    class Meta:
        model = ServiceItemVersion
        fields = [
            "change_note",
            "name",
            "name_en",
            "item_type",
            "audience",
            "legal_basis",
            "conditions",
            "handling_kind",
            "statutory_limit",
            "statutory_unit",
            "promised_limit",
            "promised_unit",
            "fee_charged",
            "wait_for_payment",
            "place",
            "hours",
            "phone",
            "complaint_channel",
            "visits_needed",
            "online_depth",
            "life_events",
            "enterprise_stages",
            "online_form",
        ]


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(admin.ModelAdmin):
    form = VersionForm
    list_display = ["name", "number", "item_code", "body", "status", "published_at"]
    list_filter = ["status", "item_type", "handling_kind"]
    search_fields = ["name", "item__implementation_code", "item__basic_code"]
    list_select_related = ["item__body"]
    actions = ["publish_selected", "new_draft_selected"]
    inlines = [MaterialInline, FeeInline, ProcessStepInline, ResultInline, FAQInline]
    readonly_fields = [
        "item",
        "number",
        "status",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
        "superseded_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["item", ("number", "status"), "change_note"]},
        ),
        (
            _("The item"),
            {"fields": ["name", "name_en", "item_type", "audience", "legal_basis", "conditions"]},
        ),
        (
            _("Time limits and fees"),
            {
                "fields": [
                    "handling_kind",
                    ("statutory_limit", "statutory_unit"),
                    ("promised_limit", "promised_unit"),
                    ("fee_charged", "wait_for_payment"),
                ]
            },
        ),
        (
            _("Where and how"),
            {
                "fields": [
                    "place",
                    "hours",
                    "phone",
                    "complaint_channel",
                    ("visits_needed", "online_depth"),
                ]
            },
        ),
        (_("How people find it"), {"fields": ["life_events", "enterprise_stages"]}),
        (_("Online application form"), {"fields": ["online_form"]}),
        (
            _("History"),
            {
                "fields": [
                    ("created_at", "created_by"),
                    ("published_at", "published_by"),
                    "superseded_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("implementation code"), ordering="item__implementation_code")
    def item_code(self, version):
        return version.item.implementation_code

    @admin.display(description=_("implementing body"), ordering="item__body__code")
    def body(self, version):
        return version.item.body

    def get_queryset(self, request):
        return selectors.versions_visible_to(request.user).select_related("item__body")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # published versions are kept: one draft at a time
        return actions

    def has_add_permission(self, request):
        return False  # versions come from an item's creation or from "new draft"

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("services.publish_serviceitemversion")

    def has_draft_permission(self, request):
        return request.user.has_perm("services.change_serviceitemversion")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            "services.draft.changed",
            body=obj.item.body,
            obj=obj,
            request=request,
            detail={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        services.delete_draft(obj, request.user, request=request)

    @admin.action(description=_("Publish the selected drafts"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = 0
        for version in queryset.select_related("item").order_by("item", "number"):
            if not version.is_draft:
                self.message_user(
                    request,
                    gettext("%(version)s is not a draft; it was left as it is.")
                    % {"version": version},
                    messages.WARNING,
                )
                continue
            try:
                services.publish_version(version, request.user, request=request)
            except services.ServicesError as error:
                _report(self, request, error, prefix=f"{version.name}: ")
                continue
            published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d version published; the external zone receives it.",
                    "%(count)d versions published; the external zone receives them.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Start a new draft from the selected versions"), permissions=["draft"]
    )
    def new_draft_selected(self, request, queryset):
        _new_drafts(self, request, ServiceItem.objects.filter(versions__in=queryset).distinct())


def _new_drafts(modeladmin, request, items) -> None:
    made = []
    for item in items:
        try:
            made.append(services.new_draft(item, by=request.user, request=request))
        except services.ServicesError as error:
            _report(modeladmin, request, error)
    if len(made) == 1:
        url = reverse("admin:services_serviceitemversion_change", args=[made[0].pk])
        modeladmin.message_user(
            request, gettext("Draft version %(number)d made.") % {"number": made[0].number}
        )
        return HttpResponseRedirect(url)
    if made:
        modeladmin.message_user(
            request, gettext("%(count)d drafts made.") % {"count": len(made)}, messages.SUCCESS
        )
    return None


# --- items --------------------------------------------------------------------------------


class VersionInline(admin.TabularInline):
    model = ServiceItemVersion
    fields = ["number", "name", "status", "published_at", "superseded_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemAddForm(forms.ModelForm):
    """A new item: its codes, its body, and the name and type of its first draft."""

    first_name = forms.CharField(
        label=_("name"), max_length=200, help_text=_("事项名称, as in the catalogue of items.")
    )
    item_type = forms.ChoiceField(label=_("item type"), choices=ItemType.choices)

    class Meta:
        model = ServiceItem
        fields = ["implementation_code", "basic_code", "body"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Shown in the history of the item, and sent with the withdrawal."),
    )


class PublishedFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("published", _("offered")),
            ("withdrawn", _("withdrawn")),
            ("draft", _("with a draft")),
        ]

    def queryset(self, request, queryset):
        drafts = ServiceItemVersion.objects.filter(item=OuterRef("pk"), status=Status.DRAFT)
        published = ServiceItemVersion.objects.filter(item=OuterRef("pk"), status=Status.PUBLISHED)
        if self.value() == "published":
            return queryset.filter(Exists(published), withdrawn_at__isnull=True)
        if self.value() == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        if self.value() == "draft":
            return queryset.filter(Exists(drafts))
        return queryset


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["implementation_code", "name", "body", "state", "basic_code"]
    list_filter = [PublishedFilter, ("body", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["implementation_code", "basic_code", "name", "versions__name"]
    list_select_related = ["body"]
    inlines = [VersionInline]
    actions = ["new_draft_selected", "withdraw_selected"]
    readonly_fields = [
        "implementation_code",
        "basic_code",
        "body",
        "name",
        "created_at",
        "created_by",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    ]

    def get_queryset(self, request):
        published = ServiceItemVersion.objects.filter(item=OuterRef("pk"), status=Status.PUBLISHED)
        return (
            selectors.items_visible_to(request.user)
            .select_related("body")
            .annotate(published_number=Subquery(published.values("number")[:1]))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ItemAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["implementation_code", "basic_code", "body", "first_name", "item_type"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = visible_bodies(request.user).filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return False  # an item is withdrawn, not deleted: cases and the record refer to it

    def has_draft_permission(self, request):
        return request.user.has_perm("services.change_serviceitemversion")

    def has_withdraw_permission(self, request):
        return request.user.has_perm("services.withdraw_serviceitem")

    @admin.display(description=_("state"))
    def state(self, item):
        if item.is_withdrawn:
            return gettext("withdrawn")
        if item.published_number is not None:
            return gettext("offered (version %(number)d)") % {"number": item.published_number}
        return gettext("draft, never published")

    def save_model(self, request, obj, form, change):
        if change:  # nothing of an item is edited here: its versions are
            return
        try:
            created = services.create_item(
                body=form.cleaned_data["body"],
                basic_code=form.cleaned_data["basic_code"],
                implementation_code=form.cleaned_data["implementation_code"],
                name=form.cleaned_data["first_name"],
                item_type=form.cleaned_data["item_type"],
                by=request.user,
            )
        except ValidationError as error:  # checked by the form already; kept for races
            raise ValueError(error) from error
        obj.pk = created.pk
        obj.__dict__.update(
            {key: value for key, value in created.__dict__.items() if key != "_state"}
        )
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        draft = obj.versions.filter(status=Status.DRAFT).first()
        if draft is None or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            gettext("Item made. Fill in its first draft, then publish it."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:services_serviceitemversion_change", args=[draft.pk])
        )

    @admin.action(description=_("Start a new draft of the selected items"), permissions=["draft"])
    def new_draft_selected(self, request, queryset):
        return _new_drafts(self, request, queryset)

    @admin.action(
        description=_("Withdraw the selected items (停用) with a reason"),
        permissions=["withdraw"],
    )
    def withdraw_selected(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for item in queryset:
                try:
                    services.withdraw_item(
                        item, request.user, reason=form.cleaned_data["reason"], request=request
                    )
                except services.ServicesError as error:
                    _report(self, request, error)
                    continue
                done += 1
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d item withdrawn; the hall no longer offers it.",
                        "%(count)d items withdrawn; the hall no longer offers them.",
                        done,
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Withdraw service items"),
            "opts": self.model._meta,
            "form": form,
            "rows": queryset,
            "action": "withdraw_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
        }
        return TemplateResponse(request, "services/withdraw.html", context)
