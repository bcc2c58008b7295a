"""Inspections API, the rectification loop: hazards and their transitions, 整改通知书, 挂牌督办.

Mounted under the module's router (``huxiao.inspections.api``); same rules: out of scope =
404, services' ValidationError = 400, a stale ``version`` = 409.
"""

import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ValidationError as PydanticError

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import filtered, one, pick
from huxiao.inspections import rules, selectors, services
from huxiao.inspections.api_schemas import (
    AttachmentOut,
    EscalationFilters,
    EscalationOut,
    EventOut,
    HandleIn,
    HazardDetail,
    HazardFilters,
    HazardIn,
    HazardOut,
    NoticeDetail,
    NoticeFilters,
    NoticeIn,
    NoticeOut,
    TransitionIn,
)
from huxiao.inspections.choices import (
    HazardSource,
)
from huxiao.inspections.filtersets_hazards import (
    EscalationApiFilterSet,
    HazardFilterSet,
    NoticeFilterSet,
)
from huxiao.schools.models import School

router = Router(tags=["inspections"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ---- hazards -------------------------------------------------------------------------------------


def _hazards(request, filters: HazardFilters):
    return filtered(request, HazardFilterSet, selectors.hazard_list(user=request.user), filters)


def _hazard(request, pk: int):
    return selectors.hazard_get(user=request.user, pk=pk)


@router.get("/hazards", response=list[HazardOut], summary="隐患列表（状态、逾期、督办等筛选）")
@paginate(LimitOffsetPagination)
def hazard_list(request, filters: Query[HazardFilters]):
    require_perm(request, "inspections.view_hazard")
    return _hazards(request, filters)


@router.get(
    "/hazards/{hazard_id}",
    response=HazardDetail,
    summary="隐患详情（照片、处理记录、整改报告、复查、督办，及当前用户可执行的操作）",
)
def hazard_detail(request, hazard_id: int):
    require_perm(request, "inspections.view_hazard")
    return _hazard(request, hazard_id)


@router.post(
    "/hazards",
    response={201: HazardDetail},
    summary="登记隐患（学校用户只能为本校登记“学校自查”隐患）",
)
def hazard_create(request, payload: HazardIn):
    require_perm(request, "inspections.add_hazard")
    user = request.user
    school = one(
        School.objects.visible_to(user), payload.school_id, field="school_id", label=_("学校")
    )
    source = payload.source
    org = user.organization
    if org is None or not org.is_police:
        # A school reports on itself only: what it finds is 学校自查 by definition.
        if school.organization_id != user.organization_id:
            raise ValidationError({"school_id": _("学校用户只能登记本校的隐患。")})
        if source not in (None, HazardSource.SELF_REPORT):
            raise ValidationError({"source": _("学校用户登记的隐患来源只能是“学校自查”。")})
        source = HazardSource.SELF_REPORT
    elif source is None:
        raise ValidationError({"source": _("请选择隐患来源。")})
    hazard = services.hazard_create(
        school=school,
        source=source,
        category=payload.category,
        severity=payload.severity,
        title=payload.title,
        description=payload.description,
        responsible_party=payload.responsible_party,
        found_on=payload.found_on,
        deadline=payload.deadline,
        actor=user,
    )
    return Status(201, _hazard(request, hazard.pk))


@router.get(
    "/hazards/{hazard_id}/transitions",
    response=list[EventOut],
    summary="隐患处理记录（全部，按时间先后，不分页）",
)
def hazard_transitions(request, hazard_id: int):
    require_perm(request, "inspections.view_hazard")
    return selectors.hazard_history(hazard=_hazard(request, hazard_id))


# The upload fields of the transitions (``rules.TRANSITIONS``): evidence, re-check photos.
FILE_FIELDS = tuple(
    dict.fromkeys(a.name for t in rules.TRANSITIONS.values() if t.api for a in t.args if a.files)
)


def _transition_schemas() -> dict:
    as_json = TransitionIn.model_json_schema()
    files = {"type": "array", "items": {"type": "string", "format": "binary"}}
    multipart = {
        **as_json,
        "properties": {**as_json["properties"], **dict.fromkeys(FILE_FIELDS, files)},
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": as_json},
                "multipart/form-data": {"schema": multipart},
            },
        }
    }


def _transition_body(request) -> tuple[TransitionIn, dict[str, list]]:
    """The body of a transition: JSON, or multipart/form-data with the same fields and the
    files (as the hazard page posts them)."""
    if request.content_type == "multipart/form-data":
        data = {k: v for k, v in request.POST.items() if v != ""}
        uploads = {name: request.FILES.getlist(name) for name in FILE_FIELDS}
    else:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise HttpError(400, _("请求体不是有效的JSON。")) from None
        uploads = {}
    try:
        payload = TransitionIn.model_validate(data)
    except PydanticError as exc:
        raise NinjaValidationError(exc.errors(include_url=False)) from None
    return payload, uploads


@router.post(
    "/hazards/{hazard_id}/transitions",
    response=HazardDetail,
    summary="隐患状态变更：开始整改、提交整改报告（可附佐证材料）、复查、调整期限、挂牌督办",
    description=(
        "JSON，或 multipart/form-data（字段同 JSON，文件为 evidence 整改佐证材料、"
        "photos 复查照片，JPG、PNG、WebP，佐证材料另可 PDF）。"
    ),
    openapi_extra=_transition_schemas(),
)
def hazard_transition(request, hazard_id: int):
    payload, uploads = _transition_body(request)
    transition = rules.TRANSITIONS.get(payload.action)
    if transition is None or not transition.api:
        raise ValidationError({"action": _("未知的操作：%(a)s") % {"a": payload.action}})
    require_perm(request, transition.permission)
    hazard = _hazard(request, hazard_id)
    if not selectors.may_run(user=request.user, hazard=hazard, transition=transition):
        raise HttpError(403, _("只有该校的用户才能执行此操作。"))
    services.hazard_transition(
        hazard=hazard,
        action=transition.action,
        actor=request.user,
        arguments={**payload.dict(), **uploads},
        expected_version=payload.version,
    )
    return _hazard(request, hazard_id)


