"""Check-in API (打卡): the phone page's endpoint and the lists an integration reads.

``POST /checkins`` is the hot path (every person at every post, twice a school day, plus the
offline queue's re-sends): the token (one statement, core.rowloader), one permission check (no
query: roles carry the permissions), the scoped post lookup (one query), then the service's
one INSERT, which finds the planned shift itself. A key already stored (the INSERT refused by
the unique index, then one SELECT) answers 200 with the stored check-in and
``duplicate: true``, so a re-sent offline check-in counts once. A person who already has a
valid check-in at the post in this window is not checked in twice: 200 with that first
check-in, ``duplicate: true``, ``already_checked_in: true`` and the Chinese ``message``
(“您已在本时段签到（07:20），不重复计数。”) — a 2xx, so the phone's offline queue lets it go like
any answer the server decided, and the statistics count the person once. An invalid check-in
(too far, outside the windows) is stored and answered 201 with ``is_valid: false`` and the
Chinese ``problem``; a request the service refuses (a stale QR code, a time in the future)
answers 400.

Reads: ``patrols.view_checkin`` sees the scope's check-ins; a guard or volunteer (who only
checks in) sees their own. Out of scope = 404, like missing.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import display_name, filtered, one
from huxiao.core.models import User
from huxiao.patrols import selectors, services
from huxiao.patrols.api_schemas_patrols import micro
from huxiao.patrols.choices import ProofKind
from huxiao.patrols.filtersets_posts import CheckInApiFilterSet

router = Router(tags=["patrols"])

ADD_CHECKIN = "patrols.add_checkin"
RECORD_CHECKIN = "patrols.record_checkin"
POST_COLUMNS = (
    "id",
    "school",
    "name",
    "latitude",
    "longitude",
    "radius_m",
    "windows",
    "is_active",
    "qr_secret",
    "school__term_calendar",
    "school__organization",
    "school__organization__name",
)


# ---- schemas -------------------------------------------------------------------------------------


class CheckInIn(Schema):
    post_id: int
    latitude: float | None = Field(None, ge=-90, le=90, description="纬度（WGS-84）")
    longitude: float | None = Field(None, ge=-180, le=180, description="经度（WGS-84）")
    accuracy_m: float | None = Field(None, ge=0, le=100_000, description="定位精度（米）")
    at: dt.datetime | None = Field(
        None, description="手机上定位的时间（ISO 8601；不带时区按北京时间）；离线补传时为原时间"
    )
    idempotency_key: str = Field(
        "", max_length=64, description="幂等键（如 UUID）：同一打卡重复提交只记一次"
    )
    proof: str = Field("gps", description="证明方式：gps、qr（须带 qr_token）、manual（补录）")
    qr_token: str = Field("", max_length=64)
    was_offline: bool = Field(False, description="离线时打卡、恢复网络后补传")
    user_id: int | None = Field(None, description="补录（manual）时为被补录人")


class CheckInOut(Schema):
    id: int
    post_id: int
    post_name: str = Field(..., alias="post.name")
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    user_id: int
    user_name: str
    person_kind: str
    date: dt.date
    window: str
    window_name: str
    at: dt.datetime
    received_at: dt.datetime
    latitude: float | None
    longitude: float | None
    accuracy_m: int | None
    distance_m: int | None
    proof: str
    proof_label: str = Field(..., alias="get_proof_display")
    is_valid: bool
    problem: str
    was_offline: bool
    recorded_by_id: int | None
    recorded_by_name: str
    idempotency_key: str

    @staticmethod
    def resolve_user_name(obj) -> str:
        return display_name(obj.user)

    @staticmethod
    def resolve_recorded_by_name(obj) -> str:
        return display_name(obj.recorded_by)

    @staticmethod
    def resolve_window_name(obj) -> str:
        window = obj.post.window(obj.window) if obj.window else None
        return (window or {}).get("name", obj.window)

    @staticmethod
    def resolve_at(obj) -> dt.datetime:
        return timezone.localtime(obj.at)

    @staticmethod
    def resolve_received_at(obj) -> dt.datetime:
        return timezone.localtime(obj.received_at)


class CheckInCreated(CheckInOut):
    duplicate: bool = Field(
        False,
        description="未新增打卡（状态码 200）：该幂等键已提交过，或本人在该岗本时段已有有效打卡；"
        "返回已保存的打卡，不重复计数",
    )
    already_checked_in: bool = Field(
        False,
        description="本人在该岗本时段已有有效打卡：返回的是那次打卡，本次未记录",
    )
    message: str = Field(
        "", description="未新增打卡时给打卡人的说明，如“您已在本时段签到（07:20），不重复计数。”"
    )


class CheckInFilters(Schema):
    """The 打卡记录 page's filters by the same names, and a day, a person, offline or not."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    post: int | None = None
    window: str | None = Field(None, description="时段代码，如 am、pm")
    proof: str | None = Field(None, description="gps、qr、manual")
    valid: bool | None = None
    q: str | None = Field(None, description="打卡人姓名或账号")
    date: dt.date | None = None
    user: int | None = None
    offline: bool | None = None


