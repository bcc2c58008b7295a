"""Official documents of the rectification loop as .docx: the 整改通知书 and the 督办通知.

Laid out after GB/T 9704-2012 《党政机关公文格式》 by the shared builder
(``huxiao.core.documents.OfficialDocument``); docs/documents.md lists the rules.

Both builders are pure: they read the record and its related rows and return the bytes.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

# The GB/T 9704 builder is shared with the reports' documents (core.documents); the names
# below stay importable from here.
from huxiao.core.documents import (  # noqa: F401
    DOCX_CONTENT_TYPE,
    FANGSONG,
    HEITI,
    KAITI,
    RED,
    XIAOBIAOSONG,
    OfficialDocument,
    _cn_number,
    _date,
    _lines,
    _safe_name,
    _sentence,
    _we,
)
from huxiao.inspections import rules


def _hazard_facts(hazard) -> str:
    text = _("类别：%(category)s；等级：%(severity)s隐患。") % {
        "category": hazard.category_label,
        "severity": hazard.get_severity_display(),
    }
    return text + _sentence(hazard.description)


def notice_docx(notice) -> bytes:
    """The 整改通知书 of a ``RectificationNotice``: its hazards, deadline and requirements."""
    issuer, school = notice.issuer, notice.school
    doc = OfficialDocument(title=notice.title, author=issuer.name, day=notice.issue_date)
    doc.masthead(issuer.name, notice.number)
    doc.title(notice.title)
    doc.addressees([school.organization.name])
    hazards = list(notice.hazards.order_by("found_on", "pk"))
    doc.body(
        _(
            "%(we)s在对你单位安全防范工作的检查中，发现存在以下%(count)d项安全隐患。"
            "为切实保障师生安全，现责令你单位限期整改。有关事项通知如下："
        )
        % {"we": _we(issuer), "count": len(hazards)}
    )
    doc.heading(1, _("存在的安全隐患"))
    for n, hazard in enumerate(hazards, start=1):
        doc.item(n, hazard.title + "。", _hazard_facts(hazard))
    doc.heading(2, _("整改要求"))
    doc.body(
        _("请于%(deadline)s前整改完毕，并将整改情况书面报告%(we)s。")
        % {"deadline": _date(notice.deadline), "we": _we(issuer)}
    )
    requirements = _lines(notice.requirements) or [
        _("整改完成前，应当落实人员值守等临时防范措施，确保师生安全。")
    ]
    for line in requirements:
        doc.body(line)
    doc.body(
        _("逾期未整改或者整改不到位的，%(we)s将依照有关规定实行挂牌督办，并通报教育主管部门。")
        % {"we": _we(issuer)}
    )
    doc.body(_("特此通知。"))
    doc.signature(issuer.name, notice.issue_date)
    # A deadline counted over a year whose 放假调休 arrangement is not loaded says so.
    doc.annotation(rules.deadline_warning(notice.issue_date, notice.deadline))
    copy_to = [notice.copy_to.name] if notice.copy_to_id else []
    doc.record(copy_to=copy_to, issuer=issuer.name, day=notice.issue_date)
    return doc.to_bytes()


def escalation_docx(escalation) -> bytes:
    """The 督办通知 of an ``Escalation``, to the school and the station that issued its notice."""
    hazard, supervisor = escalation.hazard, escalation.supervisor
    school = hazard.school
    notice = hazard.notice if hazard.notice_id else None
    station = notice.issuer if notice is not None else school.organization.parent
    day = timezone.localdate(escalation.created_at)
    title = _("关于对%(school)s“%(hazard)s”安全隐患实行挂牌督办的通知") % {
        "school": school.organization.name,
        "hazard": hazard.title,
    }
    doc = OfficialDocument(title=title, author=supervisor.name, day=day)
    doc.masthead(supervisor.name, escalation.number)
    doc.title(title)
    doc.addressees([school.organization.name] + ([station.name] if station else []))
    doc.body(
        _(
            "根据校园安全隐患排查整改有关规定，%(we)s决定对%(school)s存在的“%(hazard)s”"
            "安全隐患实行挂牌督办。现将有关事项通知如下："
        )
        % {"school": school.organization.name, "hazard": hazard.title, "we": _we(supervisor)}
    )
    doc.heading(1, _("隐患基本情况"))
    doc.item(
        1,
        _("隐患情况。"),
        _("该隐患于%(found)s发现。") % {"found": _date(hazard.found_on)} + _hazard_facts(hazard),
    )
    history = []
    if notice is not None:
        history.append(
            _("%(date)s，%(issuer)s下发整改通知书（%(number)s），要求于%(deadline)s前整改完毕。")
            % {
                "date": _date(notice.issue_date),
                "issuer": notice.issuer.name,
                "number": notice.number,
                "deadline": _date(notice.deadline),
            }
        )
    if hazard.deadline and (notice is None or hazard.deadline != notice.deadline):
        history.append(_("现整改期限为%(d)s。") % {"d": _date(hazard.deadline)})
    if hazard.overdue_count:
        history.append(_("该隐患累计逾期%(n)d次。") % {"n": hazard.overdue_count})
    history.append(
        _("截至督办之日，该隐患处于“%(state)s”状态。") % {"state": hazard.get_state_display()}
    )
    doc.item(2, _("整改经过。"), "".join(history))
    doc.heading(2, _("督办原因"))
    doc.body(_sentence(escalation.reason))
    doc.heading(3, _("督办要求"))
    args = {"school": school.organization.name, "we": _we(supervisor)}
    if escalation.deadline:
        args["deadline"] = _date(escalation.deadline)
        doc.body(_("请%(school)s于%(deadline)s前整改完毕，并将整改情况书面报告%(we)s。") % args)
    else:
        doc.body(
            _("请%(school)s立即落实整改措施，尽快整改完毕，并将整改情况书面报告%(we)s。") % args
        )
    if station is not None:
        doc.body(
            _("%(station)s要加强督促指导，整改完成后及时组织复查，复查合格后予以销号。")
            % {"station": station.name}
        )
    doc.body(_("特此通知。"))
    doc.signature(supervisor.name, day)
    education = school.organization.education_bureau
    doc.record(copy_to=[education.name] if education else [], issuer=supervisor.name, day=day)
    return doc.to_bytes()


def notice_filename(notice) -> str:
    """E.g. “整改通知书-测甲公治〔2026〕1号.docx”."""
    return _safe_name(_("整改通知书-%(number)s") % {"number": notice.number}) + ".docx"


def escalation_filename(escalation) -> str:
    return _safe_name(_("督办通知-%(number)s") % {"number": escalation.number}) + ".docx"
