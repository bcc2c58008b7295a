"""Pure rules of the gate module, each with its source.

- Visit states: one table (``VISIT_TRANSITIONS``). A registration whose match hit a key person
  or a ban, or could not be made, is held for review (issue 17 item 2: "never silently let
  through"); a clear one is in school at once.
- Plates: GA 36-2018 《中华人民共和国机动车号牌》 — ordinary plates (province, issuing-office
  letter, five characters; 挂/学/警/港/澳 last) and new-energy plates (six characters after the
  letter: D/F-led for small vehicles — since 2022 also A–K —, D/F-ending for large ones).
- Repeated seizures: a school with ``GATE_SEIZURE_FLAG_COUNT`` seizures within
  ``GATE_SEIZURE_FLAG_DAYS`` days is flagged (issue 17 item 6).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from huxiao.gate.choices import BanBasis, MatchOutcome, VisitAction, VisitState

# (state, action) -> new state
VISIT_TRANSITIONS: dict[tuple[str, str], str] = {
    (VisitState.HELD, VisitAction.RELEASE): VisitState.IN,
    (VisitState.HELD, VisitAction.REFUSE): VisitState.REFUSED,
    (VisitState.IN, VisitAction.CHECK_OUT): VisitState.OUT,
}

# Which actions need the review permission (the rest: the guard's own check-out).
REVIEW_ACTIONS = frozenset({VisitAction.RELEASE, VisitAction.REFUSE})


def visit_next_state(state: str, action: str) -> str | None:
    return VISIT_TRANSITIONS.get((state, action))


def visit_actions(state: str) -> list[str]:
    return [action for (s, action) in VISIT_TRANSITIONS if s == state]


def state_after_match(outcome: str) -> str:
    return VisitState.IN if outcome == MatchOutcome.CLEAR else VisitState.HELD


PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ALNUM = "A-HJ-NP-Z0-9"  # letters I and O are never used (GA 36-2018)
ORDINARY_PLATE = re.compile(rf"^[{PROVINCES}][A-HJ-NP-Z][{_ALNUM}]{{4}}[{_ALNUM}挂学警港澳]$")
NEW_ENERGY_PLATE = re.compile(
    rf"^[{PROVINCES}][A-HJ-NP-Z](?:[A-HJK][{_ALNUM}][0-9]{{4}}|[0-9]{{5}}[DF])$"
)


def normalise_plate(value: str) -> str:
    return re.sub(r"[\s·•.\-]", "", value or "").upper()


def plate_problem(value: str) -> str | None:
    """None for a valid plate (normalised), else the reason in Chinese."""
    plate = normalise_plate(value)
    if not plate:
        return _("请填写车牌号。")
    if plate[0] not in PROVINCES:
        return _("车牌号应以省、自治区、直辖市简称开头，如“川D12345”。")
    if ORDINARY_PLATE.match(plate) or NEW_ENERGY_PLATE.match(plate):
        return None
    if len(plate) == 8:
        return _("新能源车牌格式不正确：如“川DD12345”（小型车）或“川D12345D”（大型车）。")
    return _("车牌号格式不正确：如“川D12345”，字母不含 I 和 O。")


def plate_kind(value: str) -> str:
    plate = normalise_plate(value)
    return "new_energy" if NEW_ENERGY_PLATE.match(plate) else "ordinary"


def ban_in_force(
    *, starts_on: dt.date, ends_on: dt.date | None, revoked: bool, on: dt.date
) -> bool:
    return not revoked and starts_on <= on and (ends_on is None or on <= ends_on)


def ban_instruction(basis: str) -> str:
    return _(
        "该人员在禁入名单内（%(basis)s）：禁止进入校园。请礼貌劝离，不要透露名单内容；"
        "如对方纠缠或有异常举动，立即按一键报警。已通知辖区派出所。"
    ) % {"basis": BanBasis(basis).label}


def unmade_instruction() -> str:
    return _(
        "比对未能完成（系统故障或超时）：暂不放行，登记已标记“未完成比对”并通知辖区派出所；"
        "请核验证件并联系安保负责人，核查后放行。"
    )


def pass_in_force(*, valid_from: dt.date, valid_until: dt.date, revoked: bool, on: dt.date) -> bool:
    return not revoked and valid_from <= on <= valid_until


def seizure_flagged(count: int, threshold: int) -> bool:
    """A school with ``threshold`` or more seizures in the window is flagged (issue 17 item 6)."""
    return threshold > 0 and count >= threshold


def pickup_in_force(
    *, valid_from: dt.date, valid_until: dt.date | None, revoked: bool, on: dt.date
) -> bool:
    return not revoked and valid_from <= on and (valid_until is None or on <= valid_until)


def id_tail(value: str) -> str:
    """The last four characters of an ID number: all a pick-up authorisation keeps."""
    return (value or "").strip().upper()[-4:]
