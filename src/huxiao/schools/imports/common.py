"""Pieces several ledgers share: the school-code column and scoped look-ups."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Scope
from huxiao.schools.models import School

SCHOOL_CODE_COLUMN = Column(
    "学校标识码",
    "school_code",
    cells.code(10, gettext_lazy("学校标识码应为10位数字")),
    required=True,
    example="5301110001",
    help=gettext_lazy("必填，10位数字；学校须已登记且在您的数据范围内"),
)


def model_max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def school_ids_in_scope(scope: Scope) -> dict[str, int]:
    return dict(scope.queryset(School).values_list("school_code", "pk"))


def unknown_school_message() -> str:
    # Same words for "no such school" and "not yours", so the import reveals nothing.
    return _("未知学校或不在您的数据范围内")
