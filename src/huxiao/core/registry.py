"""What core brings: the shell's pages, users and organisations, audit, notifications, my tasks."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.maps import check_tile_url
from huxiao.core.modules import DemoStep, MenuEntry, Module
from huxiao.core.parameters import Parameter

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
    permission_labels={
        "core.view_all_organizations": _("查看全部单位"),
        "core.view_audit": _("查阅审计日志"),
        "core.view_health": _("查看服务监控"),
        "core.reset_second_factor": _("重置双因素认证"),
    },
    urls="huxiao.core.urls",
    url_prefix="",
    api=("huxiao.core.api.router", "huxiao.core.api_audit.router"),
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
            _("通知"), "core:notification_list", "bell", covers=("core:notification_*",), order=990
        ),
    ),
    permissions={"sysadmin": CALENDAR},
    demo=(
        DemoStep("organizations", "huxiao.demo.organizations.step_organizations"),
        DemoStep("users", "huxiao.demo.users.step_users", after=("organizations",)),
    ),
    tasks=("huxiao.core.tasks",),
    parameters=(
        Parameter(
            "LOGIN_FAILURE_LIMIT",
            _("登录失败锁定次数"),
            _("同一账号连续登录失败达到此次数即锁定（等保2.0 身份鉴别：登录失败处理）。"),
            minimum=1,
            maximum=20,
            env="HUXIAO_LOGIN_FAILURE_LIMIT",
            unit=_("次"),
            group=_("账号安全"),
        ),
        Parameter(
            "LOCKOUT_MINUTES",
            _("账号锁定时长"),
            _("账号被锁定后自动解锁前的时间；管理员也可在“锁定账号”中立即解锁。"),
            minimum=1,
            maximum=1440,
            env="HUXIAO_LOCKOUT_MINUTES",
            unit=_("分钟"),
            group=_("账号安全"),
        ),
        Parameter(
            "SESSION_IDLE_SECONDS",
            _("会话空闲超时"),
            _("无操作超过此时间自动退出登录（等保2.0 身份鉴别：登录连接超时自动退出）。"),
            minimum=60,
            maximum=28800,
            env="HUXIAO_SESSION_IDLE_SECONDS",
            unit=_("秒"),
            group=_("账号安全"),
        ),
        Parameter(
            "UPLOAD_MAX_MB",
            _("上传文件大小上限"),
            _("照片、扫描件等附件的单个文件大小上限。"),
            minimum=1,
            maximum=100,
            env="HUXIAO_UPLOAD_MAX_MB",
            unit=_("MB"),
            group=_("文件"),
        ),
        Parameter(
            "MAP_TILE_URL",
            _("地图瓦片地址"),
            _("地图底图的瓦片地址模板，如 https://…/{z}/{x}/{y}.png；留空为无底图（离线部署）。"),
            kind="str",
            env="HUXIAO_MAP_TILE_URL",
            group=_("地图"),
            validator=check_tile_url,
        ),
        Parameter(
            "MAP_TILE_ATTRIBUTION",
            _("地图瓦片版权说明"),
            _("显示在地图右下角的底图来源说明。"),
            kind="str",
            env="HUXIAO_MAP_TILE_ATTRIBUTION",
            group=_("地图"),
        ),
    ),
)
