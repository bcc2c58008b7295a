"""Disputes API (涉校涉生矛盾纠纷), police only like the rest of the module (docs/persons.md
says why education bureaus and schools, although responsible organisations, do not read
this registry): registration, mediation records and the status machine."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.audit import record_access
from huxiao.core.models import Organization
from huxiao.persons import selectors, services
from huxiao.persons.api_auth import police, police_auth
from huxiao.persons.api_schemas import (
    DisputeDetail,
    DisputeFiltersIn,
    DisputeIn,
    DisputeOut,
    MediationIn,
    MediationOut,
    TransitionIn,
)
from huxiao.schools.models import School

router = Router(tags=["disputes"], auth=police_auth)


def _detail(request, dispute, *, reveal: bool) -> dict:
    data = DisputeOut.from_orm(dispute).dict()
    if reveal:
        data["parties"] = dispute.parties
    data["mediations"] = [
        MediationOut.from_orm(m).dict()
        for m in selectors.mediation_list(user=request.user, dispute=dispute)
    ]
    data["revealed"] = reveal
    return data


@router.get("/disputes", response=list[DisputeOut], summary="矛盾纠纷列表")
@paginate(LimitOffsetPagination)
def dispute_list(request, filters: Query[DisputeFiltersIn]):
    police(request, disputes=True)
    return selectors.dispute_list(
        user=request.user, filters=selectors.DisputeFilters(**filters.dict())
    )


@router.post("/disputes", response={201: DisputeDetail}, summary="登记矛盾纠纷")
def dispute_create(request, payload: DisputeIn):
    police(request, "persons.add_dispute", disputes=True)
    data = payload.dict()
    school = (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .filter(pk=data.pop("school_id"))
        .first()
    )
    if school is None:
        raise HttpError(400, _("学校不存在或不在您的数据范围内（school_id）。"))
    org_id = data.pop("responsible_org_id")
    responsible = None
    if org_id is not None:
        # Any organisation of the right kind may be responsible (the school's education
        # bureau sits outside the police tree), so look it up unscoped by kind.
        responsible = Organization.objects.filter(pk=org_id).first()
        if responsible is None:
            raise HttpError(400, _("责任单位不存在（responsible_org_id）。"))
    key_id = data.pop("key_person_id")
    key_person = None
    if key_id is not None:
        key_person = selectors.key_person_list(user=request.user).filter(pk=key_id).first()
        if key_person is None:
            raise HttpError(400, _("重点人员不存在或不在您的数据范围内（key_person_id）。"))
    dispute = services.dispute_create(
        school=school,
        responsible_org=responsible,
        key_person=key_person,
        actor=request.user,
        **data,
    )
    return Status(
        201, _detail(request, selectors.dispute_get(user=request.user, pk=dispute.pk), reveal=False)
    )


@router.get("/disputes/{dispute_id}", response=DisputeDetail, summary="矛盾纠纷详情")
def dispute_detail(request, dispute_id: int, reveal: bool = False, reason: str = ""):
    police(request, disputes=True)
    dispute = selectors.dispute_get(user=request.user, pk=dispute_id)
    if reveal:
        require_perm(request, selectors.REVEAL_PERM)
        record_access(obj=dispute, actor=request.user, reason=reason.strip()[:200])
    return _detail(request, dispute, reveal=reveal)


@router.post("/disputes/{dispute_id}/transitions", response=DisputeDetail, summary="纠纷状态流转")
def dispute_transition(request, dispute_id: int, payload: TransitionIn):
    police(request, "persons.change_dispute", disputes=True)
    dispute = selectors.dispute_get(user=request.user, pk=dispute_id)
    services.dispute_transition(
        dispute=dispute,
        to=payload.to,
        note=payload.note,
        actor=request.user,
        expected_version=payload.expected_version,
    )
    return _detail(request, selectors.dispute_get(user=request.user, pk=dispute_id), reveal=False)


@router.post("/disputes/{dispute_id}/mediations", response={201: MediationOut}, summary="记录调解")
def mediation_create(request, dispute_id: int, payload: MediationIn):
    police(request, "persons.add_mediationrecord", disputes=True)
    dispute = selectors.dispute_get(user=request.user, pk=dispute_id)
    record = services.mediation_create(dispute=dispute, actor=request.user, **payload.dict())
    return Status(201, record)