# ---- helpers -------------------------------------------------------------------------------------


def _local_at(at: dt.datetime | None) -> dt.datetime | None:
    if at is not None and timezone.is_naive(at):
        return timezone.make_aware(at, ZoneInfo(settings.TIME_ZONE))
    return at


def _coordinates(payload: CheckInIn) -> tuple[Decimal | None, Decimal | None]:
    if (payload.latitude is None) != (payload.longitude is None):
        raise ValidationError({"latitude": _("纬度和经度须同时提供。")})
    return micro(payload.latitude), micro(payload.longitude)


def _manual_person(request, payload: CheckInIn):
    require_perm(request, RECORD_CHECKIN)
    if payload.user_id is None:
        raise ValidationError({"user_id": _("补录须指定被补录人。")})
    return one(
        User.objects.visible_to(request.user).filter(is_active=True),
        payload.user_id,
        field="user_id",
        label=_("人员"),
    )


def _with_relations(checkin, post, user):
    """The answer names the post, school and person: fill them from what the request already
    loaded instead of one query each (a re-sent key may name another post: then load it)."""
    if checkin.post_id != post.pk:
        return selectors.checkin_list(user=user).get(pk=checkin.pk)
    checkin.post = post
    checkin.school = post.school
    if checkin.user_id == user.pk:
        checkin.user = user
    return checkin


# ---- endpoints -----------------------------------------------------------------------------------


@router.post(
    "/checkins",
    response={200: CheckInCreated, 201: CheckInCreated},
    summary="打卡（GPS 定位、岗点二维码或负责人补录；幂等键防止离线补传重复计数）",
)
def checkin_create(request, payload: CheckInIn):
    require_perm(request, ADD_CHECKIN)
    user = request.user
    proof = payload.proof or ProofKind.GPS
    if proof not in ProofKind.values:
        raise ValidationError({"proof": _("证明方式不正确。")})
    person = _manual_person(request, payload) if proof == ProofKind.MANUAL else user
    at = _local_at(payload.at)
    latitude, longitude = _coordinates(payload)
    around = timezone.localtime(at).date() if at else timezone.localdate()
    found = (
        selectors.checkin_posts(user=user, around=around)
        .select_related("school__organization")
        # what the check-in and its answer read, not the school's and organisation's 40 columns
        .only(*POST_COLUMNS)
        .filter(pk=payload.post_id)
        .order_by()[:1]
    )
    post = next(iter(found), None)
    if post is None:
        raise Http404
    if not post.is_active:
        raise ValidationError({"post_id": _("该护学岗已停用，不能打卡。")})
    checkin, created = services.checkin_record(
        post=post,
        user=person,
        at=at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=None if payload.accuracy_m is None else round(payload.accuracy_m),
        proof=proof,
        qr_token=payload.qr_token.strip(),
        idempotency_key=payload.idempotency_key,
        was_offline=payload.was_offline,
        recorded_by=user if proof == ProofKind.MANUAL else None,
    )
    already, message = checkin.already_checked_in, checkin.message
    checkin = _with_relations(checkin, post, person)
    checkin.duplicate, checkin.already_checked_in, checkin.message = not created, already, message
    return Status(201 if created else 200, checkin)


@router.get(
    "/checkins",
    response=list[CheckInOut],
    summary="打卡记录（有查看权限的看数据范围内的，保安、志愿者看本人的；筛选同打卡记录页）",
)
@paginate(LimitOffsetPagination)
def checkin_index(request, filters: Query[CheckInFilters]):
    user = request.user
    if not (user.has_perm("patrols.view_checkin") or user.has_perm(ADD_CHECKIN)):
        require_perm(request, "patrols.view_checkin")
    return filtered(request, CheckInApiFilterSet, selectors.checkin_list(user=user), filters)


@router.get("/checkins/{checkin_id}", response=CheckInOut, summary="打卡详情")
def checkin_detail(request, checkin_id: int):
    user = request.user
    if not (user.has_perm("patrols.view_checkin") or user.has_perm(ADD_CHECKIN)):
        require_perm(request, "patrols.view_checkin")
    return selectors.checkin_get(user=user, pk=checkin_id)
