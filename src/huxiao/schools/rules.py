"""Compliance rules for one school, as pure functions of its facts (SPEC 2.1).

Each rule returns a ``RuleResult``: pass / fail / unknown / not applicable, the required
and actual numbers, and the source document. The same rules are written as SQL
expressions in ``compliance.py`` for the roll-up over thousands of schools; tests check
that both give the same answer at every boundary.

Sources:
- 公治〔2015〕168号: 公安部、教育部《中小学幼儿园安全防范工作规范（试行）》 — staff+students
  under 100 → at least 1 guard; 100–1000 → at least 2; above 1000, at least 1 more for each
  further 500 students ("不低于"). Guards hold a certificate and are not over 60; closed
  management; one-key alarm and video networked to the police.
- GB/T 29315-2022《中小学、幼儿园安全技术防范系统要求》 — fewer than 100 students in a
  non-boarding school → at least 1; 1000 or more → at least 3, then 1 more per further 500.
- 公通字〔2010〕38号《关于进一步加强学校幼儿园安全防范工作建立健全长效工作机制的意见》
  (quoted by seed 004) — "学生人数在1000人以下的学校配备保安应不低于2名；学生人数在1000人以上的
  学校，学生每增加500人增配保安不低于1名": students only; at least 2, then 1 more for each
  further 500 students beyond 1000 (a part of 500 counts when rounding up, like 168号).
- 攀枝花市公安局 整改报告 (seeds/004): rural boarding schools keep someone on duty 24 hours;
  urban schools' video networking rate at least 80%.
- 《保安服务管理条例》 (国务院令第564号): guards work only with a valid 保安员证.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from huxiao.schools.choices import Locality
from huxiao.schools.policy import POLICY_38, POLICY_168, POLICY_GBT, Policy

PASS, FAIL, UNKNOWN, NA = "pass", "fail", "unknown", "na"
STATUS_LABELS = {PASS: _("达标"), FAIL: _("未达标"), UNKNOWN: _("未知"), NA: _("不适用")}

SRC_168 = "公治〔2015〕168号《中小学幼儿园安全防范工作规范（试行）》"
SRC_GBT = "GB/T 29315-2022《中小学、幼儿园安全技术防范系统要求》"
SRC_38 = "公通字〔2010〕38号《关于进一步加强学校幼儿园安全防范工作建立健全长效工作机制的意见》"
STAFFING_SOURCES = {POLICY_168: SRC_168, POLICY_GBT: SRC_GBT, POLICY_38: SRC_38}
SRC_SEED = "攀枝花市公安局《关于第七期“阳光政务”电视节目反映问题的整改报告》"
SRC_GUARD_REG = "《保安服务管理条例》（国务院令第564号）"


@dataclass(frozen=True)
class SchoolFacts:
    """What the rules need to know about one school (computed in SQL by compliance.py)."""

    students: int = 0
    staff: int = 0
    boarders: int = 0
    is_boarding: bool = False
    locality: str = Locality.URBAN
    closed_management: bool = False
    has_anti_collision: bool = False
    duty_24h: bool = False
    guards_active: int = 0
    guards_bad_certificate: int = 0
    guards_over_age: int = 0
    guards_missing_birth: int = 0
    alarms: int = 0
    alarms_networked: int = 0
    cameras: int = 0
    cameras_networked: int = 0
    cameras_short_retention: int = 0
    cameras_unknown_retention: int = 0
    kit: dict = field(default_factory=dict)
    guard_posts: int | None = None  # active 护学岗 (patrols.GuardPost); None: not counted


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str
    status: str
    required: object = None
    actual: object = None
    source: str = ""
    detail: str = ""
    reading: str = ""  # the documented reading of an ambiguous source, shown beside the result

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def _increments(extra: int, unit: int, round_up: bool) -> int:
    """How many times ``unit`` fits in ``extra``: a part counts when rounding up ("不低于")."""
    if extra <= 0:
        return 0
    return -(-extra // unit) if round_up else extra // unit


def required_guards(facts: SchoolFacts, policy: Policy) -> int:
    """The minimum number of full-time guards for a school under the deployment's policy."""
    students, total = facts.students, facts.students + facts.staff
    if policy.staffing == POLICY_168:
        lower = {"mixed": total, "students": students, "total": total}[policy.reading_168]
        upper = {"mixed": students, "students": students, "total": total}[policy.reading_168]
        base = 1 if lower < 100 else 2 + _increments(upper - 1000, 500, policy.round_up)
    elif policy.staffing == POLICY_38:
        base = 2 + _increments(students - 1000, 500, policy.round_up)
    else:
        if students < 100 and not facts.is_boarding:
            base = 1
        elif students < 1000:
            base = 2
        else:
            # "≥1000 → 3, then +1 per further 500": whole 500s only, so 1000–1499 → 3.
            base = 3 + (students - 1000) // 500
    if policy.boarder_addon and facts.boarders:
        base += _increments(facts.boarders, policy.boarder_addon, policy.round_up)
    return base


