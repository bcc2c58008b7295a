"""Writes of 字典管理: add, edit and delete the entries of a declared dictionary.

A module declares its dictionaries (``core.dictionaries``); administrators adapt them here.
A shipped (built-in) entry keeps its code forever and cannot be deleted, since records and
rules refer to it; it can be relabelled, reordered or disabled. An added entry can be deleted
only while no record uses it (the module's ``usage`` counter says how many do); otherwise it is
disabled: it leaves the choices of new records and stays valid and shown on the old ones.

Every write clears the dictionaries' cache, at once and again after commit, so that no page
keeps offering what was just disabled (a reader between the two re-reads the old state for a
moment; the second clearing ends it). The change itself is audited by the model signals.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from huxiao.core import dictionaries
from huxiao.core.dictionaries import Dictionary
from huxiao.core.models import DictionaryItem

ORDER_STEP = 10


def _forget() -> None:
    dictionaries.forget()
    transaction.on_commit(dictionaries.forget)


def usage_count(spec: Dictionary, value: str) -> int | None:
    """How many records use ``value`` (None: the module does not say)."""
    if not spec.usage:
        return None
    return int(import_string(spec.usage)(value))


def _clean_label(item: DictionaryItem, label: str) -> None:
    item.label = (label or "").strip()
    if not item.label:
        raise ValidationError({"label": _("请填写名称。")})
    same = DictionaryItem.objects.filter(dictionary=item.dictionary, label=item.label)
    if item.pk:
        same = same.exclude(pk=item.pk)
    if same.exists():
        raise ValidationError({"label": _("本字典已有同名的字典项。")})


@transaction.atomic
def dictionary_item_create(
    *,
    spec: Dictionary,
    code: str,
    label: str,
    sort_order: int | None = None,
    is_enabled: bool = True,
    note: str = "",
    actor=None,
) -> DictionaryItem:
    """Add an entry to the dictionary ``spec`` (at the end unless ``sort_order`` is given)."""
    code = (code or "").strip()
    if not re.fullmatch(spec.code_pattern, code):
        raise ValidationError({"code": _("编码只能由小写字母、数字和下划线组成，最长32个字符。")})
    if DictionaryItem.objects.filter(dictionary=spec.code, code=code).exists():
        raise ValidationError({"code": _("本字典已有该编码。")})
    if sort_order is None:
        last = DictionaryItem.objects.filter(dictionary=spec.code).aggregate(m=Max("sort_order"))
        sort_order = (last["m"] or 0) + ORDER_STEP
    item = DictionaryItem(
        dictionary=spec.code,
        code=code,
        sort_order=sort_order,
        is_enabled=is_enabled,
        note=(note or "").strip(),
    )
    _clean_label(item, label)
    item.full_clean()
    item.save()
    _forget()
    return item


@transaction.atomic
def dictionary_item_update(
    *,
    item: DictionaryItem,
    label: str,
    sort_order: int,
    is_enabled: bool,
    note: str = "",
    actor=None,
) -> DictionaryItem:
    """Relabel, reorder, enable or disable an entry; its code never changes."""
    item = DictionaryItem.objects.select_for_update().get(pk=item.pk)
    _clean_label(item, label)
    item.sort_order = sort_order
    item.is_enabled = is_enabled
    item.note = (note or "").strip()
    item.full_clean()
    item.save()
    _forget()
    return item


def delete_refusal(spec: Dictionary, item: DictionaryItem) -> str:
    """Why ``item`` cannot be deleted ("" when it can)."""
    if item.is_builtin:
        return _("内置字典项不能删除，可以停用。")
    used = usage_count(spec, item.code)
    if used:
        return _("已有 %(n)d 条记录使用该字典项，不能删除，可以停用。") % {"n": used}
    return ""


@transaction.atomic
def dictionary_item_delete(*, spec: Dictionary, item: DictionaryItem, actor=None) -> None:
    """Delete an added entry that no record uses."""
    item = DictionaryItem.objects.select_for_update().get(pk=item.pk)
    refusal = delete_refusal(spec, item)
    if refusal:
        raise ValidationError(refusal)
    item.delete()
    _forget()
