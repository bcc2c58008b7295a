"""Campaigns (专项行动) and inspections (检查)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core.choices import POLICE_KINDS
from huxiao.inspections.choices import InspectionStatus, ItemResult
from huxiao.inspections.models import (
    Campaign,
    ChecklistTemplate,
    Inspection,
    InspectionResult,
)

CAMPAIGN_FIELDS = {"name", "start_date", "end_date", "checklist", "description"}


def _validate_campaign(campaign: Campaign) -> None:
    if campaign.start_date and campaign.end_date and campaign.end_date < campaign.start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    if campaign.issuer_id and campaign.issuer.kind not in POLICE_KINDS | {"education_bureau"}:
        raise ValidationError({"issuer": _("专项行动应由公安机关或教育局发起。")})
    campaign.full_clean(exclude=["created_by"])


@transaction.atomic
def campaign_create(
    *,
    name: str,
    issuer,
    start_date: dt.date,
    end_date: dt.date,
    checklist: ChecklistTemplate,
    targets=(),
    description: str = "",
    actor=None,
) -> Campaign:
    """Create a campaign; ``targets`` are School objects (the caller scopes them)."""
    if not checklist.versions.exists():
        raise ValidationError({"checklist": _("检查表还没有发布的版本。")})
    campaign = Campaign(
        name=name.strip(),
        issuer=issuer,
        start_date=start_date,
        end_date=end_date,
        checklist=checklist,
        description=description,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _validate_campaign(campaign)
    campaign.save()
    campaign.targets.set(list(targets))
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, targets=None, **changes) -> Campaign:
    unknown = set(changes) - CAMPAIGN_FIELDS
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    for key, value in changes.items():
        setattr(campaign, key, value)
    _validate_campaign(campaign)
    campaign.save()
    if targets is not None:
        campaign.targets.set(list(targets))
    return campaign


@transaction.atomic
def inspection_start(
    *,
    school,
    date: dt.date,
    inspectors,
    campaign: Campaign | None = None,
    checklist: ChecklistTemplate | None = None,
    actor=None,
) -> Inspection:
    """Open an inspection of ``school`` with one empty result per item of the checklist's
    current version (the campaign's checklist unless another is given)."""
    inspectors = list(inspectors)
    if not inspectors:
        raise ValidationError({"inspectors": _("请至少选择一名检查民警。")})
    not_police = [u for u in inspectors if not (u.organization_id and u.organization.is_police)]
    if not_police:
        raise ValidationError(
            {
                "inspectors": _("检查民警应为公安机关人员：%(n)s")
                % {"n": "、".join(str(u) for u in not_police)}
            }
        )
    if campaign is not None:
        if date < campaign.start_date or date > campaign.end_date:
            raise ValidationError({"date": _("检查日期不在专项行动期间内。")})
        checklist = checklist or campaign.checklist
    if checklist is None:
        raise ValidationError({"checklist": _("请选择检查表。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("检查日期不能晚于今天。")})
    version = checklist.current_version
    if version is None:
        raise ValidationError({"checklist": _("检查表还没有发布的版本。")})
    inspection = Inspection.objects.create(
        campaign=campaign,
        school=school,
        date=date,
        checklist_version=version,
        person_times=len(inspectors),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    inspection.inspectors.set(inspectors)
    InspectionResult.objects.bulk_create(
        InspectionResult(inspection=inspection, item=item) for item in version.items.all()
    )
    return inspection


def _require_draft(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.DRAFT:
        raise ValidationError(_("检查已完成，结果不能再修改。"))


@transaction.atomic
def inspection_record(*, inspection: Inspection, results: dict[int, dict], actor=None) -> int:
    """Record item results: ``{result_id: {"result": "pass|fail|na", "note": "..."}}``."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_draft(inspection)
    rows = {r.pk: r for r in inspection.results.select_related("item")}
    changed, errors = [], []
    for pk, data in results.items():
        row = rows.get(int(pk))
        if row is None:
            errors.append(_("检查项 %(pk)s 不属于本次检查。") % {"pk": pk})
            continue
        result = data.get("result", row.result) or ""
        if result and result not in ItemResult.values:
            errors.append(_("%(code)s：结果“%(r)s”不正确。") % {"code": row.item.code, "r": result})
            continue
        note = (data.get("note", row.note) or "").strip()
        if len(note) > 500:
            errors.append(_("%(code)s：情况说明过长（最多500字）。") % {"code": row.item.code})
            continue
        row.result, row.note = result, note
        changed.append(row)
    if errors:
        raise ValidationError(errors)
    InspectionResult.objects.bulk_update(changed, ["result", "note"])
    return len(changed)


@transaction.atomic
def inspection_finish(*, inspection: Inspection, summary: str = "", actor=None) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_draft(inspection)
    missing = list(inspection.results.filter(result="").values_list("item__code", flat=True))
    if missing:
        raise ValidationError(
            _("还有 %(n)d 个检查项没有结果：%(codes)s")
            % {"n": len(missing), "codes": "、".join(missing[:10])}
        )
    inspection.status = InspectionStatus.FINISHED
    inspection.summary = summary
    inspection.finished_at = timezone.now()
    inspection.save(update_fields=["status", "summary", "finished_at"])
    return inspection
