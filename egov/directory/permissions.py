"""What a role may do: Django permissions granted through memberships.

A staff member's permissions are the union of the permissions of the roles they hold in
active bodies (``RolePermissionBackend``); *which* rows they may act on is the role's data
scope (``scoping.visible_to``) — every view applies both. Roles are data: the back-office
edits their permissions like any other field.

Each app may declare defaults on its AppConfig::

    class ServicesConfig(AppConfig):
        role_permissions = {"window_clerk": ["services.view_serviceitem"], ...}

After every ``migrate`` the defaults that a role has never been granted are added to it, and
remembered in ``Role.granted_defaults``: a permission the district takes away from a role is
not granted again by the next upgrade, while a new app's defaults reach existing roles.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.backends import BaseBackend
from django.db import DEFAULT_DB_ALIAS, router

# The directory's own defaults (other apps declare theirs on their AppConfig).
DIRECTORY_DEFAULTS: dict[str, list[str]] = {
    "system_admin": [
        "directory.view_organisation",
        "directory.add_organisation",
        "directory.change_organisation",
        "directory.view_role",
        "directory.view_membership",
        "directory.add_membership",
        "directory.change_membership",
        "directory.delete_membership",
    ],
    "office_head": ["directory.view_organisation", "directory.view_membership"],
    "approver": ["directory.view_organisation"],
    "supervisor": ["directory.view_organisation"],
}


def default_permissions() -> dict[str, set[str]]:
    """Role code → the permissions (``app_label.codename``) the installed apps propose."""
    result: dict[str, set[str]] = {}
    for config in global_apps.get_app_configs():
        declared = getattr(config, "role_permissions", None) or {}
        for role, names in declared.items():
            result.setdefault(role, set()).update(names)
    return result


def grant_defaults(using: str = DEFAULT_DB_ALIAS) -> int:
    """Grant every role the defaults it has never been granted; returns how many grants."""
    from django.contrib.auth.models import Permission

    from .models import Role

    wanted = default_permissions()
    granted = 0
    for role in Role.objects.using(using).filter(code__in=wanted):
        new = sorted(wanted[role.code] - set(role.granted_defaults))
        if not new:
            continue
        found = {}
        for name in new:
            app_label, _, codename = name.partition(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                found[name] = permission
        if not found:
            continue  # the permissions do not exist yet (their app's migrations come later)
        role.permissions.add(*found.values())
        role.granted_defaults = sorted(set(role.granted_defaults) | set(found))
        role.save(update_fields=["granted_defaults"])
        granted += len(found)
    return granted


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    """post_migrate: runs after each app's own permissions were created. Skipped while the
    database is migrated only part of the way (the roles have no permissions yet)."""
    from .models import Role

    if not router.allow_migrate_model(using, Role):
        return
    if apps is not None:
        try:
            state_role = apps.get_model("directory", "Role")
        except LookupError:
            return
        if "granted_defaults" not in {field.name for field in state_role._meta.get_fields()}:
            return
    grant_defaults(using)


class RolePermissionBackend(BaseBackend):
    """Permissions from the roles of a staff member's memberships in active bodies. It
    authenticates no one."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if getattr(user_obj, "kind", None) != "staff":
            return set()
        cached = getattr(user_obj, "_egov_role_perm_cache", None)
        if cached is None:
            from django.contrib.auth.models import Permission

            rows = (
                Permission.objects.filter(
                    egov_roles__memberships__user=user_obj,
                    egov_roles__memberships__organisation__is_active=True,
                )
                .values_list("content_type__app_label", "codename")
                .distinct()
            )
            cached = {f"{app_label}.{codename}" for app_label, codename in rows}
            user_obj._egov_role_perm_cache = cached
        return cached

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return any(
            perm.partition(".")[0] == app_label for perm in self.get_all_permissions(user_obj)
        )
