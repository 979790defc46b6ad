"""Client systems in the back-office: django-oauth-toolkit's application page, with egov's
claims policy beside it (OAUTH2_PROVIDER["APPLICATION_ADMIN_CLASS"] points here).

An administrator registers a system's redirect addresses, whether it is trusted (no consent
question: "skip authorization"), who may log in to it, and the claims it may receive. Each
save is written to the audit log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oauth2_provider.admin import ApplicationAdmin

from egov.core.audit import record

from .models import ClientPolicy


class ClientPolicyInline(admin.StackedInline):
    model = ClientPolicy
    can_delete = False
    min_num = 0
    max_num = 1
    verbose_name = _("claims policy")
    verbose_name_plural = _("claims policy")
    fields = (
        "purpose",
        "audience",
        ("allow_name", "allow_body", "allow_roles", "allow_phone"),
        "backchannel_logout_uri",
    )


class ClientSystemAdmin(ApplicationAdmin):
    inlines = [ClientPolicyInline]
    list_display = (
        "name",
        "client_id",
        "client_type",
        "authorization_grant_type",
        "skip_authorization",
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        application = form.instance
        policy = ClientPolicy.objects.filter(application=application).first()
        record(
            "oidc.client_changed" if change else "oidc.client_registered",
            obj=application,
            request=request,
            detail={
                "client_id": application.client_id,
                "redirect_uris": application.redirect_uris.split(),
                "trusted": application.skip_authorization,
                "claims": sorted(policy.allowed_scopes() - {"openid"}) if policy else [],
                "audience": policy.audience if policy else "",
            },
        )
