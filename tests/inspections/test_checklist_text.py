"""The checklist editor's text lines parse in either language."""

from django.utils.translation import override

from huxiao.inspections.forms_campaigns import items_to_text, parse_items


def test_it_reads_back_what_it_wrote_in_english(checklist):
    items = list(checklist.current_version.items.all())
    with override("en"):
        text = items_to_text(items)
        parsed, errors = parse_items(text)
    assert errors == []
    assert [p["group"] for p in parsed] == [i.group for i in items]


def test_it_accepts_chinese_labels_and_codes_in_any_language():
    with override("en"):
        parsed, errors = parse_items("人防|A-01|一\nphysical|A-02|二")
    assert errors == [] and [p["group"] for p in parsed] == ["personnel", "physical"]
    with override("zh-hans"):
        _, errors = parse_items("门卫|A-03|三")
    assert errors and "第1行" in errors[0]
