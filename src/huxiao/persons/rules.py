"""Pure rules of the key-person registry: review cadence, distance, watchlist instruction.

Review cadence (下次核查日期). The strictest applicable rule wins (the shortest interval);
each interval is a parameter (参数设置; ``PERSONS_REVIEW_DAYS_*``, env ``HUXIAO_REVIEW_DAYS_*``) so a
deployment can follow its own bureau's rules. Defaults and where they come from:

=====================  ======  ==========================================================
rule                   days    source
=====================  ======  ==========================================================
失控 (lost)            0       immediate: a person out of control is looked for today
扬言报复 (revenge)     7       local practice for threats against schools (weekly 见面核查)
精神障碍 3–5级          14      《严重精神障碍管理治疗工作规范（2018年版）》 (国卫疾控发〔2018〕
                               13号) 随访: 病情不稳定（危险性3–5级）2周内随访
总体风险 高            14      local practice: high-risk persons as unstable patients
精神障碍 1–2级          30      same 规范: 病情基本稳定（危险性1–2级）1个月随访
其他在控人员            30      local practice: monthly 走访 of every listed person
精神障碍 0级            90      same 规范: 病情稳定（危险性0级）每3个月随访1次
撤销 (revoked)         —       no further reviews
=====================  ======  ==========================================================

The mental-disorder level 0 interval applies only when nothing stricter does: a level-0
patient who also threatened revenge is reviewed weekly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from huxiao.core import parameters
from huxiao.persons.choices import Category, PersonStatus, RiskLevel

SPEC_SOURCE = "《严重精神障碍管理治疗工作规范（2018年版）》"


@dataclass(frozen=True)
class Cadence:
    """Review intervals in days (defaults: the table above; settings override)."""

    mental_high: int = 14
    mental_medium: int = 30
    mental_stable: int = 90
    revenge: int = 7
    high_risk: int = 14
    default: int = 30

    @classmethod
    def from_settings(cls) -> Cadence:
        return cls(
            mental_high=parameters.get("PERSONS_REVIEW_DAYS_MENTAL_HIGH"),
            mental_medium=parameters.get("PERSONS_REVIEW_DAYS_MENTAL_MEDIUM"),
            mental_stable=parameters.get("PERSONS_REVIEW_DAYS_MENTAL_STABLE"),
            revenge=parameters.get("PERSONS_REVIEW_DAYS_REVENGE"),
            high_risk=parameters.get("PERSONS_REVIEW_DAYS_HIGH_RISK"),
            default=parameters.get("PERSONS_REVIEW_DAYS_DEFAULT"),
        )


@dataclass(frozen=True)
class ReviewPlan:
    due: dt.date | None  # None: no further reviews (revoked)
    days: int | None
    rule: str  # stable code of the rule that decided, e.g. "mental_high"

    @property
    def label(self) -> str:
        return rule_label(self.rule)


def rule_label(code: str) -> str:
    labels = {
        "lost": _("失控：立即查找核查"),
        "revenge": _("扬言报复：每周核查"),
        "mental_high": _("精神障碍危险性3–5级：2周内随访（%(s)s）") % {"s": SPEC_SOURCE},
        "high_risk": _("总体风险高：2周内核查"),
        "mental_medium": _("精神障碍危险性1–2级：1个月随访（%(s)s）") % {"s": SPEC_SOURCE},
        "default": _("在控人员：每月走访"),
        "mental_stable": _("精神障碍危险性0级：每3个月随访（%(s)s）") % {"s": SPEC_SOURCE},
        "revoked": _("已撤销：不再核查"),
    }
    return labels.get(code, code)


def review_interval(
    *,
    categories,
    mental_risk_level: int | None,
    risk_level: str,
    status: str,
    cadence: Cadence | None = None,
) -> tuple[int | None, str]:
    """(days until the next review, rule code); days is None when no review is due."""
    c = cadence or Cadence.from_settings()
    if status == PersonStatus.REVOKED:
        return None, "revoked"
    if status == PersonStatus.LOST:
        return 0, "lost"
    candidates: list[tuple[int, str]] = []
    cats = set(categories or ())
    if Category.REVENGE in cats:
        candidates.append((c.revenge, "revenge"))
    if risk_level == RiskLevel.HIGH:
        candidates.append((c.high_risk, "high_risk"))
    if Category.MENTAL in cats and mental_risk_level is not None:
        if mental_risk_level >= 3:
            candidates.append((c.mental_high, "mental_high"))
        elif mental_risk_level >= 1:
            candidates.append((c.mental_medium, "mental_medium"))
        else:
            candidates.append((c.mental_stable, "mental_stable"))
    if not candidates or cats - {Category.MENTAL}:
        # Any listed person is visited at least monthly; a level-0 patient listed for
        # nothing else keeps the 规范's three months.
        candidates.append((c.default, "default"))
    # Strictest wins; on a tie the rule listed first (the more specific one) names it.
    order = ["lost", "revenge", "mental_high", "high_risk", "mental_medium", "default"]
    order.append("mental_stable")
    return min(candidates, key=lambda item: (item[0], order.index(item[1])))


def next_review(
    *,
    base: dt.date,
    categories,
    mental_risk_level: int | None,
    risk_level: str,
    status: str,
    cadence: Cadence | None = None,
) -> ReviewPlan:
    """The next review date counted from ``base`` (the last review, or the listing date)."""
    days, rule = review_interval(
        categories=categories,
        mental_risk_level=mental_risk_level,
        risk_level=risk_level,
        status=status,
        cadence=cadence,
    )
    return ReviewPlan(None if days is None else base + dt.timedelta(days=days), days, rule)


def review_state(due: dt.date | None, today: dt.date, remind_days: int) -> str:
    """ "overdue", "due" (within ``remind_days``), "ok", or "" (no review planned)."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if due <= today + dt.timedelta(days=remind_days):
        return "due"
    return "ok"


# ---- distance ----------------------------------------------------------------------------

_EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points (error < 0.5 % here)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(a))


def rounded_distance(metres: float, step: int) -> int:
    """Distances are kept to ``step`` metres: enough to say "within 200 m of the gate",
    too coarse to locate a home by combining the distances to several schools."""
    return int(round(metres / step) * step)


# ---- watchlist ---------------------------------------------------------------------------


def guard_instruction(
    *,
    matched: bool,
    status: str = "",
    risk_level: str = "",
    categories=(),
    mental_risk_level: int | None = None,
    by_name: bool = False,
) -> str:
    """What the gate guard is told to do (SPEC 2.5: a clear instruction, never silence)."""
    if not matched:
        return _("未比中重点人员，按正常来访登记流程办理。")
    cats = set(categories or ())
    dangerous = (
        status == PersonStatus.LOST
        or risk_level == RiskLevel.HIGH
        or Category.REVENGE in cats
        or (Category.MENTAL in cats and (mental_risk_level or 0) >= 3)
    )
    if dangerous:
        text = _(
            "比中重点人员（高风险）：请礼貌拖延，不要放行，不要激怒对方；"
            "系统已通知派出所，请立即电话报告；注意自身安全，必要时按一键报警。"
        )
    else:
        text = _(
            "比中重点人员：请不要放行，礼貌请其在校门外等候；系统已通知派出所，请电话报告并等候民警核实。"
        )
    if by_name:
        text += _("（按姓名和出生日期比中，可能同名同生日，请核验身份证件。）")
    return text
