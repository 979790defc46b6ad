from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "egov.directory"
    label = "directory"
    verbose_name = _("Organisation directory")
    role_permissions: dict[str, list[str]] = {}  # the directory's are in permissions.py

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import permissions

        self.role_permissions = permissions.DIRECTORY_DEFAULTS
        post_migrate.connect(permissions.on_post_migrate, dispatch_uid="egov.directory.roles")
