"""What the patrols module brings: 护学岗, duty shifts, check-ins, patrol routes and logs."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, MenuEntry, Module

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
    facts={"active_guard_posts": "huxiao.patrols.facts.active_guard_posts"},
    demo=(
        DemoStep("patrols", "huxiao.demo.patrols.step_patrols", after=("schools", "inspections")),
    ),
)
