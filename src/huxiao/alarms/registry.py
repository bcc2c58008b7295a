"""What the alarms module brings: signed one-key alarm posts, the response clock, test windows
(报备), device credentials and the alarm figures."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.core.parameters import Parameter

VIEW = ("alarms.view_alarmevent", "alarms.view_testwindow", "alarms.view_deviceoutage")
DEVICES = (
    "alarms.view_devicecredential",
    "alarms.add_devicecredential",
    "alarms.change_devicecredential",
)
POLICE = (
    *VIEW,
    "alarms.respond_alarmevent",
    "alarms.view_police_details",
    "alarms.add_testwindow",
    *DEVICES,
)

_RESULT_FIGURES = (
    (
        "false",
        _("误报/误触数"),
        _(
            "接警时间在统计期内、处置结果为“误报/误触”的报警数；报备测试时段内的按键记为测试，"
            "不计入（SPEC 2.6“false presses are marked and counted”）。"
        ),
    ),
    (
        "test",
        _("测试报警数"),
        _(
            "接警时间在统计期内、处置结果为“测试”的报警数：报备时段内的按键和设备自检自动记为测试，"
            "民警处置为测试的也计入（SPEC 2.6“tests are reported in advance (报备)”）。"
        ),
    ),
    (
        "real",
        _("真实警情数"),
        _("接警时间在统计期内、处置结果为“真实警情”的报警数（SPEC 2.6）。"),
    ),
    (
        "fault",
        _("设备故障报警数"),
        _("接警时间在统计期内、处置结果为“设备故障”的报警数（SPEC 2.6）。"),
    ),
)

MODULE = Module(
    label="alarms",
    name=_("一键报警"),
    urls="huxiao.alarms.urls",
    url_prefix="alarms/",
    api=("huxiao.alarms.api.router",),
    menu=(
        MenuEntry(
            _("一键报警"),
            "alarms:alarm_list",
            "bell",
            "alarms.view_alarmevent",
            covers=("alarms:alarm_*",),
            order=330,
        ),
        MenuEntry(
            _("测试报备"),
            "alarms:test_window_list",
            "clipboard-check",
            "alarms.view_testwindow",
            covers=("alarms:test_window_*",),
            order=332,
        ),
        MenuEntry(
            _("报警设备密钥"),
            "alarms:device_list",
            "key",
            "alarms.view_devicecredential",
            covers=("alarms:device_*",),
            order=334,
        ),
        MenuEntry(
            _("设备离线记录"),
            "alarms:outage_list",
            "wifi-off",
            "alarms.view_deviceoutage",
            covers=("alarms:outage_*",),
            order=336,
        ),
    ),
    permissions={
        "sysadmin": (*VIEW, *DEVICES),
        "commander": (
            *VIEW,
            "alarms.respond_alarmevent",
            "alarms.view_police_details",
            "alarms.view_devicecredential",
        ),
        "officer": POLICE,
        "community_officer": POLICE,
        "education_officer": VIEW,
        "school_security_chief": (*VIEW, "alarms.add_testwindow"),
        "gate_guard": VIEW,
    },
    permission_labels={
        "alarms.respond_alarmevent": _("处置报警（签收、派警、到场、处置完毕）"),
        "alarms.view_police_details": _("查看报警的公安处置细节"),
    },
    parameters=(
        Parameter(
            "ALARMS_REPLAY_WINDOW_SECONDS",
            _("报警上报重放窗口"),
            _("设备上报的时间戳与服务器时间相差超过此秒数即拒收；随机数在此期间内不得重复使用。"),
            minimum=30,
            maximum=3600,
            env="HUXIAO_ALARMS_REPLAY_WINDOW_SECONDS",
            unit=_("秒"),
            group=_("一键报警"),
        ),
        Parameter(
            "ALARMS_ROTATION_WINDOW_HOURS",
            _("设备密钥更换过渡期"),
            _("更换设备签名密钥后，旧密钥在此小时数内仍然有效，便于现场改配设备；0为立即失效。"),
            minimum=0,
            maximum=720,
            env="HUXIAO_ALARMS_ROTATION_WINDOW_HOURS",
            unit=_("小时"),
            group=_("一键报警"),
        ),
        Parameter(
            "ALARMS_ESCALATION_SECONDS",
            _("报警升级时限"),
            _(
                "报警接警后超过此秒数无人签收即升级至分局，再过此秒数仍无人签收升级至市局指挥中心，"
                "每次升级紧急通知该单位可处置报警的用户（SPEC 2.6“unacknowledged alarms escalate”）。"
            ),
            minimum=10,
            maximum=3600,
            env="HUXIAO_ALARMS_ESCALATION_SECONDS",
            unit=_("秒"),
            group=_("一键报警"),
        ),
        Parameter(
            "ALARMS_HEARTBEAT_INTERVAL_SECONDS",
            _("报警设备心跳间隔"),
            _(
                "已上报心跳的一键报警设备超过此秒数无心跳（设备自设了间隔的按其间隔）即判为离线："
                "登记离线记录和“设备离线”隐患，紧急通知派出所和教育局（issue 16 设备监测）。"
            ),
            minimum=30,
            maximum=86400,
            env="HUXIAO_ALARMS_HEARTBEAT_INTERVAL_SECONDS",
            unit=_("秒"),
            group=_("一键报警"),
        ),
    ),
    tasks=("huxiao.alarms.tasks",),
    facts={"alarms_networked": "huxiao.alarms.facts.alarms_networked"},
    figures=(
        Figure(
            code="alarms.received",
            label=_("接警数"),
            definition=_(
                "接警时间在统计期内的一键报警事件数，含测试和设备自检，链接打开报警事件列表按统计期"
                "筛选出的报警（SPEC 2.6 One-key alarm ingestion）。"
            ),
            compute="huxiao.alarms.figures.received",
            records_url="huxiao.alarms.figures.received_url",
            rows="huxiao.alarms.figures.received_rows",
            period_field="received_at",
            unit=_("起"),
            permission="alarms.view_alarmevent",
        ),
        *(
            Figure(
                code=f"alarms.result_{result}",
                label=label,
                definition=definition,
                compute="huxiao.alarms.figures.by_result",
                records_url="huxiao.alarms.figures.by_result_url",
                rows="huxiao.alarms.figures.by_result_rows",
                args=(result,),
                period_field="received_at",
                unit=_("起"),
                permission="alarms.view_alarmevent",
            )
            for result, label, definition in _RESULT_FIGURES
        ),
        Figure(
            code="alarms.median_minutes_to_acknowledge",
            label=_("签收用时中位数"),
            definition=_(
                "接警时间在统计期内、已签收的报警从接警到签收的分钟数的中位数，保留一位小数，无已签收"
                "报警时不计；链接打开报警事件列表按统计期、已签收筛选出的报警，列表上方显示同一中位数"
                "（SPEC 2.6“with response times”）。"
            ),
            compute="huxiao.alarms.figures.median_minutes_to_acknowledge",
            records_url="huxiao.alarms.figures.median_minutes_to_acknowledge_url",
            unit=_("分钟"),
            permission="alarms.view_alarmevent",
            measure="statistic",
        ),
        Figure(
            code="alarms.offline_hours",
            label=_("报警设备离线小时数"),
            definition=_(
                "已上报心跳的一键报警设备在统计期内离线的小时数合计（超过心跳间隔无心跳起算，到恢复"
                "心跳止，仍离线的算到现在），保留一位小数；链接打开报警设备离线记录按统计期筛选出的"
                "记录，列表上方显示同一合计，每条记录列出该设备的离线时长（issue 16 设备监测）。"
            ),
            compute="huxiao.alarms.figures.offline_hours",
            records_url="huxiao.alarms.figures.offline_hours_url",
            unit=_("小时"),
            permission="alarms.view_deviceoutage",
            measure="statistic",
        ),
    ),
    demo=(DemoStep("alarms", "huxiao.alarms.demo.step", after=("schools", "users", "patrols")),),
)
