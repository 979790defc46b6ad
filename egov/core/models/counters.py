from django.db import models
from django.utils.translation import gettext_lazy as _


class YearlyCounter(models.Model):
    """The last number handed out in one numbering series and year (gap-free numbers such as
    the disclosure requests' 依申请公开 numbers). Locked while a number is taken
    (``egov.core.counters.next_number``), so two transactions never get the same number and a
    rolled-back transaction gives its number back."""

    series = models.CharField(_("series"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("yearly counter")
        verbose_name_plural = _("yearly counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="core_counter_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"
