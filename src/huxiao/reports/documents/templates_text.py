"""The default text of each kind of document, written after the seeds' paragraphs (seed 004:
the rectification report of a city bureau to its 纠风办; seed 000: a sub-bureau's reply to a
政协 proposal), and the context names a template may use besides the figures' codes.

An organisation without a template of its own gets these; its edits are kept as versions
(``ReportTemplate``). A part a later module adds (``work_report.SECTIONS``) brings its own
default text, used where an organisation's template has no such part.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huxiao.reports.models import ReportKind

# Context names: what each means, shown on the template's edit page.
COMMON_CONTEXT = {
    "单位": _("出具文书的单位（所选辖区）的全称，如“攀枝花市公安局”"),
    "本单位": _("单位在文中的自称：派出所为“我所”，公安局、分局、教育局为“我局”，其他为“我单位”"),
    "主送机关": _("文书的主送机关，如上级单位或“市纠风办”"),
    "起始日期": _("统计期间的第一天，如“2026年9月1日”"),
    "截止日期": _("统计期间的最后一天，如“2026年9月30日”"),
    "统计期间": _("如“2026年9月1日至2026年9月30日”"),
    "年度": _("统计期间截止日期所在年份，如“2026”"),
}
REPLY_CONTEXT = {
    "收件人": _("答复对象，如“张文珠、杨旭东委员”"),
    "提案标题": _("提案或建议的标题（不含书名号）"),
    "提案编号": _("提案或建议的编号，如“95088”"),
    "会议名称": _("提出提案的会议，如“政协官渡区九届五次会议”"),
}
RECTIFICATION_CONTEXT = {
    "来文": _("反映问题的来源，如“第七期“阳光政务”电视节目”"),
    "反映问题": _("反映的问题，如“关于幼儿园安全”"),
}


def context_help(kind: str) -> dict:
    extra = {ReportKind.REPLY_LETTER: REPLY_CONTEXT}.get(kind, {})
    if kind == ReportKind.RECTIFICATION_REPORT:
        extra = RECTIFICATION_CONTEXT
    return {**COMMON_CONTEXT, **extra}


def context_names(kind: str) -> tuple[str, ...]:
    return tuple(context_help(kind))


# ---- 工作情况报告 and 整改报告: the parts of seed 004 ---------------------------------------

INTRO_WORK = (
    "{统计期间}，{单位}坚持以确保中小学、幼儿园安全为出发点，持续深入推进“护校安园”"
    "各项工作。现将有关工作情况报告如下："
)
INTRO_RECTIFICATION = (
    "{来文}反映问题办理工作的通知收悉，现将通知中涉及的“{反映问题}”问题的整改情况报告如下："
)

LEADERSHIP = (
    "{本单位}高度重视校园安全工作，主要领导亲自部署，联合教育部门研究制定“护校安园”行动"
    "工作方案，成立工作领导小组，明确责任分工，精心安排，慎密部署，全力抓好组织指挥与协调"
    "督办，确保工作落到实处，见到成效。"
)
INSPECTIONS = (
    "{统计期间}，{本单位}对辖区{schools.schools}所中小学、幼儿园逐校逐园开展检查"
    "{inspections.inspections}次，出动警力{inspections.person_times}人次，以防范校园暴力袭击"
    "事件、个人极端事件为重点，对内部保卫力量、守卫防护装备、安全管理制度、安全防范设施、"
    "应急处置机制等逐一进行检查，发现安全隐患{inspections.hazards_found}项，整改销号"
    "{inspections.hazards_closed}项，逐一督促落实整改。\n"
    "目前，辖区学校专职保安员配备达标率{schools.rate_staffing}%，封闭化管理落实率"
    "{schools.rate_closed_management}%，一键式紧急报警和视频监控联网率"
    "{schools.rate_networked}%，护学岗设置率{schools.rate_guard_post}%。"
)
PERSONS = (
    "{本单位}进一步强化校园、幼儿园周边重点人员的滚动排查，{统计期间}已排查重点人员"
    "{persons.screened}人，目前列管重点人员{persons.listed}人，其中在控{persons.in_control}人，"
    "并进一步摸排有潜在暴力倾向的重性精神病人、吸毒人员、心理失衡对社会不满等各类重点人员，"
    "逐一落实管控措施，严防失控漏管。"
)
PATROLS = (
    "{本单位}组织警力与各方力量联勤联防，在上放学及早中晚时段开展校园周边巡逻，{统计期间}"
    "巡逻{patrols.patrols}次，护学岗上岗{patrols.guard_post_checkins}人次，形成严密的校园周边"
    "防控网络，切实提高发现犯罪、制止犯罪的能力，确保遇有突发事件能够快速反应，及时处置。"
)
CLOSING_WORK = (
    "下一步，{本单位}将以确保中小学、幼儿园持续安全为出发点，标本兼治、综合施策，进一步夯实"
    "校园、幼儿园安全工作基础；着力解决突出安全问题，全面强化各项安全管理措施，切实增强广大"
    "师生的安全感。\n"
    "特此报告。"
)
CLOSING_RECTIFICATION = (
    "下一步，{本单位}将以确保中小学、幼儿园持续安全为出发点，标本兼治、综合施策：一是强化"
    "安全隐患排查整改，对排查出的安全隐患立即下发整改通知书，限期整改到位；二是强化校园内部"
    "安全管理制度；三是强化校园“三防”建设；四是强化高危人员监控；五是强化校园周边治安管控；"
    "六是强化社会各方力量组织动员。\n"
    "特此报告。"
)

# ---- 答复函: seed 000 --------------------------------------------------------------------

REPLY_INTRO = "您提出的《{提案标题}》提案收悉，现答复如下："
REPLY_BODY = (
    "根据您的提案建议，{本单位}开展校园安保工作如下：\n"
    "一、高度重视，抓责任落实\n"
    "{本单位}在党委、政府的正确领导下，在教育部门和辖区学校的大力支持配合下，认真履行维护"
    "校园安全稳定的职责使命，持续深入推进“护校安园”各项工作，全力维护辖区学校安全稳定。\n"
    "二、全面开展校园安全隐患排查整改，确保校园内部安全\n"
    "{统计期间}，{本单位}积极组织警力深入辖区学校、幼儿园开展拉网式安全大检查，共检查"
    "{inspections.inspections}次，出动警力{inspections.person_times}人次，发现安全隐患"
    "{inspections.hazards_found}项，已整改销号{inspections.hazards_closed}项，对检查中发现的"
    "安全隐患和管理漏洞，下发整改通知书，逐一落实整改措施。\n"
    "三、严格落实“护学岗”和高峰勤务机制\n"
    "目前，辖区{schools.schools}所学校、幼儿园护学岗设置率{schools.rate_guard_post}%，"
    "{统计期间}护学岗上岗{patrols.guard_post_checkins}人次。"
)
REPLY_CLOSING = (
    "在今后的工作中，{本单位}将始终保持强烈的政治责任感和紧迫感，切实把维护校园安全的工作"
    "摆在突出位置，坚决把校园安全工作抓紧、抓实、抓出成效。\n"
    "感谢您对政府工作的关心和支持。\n"
    "以上答复，如有不妥，请批评指正。"
)
