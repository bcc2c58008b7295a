"""What the alarms module brings: signed one-key alarm posts, the response clock, test windows
(报备), device credentials and the alarm figures."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from huxiao.alarms.choices import AlarmKind
from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.core.parameters import Parameter

VIEW = ("alarms.view_alarmevent", "alarms.view_testwindow", "alarms.view_deviceoutage")
DEVICES = (
    "alarms.view_devicecredential",
    "alarms.add_devicecredential",
    "alarms.change_devicecredential",
)
# The response-time statistics: police and education roles (not the school's own).
STATISTICS = "alarms.view_statistics"
POLICE = (
    *VIEW,
    STATISTICS,
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

# A lazy text with named values filled in when it is read (in the reader's language).
_fill = lazy(lambda text, values: str(text) % {k: str(v) for k, v in values.items()}, str)

_KIND_FIGURES = tuple(
    (kind, _fill(_("%(kind)s报警数"), {"kind": kind_label}), kind_label)
    for kind, kind_label in AlarmKind.choices
)

_SIGN, _SEND, _ARRIVE = _("签收"), _("派警"), _("到场")
_MEDIAN, _P90 = _("中位数"), _("第90百分位数（90%的报警不超过此用时）")
_RESPONSE_FIGURES = (
    ("acknowledge", "median", _("签收用时中位数"), _SIGN, _MEDIAN),
    ("acknowledge", "p90", _("签收用时P90"), _SIGN, _P90),
    ("dispatch", "median", _("派警用时中位数"), _SEND, _MEDIAN),
    ("dispatch", "p90", _("派警用时P90"), _SEND, _P90),
    ("on_scene", "median", _("到场用时中位数"), _ARRIVE, _MEDIAN),
    ("on_scene", "p90", _("到场用时P90"), _ARRIVE, _P90),
)

# The alarms part of the 工作情况报告 (its default text; an organisation may rewrite it).
REPORT_TEXT = (
    "{本单位}依托一键式紧急报警系统，实现学校报警与公安机关联网、接处警全程留痕。{统计期间}，"
    "辖区学校一键报警接警{alarms.received}起，其中真实警情{alarms.result_real}起，"
    "误报/误触{alarms.result_false}起（误报率{alarms.false_press_rate}%），报备测试"
    "{alarms.reported_tests}起；签收用时中位数{alarms.median_minutes_to_acknowledge}分钟，"
    "到场用时中位数{alarms.median_minutes_to_on_scene}分钟，90%的报警在"
    "{alarms.p90_minutes_to_on_scene}分钟内到场；因超时无人签收逐级升级{alarms.escalated}起，"
    "确保遇有突发事件能够快速反应，及时处置。"
)

# Every alarms figure can be counted in one read of the period's alarms (figures.batch).
_BATCH = "huxiao.alarms.figures.batch"

MODULE = Module(
    label="alarms",
    name=_("一键报警"),
    urls="huxiao.alarms.urls",
    url_prefix="alarms/",
    api=("huxiao.alarms.api.router",),
    menu=(
        MenuEntry(
            _("报警值班台"),
            "alarms:console",
            "broadcast",
            "alarms.view_alarmevent",
            covers=("alarms:console",),
            order=329,
        ),
        MenuEntry(
            _("一键报警"),
            "alarms:alarm_list",
            "bell",
            "alarms.view_alarmevent",
            covers=("alarms:alarm_*",),
            order=330,
        ),
        MenuEntry(
            _("报警统计"),
            "alarms:statistics",
            "bar-chart-line",
            STATISTICS,
            covers=("alarms:statistics*",),
            order=331,
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
            STATISTICS,
            "alarms.respond_alarmevent",
            "alarms.view_police_details",
            "alarms.view_devicecredential",
        ),
        "officer": POLICE,
        "community_officer": POLICE,
        "education_officer": (*VIEW, STATISTICS),
        "school_security_chief": (*VIEW, "alarms.add_testwindow"),
        "gate_guard": VIEW,
    },
    permission_labels={
        "alarms.respond_alarmevent": _("处置报警（签收、派警、到场、处置完毕）"),
        "alarms.view_police_details": _("查看报警的公安处置细节"),
        "alarms.view_statistics": _("查看报警统计（响应用时、误报率）"),
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
    websockets=(("ws/alarms/", "huxiao.alarms.consumers.AlarmConsoleConsumer"),),
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
            batch=_BATCH,
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
                batch=_BATCH,
            )
            for result, label, definition in _RESULT_FIGURES
        ),
        *(
            Figure(
                code=f"alarms.kind_{kind}",
                label=label,
                definition=_fill(
                    _(
                        "接警时间在统计期内、报警类型为“%(kind)s”的报警数，含测试，链接打开报警事件列表"
                        "按统计期和报警类型筛选出的报警（SPEC 2.6；issue 16 item 7 alarms by kind）。"
                    ),
                    {"kind": kind_label},
                ),
                compute="huxiao.alarms.figures.by_kind",
                records_url="huxiao.alarms.figures.by_kind_url",
                rows="huxiao.alarms.figures.by_kind_rows",
                args=(kind,),
                period_field="received_at",
                unit=_("起"),
                permission="alarms.view_alarmevent",
                batch=_BATCH,
            )
            for kind, label, kind_label in _KIND_FIGURES
        ),
        Figure(
            code="alarms.reported_tests",
            label=_("报备测试按键数"),
            definition=_(
                "接警时间在统计期内、落在学校事先报备的测试时段内的按键数，记为测试，不响铃、不计误报；"
                "链接打开报警事件列表按统计期、报备时段内筛选出的报警（SPEC 2.6“tests are reported "
                "in advance (报备)”）。"
            ),
            compute="huxiao.alarms.figures.reported_tests",
            records_url="huxiao.alarms.figures.reported_tests_url",
            rows="huxiao.alarms.figures.reported_tests_rows",
            period_field="received_at",
            unit=_("起"),
            permission="alarms.view_alarmevent",
            batch=_BATCH,
        ),
        Figure(
            code="alarms.escalated",
            label=_("升级报警数"),
            definition=_(
                "接警时间在统计期内、因超时无人签收而升级至分局或市局指挥中心的报警数（每起报警计一次，"
                "不论升级几级）；链接打开报警事件列表按统计期、已升级筛选出的报警"
                "（SPEC 2.6“unacknowledged alarms escalate”）。"
            ),
            compute="huxiao.alarms.figures.escalated",
            records_url="huxiao.alarms.figures.escalated_url",
            rows="huxiao.alarms.figures.escalated_rows",
            period_field="received_at",
            unit=_("起"),
            permission="alarms.view_alarmevent",
            batch=_BATCH,
        ),
        Figure(
            code="alarms.false_press_rate",
            label=_("误报率"),
            definition=_(
                "接警时间在统计期内的报警中，处置结果为“误报/误触”的报警数占非测试报警数（报备时段内"
                "按键、设备自检和处置为测试的不计，未处置完毕的计入）的百分比，保留一位小数，无非测试"
                "报警时不计；链接打开误报/误触的报警，报警事件列表按“测试：否”筛选即得分母"
                "（SPEC 2.6“false presses are marked and counted”；issue 16 item 7 alert fatigue）。"
            ),
            compute="huxiao.alarms.figures.false_press_rate",
            records_url="huxiao.alarms.figures.false_press_rate_url",
            unit="%",
            permission="alarms.view_alarmevent",
            batch=_BATCH,
            measure="rate",
        ),
        *(
            Figure(
                code=f"alarms.{statistic}_minutes_to_{step}",
                label=label,
                definition=_fill(
                    _(
                        "接警时间在统计期内、已%(step)s的报警从接警到%(step)s的分钟数的%(stat)s，保留"
                        "一位小数，无已%(step)s报警时不计；链接打开报警事件列表按统计期、已%(step)s"
                        "筛选出的报警，列表上方显示同一数值（SPEC 2.6“with response times”；issue 16 "
                        "item 7）。"
                    ),
                    {"step": step_label, "stat": stat_label},
                ),
                compute="huxiao.alarms.figures.response_minutes",
                records_url="huxiao.alarms.figures.response_minutes_url",
                args=(step, statistic),
                unit=_("分钟"),
                permission="alarms.view_alarmevent",
                batch=_BATCH,
                measure="statistic",
            )
            for step, statistic, label, step_label, stat_label in _RESPONSE_FIGURES
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
    report_parts=(
        {
            "key": "一键报警",
            "kinds": ("work_report",),
            "order": 50,
            "codes": ("alarms.received",),
            "defaults": {"work_report": REPORT_TEXT},
        },
    ),
    demo=(DemoStep("alarms", "huxiao.alarms.demo.step", after=("schools", "users", "patrols")),),
)
