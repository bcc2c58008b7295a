"""Patrols API, the field work: grid patrol routes with their 必巡点, patrol logs (start, tick
checkpoints, finish or abandon, findings → hazards) and video patrols (a problem → hazard).

Mounted under ``huxiao.patrols.api``'s router; same rules (reads through ``patrols.selectors``,
404 out of scope, 403 without the permission, 400 with the service's Chinese message).
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import filtered, one
from huxiao.core.models import Organization
from huxiao.patrols import selectors, services
from huxiao.patrols.api_schemas_patrols import (
    AbandonIn,
    FindingIn,
    FindingOut,
    FinishIn,
    LogDetail,
    LogFilters,
    LogIn,
    LogOut,
    RouteDetail,
    RouteFilters,
    RouteIn,
    RouteOut,
    VideoFilters,
    VideoIn,
    VideoOut,
    VisitIn,
    micro,
)
from huxiao.patrols.filtersets_patrols import (
    PatrolLogFilterSet,
    RouteFilterSet,
    VideoPatrolFilterSet,
)
from huxiao.patrols.models import PatrolLog
from huxiao.schools.models import School

router = Router(tags=["patrols"])


def _school(request, pk: int, field: str = "school_id") -> School:
    return one(
        School.objects.visible_to(request.user).select_related("organization"),
        pk,
        field=field,
        label=_("学校"),
    )


# ---- routes --------------------------------------------------------------------------------------


@router.get("/patrol-routes", response=list[RouteOut], summary="巡逻路线列表")
@paginate(LimitOffsetPagination)
def patrol_route_list(request, filters: Query[RouteFilters]):
    require_perm(request, "patrols.view_patrolroute")
    return filtered(request, RouteFilterSet, selectors.route_list(user=request.user), filters)


@router.get(
    "/patrol-routes/{route_id}", response=RouteDetail, summary="巡逻路线详情（含巡逻点、必巡点）"
)
def patrol_route_detail(request, route_id: int):
    require_perm(request, "patrols.view_patrolroute")
    return selectors.route_get(user=request.user, pk=route_id)


@router.post(
    "/patrol-routes",
    response={201: RouteDetail},
    summary="新建巡逻路线（按顺序列出巡逻点；学校门口一般为必巡点）",
)
def patrol_route_create(request, payload: RouteIn):
    require_perm(request, "patrols.add_patrolroute")
    user = request.user
    organization = user.organization
    if payload.organization_id is not None:
        organization = one(
            Organization.objects.visible_to(user),
            payload.organization_id,
            field="organization_id",
            label=_("单位"),
        )
    checkpoints = []
    for n, cp in enumerate(payload.checkpoints):
        fields = cp.dict(exclude={"school_id"})
        fields["latitude"], fields["longitude"] = micro(cp.latitude), micro(cp.longitude)
        if cp.school_id is not None:
            fields["school"] = _school(request, cp.school_id, field=f"checkpoints.{n}.school_id")
        checkpoints.append(fields)
    route = services.route_create(
        organization=organization, name=payload.name, grid=payload.grid, checkpoints=checkpoints
    )
    return Status(201, selectors.route_list(user=user).get(pk=route.pk))


# ---- patrol logs ---------------------------------------------------------------------------------


@router.get("/patrol-logs", response=list[LogOut], summary="巡逻记录列表")
@paginate(LimitOffsetPagination)
def patrol_log_list(request, filters: Query[LogFilters]):
    require_perm(request, "patrols.view_patrollog")
    return filtered(request, PatrolLogFilterSet, selectors.log_list(user=request.user), filters)


def _log(request, log_id: int) -> PatrolLog:
    return selectors.log_get(user=request.user, pk=log_id)


@router.get(
    "/patrol-logs/{log_id}",
    response=LogDetail,
    summary="巡逻记录详情（已到达的巡逻点、未到达的必巡点）",
)
def patrol_log_detail(request, log_id: int):
    require_perm(request, "patrols.view_patrollog")
    return _log(request, log_id)


@router.post(
    "/patrol-logs",
    response={201: LogDetail},
    summary="开始巡逻（带班民警为本人；填写民警、辅警人数和车辆）",
)
def patrol_log_start(request, payload: LogIn):
    require_perm(request, "patrols.add_patrollog")
    route = one(
        selectors.route_list(user=request.user),
        payload.route_id,
        field="route_id",
        label=_("巡逻路线"),
    )
    log = services.patrol_start(
        route=route,
        leader=request.user,
        police_count=payload.police_count,
        auxiliary_count=payload.auxiliary_count,
        vehicles=payload.vehicles,
        window=payload.window,
        started_at=payload.started_at,
    )
    return Status(201, _log(request, log.pk))


@router.post(
    "/patrol-logs/{log_id}/visits",
    response={201: LogDetail},
    summary="到达巡逻点（按定位，须在巡逻点半径内）",
)
def patrol_log_visit(request, log_id: int, payload: VisitIn):
    require_perm(request, "patrols.change_patrollog")
    log = _log(request, log_id)
    checkpoint = one(
        selectors.checkpoint_list(user=request.user),
        payload.checkpoint_id,
        field="checkpoint_id",
        label=_("巡逻点"),
    )
    services.patrol_visit(
        log=log,
        checkpoint=checkpoint,
        latitude=micro(payload.latitude),
        longitude=micro(payload.longitude),
        at=payload.at,
    )
    return Status(201, _log(request, log_id))


@router.post(
    "/patrol-logs/{log_id}/finish",
    response=LogDetail,
    summary="结束巡逻（必巡点都已到达为已完成，否则为未完成（漏巡））",
)
def patrol_log_finish(request, log_id: int, payload: FinishIn | None = None):
    require_perm(request, "patrols.change_patrollog")
    log = _log(request, log_id)
    services.patrol_finish(log=log, note=payload.note if payload else "")
    return _log(request, log_id)


@router.post("/patrol-logs/{log_id}/abandon", response=LogDetail, summary="中止巡逻（须写明原因）")
def patrol_log_abandon(request, log_id: int, payload: AbandonIn):
    require_perm(request, "patrols.change_patrollog")
    log = _log(request, log_id)
    services.patrol_abandon(log=log, note=payload.note)
    return _log(request, log_id)


@router.post(
    "/patrol-logs/{log_id}/findings",
    response={201: FindingOut},
    summary="巡逻发现问题登记为学校隐患（来源：巡逻发现）",
)
def patrol_log_finding(request, log_id: int, payload: FindingIn):
    require_perm(request, "patrols.change_patrollog")
    require_perm(request, "inspections.add_hazard")
    log = _log(request, log_id)
    hazard = services.patrol_finding(
        log=log,
        school=_school(request, payload.school_id),
        title=payload.title,
        category=payload.category,
        severity=payload.severity,
        description=payload.description,
        actor=request.user,
    )
    return Status(201, {"hazard_id": hazard.pk, "title": hazard.title, "state": hazard.state})


# ---- video patrols -------------------------------------------------------------------------------


@router.get("/video-patrols", response=list[VideoOut], summary="视频巡查记录列表")
@paginate(LimitOffsetPagination)
def video_patrol_list(request, filters: Query[VideoFilters]):
    require_perm(request, "patrols.view_videopatrol")
    videos = selectors.video_list(user=request.user)
    return filtered(request, VideoPatrolFilterSet, videos, filters)


@router.get("/video-patrols/{patrol_id}", response=VideoOut, summary="视频巡查记录详情")
def video_patrol_detail(request, patrol_id: int):
    require_perm(request, "patrols.view_videopatrol")
    return selectors.video_get(user=request.user, pk=patrol_id)


@router.post(
    "/video-patrols",
    response={201: VideoOut},
    summary="登记视频巡查（发现摄像头离线、校门未管控、保安不在岗等自动登记隐患）",
)
def video_patrol_create(request, payload: VideoIn):
    require_perm(request, "patrols.add_videopatrol")
    patrol = services.video_patrol_record(
        school=_school(request, payload.school_id),
        officer=request.user,
        **payload.dict(exclude={"school_id"}),
    )
    return Status(201, selectors.video_list(user=request.user).get(pk=patrol.pk))
