"""The generation of the anonymous page cache (egov/portal/cache.py).

One row. Its token changes whenever something shown on the portal's pages changes (a page
published, unpublished, moved or deleted, a site's settings, a snippet, a body of the
directory …). Every process of a deployment — the web server and the Huey worker, which runs
scheduled publishing — shares the database, so a change made in one process reaches the
cache keys of all the others.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageCacheGeneration(models.Model):
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("page cache generation")
        verbose_name_plural = _("page cache generations")

    def __str__(self) -> str:
        return self.token
