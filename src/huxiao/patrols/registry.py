"""What the patrols module brings: 护学岗, duty shifts, check-ins, patrol routes and logs."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module

PATROLS_VIEW = (
    "patrols.view_guardpost",
    "patrols.view_dutyshift",
    "patrols.view_checkin",
    "patrols.view_stats",
)

PATROLS_POLICE = (
    *PATROLS_VIEW,
    "patrols.add_guardpost",
    "patrols.change_guardpost",
    "patrols.add_dutyshift",
    "patrols.change_dutyshift",
    "patrols.add_checkin",
    "patrols.record_checkin",
    "patrols.view_patrolroute",
    "patrols.add_patrolroute",
    "patrols.change_patrolroute",
    "patrols.view_patrollog",
    "patrols.add_patrollog",
    "patrols.change_patrollog",
    "patrols.view_videopatrol",
    "patrols.add_videopatrol",
)

PATROLS_SCHOOL = (
    *PATROLS_VIEW,
    "patrols.change_guardpost",
    "patrols.add_dutyshift",
    "patrols.change_dutyshift",
    "patrols.add_checkin",
    "patrols.record_checkin",
)

MODULE = Module(
    label="patrols",
    name=_("护学岗与巡逻"),
    permission_labels={
        "patrols.view_stats": _("查看巡逻统计"),
        "patrols.record_checkin": _("代他人登记打卡（人工佐证）"),
        "patrols.checkpointvisit": _("巡逻到点记录"),
    },
    urls="huxiao.patrols.urls",
    url_prefix="patrols/",
    api=("huxiao.patrols.api_checkins.router", "huxiao.patrols.api.router"),
    menu=(
        # The phone check-in page.
        MenuEntry(
            _("打卡"),
            "patrols:checkin",
            "geo-alt",
            "patrols.add_checkin",
            covers=("patrols:checkin*",),
            order=300,
        ),
        MenuEntry(
            _("护学岗"),
            "patrols:post_list",
            "sign-stop",
            "patrols.view_guardpost",
            covers=("patrols:post_*", "patrols:shift_*"),
            order=310,
        ),
        MenuEntry(
            _("巡逻统计"),
            "patrols:patrol_stats",
            "graph-up",
            "patrols.view_stats",
            covers=("patrols:patrol_*", "patrols:route_*", "patrols:video_patrol_*"),
            order=320,
        ),
    ),
    permissions={
        "sysadmin": PATROLS_VIEW,
        "commander": (
            *PATROLS_VIEW,
            "patrols.view_patrolroute",
            "patrols.view_patrollog",
            "patrols.view_videopatrol",
        ),
        "officer": PATROLS_POLICE,
        "community_officer": PATROLS_POLICE,
        "legal_vice_principal": ("patrols.view_guardpost",),
        "education_officer": (*PATROLS_VIEW, "patrols.view_videopatrol"),
        "school_security_chief": PATROLS_SCHOOL,
        "gate_guard": ("patrols.view_guardpost", "patrols.view_dutyshift", "patrols.add_checkin"),
        "volunteer": ("patrols.view_dutyshift", "patrols.add_checkin"),
    },
    # Each counts the rows of a list page, filtered as its records_url filters it (figures.py).
    figures=(
        Figure(
            code="patrols.guard_post_checkins",
            label=_("护学岗上岗人次"),
            definition=_(
                "统计期内在护学岗的有效打卡次数：上学日、值守时段内、在岗点打卡半径内（或扫岗点二维码、"
                "负责人补录）的每次有效打卡计一人次，无效打卡不计（SPEC 2.4 打卡）。"
            ),
            compute="huxiao.patrols.figures.guard_post_checkins",
            records_url="huxiao.patrols.figures.guard_post_checkins_url",
            unit=_("人次"),
            permission="patrols.view_checkin",
        ),
        Figure(
            code="patrols.patrols",
            label=_("巡逻次数"),
            definition=_(
                "统计期内开始、现已结束的网格化巡逻记录数，已完成、未完成（漏巡）和中止的各计一次，"
                "巡逻中的不计（SPEC 2.4 巡逻记录）。"
            ),
            compute="huxiao.patrols.figures.patrols",
            records_url="huxiao.patrols.figures.patrols_url",
            unit=_("次"),
            permission="patrols.view_patrollog",
        ),
        Figure(
            code="patrols.video_patrols",
            label=_("视频巡查次数"),
            definition=_(
                "巡查时间在统计期内的视频巡查记录数，每查看一所学校的摄像头登记一次计一次"
                "（SPEC 2.4 视频巡查）。"
            ),
            compute="huxiao.patrols.figures.video_patrols",
            records_url="huxiao.patrols.figures.video_patrols_url",
            unit=_("次"),
            permission="patrols.view_videopatrol",
        ),
        Figure(
            code="patrols.active_guard_posts",
            label=_("在岗护学岗数"),
            definition=_("当前启用的护学岗数量，停用的不计，与统计期无关（SPEC 2.4 护学岗）。"),
            compute="huxiao.patrols.figures.active_guard_posts",
            records_url="huxiao.patrols.figures.active_guard_posts_url",
            unit=_("个"),
            permission="patrols.view_guardpost",
            periodic=False,
        ),
    ),
    facts={"active_guard_posts": "huxiao.patrols.facts.active_guard_posts"},
    demo=(
        DemoStep("patrols", "huxiao.demo.patrols.step_patrols", after=("schools", "inspections")),
    ),
)
