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


class CalendarYear(models.Model):
    """A year whose State Council 放假调休 notice an administrator has loaded (系统管理 → 工作日历)
    as a whole: its holidays and make-up workdays are the year's ``CalendarDay`` rows.

    Years neither loaded here nor known to the bundled chinese-calendar package count their
    statutory holidays only (``workcalendar.statutory_holidays``), and every deadline that
    reaches into them carries a warning.
    """

    audit_exclude = True  # core.services.calendar_year_load writes one record for the load

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    holidays = models.PositiveSmallIntegerField(_("放假天数"), default=0)
    workdays = models.PositiveSmallIntegerField(_("调休上班天数"), default=0)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)
    loaded_by = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入人"),
    )

    class Meta:
        verbose_name = _("放假调休安排")
        verbose_name_plural = _("放假调休安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"
