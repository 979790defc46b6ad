"""Rows that are written once and never changed or deleted: the steps of a case, a request
or a letter. One behaviour for every module's history (architecture: nothing is lost)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordKeptError(ValueError):
    """A record that is kept as written (an event) was to be changed or deleted."""


class KeptAsWritten(models.Model):
    """Saving an existing row or deleting one raises ``kept_error`` (each module names its
    own subclass of ``RecordKeptError``). Bulk updates bypass this, as they bypass ``save``:
    the modules' services never use them on these tables."""

    kept_error: type[RecordKeptError] = RecordKeptError

    class Meta:
        abstract = True

    def _refuse(self):
        return self.kept_error(f"a {self._meta.verbose_name} is kept as written")

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise self._refuse()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self._refuse()


class StepEvent(KeptAsWritten):
    """One step of a matter handled on the one clock: what was done (``action``), the day it
    counts from (``on``), when and by whom, a note and structured detail."""

    action = models.CharField(_("action"), max_length=30)
    on = models.DateField(_("counted on"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
