"""Writes of 单位管理: add a child to a node, edit a node, move a node (re-parent its subtree).

The tree itself is core's (``core.services.organization_create/update/move`` keep the paths);
this adds what an administrator working in a browser needs around it:

- only inside the actor's scope: a unit administrator (单位管理员) acts on its own subtree and
  never moves its own organisation (or one above it) away;
- only the kinds that may sit under the parent (``system.rules.child_kinds``, SPEC 1);
- never an orphan school: a 学校 is created by the schools module together with its school
  record (``schools.services.school_create``), in one transaction;
- a move leaves, besides the change log of the node, an explicit record of the old and new
  parent and of what moved with it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huxiao.core import audit
from huxiao.core import services as core_services
from huxiao.core.choices import AuditAction, AuditKind, DataScope, OrgKind
from huxiao.core.models import Organization
from huxiao.schools import services as school_services
from huxiao.system import rules

ORG_FIELDS = ("short_name", "doc_prefix", "address", "latitude", "longitude", "sort_order")


def _sees_everything(actor) -> bool:
    role = actor.role if actor.role_id else None
    if role is None:
        return bool(actor.is_superuser)
    return role.data_scope == DataScope.ALL


def _in_scope(actor, *orgs: Organization) -> bool:
    pks = {o.pk for o in orgs}
    return Organization.objects.visible_to(actor).filter(pk__in=pks).count() == len(pks)


def kind_refusal(parent: Organization, kind: str) -> str:
    """Why a ``kind`` organisation may not sit under ``parent`` ("" when it may)."""
    if rules.may_hold(parent.kind, kind):
        return ""
    if kind == OrgKind.SCHOOL:
        return _("学校只能设在派出所之下。")
    return _("“%(parent)s”（%(parent_kind)s）之下不能设%(kind)s。") % {
        "parent": parent.name,
        "parent_kind": OrgKind(parent.kind).label,
        "kind": OrgKind(kind).label,
    }


@transaction.atomic
def organization_add_child(
    *,
    parent: Organization,
    actor,
    kind: str,
    name: str,
    code: str,
    division_code: str,
    education_bureau: Organization | None = None,
    school: dict | None = None,
    **fields,
) -> Organization:
    """Create a child of ``parent``; a school is registered with its school record."""
    if not _in_scope(actor, parent):
        raise ValidationError(_("只能在您的管辖范围内新增单位。"))
    refusal = kind_refusal(parent, kind)
    if refusal:
        raise ValidationError({"kind": refusal})
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if education_bureau is not None and not _in_scope(actor, education_bureau):
        raise ValidationError({"education_bureau": _("只能选择您管辖范围内的教育局。")})
    if kind != OrgKind.SCHOOL:
        if education_bureau is not None:
            raise ValidationError({"education_bureau": _("只有学校填写主管教育局。")})
        return core_services.organization_create(
            kind=kind, name=name, code=code, division_code=division_code, parent=parent, **fields
        )
    if not school:
        raise ValidationError(_("登记学校须同时填写学校信息（学校标识码、学段、城乡类型）。"))
    record = school_services.school_create(
        name=name,
        code=code,
        division_code=division_code,
        station=parent,
        education_bureau=education_bureau,
        latitude=fields.pop("latitude", None),
        longitude=fields.pop("longitude", None),
        address=fields.pop("address", ""),
        **school,
    )
    org = record.organization
    extra = {k: v for k, v in fields.items() if v not in ("", None)}
    if extra:
        core_services.organization_update(org=org, **extra)
    return org


# What a node's page edits: core's editable fields but its kind (see organization_edit).
EDITABLE = core_services.ORG_EDITABLE - {"kind"}


@transaction.atomic
def organization_edit(*, org: Organization, actor, **changes) -> Organization:
    """Edit a node's own fields. Its kind is not among them: a school made or unmade by a
    change of kind would lose or lack its school record; the tree position changes by a move."""
    if not _in_scope(actor, org):
        raise ValidationError(_("只能修改您管辖范围内的单位。"))
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    bureau = changes.get("education_bureau")
    if bureau is not None and bureau.pk != org.education_bureau_id:
        if org.kind != OrgKind.SCHOOL:
            raise ValidationError({"education_bureau": _("只有学校填写主管教育局。")})
        if not _in_scope(actor, bureau):
            raise ValidationError({"education_bureau": _("只能选择您管辖范围内的教育局。")})
    org = Organization.objects.select_for_update().get(pk=org.pk)
    return core_services.organization_update(org=org, **changes)


def move_problems(*, org: Organization, new_parent: Organization, actor) -> list[str]:
    """Every reason the move may not be made (empty: it may)."""
    problems = []
    if new_parent.path.startswith(org.path):
        problems.append(_("不能把单位移动到它自己或它的下级单位之下。"))
    elif new_parent.pk == org.parent_id:
        problems.append(_("该单位已经在所选上级单位之下。"))
    refusal = kind_refusal(new_parent, org.kind)
    if refusal:
        problems.append(refusal)
    if not _sees_everything(actor):
        own = actor.organization
        if own is not None and own.path.startswith(org.path):
            problems.append(_("不能移动您本人所在的单位或其上级单位。"))
        if not _in_scope(actor, org, new_parent):
            problems.append(_("只能在您的管辖范围内调整单位隶属关系。"))
    return problems


@transaction.atomic
def organization_relocate(*, org: Organization, new_parent: Organization, actor) -> Organization:
    """Re-parent ``org`` (its whole subtree moves with it) and record the old and new parent."""
    from huxiao.system.selectors_organizations import move_preview

    org = Organization.objects.select_for_update().get(pk=org.pk)
    preview = move_preview(org=org, new_parent=new_parent, actor=actor)
    if preview.problems:
        raise ValidationError({"new_parent": preview.problems})
    old_parent = org.parent
    old_path = org.path
    moved = core_services.organization_move(org=org, new_parent=new_parent)
    audit.append(
        kind=AuditKind.SYSTEM,
        action=AuditAction.UPDATE,
        obj=moved,
        object_repr=_("%(org)s：调整隶属关系") % {"org": moved.name},
        before={
            "parent": old_parent.pk if old_parent else None,
            "parent_name": old_parent.name if old_parent else "",
            "path": old_path,
        },
        after={
            "parent": new_parent.pk,
            "parent_name": new_parent.name,
            "path": moved.path,
            "organizations": preview.organizations,
            "schools": preview.schools,
            "users": preview.users,
            "roles": [role.code for role in preview.roles],
        },
        actor=actor,
    )
    return moved
