"""Schemas of the inspections API, and the checks of what a request refers to."""

import datetime as dt

from django.db.models import F
from django.urls import reverse
from ninja import Field, Schema

from huxiao.core.apikit.fields import display_name
from huxiao.inspections import rules, selectors
from huxiao.inspections.choices import PHOTO_COLUMNS, HazardSource, PhotoPurpose, Severity

# The transitions ``POST /hazards/{id}/transitions`` runs (their permissions and arguments are
# in the table).
API_ACTIONS = tuple(a for a, t in rules.TRANSITIONS.items() if t.api)


# ---- campaigns, checklists, inspections ----------------------------------------------------------


class NamedRef(Schema):
    id: int
    name: str


class CampaignOut(Schema):
    id: int
    name: str
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    start_date: dt.date
    end_date: dt.date
    checklist_id: int
    checklist_name: str = Field(..., alias="checklist.name")
    description: str
    targets: int = Field(..., alias="target_count", description="数据范围内的目标学校数")
    inspected: int = Field(..., alias="inspected_count", description="已完成检查的目标学校数")
    person_times: int = Field(..., alias="person_time_count", description="出动警力（人次）")
    coverage: float | None

    @staticmethod
    def resolve_coverage(obj):
        return obj.inspected_count / obj.target_count if obj.target_count else None


class CampaignDetail(CampaignOut):
    inspections: int = Field(..., alias="progress.inspections", description="已完成的检查次数")
    hazards: int = Field(..., alias="progress.hazards")
    hazards_by_state: dict[str, int] = Field(..., alias="progress.hazards_by_state")
    hazards_closed: int = Field(..., alias="progress.hazards_closed")
    overdue: int = Field(..., alias="progress.overdue")
    escalated: int = Field(..., alias="progress.escalated")
    target_schools: list[NamedRef]
    not_inspected: list[NamedRef]


# The filters of the lists are the list pages' (filtersets_campaigns, filtersets_hazards), by
# the same names.
class CampaignFilters(Schema):
    q: str = Field("", description="名称")
    status: str = Field("", description="ongoing 进行中、finished 已结束、upcoming 未开始")
    active: bool | None = Field(None, description="今天是否在行动期内")
    issuer: int | None = None


class CampaignIn(Schema):
    name: str = Field(..., min_length=1, max_length=128)
    start_date: dt.date
    end_date: dt.date
    checklist_id: int
    target_school_ids: list[int] = []
    description: str = ""


class ChecklistOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    current_version: int | None
    versions: list[int]

    @staticmethod
    def resolve_versions(obj):
        return sorted(v.number for v in obj.versions.all())

    @staticmethod
    def resolve_current_version(obj):
        return max((v.number for v in obj.versions.all()), default=None)


class ItemOut(Schema):
    id: int
    code: str
    text: str
    guidance: str


class GroupOut(Schema):
    group: str
    label: str
    items: list[ItemOut]


class VersionOut(Schema):
    number: int
    note: str
    published_at: dt.datetime


class ChecklistDetail(ChecklistOut):
    version: VersionOut
    groups: list[GroupOut]


class InspectionOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    campaign_id: int | None
    campaign_name: str
    date: dt.date
    checklist_id: int = Field(..., alias="checklist_version.template_id")
    checklist_name: str = Field(..., alias="checklist_version.template.name")
    checklist_version: int = Field(..., alias="checklist_version.number")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    person_times: int
    failed: int | None = None

    @staticmethod
    def resolve_campaign_name(obj):
        return obj.campaign.name if obj.campaign_id else ""


class ResultOut(Schema):
    id: int
    item_code: str = Field(..., alias="item.code")
    group: str = Field(..., alias="item.group")
    group_label: str = Field(..., alias="item.get_group_display")
    text: str = Field(..., alias="item.text")
    result: str
    result_label: str = Field(..., alias="get_result_display")
    note: str
    hazard_id: int | None = Field(None, alias="hazard_pk")


class InspectionDetail(InspectionOut):
    summary: str
    finished_at: dt.datetime | None
    inspectors: list[NamedRef]
    results: list[ResultOut]

    @staticmethod
    def resolve_inspectors(obj):
        return [{"id": u.pk, "name": display_name(u)} for u in obj.inspectors.all()]

    @staticmethod
    def resolve_results(obj):
        return obj.results.select_related("item").annotate(hazard_pk=F("hazard__id"))

    @staticmethod
    def resolve_failed(obj):
        return obj.results.filter(result="fail").count()


class InspectionFilters(Schema):
    school: int | None = None
    campaign: int | None = None
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class InspectionIn(Schema):
    school_id: int
    date: dt.date
    inspector_ids: list[int] = Field(..., min_length=1)
    campaign_id: int | None = None
    checklist_id: int | None = None


class ResultIn(Schema):
    result_id: int
    result: str | None = None
    note: str | None = None


class FinishIn(Schema):
    summary: str = ""


class HazardFromResultIn(Schema):
    severity: Severity = Severity.ORDINARY
    title: str = Field("", max_length=200)
    description: str = ""
    deadline: dt.date | None = None


