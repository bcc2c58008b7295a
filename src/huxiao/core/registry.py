"""What core brings: the shell's pages, users and organisations, audit, notifications, my tasks."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, MenuEntry, Module

# 工作日历 (holidays and 调休 workdays), kept by administrators in the admin.
CALENDAR = (
    "core.view_calendarday",
    "core.add_calendarday",
    "core.change_calendarday",
    "core.delete_calendarday",
)

MODULE = Module(
    label="core",
    name=_("核心"),
    urls="huxiao.core.urls",
    url_prefix="",
    api=("huxiao.core.api.router",),
    menu=(
        MenuEntry(_("首页"), "core:home", "house-door", covers=("core:home",), order=0),
        MenuEntry(
            _("我的待办"), "core:my_tasks", "list-check", covers=("core:my_tasks",), order=10
        ),
        MenuEntry(
            _("单位"),
            "core:organization_list",
            "diagram-3",
            "core.view_organization",
            covers=("core:organization_*",),
            order=900,
        ),
        MenuEntry(
            _("用户"),
            "core:user_list",
            "people",
            "core.view_user",
            covers=("core:user_*",),
            order=910,
        ),
        MenuEntry(
            _("审计日志"),
            "core:audit_list",
            "journal-text",
            "core.view_audit",
            covers=("core:audit_*",),
            order=920,
        ),
        MenuEntry(
            _("通知"), "core:notification_list", "bell", covers=("core:notification_*",), order=930
        ),
    ),
    permissions={"sysadmin": CALENDAR},
    demo=(
        DemoStep("organizations", "huxiao.demo.organizations.step_organizations"),
        DemoStep("users", "huxiao.demo.users.step_users", after=("organizations",)),
    ),
    tasks=("huxiao.core.tasks",),
)