def staffing_reading(policy: Policy) -> str:
    if policy.staffing == POLICY_GBT:
        return str(_("按学生人数计；1000人以上每满500人增配1名"))
    if policy.staffing == POLICY_38:
        rounding = (
            _("不足500人的部分按500人计（“不低于”）")
            if policy.round_up
            else _("不足500人的部分不计")
        )
        return str(_("按学生人数计：1000人以下不少于2名，1000人以上每增加500人增配1名；")) + str(
            rounding
        )
    texts = {
        "mixed": _("100人、1000人两档按“教职工+学生”计，1000人以上的增配按学生人数计"),
        "students": _("各档均按学生人数计"),
        "total": _("各档均按“教职工+学生”计"),
    }
    rounding = (
        _("不足500人的部分按500人计（“不低于”）") if policy.round_up else _("不足500人的部分不计")
    )
    return f"{texts[policy.reading_168]}；{rounding}"


def rule_staffing(facts: SchoolFacts, policy: Policy) -> RuleResult:
    required = required_guards(facts, policy)
    reading = staffing_reading(policy)
    if policy.boarder_addon:
        reading += str(_("；地方加配：每%(n)d名寄宿生加配1名") % {"n": policy.boarder_addon})
    return RuleResult(
        "staffing",
        str(_("专职保安员配备")),
        PASS if facts.guards_active >= required else FAIL,
        required,
        facts.guards_active,
        STAFFING_SOURCES[policy.staffing],
        str(_("应配%(r)d名，实有%(a)d名")) % {"r": required, "a": facts.guards_active},
        reading,
    )


def rule_certificates(facts: SchoolFacts, policy: Policy) -> RuleResult:
    if facts.guards_active == 0:
        return RuleResult(
            "certificates",
            str(_("保安员持证上岗")),
            UNKNOWN,
            0,
            0,
            SRC_GUARD_REG,
            str(_("无在岗保安员")),
        )
    bad = facts.guards_bad_certificate
    return RuleResult(
        "certificates",
        str(_("保安员持证上岗")),
        FAIL if bad else PASS,
        0,
        bad,
        SRC_GUARD_REG,
        str(_("%(n)d名保安员无证或证件过期")) % {"n": bad} if bad else str(_("全部持有效证件")),
    )


def rule_guard_age(facts: SchoolFacts, policy: Policy) -> RuleResult:
    title = str(_("保安员年龄不超过%(n)d岁")) % {"n": policy.guard_max_age}
    if facts.guards_over_age:
        return RuleResult(
            "guard_age",
            title,
            FAIL,
            0,
            facts.guards_over_age,
            SRC_168,
            str(_("%(n)d名保安员超龄")) % {"n": facts.guards_over_age},
        )
    if facts.guards_missing_birth:
        return RuleResult(
            "guard_age",
            title,
            UNKNOWN,
            0,
            None,
            SRC_168,
            str(_("%(n)d名保安员未登记出生日期")) % {"n": facts.guards_missing_birth},
        )
    if facts.guards_active == 0:
        return RuleResult("guard_age", title, UNKNOWN, 0, None, SRC_168, str(_("无在岗保安员")))
    return RuleResult("guard_age", title, PASS, 0, 0, SRC_168)


def _flag(code: str, title, ok: bool, source: str) -> RuleResult:
    return RuleResult(code, str(title), PASS if ok else FAIL, True, ok, source)


def rule_closed_management(facts: SchoolFacts, policy: Policy) -> RuleResult:
    return _flag("closed_management", _("封闭化管理"), facts.closed_management, SRC_168)


def rule_alarm_networked(facts: SchoolFacts, policy: Policy) -> RuleResult:
    result = _flag(
        "alarm_networked", _("一键式紧急报警与公安联网"), facts.alarms_networked > 0, SRC_168
    )
    detail = str(_("未安装一键式紧急报警")) if facts.alarms == 0 else ""
    return RuleResult(
        **{**result.__dict__, "actual": facts.alarms_networked, "required": 1, "detail": detail}
    )


def rule_video_networked(facts: SchoolFacts, policy: Policy) -> RuleResult:
    result = _flag("video_networked", _("视频监控与公安联网"), facts.cameras_networked > 0, SRC_168)
    detail = str(_("未安装视频监控")) if facts.cameras == 0 else ""
    return RuleResult(
        **{**result.__dict__, "actual": facts.cameras_networked, "required": 1, "detail": detail}
    )