@router.post(
    "/hazards/{hazard_id}/photos",
    response={201: list[AttachmentOut]},
    summary="上传隐患照片（multipart：files 多个文件，purpose 为 before/after/recheck）",
)
def hazard_photos(
    request,
    hazard_id: int,
    files: File[list[UploadedFile]],
    purpose: Form[str] = "before",
):
    user = request.user
    # Officers add photos to what they inspect, the school to what it rectifies.
    if not (
        user.has_perm("inspections.change_hazard") or user.has_perm("inspections.rectify_hazard")
    ):
        raise HttpError(403, _("没有权限执行此操作。"))
    hazard = _hazard(request, hazard_id)
    added = services.hazard_add_photos(hazard=hazard, uploads=files, purpose=purpose, actor=user)
    return Status(201, added)


# ---- notices -------------------------------------------------------------------------------------


def _notice_detail(request, pk: int):
    notice = selectors.notice_get(user=request.user, pk=pk)
    notice.hazards_in_scope = list(selectors.hazard_list(user=request.user).filter(notice=notice))
    return notice


@router.get("/notices", response=list[NoticeOut], summary="整改通知书列表")
@paginate(LimitOffsetPagination)
def notice_list(request, filters: Query[NoticeFilters]):
    require_perm(request, "inspections.view_rectificationnotice")
    # The selector counts hazards (GROUP BY), which drops the model's ordering.
    notices = selectors.notice_list(user=request.user).order_by("-issue_date", "-id")
    return filtered(request, NoticeFilterSet, notices, filters)


@router.get(
    "/notices/{notice_id}",
    response=NoticeDetail,
    summary="整改通知书详情（学校用户首次查看即记为签收）",
)
def notice_detail(request, notice_id: int):
    require_perm(request, "inspections.view_rectificationnotice")
    notice = _notice_detail(request, notice_id)
    services.notice_receive(notice=notice, actor=request.user)
    return notice


@router.post(
    "/notices",
    response={201: NoticeDetail},
    summary="下发整改通知书（自动编号，按工作日计算整改期限，抄送教育局）",
)
def notice_create(request, payload: NoticeIn):
    require_perm(request, "inspections.add_rectificationnotice")
    user = request.user
    school = one(
        School.objects.visible_to(user), payload.school_id, field="school_id", label=_("学校")
    )
    hazards = pick(
        selectors.hazard_list(user=user),
        payload.hazard_ids,
        field="hazard_ids",
        label=_("隐患"),
    )
    notice = services.notice_issue(
        school=school,
        hazards=hazards,
        working_days=payload.working_days,
        requirements=payload.requirements,
        title=payload.title,
        actor=user,
    )
    return Status(201, _notice_detail(request, notice.pk))


@router.get(
    "/notices/{notice_id}/document",
    response={200: None},
    summary="下载整改通知书（.docx 公文）",
)
def notice_document(request, notice_id: int):
    require_perm(request, "inspections.view_rectificationnotice")
    from huxiao.inspections import documents

    notice = selectors.notice_get(user=request.user, pk=notice_id)
    return _docx(documents.notice_docx(notice), documents.notice_filename(notice))


# ---- 挂牌督办 ------------------------------------------------------------------------------------


@router.get("/escalations", response=list[EscalationOut], summary="挂牌督办列表")
@paginate(LimitOffsetPagination)
def escalation_list(request, filters: Query[EscalationFilters]):
    require_perm(request, "inspections.view_escalation")
    escalations = selectors.escalation_list(user=request.user)
    return filtered(request, EscalationApiFilterSet, escalations, filters)


@router.get("/escalations/{escalation_id}", response=EscalationOut, summary="挂牌督办详情")
def escalation_detail(request, escalation_id: int):
    require_perm(request, "inspections.view_escalation")
    return selectors.escalation_get(user=request.user, pk=escalation_id)


@router.post(
    "/escalations/{escalation_id}/handle",
    response=EscalationOut,
    summary="填写督办意见（仅督办单位的人员）",
)
def escalation_handle(request, escalation_id: int, payload: HandleIn):
    require_perm(request, "inspections.supervise_hazard")
    escalation = selectors.escalation_get(user=request.user, pk=escalation_id)
    # Those who may see the item but are not the supervising organisation are refused with
    # 403, not 404: the item exists for them (they read it in the list), the act is not theirs.
    if escalation.supervisor_id != request.user.organization_id:
        raise HttpError(403, _("只有督办单位的人员才能填写督办意见。"))
    services.escalation_handle(escalation=escalation, note=payload.note, actor=request.user)
    return selectors.escalation_get(user=request.user, pk=escalation_id)


@router.get(
    "/escalations/{escalation_id}/document",
    response={200: None},
    summary="下载督办通知（.docx 公文）",
)
def escalation_document(request, escalation_id: int):
    require_perm(request, "inspections.view_escalation")
    from huxiao.inspections import documents

    escalation = selectors.escalation_get(user=request.user, pk=escalation_id)
    return _docx(documents.escalation_docx(escalation), documents.escalation_filename(escalation))
