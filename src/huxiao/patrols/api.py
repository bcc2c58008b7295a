"""Patrols API: 护学岗 posts, rosters (排班), the day's statistics; patrol routes, patrol logs and
video patrols are in ``api_patrol_logs`` and mounted here. Check-ins are ``api_checkins``.

Same rules as the other modules: reads go through ``patrols.selectors``, the pages' own (out
of scope = 404, like missing); writes go through ``huxiao.patrols.services``, whose ValidationError answers
400 with its Chinese message; ids in a body that are unknown or out of scope answer 400
naming them; a missing permission answers 403 before any lookup.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import filtered, one, pick
from huxiao.core.models import User
from huxiao.patrols import selectors, services, stats
from huxiao.patrols.api_patrol_logs import router as patrol_router
from huxiao.patrols.api_schemas_patrols import (
    DayStatsOut,
    NoteIn,
    PostFilters,
    PostIn,
    PostOut,
    PostPatch,
    ShiftBulkIn,
    ShiftBulkOut,
    ShiftFilters,
    ShiftOut,
    StatsFilters,
    SwapIn,
    micro,
)
from huxiao.patrols.filtersets_posts import PostFilterSet, ShiftApiFilterSet
from huxiao.patrols.models import DutyShift
from huxiao.schools.models import School

router = Router(tags=["patrols"])


def _coordinates(fields: dict) -> dict:
    for key in ("latitude", "longitude"):
        if fields.get(key) is not None:
            fields[key] = micro(fields[key])
    return fields


# ---- posts ---------------------------------------------------------------------------------------


@router.get(
    "/guard-posts",
    response=list[PostOut],
    summary="护学岗列表（按名称、学校、派出所、类型、试点、启用、护学通道筛选，同列表页）",
)
@paginate(LimitOffsetPagination)
def guard_post_list(request, filters: Query[PostFilters]):
    require_perm(request, "patrols.view_guardpost")
    return filtered(request, PostFilterSet, selectors.post_list(user=request.user), filters)


@router.get("/guard-posts/{post_id}", response=PostOut, summary="护学岗详情")
def guard_post_detail(request, post_id: int):
    require_perm(request, "patrols.view_guardpost")
    return selectors.post_get(user=request.user, pk=post_id)


@router.post(
    "/guard-posts",
    response={201: PostOut},
    summary="设立护学岗（学校须在数据范围内；时段不填为上学、放学）",
)
def guard_post_create(request, payload: PostIn):
    require_perm(request, "patrols.add_guardpost")
    school = one(
        School.objects.visible_to(request.user),
        payload.school_id,
        field="school_id",
        label=_("学校"),
    )
    fields = _coordinates(payload.dict(exclude_unset=True, exclude={"school_id"}))
    for key in ("windows", "staffing"):
        if fields.get(key, "") is None:
            fields.pop(key)  # null: the default
    post = services.post_create(school=school, **fields)
    return Status(201, selectors.post_list(user=request.user).get(pk=post.pk))


@router.patch(
    "/guard-posts/{post_id}",
    response=PostOut,
    summary="修改护学岗（位置、半径、时段、人员配置、护学通道、试点、启用）",
)
def guard_post_update(request, post_id: int, payload: PostPatch):
    require_perm(request, "patrols.change_guardpost")
    post = selectors.post_get(user=request.user, pk=post_id)
    changes = _coordinates(payload.dict(exclude_unset=True))
    for key in PostPatch.model_fields:
        if key != "corridor" and key in changes and changes[key] is None:
            changes.pop(key)  # these cannot be emptied; null leaves them as they are
    services.post_update(post=post, **changes)
    return selectors.post_list(user=request.user).get(pk=post.pk)


# ---- rosters -------------------------------------------------------------------------------------


@router.get(
    "/duty-shifts",
    response=list[ShiftOut],
    summary="排班列表（志愿者只看到本人的班次；筛选同列表页，另可按值守人员）",
)
@paginate(LimitOffsetPagination)
def duty_shift_list(request, filters: Query[ShiftFilters]):
    require_perm(request, "patrols.view_dutyshift")
    return filtered(request, ShiftApiFilterSet, selectors.shift_list(user=request.user), filters)


@router.post(
    "/duty-shifts/bulk",
    response={201: ShiftBulkOut},
    summary="批量排班（起止日期内的上学日；节假日、周末不排，已排的不重复）",
)
def duty_shift_bulk(request, payload: ShiftBulkIn):
    require_perm(request, "patrols.add_dutyshift")
    user = request.user
    post = one(selectors.post_list(user=user), payload.post_id, field="post_id", label=_("护学岗"))
    people = pick(
        User.objects.visible_to(user).select_related("role"),
        payload.person_ids,
        field="person_ids",
        label=_("值守人员"),
    )
    created = services.shift_bulk_create(
        post=post,
        start=payload.start,
        end=payload.end,
        windows=payload.windows,
        people=people,
        actor=user,
    )
    items = selectors.shift_list(user=user).filter(pk__in=[s.pk for s in created])
    return Status(201, {"count": len(created), "items": list(items)})


def _shift(request, shift_id: int) -> DutyShift:
    return selectors.shift_get(user=request.user, pk=shift_id)


@router.post(
    "/duty-shifts/{shift_id}/swap",
    response={201: ShiftOut},
    summary="调班（原班次标记为已调班，返回新班次）",
)
def duty_shift_swap(request, shift_id: int, payload: SwapIn):
    require_perm(request, "patrols.change_dutyshift")
    shift = _shift(request, shift_id)
    person = one(
        User.objects.visible_to(request.user).select_related("role"),
        payload.person_id,
        field="person_id",
        label=_("值守人员"),
    )
    new = services.shift_swap(shift=shift, person=person, note=payload.note, actor=request.user)
    return Status(201, _shift(request, new.pk))


@router.post("/duty-shifts/{shift_id}/cancel", response=ShiftOut, summary="取消班次")
def duty_shift_cancel(request, shift_id: int, payload: NoteIn | None = None):
    require_perm(request, "patrols.change_dutyshift")
    shift = _shift(request, shift_id)
    services.shift_cancel(shift=shift, note=payload.note if payload else "", actor=request.user)
    return _shift(request, shift_id)


# ---- statistics ----------------------------------------------------------------------------------


@router.get(
    "/patrol-stats",
    response=DayStatsOut,
    summary="护学岗与巡逻日统计（各时段应到岗、到岗、见警率、漏岗；出动警力人次；漏巡）",
)
def patrol_stats(request, filters: Query[StatsFilters]):
    require_perm(request, "patrols.view_stats")
    schools = None
    if filters.school is not None or filters.station is not None:
        schools = School.objects.visible_to(request.user)
        if filters.school is not None:
            schools = schools.filter(pk=filters.school)
        if filters.station is not None:
            schools = schools.filter(organization__parent_id=filters.station)
    return stats.day_stats(
        user=request.user, day=filters.date or timezone.localdate(), schools=schools
    )


router.add_router("", patrol_router)
