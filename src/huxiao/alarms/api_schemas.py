"""Schemas of the alarms API. The lists' filters are the list pages' (filtersets.py), by the
same names; a yes/no is true/false here."""

import datetime as dt

from ninja import Field, Schema


class AlarmAccepted(Schema):
    id: int
    state: str
    result: str
    duplicate: bool = Field(..., description="同一设备事件编号已接收过：未新建报警")


class AlarmFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    kind: str = Field("", description="emergency、intrusion、duress、fire、self_test")
    state: str = Field("", description="received、acknowledged、dispatched、on_scene、closed")
    result: str = Field("", description="real、false、test、fault")
    acknowledged: bool | None = None
    dispatched: bool | None = None
    on_scene: bool | None = None
    test: bool | None = Field(
        None, description="处置结果为测试（报备时段内、设备自检、处置为测试）"
    )
    reported: bool | None = Field(None, description="在测试报备时段内")
    escalated: bool | None = Field(None, description="因无人签收已升级")
    org: int | None = Field(None, description="辖区（单位ID）")


class AlarmOut(Schema):
    id: int
    school_id: int
    school_name: str
    kind: str
    kind_label: str
    place: str
    state: str
    state_label: str
    occurred_at: dt.datetime
    received_at: dt.datetime
    acknowledged_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    on_scene_at: dt.datetime | None
    closed_at: dt.datetime | None
    result: str
    result_label: str
    # Police-only details: null for the school and the education bureau.
    dispatch_unit: str | None = None
    dispatch_patrol_id: int | None = None
    acknowledged_by: str | None = None
    dispatched_by: str | None = None
    on_scene_by: str | None = None
    closed_by: str | None = None
    close_note: str | None = None
    allowed_actions: list[str] = []


class EscalationOut(Schema):
    level: int = Field(..., description="1 分局，2 市局指挥中心")
    level_label: str
    escalated_at: dt.datetime
    # Police-only details: null for the school and the education bureau.
    organization_id: int | None = None
    organization_name: str | None = None
    notified: int | None = Field(None, description="紧急通知的人数")


class AlarmDetailOut(AlarmOut):
    escalations: list[EscalationOut] = Field([], description="无人签收时的逐级升级记录")


class TransitionIn(Schema):
    action: str = Field(
        ..., description="acknowledge 签收、dispatch 派警、on_scene 到场、close 处置完毕"
    )
    unit: str = Field("", max_length=100, description="派警：出警单位")
    patrol_id: int | None = Field(None, description="派警：正在进行的巡逻记录")
    result: str = Field("", description="处置完毕：real、false、test、fault")
    note: str = Field("", max_length=2000, description="处置完毕：处置情况")


class TestWindowFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    org: int | None = None


class TestWindowOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str


class TestWindowIn(Schema):
    school_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str = Field("", max_length=200)


class HeartbeatAccepted(Schema):
    device: str
    last_heartbeat_at: dt.datetime
    interval_seconds: int = Field(..., description="超过此秒数无心跳即判为离线")
    back_online: bool = Field(..., description="设备此前离线，本次心跳结束了离线记录")


class OutageFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    state: str = Field("", description="open（离线中）、ended（已恢复）")
    org: int | None = Field(None, description="辖区（单位ID）")


class OutageOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    device_id: int
    last_heartbeat_at: dt.datetime
    started_at: dt.datetime
    ended_at: dt.datetime | None
    hazard_id: int | None
