"""Django admin: only what has no page of its own yet (issue 21, item 8).

Users, roles and role grants, organisations, dictionaries, parameters, sessions, lockouts and
periodic tasks are kept in the product's own pages (/system/, huxiao.system); the audit trail in
/audit/; API tokens in the profile. What stays here is the work calendar (工作日历) until it has
its page, in the product's look (core/templates/admin/base_site.html).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huxiao.core import workcalendar
from huxiao.core.models import CalendarDay

admin.site.site_header = _("护校安园 系统管理")
admin.site.site_title = _("护校安园")
admin.site.index_title = _("系统管理")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """工作日历: the State Council's holiday notice for a year the package does not know yet."""

    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workcalendar.overrides_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workcalendar.overrides_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        workcalendar.overrides_changed()
