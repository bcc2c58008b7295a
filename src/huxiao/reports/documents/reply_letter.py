"""答复函 (ReplyLetter, seed 000): the answer to a 政协提案 or 人大建议 — 〔A类〕 and 公开属性 at
the top left, the red 版头 with the 发文字号 (昆公官函〔2021〕30号: the organisation's 代字,
the year, its gap-free serial), the addressee, the text (a template: the figures computed),
联系人及电话, the signature and the 版记 (抄送, 印发)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.documents import OfficialDocument
from huxiao.reports.documents import common, templates_text
from huxiao.reports.documents.parts import Part, register
from huxiao.reports.models import ReportKind

REPLY = ReportKind.REPLY_LETTER.value

CATEGORIES = (("〔A类〕", gettext_lazy("〔A类〕")), ("〔B类〕", gettext_lazy("〔B类〕")))
DISCLOSURES = (
    ("〔主动公开〕", gettext_lazy("〔主动公开〕")),
    ("〔依申请公开〕", gettext_lazy("〔依申请公开〕")),
    ("〔不予公开〕", gettext_lazy("〔不予公开〕")),
)

register(Part("导语", (REPLY,), 0, heading=False, defaults={REPLY: templates_text.REPLY_INTRO}))
register(Part("正文", (REPLY,), 10, heading=False, defaults={REPLY: templates_text.REPLY_BODY}))
register(
    Part("结束语", (REPLY,), 90, heading=False, defaults={REPLY: templates_text.REPLY_CLOSING})
)


def title(params: dict) -> str:
    return _("关于%(session)s第%(number)s号提案答复的函") % {
        "session": params["proposal_session"],
        "number": params["proposal_number"],
    }


def write(report) -> bytes:
    params = report.params
    org_name = params["org_name"]
    doc = OfficialDocument(title=report.title, author=org_name, day=report.issue_date)
    doc.masthead(org_name, report.number, marks=(params["category"], params["disclosure"]))
    doc.title(report.title)
    doc.addressees([params["addressee"]])
    common.write_parts(doc, report)
    if params.get("contact"):
        doc.body(_("（联系人及电话：%(contact)s）") % {"contact": params["contact"]})
    return common.finish(doc, report)
