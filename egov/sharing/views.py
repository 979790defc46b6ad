"""Pages of resource sharing.

Staff (internal zone, /staff/sharing/, two-factor by StaffSecurityMiddleware): the
catalogue (every body's staff browse and search it), a resource's page, the providing
body's editing, the requests for access and their decisions, the grants of one's bodies.
Public (/open-data/): the resources open to the public, their metadata and downloads.
Every view checks its permission; the verbs check theirs again (``services``).
"""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.directory.models import Organisation
from egov.directory.scoping import visible_bodies

from . import access, catalogue, services
from .forms import (
    ApproveForm,
    FieldFormSet,
    GrantRequestForm,
    ReasonForm,
    ResourceForm,
    field_values,
)
from .models import CallLog, Frequency, Grant, GrantStatus, Resource, SharingType

PAGE_SIZE = 30


def _require(request, permission: str = services.VIEW) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = {"fields": form.fields.get("wanted") and "wanted" or "granted"}.get(
                field, field
            )
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the catalogue ---------------------------------------------------------------------


@require_safe
def catalogue_list(request):
    _require(request)
    resources = Resource.objects.select_related("provider")
    query = request.GET.get("q", "").strip()[:100]
    provider = request.GET.get("provider", "")
    sharing_type = request.GET.get("type", "")
    if query:
        resources = catalogue.search(resources, query)
    if provider:
        resources = resources.filter(provider__code=provider)
    if sharing_type in SharingType.values:
        resources = resources.filter(sharing_type=sharing_type)
    page = Paginator(resources.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    providers = Organisation.objects.filter(shared_resources__isnull=False).distinct()
    return render(
        request,
        "sharing/catalogue.html",
        {
            "title": _("Information resource catalogue"),
            "page": page,
            "query": query,
            "provider": provider,
            "providers": providers,
            "sharing_type": sharing_type,
            "sharing_types": SharingType.choices,
            "may_add": request.user.has_perm(services.ADD),
        },
    )


@require_safe
def resource_detail(request, code: str):
    _require(request)
    resource = get_object_or_404(Resource.objects.select_related("provider"), code=code)
    mine = Grant.objects.filter(
        resource=resource, consumer_body__in=services.requesting_bodies(request.user)
    ).select_related("consumer_body")
    return render(
        request,
        "sharing/resource.html",
        {
            "title": resource.name,
            "resource": resource,
            "fields": resource.fields.all(),
            "my_grants": mine,
            "may_edit": services.may_edit(request.user, resource),
            "may_request": resource.requestable
            and services.requesting_bodies(request.user).exists(),
            "frequency": Frequency,
        },
    )


@require_http_methods(["GET", "POST"])
def resource_edit(request, code: str | None = None):
    resource = None
    if code is not None:
        _require(request, services.EDIT)
        resource = get_object_or_404(Resource, code=code)
        if not services.may_edit(request.user, resource):
            raise PermissionDenied
    else:
        _require(request, services.ADD)
    bodies = visible_bodies(request.user).filter(is_active=True)
    form = ResourceForm(request.POST or None, instance=resource, bodies=bodies)
    initial = [
        {
            "name": f.name,
            "label": f.label,
            "field_type": f.field_type,
            "meaning": f.meaning,
            "personal": f.personal,
            "mask_kind": f.mask_kind,
        }
        for f in (resource.fields.all() if resource else [])
    ]
    formset = FieldFormSet(request.POST or None, initial=initial, prefix="fields")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.save_resource(
                form.save(commit=False), by=request.user, fields=field_values(formset)
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("sharing_staff:resource", code=saved.code)
    return render(
        request,
        "sharing/resource_form.html",
        {
            "title": _("Change the resource") if resource else _("Describe a new resource"),
            "form": form,
            "formset": formset,
            "resource": resource,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- grants ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_access(request, code: str):
    _require(request, services.REQUEST)
    resource = get_object_or_404(Resource.objects.select_related("provider"), code=code)
    if not resource.requestable:
        raise PermissionDenied
    bodies = services.requesting_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = GrantRequestForm(request.POST or None, resource=resource, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.request_grant(
                resource,
                body=form.cleaned_data["body"],
                purpose=form.cleaned_data["purpose"],
                fields=form.cleaned_data["wanted"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            if grant.status == GrantStatus.GRANTED:
                messages.success(request, _("Access is granted: the resource is shared."))
            else:
                messages.success(request, _("Your request is sent to the providing body."))
            return redirect("sharing_staff:grant", pk=grant.pk)
    return render(
        request,
        "sharing/request.html",
        {"title": _("Ask for access"), "resource": resource, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _grants_for(user):
    """Grants the user may see: asked by their bodies, or on their bodies' resources."""
    seen = visible_bodies(user)
    return Grant.objects.filter(
        Q(consumer_body__in=seen) | Q(resource__provider__in=seen)
    ).select_related("resource", "resource__provider", "consumer_body")


@require_safe
def grant_list(request):
    _require(request)
    grants = _grants_for(request.user)
    seen = visible_bodies(request.user)
    incoming = grants.filter(resource__provider__in=seen)
    return render(
        request,
        "sharing/grants.html",
        {
            "title": _("Access grants"),
            "to_decide": incoming.filter(status=GrantStatus.REQUESTED),
            "incoming": incoming.exclude(status=GrantStatus.REQUESTED)[:100],
            "outgoing": grants.filter(consumer_body__in=seen)[:100],
        },
    )


def _grant_page(request, grant, forms=None, status=200):
    user = request.user
    shown = {}
    if grant.status == GrantStatus.REQUESTED and services.may_decide(user, grant):
        shown["approve"] = (forms or {}).get("approve") or ApproveForm(
            grant=grant, prefix="approve"
        )
        shown["refuse"] = (forms or {}).get("refuse") or ReasonForm(prefix="refuse")
    if grant.status == GrantStatus.GRANTED and services.may_revoke(user, grant):
        shown["revoke"] = (forms or {}).get("revoke") or ReasonForm(prefix="revoke")
    labels = dict(grant.resource.fields.values_list("name", "label"))
    return render(
        request,
        "sharing/grant.html",
        {
            "title": _("Access to %(resource)s for %(body)s")
            % {"resource": grant.resource.name, "body": grant.consumer_body.name},
            "grant": grant,
            "requested": [(n, labels.get(n, n)) for n in grant.fields_requested],
            "granted": [(n, labels.get(n, n)) for n in grant.fields_granted],
            "in_force": grant.in_force(),
            "forms": shown,
        },
        status=status,
    )


@require_safe
def grant_detail(request, pk: int):
    _require(request)
    grant = get_object_or_404(_grants_for(request.user), pk=pk)
    return _grant_page(request, grant)


@require_POST
def grant_act(request, pk: int, verb: str):
    _require(request)
    grant = get_object_or_404(_grants_for(request.user), pk=pk)
    if verb == "approve":
        form = ApproveForm(request.POST, grant=grant, prefix="approve")
    elif verb in ("refuse", "revoke"):
        form = ReasonForm(request.POST, prefix=verb)
    else:
        raise Http404
    allowed = (
        services.may_revoke(request.user, grant)
        if verb == "revoke"
        else services.may_decide(request.user, grant)
    )
    if not allowed:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            if verb == "approve":
                services.approve(
                    grant,
                    by=request.user,
                    fields=data["granted"],
                    expires_on=data["expires_on"],
                    unmasked=data["unmasked"],
                    request=request,
                )
                messages.success(request, _("Access is granted."))
            elif verb == "refuse":
                services.refuse(grant, by=request.user, reason=data["reason"], request=request)
                messages.success(request, _("The request is refused."))
            else:
                services.revoke(grant, by=request.user, reason=data["reason"], request=request)
                messages.success(request, _("The grant is revoked."))
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("sharing_staff:grant", pk=grant.pk)
    grant.refresh_from_db()
    return _grant_page(request, grant, forms={verb: form}, status=400)


@require_safe
def call_log(request):
    """The API calls of one's bodies' systems, and the calls on one's bodies' resources."""
    _require(request, "sharing.view_calllog")
    seen = visible_bodies(request.user)
    provided = Resource.objects.filter(provider__in=seen).values("code")
    calls = CallLog.objects.filter(Q(body__in=seen) | Q(resource_code__in=provided))
    page = Paginator(
        calls.select_related("consumer", "body").order_by("-at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "sharing/calls.html", {"title": _("API calls"), "page": page})


# --- open data (public) ------------------------------------------------------------------


@require_safe
def open_data_list(request):
    resources = access.open_resources().order_by("code")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        resources = catalogue.search(resources, query)
    return render(
        request,
        "sharing/open_data.html",
        {"title": _("Open data"), "resources": resources, "query": query},
    )


def _open_resource(code: str) -> Resource:
    resource = access.open_resources().filter(code=code).first()
    if resource is None:
        raise Http404
    return resource


@require_safe
def open_data_detail(request, code: str):
    resource = _open_resource(code)
    return render(
        request,
        "sharing/open_data_resource.html",
        {
            "title": resource.name,
            "resource": resource,
            "fields": access.public_fields(resource),
            "sample": access.public_rows(resource, 10, 0),
        },
    )


class _Echo:
    def write(self, value):
        return value


@require_safe
def open_data_download(request, code: str, kind: str):
    resource = _open_resource(code)
    names = [field.name for field in access.public_fields(resource)]
    filename = f"{resource.code}.{kind}"
    if kind == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # a BOM, so that spreadsheet programs read UTF-8
            yield writer.writerow(names)
            for row in access.all_public_rows(resource):
                yield writer.writerow(["" if row[n] is None else row[n] for n in names])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    elif kind == "json":
        rows = list(access.all_public_rows(resource))
        response = HttpResponse(
            json.dumps(
                {"resource": resource.code, "name": resource.name, "fields": names, "rows": rows},
                ensure_ascii=False,
                default=str,
            ),
            content_type="application/json; charset=utf-8",
        )
    elif kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(resource.code[:31])
        sheet.append(names)
        for row in access.all_public_rows(resource):
            sheet.append([row[n] for n in names])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
