"""A list cell splits on 、，; and on “/” unless the “/” belongs to a label."""

import pytest

from huxiao.persons.choices import Category
from huxiao.schools.choices import AntiCollisionKind
from huxiao.schools.imports import cells


def test_it_keeps_labels_that_contain_a_slash():
    parse = cells.multi_choice(Category)
    assert parse("心理失衡/对社会不满、吸毒人员") == ["grievance", "drug"]
    assert parse("生活无着/债务缠身，社会闲散/游荡") == ["destitute", "idle"]


def test_it_still_splits_on_a_slash_between_labels():
    assert cells.multi_choice(AntiCollisionKind)("拒马/隔离墩") == ["barrier", "block"]


def test_it_names_an_unknown_item():
    with pytest.raises(cells.CellError, match="应为以下之一"):
        cells.multi_choice(AntiCollisionKind)("拒马/城墙")
