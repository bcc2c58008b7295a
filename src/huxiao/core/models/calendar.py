from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day whose working status the State Council's notice fixes (holiday or 调休 workday).

    The table overrides the bundled chinese-calendar data and extends it to years the package
    does not know yet: when the notice for next year is published (usually in November), an
    administrator enters its days here (admin → 工作日历) and deadlines follow at once.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(
        _("说明"), max_length=64, blank=True, help_text=_("如“国庆节”“国庆调休上班”")
    )

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
