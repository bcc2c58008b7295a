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

# 护学岗民警人次 per school day: the check-in list's valid police check-ins (each one 人次, as
# 护学岗上岗人次 counts them) on each school day of the period (figures.police_per_day).
POLICE_PER_SCHOOL_DAY = (
    (
        "mean",
        _("护学岗日均民警人次"),
        _(
            "统计期内截至今天的每个上学日（工作日且辖区内设有护学岗的学校至少一所在学期内）民警在护学岗的"
            "有效打卡次数（每次计一人次，无打卡的上学日计0）的平均数，保留一位小数，链接打开打卡记录列表"
            "按统计期、有效、民警筛选出的打卡，其条数除以上学日数即得（SPEC 2.4 打卡、巡逻统计；"
            "种子004“每日安排巡逻警力207人/次”）。"
        ),
    ),
    (
        "min",
        _("护学岗单日最少民警人次"),
        _(
            "统计期内截至今天的各上学日（工作日且辖区内设有护学岗的学校至少一所在学期内）中，民警在护学岗"
            "有效打卡次数最少一天的次数（无打卡的上学日计0），链接打开打卡记录列表按统计期、有效、民警"
            "筛选出的打卡，逐日计数即得（SPEC 2.4 打卡、巡逻统计；种子004“每日安排巡逻警力207人/次”）。"
        ),
    ),
    (
        "max",
        _("护学岗单日最多民警人次"),
        _(
            "统计期内截至今天的各上学日（工作日且辖区内设有护学岗的学校至少一所在学期内）中，民警在护学岗"
            "有效打卡次数最多一天的次数，链接打开打卡记录列表按统计期、有效、民警筛选出的打卡，逐日计数"
            "即得（SPEC 2.4 打卡、巡逻统计；种子004“每日安排巡逻警力207人/次”）。"
        ),
    ),
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
            rows="huxiao.patrols.figures.guard_post_checkins_rows",
            period_field="date",
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
            rows="huxiao.patrols.figures.patrols_rows",
            period_field="date",
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
            rows="huxiao.patrols.figures.video_patrols_rows",
            period_field="at",
            unit=_("次"),
            permission="patrols.view_videopatrol",
        ),
        Figure(
            code="patrols.active_guard_posts",
            label=_("在岗护学岗数"),
            definition=_("当前启用的护学岗数量，停用的不计，与统计期无关（SPEC 2.4 护学岗）。"),
            compute="huxiao.patrols.figures.active_guard_posts",
            records_url="huxiao.patrols.figures.active_guard_posts_url",
            rows="huxiao.patrols.figures.active_guard_posts_rows",
            unit=_("个"),
            permission="patrols.view_guardpost",
            periodic=False,
        ),
        *(
            Figure(
                code=f"patrols.police_per_school_day_{kind}",
                label=label,
                definition=definition,
                compute="huxiao.patrols.figures.police_per_school_day",
                records_url="huxiao.patrols.figures.police_per_school_day_url",
                args=(kind,),
                unit=_("人次"),
                permission="patrols.view_checkin",
                measure="statistic",
            )
            for kind, label, definition in POLICE_PER_SCHOOL_DAY
        ),
        Figure(
            code="patrols.missed_posts",
            label=_("漏岗岗次"),
            definition=_(
                "统计期内截至此刻的每个上学日，启用护学岗的各值守时段已结束而无任何有效打卡的岗次之和，"
                "链接打开统计期最后一天的巡逻统计页，其“漏岗清单”逐日列出这些岗次"
                "（SPEC 2.4 护学岗、巡逻统计；种子004“在上放学等重点时段……见警率……得到提高”）。"
            ),
            compute="huxiao.patrols.figures.missed_posts",
            records_url="huxiao.patrols.figures.missed_posts_url",
            unit=_("岗次"),
            permission="patrols.view_stats",
            measure="statistic",
        ),
        Figure(
            code="patrols.peak_coverage",
            label=_("高峰时段学校覆盖率"),
            definition=_(
                "统计期内截至此刻的每个上学日，设有启用护学岗且在学期内的学校在各值守时段（上学、放学等"
                "高峰时段，时段在该校各岗均已结束才计）中有任一岗有效打卡的校次占应覆盖校次的百分比，保留"
                "一位小数，无应覆盖校次时不计；链接打开统计期最后一天的巡逻统计页，其“高峰时段学校覆盖"
                "（校次）”为当日的已覆盖/应覆盖校次，各日相加即得（SPEC 2.4 巡逻统计“schools covered "
                "in each peak window”；种子000“严格落实‘护学岗’和高峰勤务机制”）。"
            ),
            compute="huxiao.patrols.figures.peak_coverage",
            records_url="huxiao.patrols.figures.peak_coverage_url",
            unit="%",
            permission="patrols.view_stats",
            measure="statistic",
        ),
        Figure(
            code="patrols.pilot_corridors",
            label=_("试点护学通道"),
            definition=_(
                "当前启用、标为“警校家”试点且已划设护学通道的护学岗数，与统计期无关，即护学岗列表按"
                "试点、启用、护学通道筛选出的岗位（SPEC 2.4 护学岗；种子000“警校家”试点学校"
                "“在校门前规划设置‘护学通道’”）。"
            ),
            compute="huxiao.patrols.figures.pilot_corridors",
            records_url="huxiao.patrols.figures.pilot_corridors_url",
            unit=_("个"),
            permission="patrols.view_guardpost",
            periodic=False,
            rows="huxiao.patrols.figures.pilot_corridors_rows",
        ),
    ),
    facts={"active_guard_posts": "huxiao.patrols.facts.active_guard_posts"},
    demo=(
        DemoStep("patrols", "huxiao.demo.patrols.step_patrols", after=("schools", "inspections")),
    ),
)