def rule_guard_post(facts: SchoolFacts, policy: Policy) -> RuleResult:
    """At least one active 护学岗 (a post of the patrols module) at the school's gate."""
    title = str(_("护学岗设置"))
    if facts.guard_posts is None:  # facts assembled without the patrols module's count
        return RuleResult("guard_post", title, UNKNOWN, 1, None, SRC_168, str(_("未统计护学岗")))
    if facts.guard_posts > 0:
        detail = str(_("已设护学岗%(n)d个")) % {"n": facts.guard_posts}
    else:
        detail = str(_("未设护学岗"))
    return RuleResult(
        "guard_post",
        title,
        PASS if facts.guard_posts > 0 else FAIL,
        1,
        facts.guard_posts,
        SRC_168,
        detail,
    )


def rule_anti_collision(facts: SchoolFacts, policy: Policy) -> RuleResult:
    title = str(_("防冲撞设施（城区、镇区学校）"))
    if facts.locality == Locality.RURAL:
        return RuleResult(
            "anti_collision", title, NA, None, None, SRC_168, str(_("乡村学校不作要求"))
        )
    return RuleResult(
        "anti_collision",
        title,
        PASS if facts.has_anti_collision else FAIL,
        True,
        facts.has_anti_collision,
        SRC_168,
    )


def rule_camera_retention(facts: SchoolFacts, policy: Policy) -> RuleResult:
    title = str(_("录像保存不少于%(n)d天")) % {"n": policy.camera_retention_days}
    days = policy.camera_retention_days
    if facts.cameras == 0:
        return RuleResult(
            "camera_retention", title, FAIL, days, None, SRC_GBT, str(_("未安装视频监控"))
        )
    if facts.cameras_short_retention:
        return RuleResult(
            "camera_retention",
            title,
            FAIL,
            days,
            None,
            SRC_GBT,
            str(_("%(n)d路视频保存不足")) % {"n": facts.cameras_short_retention},
        )
    if facts.cameras_unknown_retention:
        return RuleResult(
            "camera_retention",
            title,
            UNKNOWN,
            days,
            None,
            SRC_GBT,
            str(_("%(n)d路视频未登记保存天数")) % {"n": facts.cameras_unknown_retention},
        )
    return RuleResult("camera_retention", title, PASS, days, days, SRC_GBT)


def rule_equipment_kit(facts: SchoolFacts, policy: Policy) -> RuleResult:
    missing = {
        item: (need, facts.kit.get(item, 0))
        for item, need in policy.min_kit.items()
        if facts.kit.get(item, 0) < need
    }
    detail = "；".join(
        f"{policy.kit_label(item)} {have}/{need}" for item, (need, have) in missing.items()
    )
    return RuleResult(
        "equipment_kit",
        str(_("守卫防护装备配齐")),
        FAIL if missing else PASS,
        len(policy.min_kit),
        len(policy.min_kit) - len(missing),
        SRC_168,
        detail,
    )


def rule_duty_24h(facts: SchoolFacts, policy: Policy) -> RuleResult:
    title = str(_("农村寄宿制学校24小时值守"))
    if facts.locality != Locality.RURAL or not facts.is_boarding:
        return RuleResult(
            "duty_24h", title, NA, None, None, SRC_SEED, str(_("仅适用于农村寄宿制学校"))
        )
    return RuleResult(
        "duty_24h", title, PASS if facts.duty_24h else FAIL, True, facts.duty_24h, SRC_SEED
    )


RULES = (
    rule_staffing,
    rule_certificates,
    rule_guard_age,
    rule_closed_management,
    rule_alarm_networked,
    rule_video_networked,
    rule_guard_post,
    rule_anti_collision,
    rule_camera_retention,
    rule_equipment_kit,
    rule_duty_24h,
)
RULE_CODES = (
    "staffing",
    "certificates",
    "guard_age",
    "closed_management",
    "alarm_networked",
    "video_networked",
    "guard_post",
    "anti_collision",
    "camera_retention",
    "equipment_kit",
    "duty_24h",
)


def evaluate(facts: SchoolFacts, policy: Policy) -> list[RuleResult]:
    return [rule(facts, policy) for rule in RULES]


def age_on(birth_date: dt.date | None, today: dt.date) -> int | None:
    """Full years on ``today`` (None without a birth date)."""
    if birth_date is None:
        return None
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def age_cutoff(today: dt.date, max_age: int) -> dt.date:
    """Born on or before this date → older than ``max_age`` today (turned max_age+1)."""
    try:
        return today.replace(year=today.year - max_age - 1)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - max_age - 1, day=28)
