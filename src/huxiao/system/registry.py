"""What system administration brings (系统管理, issue 21): users, roles and data scopes, the
organisation tree, dictionaries, parameters, online users, the sign-in log, lockouts,
periodic tasks and service health, in the product's own pages.

Separation of duties (三权分立, 等保2.0 level 3) is kept: the system administrator keeps accounts,
organisations, dictionaries, parameters and the running platform; the security administrator
keeps roles and who holds them; the auditor reads the trail. A unit administrator (单位管理员,
core.roles) keeps the accounts and organisations of its own subtree: every list here starts
from the same scoped selectors as the rest of the platform.
"""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import MenuEntry, Module

DICTIONARIES = (
    "core.view_dictionaryitem",
    "core.add_dictionaryitem",
    "core.change_dictionaryitem",
    "core.delete_dictionaryitem",
)
PARAMETERS = ("core.view_parametervalue", "core.change_parametervalue")
SESSIONS = ("core.view_usersession", "core.change_usersession")  # 在线用户, force logout
TASKS = ("core.view_periodictaskstate", "core.change_periodictaskstate", "core.view_taskrun")
HEALTH = ("core.view_health",)
ROLES = ("core.view_role", "core.add_role", "core.change_role", "core.delete_role")

MENU = (
    MenuEntry(
            _("用户管理"), "system:user_list", "person-gear", "core.add_user",
            covers=("system:user_*",), order=950,
        ),
        MenuEntry(
            _("角色管理"), "system:role_list", "shield-lock", "core.change_role",
            covers=("system:role_*", "system:grant_*"), order=952,
        ),
        MenuEntry(
            _("单位管理"), "system:organization_tree", "diagram-3-fill", "core.add_organization",
            covers=("system:organization_*",), order=954,
        ),
        MenuEntry(
            _("字典管理"), "system:dictionary_list", "book", "core.view_dictionaryitem",
            covers=("system:dictionary_*",), order=956,
        ),
        MenuEntry(
            _("参数设置"), "system:parameter_list", "sliders", "core.change_parametervalue",
            covers=("system:parameter_*",), order=958,
        ),
        MenuEntry(
            _("工作日历"), "system:calendar", "calendar3", "core.view_calendarday",
            covers=("system:calendar",), order=959,
        ),
        MenuEntry(
            _("在线用户"), "system:session_list", "broadcast", "core.view_usersession",
            covers=("system:session_*", "system:login_*", "system:lockout_*"), order=960,
        ),
        MenuEntry(
            _("定时任务"), "system:task_list", "clock-history", "core.view_periodictaskstate",
            covers=("system:task_*",), order=962,
        ),
        MenuEntry(
            _("服务监控"), "system:health", "heart-pulse", "core.view_health",
            covers=("system:health",), order=964,
        ),
)  # fmt: skip

MODULE = Module(
    label="system",
    name=_("系统管理"),
    urls="huxiao.system.urls",
    url_prefix="system/",
    api=("huxiao.system.api_health.router",),
    menu=MENU,
    permissions={
        "sysadmin": (
            *DICTIONARIES, *PARAMETERS, *SESSIONS, *TASKS, *HEALTH,
        ),
        "org_admin": ("core.view_dictionaryitem", *SESSIONS),
        "secadmin": ROLES,
    },
)  # fmt: skip
