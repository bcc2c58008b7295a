"""Core endpoints: the current user, organisations, tokens, notifications, audit."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core import selectors, services
from huxiao.core.apikit.errors import require_perm

router = Router(tags=["core"])


class OrgOut(Schema):
    id: int
    kind: str
    kind_display: str = Field(..., alias="get_kind_display")
    name: str
    code: str
    division_code: str
    parent_id: int | None
    education_bureau_id: int | None
    latitude: float | None
    longitude: float | None


class RoleOut(Schema):
    code: str
    name: str
    data_scope: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    organization: OrgOut | None
    role: RoleOut | None
    permissions: list[str]
    must_change_password: bool


@router.get("/me", response=MeOut, summary="当前用户、单位和角色")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "organization": user.organization,
        "role": user.role,
        "permissions": sorted(user.get_all_permissions()),
        "must_change_password": user.must_change_password,
    }


@router.get("/organizations", response=list[OrgOut], summary="数据范围内的单位")
@paginate(LimitOffsetPagination)
def organization_list(request, kind: str = "", parent: int | None = None, q: str = ""):
    require_perm(request, "core.view_organization")
    return selectors.organization_list(user=request.user, kind=kind, parent_id=parent, q=q)


@router.get("/organizations/{org_id}", response=OrgOut, summary="单位详情")
def organization_detail(request, org_id: int):
    require_perm(request, "core.view_organization")
    return selectors.organization_get(user=request.user, pk=org_id)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenIn(Schema):
    name: str = Field("", max_length=64)
    expires_at: dt.datetime | None = None


class TokenCreated(TokenOut):
    token: str


@router.get("/tokens", response=list[TokenOut], summary="我的API令牌")
@paginate(LimitOffsetPagination)
def token_list(request):
    return selectors.token_list(user=request.user)


@router.post("/tokens", response={201: TokenCreated}, summary="创建API令牌（令牌只显示一次）")
def token_create(request, payload: TokenIn):
    require_perm(request, "core.add_apitoken")
    if (
        getattr(request, "api_token", None) is not None
        and request.user.role_id
        and (request.user.role.requires_second_factor)
    ):
        # A token does not make another: a new one comes from a session that passed the
        # second factor (core.secondfactor).
        raise HttpError(403, _("须在通过双因素认证的登录会话中创建API令牌。"))
    token, raw = services.token_create(
        user=request.user, name=payload.name, expires_at=payload.expires_at
    )
    data = TokenOut.from_orm(token).dict()
    data["token"] = raw
    return Status(201, data)


@router.delete("/tokens/{token_id}", response=TokenOut, summary="吊销API令牌")
def token_revoke(request, token_id: int):
    return services.token_revoke(token=selectors.token_get(user=request.user, pk=token_id))


class NotificationOut(Schema):
    id: int
    level: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = None


@router.get("/notifications", response=list[NotificationOut], summary="我的通知")
@paginate(LimitOffsetPagination)
def notification_list(request, unread: bool = False):
    return selectors.notification_list(user=request.user, unread_only=unread)


@router.post("/notifications/read", summary="标记通知为已读（不传ids则全部）")
def notification_read(request, payload: MarkReadIn):
    count = services.notification_mark_read(user=request.user, ids=payload.ids)
    return {"marked": count, "detail": _("已标记 %(n)d 条为已读。") % {"n": count}}


class AuditOut(Schema):
    seq: int
    ts: dt.datetime
    kind: str
    action: str
    actor_name: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    request_id: str
    ip: str
    source: str


@router.get("/audit/records", response=list[AuditOut], summary="审计日志（审计员）")
@paginate(LimitOffsetPagination)
def audit_records(
    request, kind: str = "", actor: str = "", object_type: str = "", object_id: str = ""
):
    require_perm(request, "core.view_audit")
    return selectors.audit_list(
        user=request.user, kind=kind, actor=actor, object_type=object_type, object_id=object_id
    )


class WorkItemOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    due: dt.date | None
    school: str
    state: str
    object_type: str
    object_id: int | None
    urgent: bool
    overdue: bool

    # Providers may hand over lazy translations (choice labels); the schema wants str.
    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.kind_label)

    @staticmethod
    def resolve_state(obj):
        return str(obj.state)


@router.get(
    "/my-tasks",
    response=list[WorkItemOut],
    summary="我的待办（全部事项，按期限由近到远，无期限的在后；不分页）",
)
def my_tasks(request):
    from huxiao.core.worklist import items_for

    return items_for(request.user)
