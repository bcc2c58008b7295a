"""Writes of the schools module: schools, guards, equipment, devices.

Each service validates with ``full_clean()`` inside a transaction; pages, the API, the
ledger import and the demo generator all call these.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huxiao.core import audit, dictionaries
from huxiao.core import services as core_services
from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.models import Organization
from huxiao.core.validators import validate_id_number
from huxiao.schools import policy as school_policy
from huxiao.schools.choices import DEVICE_KIND, EQUIPMENT_KIND, AntiCollisionKind
from huxiao.schools.geo import validate_boundary
from huxiao.schools.models import Device, EquipmentStock, Guard, School

SCHOOL_FIELDS = {
    "school_code",
    "level",
    "ownership",
    "locality",
    "is_boarding",
    "boarders",
    "students",
    "staff",
    "campus_boundary",
    "principal_name",
    "principal_phone",
    "security_chief_name",
    "security_chief_phone",
    "legal_vice_principal",
    "is_pilot",
    "term_calendar",
    "closed_management",
    "wall_compliant",
    "gate_compliant",
    "anti_collision",
    "duty_24h",
}
ORG_FIELDS = {
    "name",
    "short_name",
    "address",
    "latitude",
    "longitude",
    "education_bureau",
    "is_active",
}


def school_validate(school: School) -> None:
    """Every check a school record must pass (services and the ledger import use it)."""
    errors = {}
    if school.boarders and not school.is_boarding:
        errors["boarders"] = _("非寄宿制学校的寄宿生人数应为0。")
    if school.boarders > school.students:
        errors["boarders"] = _("寄宿生人数不能超过学生人数。")
    unknown = set(school.anti_collision or []) - set(AntiCollisionKind.values)
    if unknown:
        errors["anti_collision"] = _("未知的防冲撞设施：%(v)s") % {"v": "、".join(sorted(unknown))}
    if school.campus_boundary:
        try:
            validate_boundary(school.campus_boundary)
        except ValidationError as exc:
            errors["campus_boundary"] = exc.messages
    if errors:
        raise ValidationError(errors)
    school.full_clean(exclude=["organization"])


@transaction.atomic
def school_create(
    *,
    name: str,
    code: str,
    division_code: str,
    station: Organization,
    education_bureau: Organization | None,
    latitude=None,
    longitude=None,
    address: str = "",
    **fields,
) -> School:
    """Create the school's organisation node under its police station, then its record."""
    if station.kind != OrgKind.STATION:
        raise ValidationError({"station": _("学校必须隶属于派出所。")})
    unknown = set(fields) - SCHOOL_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    org = core_services.organization_create(
        kind=OrgKind.SCHOOL,
        name=name,
        code=code,
        division_code=division_code,
        parent=station,
        education_bureau=education_bureau,
        latitude=latitude,
        longitude=longitude,
        address=address,
    )
    school = School(organization=org, **fields)
    school_validate(school)
    school.save()
    return school


@transaction.atomic
def school_register(*, organization: Organization, **fields) -> School:
    """Attach the school record to an organisation node that already exists (kind school)."""
    if organization.kind != OrgKind.SCHOOL:
        raise ValidationError({"organization": _("只有“学校”类型的单位才能登记为学校。")})
    unknown = set(fields) - SCHOOL_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    school = School(organization=organization, **fields)
    school_validate(school)
    school.save()
    return school


@transaction.atomic
def school_update(*, school: School, **changes) -> School:
    unknown = set(changes) - SCHOOL_FIELDS - ORG_FIELDS - {"station"}
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    org_changes = {k: changes.pop(k) for k in list(changes) if k in ORG_FIELDS}
    station = changes.pop("station", None)
    if org_changes:
        core_services.organization_update(org=school.organization, **org_changes)
    if station is not None and station.pk != school.organization.parent_id:
        if station.kind != OrgKind.STATION:
            raise ValidationError({"station": _("学校必须隶属于派出所。")})
        core_services.organization_move(org=school.organization, new_parent=station)
    for key, value in changes.items():
        setattr(school, key, value)
    school_validate(school)
    school.save()
    return school


GUARD_FIELDS = {
    "name",
    "id_number",
    "birth_date",
    "phone",
    "certificate_number",
    "certificate_valid_until",
    "training_date",
    "employer",
    "is_full_time",
    "status",
}


def _validate_guard(guard: Guard) -> None:
    if guard.id_number:
        guard.id_number = guard.id_number.strip().upper()
        validate_id_number(guard.id_number)
        from huxiao.core.validators import birth_date_from_id

        born = birth_date_from_id(guard.id_number)
        if guard.birth_date is None:
            guard.birth_date = born
        elif guard.birth_date != born:
            raise ValidationError({"birth_date": _("出生日期与身份证号不一致。")})
    guard.full_clean(exclude=["school"])


