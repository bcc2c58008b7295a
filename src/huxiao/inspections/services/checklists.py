"""Checklist templates and their immutable versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huxiao.inspections.choices import ItemGroup
from huxiao.inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion


def _clean_items(items: list[dict]) -> list[dict]:
    if not items:
        raise ValidationError({"items": _("检查表至少要有一个检查项。")})
    seen, cleaned, errors = set(), [], []
    for n, item in enumerate(items, start=1):
        group = (item.get("group") or "").strip()
        text = (item.get("text") or "").strip()
        code = (item.get("code") or "").strip() or f"{n:02d}"
        if group not in ItemGroup.values:
            errors.append(_("第%(n)d项：类别“%(g)s”不正确。") % {"n": n, "g": group})
        if not text:
            errors.append(_("第%(n)d项：检查内容不能为空。") % {"n": n})
        if len(text) > 300:
            errors.append(_("第%(n)d项：检查内容过长（最多300字）。") % {"n": n})
        if code in seen:
            errors.append(_("第%(n)d项：编号“%(c)s”重复。") % {"n": n, "c": code})
        seen.add(code)
        cleaned.append(
            {
                "group": group,
                "code": code[:16],
                "text": text,
                "guidance": (item.get("guidance") or "").strip(),
                "order": n,
            }
        )
    if errors:
        raise ValidationError({"items": errors})
    return cleaned


@transaction.atomic
def checklist_publish(
    *, template: ChecklistTemplate, items: list[dict], note: str = "", actor=None
) -> ChecklistVersion:
    """Publish a new version of ``template`` with ``items`` (group, code, text, guidance).

    Versions are never edited: an inspection that used version 1 keeps showing version 1's
    items after version 2 is published.
    """
    cleaned = _clean_items(items)
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ChecklistVersion.objects.create(
        template=template, number=last + 1, note=note[:200], published_by=actor
    )
    ChecklistItem.objects.bulk_create(ChecklistItem(version=version, **i) for i in cleaned)
    return version


@transaction.atomic
def checklist_create(
    *, name: str, items: list[dict], description: str = "", actor=None
) -> ChecklistTemplate:
    template = ChecklistTemplate(name=name.strip(), description=description)
    template.full_clean()
    template.save()
    checklist_publish(template=template, items=items, note=_("初始版本"), actor=actor)
    return template


@transaction.atomic
def checklist_update(
    *,
    template: ChecklistTemplate,
    name: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> ChecklistTemplate:
    if name is not None:
        template.name = name.strip()
    if description is not None:
        template.description = description
    if is_active is not None:
        template.is_active = is_active
    template.full_clean()
    template.save()
    return template
