"""Schemas of the patrols API (posts, rosters, patrols, video patrols, day statistics), and how
its lists take the pages' filters."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from ninja import Field, Schema

from huxiao.core.apikit.fields import display_name
from huxiao.inspections.api_schemas import CATEGORY_DESCRIPTION
from huxiao.inspections.choices import Severity
from huxiao.patrols import services
from huxiao.patrols.choices import PostKind

# Coordinates are stored with 6 decimals (~0.1 m); a phone sends more, which the model's
# validation would refuse, so the API rounds them first.
MICRO = Decimal("0.000001")


def micro(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(MICRO, rounding=ROUND_HALF_UP)


Latitude = Field(..., ge=-90, le=90, description="纬度（WGS-84）")
Longitude = Field(..., ge=-180, le=180, description="经度（WGS-84）")


# The lists' filters are the list pages' (filtersets_posts, filtersets_patrols), by the same
# names; a yes/no is true/false here.


# ---- posts ---------------------------------------------------------------------------------------


class PostOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    station_id: int | None = Field(None, alias="school.organization.parent_id")
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    latitude: float
    longitude: float
    radius_m: int
    windows: list[dict] = Field(..., description='值守时段：[{"code","name","start","end"}]')
    staffing: dict = Field(..., description='人员配置要求：{"police":1,"guard":1,...}')
    corridor: list | None = Field(None, description="护学通道：[[经度, 纬度], ...]")
    is_pilot: bool
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class PostFilters(Schema):
    q: str = Field("", description="岗位名称")
    school: int | None = None
    station: int | None = Field(None, description="派出所（学校的上级单位；公安用户）")
    kind: str = Field("", description="fixed 固定岗、mobile 流动岗、peak 高峰勤务")
    pilot: bool | None = Field(None, description="“警校家”试点")
    active: bool | None = Field(None, description="启用")
    corridor: bool | None = Field(None, description="有护学通道")


class PostIn(Schema):
    school_id: int
    name: str = Field(..., min_length=1, max_length=64)
    kind: PostKind = PostKind.FIXED
    latitude: Decimal = Latitude
    longitude: Decimal = Longitude
    radius_m: int = Field(100, description="打卡半径（米），10–2000")
    windows: list[dict] | None = Field(
        None, description="不填为默认：上学 07:00–08:30、放学 16:00–18:00"
    )
    staffing: dict | None = None
    corridor: list | None = None
    is_pilot: bool = False
    is_active: bool = True


class PostPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=64)
    kind: PostKind | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    radius_m: int | None = None
    windows: list[dict] | None = None
    staffing: dict | None = None
    corridor: list | None = None
    is_pilot: bool | None = None
    is_active: bool | None = None


# ---- rosters -------------------------------------------------------------------------------------


class ShiftOut(Schema):
    id: int
    post_id: int
    post_name: str = Field(..., alias="post.name")
    school_id: int = Field(..., alias="post.school_id")
    school_name: str = Field(..., alias="post.school.organization.name")
    date: dt.date
    window: str
    window_name: str
    person_id: int | None
    person_name: str
    person_kind: str
    person_kind_label: str = Field(..., alias="get_person_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    swapped_from_id: int | None
    note: str

    @staticmethod
    def resolve_window_name(obj):
        window = obj.post.window(obj.window)
        return window["name"] if window else obj.window


class ShiftFilters(Schema):
    date_from: dt.date | None = Field(None, description="不填为不限（页面默认从今天起）")
    date_to: dt.date | None = None
    school: int | None = None
    post: int | None = None
    window: str = Field("", description="时段代码，如 am、pm")
    person_kind: str = Field("", description="police、auxiliary、guard、volunteer")
    status: str = Field("", description="planned 已排班、swapped 已调班、cancelled 已取消")
    q: str = Field("", description="值守人员姓名")
    person: int | None = Field(None, description="值守人员（用户编号）")


class ShiftBulkIn(Schema):
    post_id: int
    start: dt.date
    end: dt.date
    windows: list[str] = Field(..., min_length=1, description="时段代码，如 am、pm")
    person_ids: list[int] = Field(..., min_length=1)


class ShiftBulkOut(Schema):
    count: int = Field(..., description="新排的班次数（已排的不重复）")
    items: list[ShiftOut]


class SwapIn(Schema):
    person_id: int
    note: str = Field("", max_length=200)


class NoteIn(Schema):
    note: str = Field("", max_length=200)


# ---- patrol routes and logs ----------------------------------------------------------------------


class CheckpointOut(Schema):
    id: int
    name: str
    school_id: int | None
    latitude: float
    longitude: float
    radius_m: int
    is_mandatory: bool
    order: int


class RouteOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    name: str
    grid: str
    is_active: bool
    checkpoint_count: int
    created_at: dt.datetime


class RouteDetail(RouteOut):
    checkpoints: list[CheckpointOut]

    @staticmethod
    def resolve_checkpoints(obj):
        return obj.checkpoints.all()


class CheckpointIn(Schema):
    """What is left out takes the defaults the page's form takes too
    (``services.checkpoint_defaults``)."""

    name: str = Field("", max_length=64, description="不填时为“学校名称校门”")
    school_id: int | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90, description="不填时为学校的位置")
    longitude: Decimal | None = Field(None, ge=-180, le=180, description="不填时为学校的位置")
    radius_m: int | None = Field(None, description="到点半径（米），不填为 150")
    is_mandatory: bool | None = Field(None, description="必巡点，不填为是")


class RouteIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    grid: str = Field("", max_length=64)
    organization_id: int | None = Field(None, description="所属单位，不填为本单位")
    checkpoints: list[CheckpointIn] = Field(..., min_length=1, description="按巡逻顺序")


class RouteFilters(Schema):
    q: str = Field("", description="路线名称或网格")
    organization: int | None = None
    active: bool | None = None


class VisitOut(Schema):
    id: int
    checkpoint_id: int
    checkpoint_name: str = Field(..., alias="checkpoint.name")
    at: dt.datetime
    latitude: float | None
    longitude: float | None
    distance_m: int | None
    proof: str


class LogOut(Schema):
    id: int
    route_id: int
    route_name: str = Field(..., alias="route.name")
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    leader_id: int
    leader_name: str
    police_count: int
    auxiliary_count: int
    person_times: int
    vehicles: int
    window: str
    date: dt.date
    started_at: dt.datetime
    ended_at: dt.datetime | None
    status: str
    status_label: str = Field(..., alias="get_status_display")
    note: str

    @staticmethod
    def resolve_leader_name(obj):
        return display_name(obj.leader)


class LogDetail(LogOut):
    visits: list[VisitOut]
    missed_checkpoints: list[CheckpointOut] = Field(
        ..., description="未到达的必巡点（巡逻结束后即为漏巡）"
    )

    @staticmethod
    def resolve_visits(obj):
        return obj.visits.select_related("checkpoint")

    @staticmethod
    def resolve_missed_checkpoints(obj):
        return services.missed_checkpoints(obj)


class LogFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    route: int | None = None
    organization: int | None = None
    window: str = Field("", description="am 上学、pm 放学")
    status: str = Field(
        "",
        description="in_progress、completed、incomplete、abandoned，或 ended（已结束：后三者）",
    )


class LogIn(Schema):
    route_id: int
    police_count: int = Field(1, ge=0, le=1000)
    auxiliary_count: int = Field(0, ge=0, le=1000)
    vehicles: int = Field(0, ge=0, le=1000)
    window: str = Field("", max_length=16)
    started_at: dt.datetime | None = Field(None, description="不填为现在")


class VisitIn(Schema):
    checkpoint_id: int
    latitude: Decimal = Latitude
    longitude: Decimal = Longitude
    at: dt.datetime | None = None


class FinishIn(Schema):
    note: str = ""


class AbandonIn(Schema):
    note: str = Field(..., description="中止原因")


class FindingIn(Schema):
    school_id: int
    title: str = Field(..., min_length=1, max_length=200)
    category: str = Field(..., max_length=32, description=CATEGORY_DESCRIPTION + "，须为启用的项")
    severity: Severity = Severity.ORDINARY
    description: str = ""


class FindingOut(Schema):
    hazard_id: int
    title: str
    state: str


# ---- video patrols -------------------------------------------------------------------------------


class VideoOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    officer_id: int
    officer_name: str
    at: dt.datetime
    cameras_checked: int
    cameras_offline: int
    gate_closed: bool | None
    guard_on_duty: bool | None
    equipment_present: bool | None
    observations: str
    found_problem: bool
    hazard_id: int | None = Field(None, description="发现问题时自动登记的隐患")

    @staticmethod
    def resolve_officer_name(obj):
        return display_name(obj.officer)


class VideoFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    problem: bool | None = Field(None, description="是否发现问题")


class VideoIn(Schema):
    school_id: int
    at: dt.datetime | None = Field(None, description="不填为现在")
    cameras_checked: int = Field(0, ge=0, le=10000)
    cameras_offline: int = Field(0, ge=0, le=10000)
    gate_closed: bool | None = None
    guard_on_duty: bool | None = None
    equipment_present: bool | None = None
    observations: str = ""


# ---- statistics ----------------------------------------------------------------------------------


class WindowStatsOut(Schema):
    code: str
    name: str
    expected_posts: int = Field(..., description="应值守岗次（上学日启用岗位 × 时段）")
    covered_posts: int = Field(..., description="有有效打卡的岗次")
    police_posts: int = Field(..., description="有民警有效打卡的岗次")
    schools_expected: int
    schools_covered: int
    police_person_times: int = Field(..., description="民警打卡人次（人×岗，去重）")
    checkins: int
    invalid_checkins: int
    unstaffed: list[int] = Field(..., description="无人有效打卡的岗位编号（漏岗）")
    police_rate: float | None = Field(None, description="见警率：民警到岗岗次 / 应值守岗次")
    coverage_rate: float | None = Field(None, description="学校覆盖率")

    @staticmethod
    def resolve_unstaffed(obj):
        return [post_id for post_id, _school_id in obj.unstaffed]


class DayStatsOut(Schema):
    date: dt.date = Field(..., alias="day")
    is_workday: bool
    schools_with_posts: int
    schools_in_session: int
    expected_posts: int
    covered_posts: int
    police_posts: int
    checkins: int
    invalid_checkins: int
    police_rate: float | None
    police_person_times: int = Field(..., description="出动警力人次：打卡 + 巡逻")
    police_person_times_checkins: int
    police_person_times_patrols: int
    police_person_times_scheduled: int = Field(..., description="安排警力人次（民警班次）")
    patrols: int
    patrols_incomplete: int
    missed_checkpoints: int
    windows: list[WindowStatsOut]
    calendar_warning: str = Field(
        "",
        description="该日所在年份的放假调休安排尚未导入时的提示（上学日按法定节假日计算）；已导入为空",
    )

    @staticmethod
    def resolve_calendar_warning(obj):
        from huxiao.core import workcalendar

        return workcalendar.schedule_warning(obj.day)

    @staticmethod
    def resolve_covered_posts(obj):
        return sum(w.covered_posts for w in obj.windows)

    @staticmethod
    def resolve_police_posts(obj):
        return sum(w.police_posts for w in obj.windows)

    @staticmethod
    def resolve_checkins(obj):
        return sum(w.checkins for w in obj.windows)

    @staticmethod
    def resolve_invalid_checkins(obj):
        return sum(w.invalid_checkins for w in obj.windows)


class StatsFilters(Schema):
    date: dt.date | None = Field(None, description="YYYY-MM-DD，不填为今天")
    school: int | None = None
    station: int | None = Field(None, description="派出所：其辖区学校")