@transaction.atomic
def guard_create(*, school: School, **fields) -> Guard:
    unknown = set(fields) - GUARD_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    guard = Guard(school=school, **fields)
    _validate_guard(guard)
    guard.save()
    return guard


@transaction.atomic
def guard_update(*, guard: Guard, **changes) -> Guard:
    unknown = set(changes) - GUARD_FIELDS
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    for key, value in changes.items():
        setattr(guard, key, value)
    _validate_guard(guard)
    guard.save()
    return guard


@transaction.atomic
def guard_delete(*, guard: Guard) -> None:
    guard.delete()


def equipment_kinds_open(policy=None) -> set[str]:
    """The equipment kinds a school may newly record (字典管理, schools.equipment_kind): the
    enabled entries and those the minimum kit names (the compliance rule asks for them even if
    an administrator disabled one). A school's own stock row keeps its kind in any case."""
    policy = policy or school_policy.current()
    return {e.code for e in dictionaries.entries(EQUIPMENT_KIND) if e.is_enabled} | set(
        policy.min_kit
    )


@transaction.atomic
def equipment_set_many(*, school: School, quantities: dict[str, int]) -> list[EquipmentStock]:
    """Set several items of a school's kit in one go (one audit record for the change)."""
    if not quantities:
        return []
    existing = {
        e.item: e for e in EquipmentStock.objects.filter(school=school, item__in=list(quantities))
    }
    refused = set(quantities) - set(existing) - equipment_kinds_open()
    if refused:
        raise ValidationError(
            {
                "item": _("装备种类不存在或已停用：%(items)s。")
                % {"items": "、".join(sorted(refused))}
            }
        )
    before = {item: e.quantity for item, e in existing.items()}
    new, changed = [], []
    for item, quantity in quantities.items():
        stock = existing.get(item) or EquipmentStock(school=school, item=item)
        stock.quantity = quantity
        stock.full_clean(exclude=["school"], validate_unique=False)
        (changed if stock.pk else new).append(stock)
    EquipmentStock.objects.bulk_create(new)
    if changed:
        EquipmentStock.objects.bulk_update(changed, ["quantity", "updated_at"])
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        object_type="schools.equipmentstock",
        object_repr=_("%(school)s：防护装备") % {"school": school},
        before=before or None,
        after={"school": school.pk, **{str(k): v for k, v in quantities.items()}},
    )
    return [*new, *changed]


def equipment_set(*, school: School, item: str, quantity: int) -> EquipmentStock:
    return equipment_set_many(school=school, quantities={item: quantity})[0]


DEVICE_FIELDS = {
    "kind",
    "name",
    "area",
    "retention_days",
    "stream_url",
    "networked_police",
    "networked_education",
    "is_online",
    "last_heartbeat",
}


def check_device_kind(kind: str, *, current: str | None = None) -> None:
    """An enabled entry of the device kinds (字典管理); a device keeps its own ``current`` kind
    even after it was disabled."""
    if not dictionaries.is_valid(DEVICE_KIND, kind, allow_disabled_current=current):
        raise ValidationError({"kind": _("设备类型不存在或已停用，请重新选择。")})


@transaction.atomic
def device_create(*, school: School, **fields) -> Device:
    unknown = set(fields) - DEVICE_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    check_device_kind(fields.get("kind", ""))
    device = Device(school=school, **fields)
    device.full_clean(exclude=["school"])
    device.save()
    return device


@transaction.atomic
def device_create_many(*, school: School, devices: list[dict]) -> list[Device]:
    """Register many devices of one school at once (demo, integrations): each is validated
    like ``device_create``; one audit record lists them, instead of one per device."""
    rows = []
    kinds = {e.code for e in dictionaries.entries(DEVICE_KIND) if e.is_enabled}
    for fields in devices:
        unknown = set(fields) - DEVICE_FIELDS
        if unknown:
            raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
        if fields.get("kind") not in kinds:
            raise ValidationError({"kind": _("设备类型不存在或已停用，请重新选择。")})
        device = Device(school=school, **fields)
        device.full_clean(exclude=["school"])
        rows.append(device)
    created = Device.objects.bulk_create(rows)
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type="schools.device",
        object_repr=_("%(school)s：批量新增设备 %(n)d 台") % {"school": school, "n": len(created)},
        after={
            "school": school.pk,
            "count": len(created),
            "devices": [audit.snapshot(d) for d in created],
        },
    )
    return created


@transaction.atomic
def device_update(*, device: Device, **changes) -> Device:
    unknown = set(changes) - DEVICE_FIELDS
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "kind" in changes:
        check_device_kind(changes["kind"], current=device.kind)
    for key, value in changes.items():
        setattr(device, key, value)
    device.full_clean(exclude=["school"])
    device.save()
    return device


@transaction.atomic
def device_delete(*, device: Device) -> None:
    device.delete()