# ---- hazards -------------------------------------------------------------------------------------

# Hazard categories are a dictionary administrators adapt, not a fixed enum of the schema.
CATEGORY_DESCRIPTION = "隐患类别编码（字典 inspections.hazard_category，见字典管理）"


class HazardOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    source: str
    source_label: str = Field(..., alias="get_source_display")
    category: str = Field(..., description=CATEGORY_DESCRIPTION)
    category_label: str
    severity: str
    severity_label: str = Field(..., alias="get_severity_display")
    title: str
    responsible_party: str
    found_on: dt.date
    deadline: dt.date | None
    state: str
    state_label: str = Field(..., alias="get_state_display")
    notice_id: int | None
    notice_number: str
    is_overdue: bool
    overdue_count: int
    is_escalated: bool
    version: int = Field(..., description="乐观锁版本：提交状态变更时带上，过期则答 409")
    closed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_notice_number(obj):
        return obj.notice.number if obj.notice_id else ""


class AttachmentOut(Schema):
    id: int
    purpose: str
    purpose_label: str
    name: str = Field(..., alias="original_name")
    mime_type: str
    size: int
    url: str

    @staticmethod
    def resolve_purpose_label(obj):
        return str(PhotoPurpose(obj.purpose).label) if obj.purpose in PhotoPurpose.values else ""

    @staticmethod
    def resolve_url(obj):
        return reverse("core:file_download", args=[obj.pk])


class EventOut(Schema):
    id: int
    action: str
    action_label: str = Field(..., alias="get_action_display")
    actor_name: str
    at: dt.datetime
    note: str
    from_state: str
    from_state_label: str = Field(..., alias="get_from_state_display")
    to_state: str
    to_state_label: str = Field(..., alias="get_to_state_display")
    data: dict


class ReportOut(Schema):
    id: int
    measures: str
    submitted_by_name: str
    submitted_at: dt.datetime
    evidence: list[AttachmentOut]

    @staticmethod
    def resolve_submitted_by_name(obj):
        return display_name(obj.submitted_by)


class RecheckOut(Schema):
    id: int
    passed: bool
    note: str
    new_deadline: dt.date | None
    officer_name: str
    checked_at: dt.datetime

    @staticmethod
    def resolve_officer_name(obj):
        return display_name(obj.officer)


class HazardEscalationOut(Schema):
    id: int
    number: str
    supervisor_id: int
    supervisor_name: str = Field(..., alias="supervisor.name")
    reason: str
    deadline: dt.date | None
    created_at: dt.datetime
    handled_at: dt.datetime | None
    handling_note: str


def _files(hazard, user) -> tuple[list, list]:
    """The hazard's reports and the files of the hazard and its reports (read once for the
    photos and the reports of one answer)."""
    if not hasattr(hazard, "_files_read"):
        reports = list(hazard.reports.select_related("submitted_by"))
        hazard._files_read = (
            reports,
            selectors.hazard_files(user=user, hazard=hazard, reports=reports),
        )
    return hazard._files_read


class HazardDetail(HazardOut):
    description: str
    inspection_id: int | None
    reported_by_name: str
    allowed_actions: list[str] = Field(
        ..., description="当前用户此刻可执行的状态变更（POST /hazards/{id}/transitions 的 action）"
    )
    photos: list[AttachmentOut] = Field(
        ...,
        description="照片，每张按用途归入一栏（purpose：before 整改前、after 整改后、recheck 复查），"
        "依次列出；整改报告所附图片为整改后，复查时上传的为复查",
    )
    history: list[EventOut]
    reports: list[ReportOut]
    rechecks: list[RecheckOut]
    escalations: list[HazardEscalationOut]
    calendar_warning: str = Field(
        "",
        description="整改期限跨入尚未导入放假调休安排的年份时的提示（按法定节假日计算，导入后可能调整）",
    )

    @staticmethod
    def resolve_calendar_warning(obj):
        return rules.hazard_deadline_warning(obj)

    @staticmethod
    def resolve_inspection_id(obj):
        return obj.inspection_result.inspection_id if obj.inspection_result_id else None

    @staticmethod
    def resolve_reported_by_name(obj):
        return display_name(obj.reported_by)

    @staticmethod
    def resolve_allowed_actions(obj, context):
        user = context["request"].user
        return [a for a in selectors.hazard_actions(user=user, hazard=obj) if a in API_ACTIONS]

    @staticmethod
    def resolve_photos(obj, context):
        # Every picture once, under the column its purpose names (整改前, 整改后, 复查): the
        # school's report pictures are 整改后 as on the page.
        columns = selectors.photo_columns(_files(obj, context["request"].user)[1])
        return [f for purpose in PHOTO_COLUMNS for f in columns[purpose]]

    @staticmethod
    def resolve_history(obj):
        return selectors.hazard_history(hazard=obj)

    @staticmethod
    def resolve_reports(obj, context):
        reports, files = _files(obj, context["request"].user)
        for report in reports:
            report.evidence = selectors.report_files(files, report)
        return reports

    @staticmethod
    def resolve_rechecks(obj):
        return obj.rechecks.select_related("officer")

    @staticmethod
    def resolve_escalations(obj):
        return obj.escalations.select_related("supervisor")


