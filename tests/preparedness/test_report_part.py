"""The 工作情况报告 has the preparedness part, whose default text names only registered figures
and renders them."""

from huxiao.core import modules
from huxiao.reports.documents import parts, placeholders


def test_the_work_report_has_the_preparedness_part():
    assert "应急准备" in parts.keys("work_report")
    body = parts.default_body("work_report")
    assert "# 应急准备" in body
    part = next(p for p in parts.parts("work_report") if p.key == "应急准备")
    text = part.default("work_report")
    codes = [n for n in placeholders.names(text) if placeholders.is_figure(n)]
    assert set(codes) == {f.code for f in modules.figures() if f.module == "preparedness"} - {
        "preparedness.drills_planned",
        "preparedness.drills_missed",
    }
    rendered = placeholders.render(text, dict.fromkeys(codes, "7") | {"本单位": "甲区教育局"})
    assert "甲区教育局" in rendered and "{" not in rendered