class HazardFilters(Schema):
    state: str = ""
    school: int | None = None
    station: int | None = Field(None, description="派出所（公安用户）")
    overdue: bool | None = None
    escalated: bool | None = None
    severity: str = ""
    source: str = ""
    category: str = Field("", description=CATEGORY_DESCRIPTION)
    campaign: int | None = None
    deadline_before: dt.date | None = Field(None, description="整改期限不晚于该日期")
    found_from: dt.date | None = Field(None, description="发现日期不早于")
    found_to: dt.date | None = Field(None, description="发现日期不晚于")
    closed_from: dt.date | None = Field(None, description="销号日期不早于")
    closed_to: dt.date | None = Field(None, description="销号日期不晚于")
    q: str = Field("", description="隐患名称、描述或学校名称")


class HazardIn(Schema):
    school_id: int
    source: HazardSource | None = Field(
        None, description="学校用户只能学校自查（self_report），可不填"
    )
    category: str = Field(..., max_length=32, description=CATEGORY_DESCRIPTION + "，须为启用的项")
    severity: Severity = Severity.ORDINARY
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    responsible_party: str = Field("", max_length=128)
    found_on: dt.date | None = None
    deadline: dt.date | None = None


# The fields of a transition, named as on the hazard page's forms (rules.TRANSITIONS). With
# multipart/form-data the same fields come as form fields, and the files as ``evidence``
# (整改佐证, reported) or ``photos`` (复查照片, recheck_passed / recheck_failed).
class TransitionIn(Schema):
    action: str = Field(..., description="、".join(API_ACTIONS))
    version: int | None = Field(None, description="读取时的版本；已被他人修改则答 409")
    note: str = Field("", description="说明（started）、复查意见（recheck_*）")
    measures: str = Field("", description="整改措施（reported，必填；未填时取 note）")
    reason: str = Field(
        "", description="调整原因（deadline_changed）、督办原因（escalated），必填；未填时取 note"
    )
    new_deadline: dt.date | None = Field(None, description="复查不通过的新期限（recheck_failed）")
    new_working_days: int | None = Field(
        None, ge=1, le=120, description="或：自今日起工作日数（recheck_failed）"
    )
    deadline: dt.date | None = Field(
        None, description="调整后的整改期限（deadline_changed，必填）、督办期限（escalated）"
    )


# ---- notices and 挂牌督办 ------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    number: str
    title: str
    year: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    copy_to_id: int | None
    copy_to_name: str
    issue_date: dt.date
    working_days: int
    deadline: dt.date
    received_at: dt.datetime | None
    hazard_count: int

    @staticmethod
    def resolve_copy_to_name(obj):
        return obj.copy_to.name if obj.copy_to_id else ""


class NoticeDetail(NoticeOut):
    requirements: str
    issued_by_name: str
    received_by_name: str
    hazards: list[HazardOut] = Field(..., alias="hazards_in_scope")
    calendar_warning: str = Field(
        "",
        description="整改期限跨入尚未导入放假调休安排的年份时的提示（按法定节假日计算，导入后可能调整）",
    )

    @staticmethod
    def resolve_calendar_warning(obj):
        return rules.deadline_warning(obj.issue_date, obj.deadline)

    @staticmethod
    def resolve_hazard_count(obj):
        return len(obj.hazards_in_scope)

    @staticmethod
    def resolve_issued_by_name(obj):
        return display_name(obj.issued_by)

    @staticmethod
    def resolve_received_by_name(obj):
        return display_name(obj.received_by)


class NoticeFilters(Schema):
    q: str = Field("", description="文号或标题")
    school: int | None = None
    year: int | None = None
    issuer: int | None = None
    received: bool | None = Field(None, description="学校是否已签收")


class NoticeIn(Schema):
    school_id: int
    hazard_ids: list[int] = Field(..., min_length=1)
    working_days: int | None = Field(None, ge=1, le=120, description="默认按系统设置")
    requirements: str = ""
    title: str = Field("", max_length=200)


class EscalationOut(HazardEscalationOut):
    year: int
    hazard_id: int
    hazard_title: str = Field(..., alias="hazard.title")
    hazard_state: str = Field(..., alias="hazard.state")
    school_id: int = Field(..., alias="hazard.school_id")
    school_name: str = Field(..., alias="hazard.school.organization.name")
    created_by_name: str
    handled_by_name: str

    @staticmethod
    def resolve_created_by_name(obj):
        return display_name(obj.created_by)

    @staticmethod
    def resolve_handled_by_name(obj):
        return display_name(obj.handled_by)


class EscalationFilters(Schema):
    q: str = Field("", description="督办文号或隐患")
    school: int | None = None
    supervisor: int | None = None
    handled: bool | None = None
    date_from: dt.date | None = Field(None, description="督办日期不早于")
    date_to: dt.date | None = Field(None, description="督办日期不晚于")


class HandleIn(Schema):
    note: str = Field(..., min_length=1, description="督办意见")
