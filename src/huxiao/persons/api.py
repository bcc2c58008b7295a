"""Key-persons API (police only): the registry, follow-ups, screening, and the watchlist.

Every key-person endpoint answers 404 to anyone who is not police with the module's view
permission — exactly as for an id that does not exist — before any other check; a police
user lacking a write permission gets 403. Lists and details are masked; ``?reveal=1``
(with an optional ``reason``) returns the identity in clear to holders of
``persons.reveal_keyperson`` and writes the access log first. ``POST /watchlist/match`` is
open to gate guards and security chiefs too, who learn only yes/no and what to do.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core import audit, crypto
from huxiao.core.apikit.auth import api_auth
from huxiao.core.apikit.errors import require_perm
from huxiao.core.models import Organization, User
from huxiao.core.selectors import organization_get
from huxiao.inspections.models import Campaign
from huxiao.persons import selectors, services, watchlist
from huxiao.persons.api_auth import police, police_auth
from huxiao.persons.api_disputes import router as disputes_router
from huxiao.persons.api_schemas import (
    FollowUpIn,
    FollowUpOut,
    KeyPersonDetail,
    KeyPersonIn,
    KeyPersonOut,
    KeyPersonPatch,
    MatchIn,
    MatchOut,
    PersonFiltersIn,
    ScreeningDetail,
    ScreeningEntriesIn,
    ScreeningEntryOut,
    ScreeningIn,
    ScreeningOut,
    ScreeningTotalsOut,
)
from huxiao.persons.models import mask_hidden
from huxiao.schools.models import School

router = Router(tags=["key-persons"], auth=police_auth)
router.add_router("", disputes_router)


def _bad_ids(field: str, label: str) -> HttpError:
    return HttpError(
        400,
        _("%(label)s不存在或不在您的数据范围内（%(field)s）。")
        % {
            "label": label,
            "field": field,
        },
    )


def _station(request, pk: int) -> Organization:
    org = Organization.objects.visible_to(request.user).filter(pk=pk).first()
    if org is None:
        raise _bad_ids("station_id", _("责任单位"))
    return org


def _officer(request, pk: int | None):
    if pk is None:
        return None
    user = User.objects.visible_to(request.user).filter(pk=pk).first()
    if user is None:
        raise _bad_ids("officer_id", _("责任民警"))
    return user


def _schools(request, links) -> list:
    ids = [link.school_id for link in links]
    found = School.objects.visible_to(request.user).select_related("organization").in_bulk(ids)
    if len(found) != len(set(ids)):
        raise _bad_ids("schools", _("学校"))
    return [(found[link.school_id], link.relation) for link in links]


def _detail(request, person, *, reveal: bool, reason: str = "") -> dict:
    data = KeyPersonOut.from_orm(person).dict()
    links = selectors.school_links(user=request.user, person=person)
    data.update(
        address=crypto.mask_address(person.address or ""),
        home_location=mask_hidden(person.home_location),
        notes=mask_hidden(person.notes),
        listed_on=person.listed_on,
        status_note=person.status_note,
        schools=[
            {
                "school_id": k.school_id,
                "name": k.school.organization.name,
                "relation": k.relation,
                "distance_m": k.distance_m,
            }
            for k in links
        ],
        revealed=False,
    )
    if reveal:
        identity = selectors.key_person_reveal(user=request.user, person=person, reason=reason)
        data.update(
            id_number=identity.id_number,
            phone=identity.phone,
            address=identity.address,
            home_location=identity.home_location,
            notes=identity.notes,
            birth_date=person.birth_date,
            revealed=True,
        )
    return data


# ---- key persons ----------------------------------------------------------------------


@router.get("/key-persons", response=list[KeyPersonOut], summary="重点人员列表（脱敏）")
@paginate(LimitOffsetPagination)
def key_person_list(request, filters: Query[PersonFiltersIn]):
    police(request)
    f = selectors.PersonFilters(**{k: v or None for k, v in filters.dict().items()})
    f.q, f.review = filters.q, filters.review
    return selectors.key_person_list(user=request.user, filters=f)


@router.post("/key-persons", response={201: KeyPersonDetail}, summary="列管重点人员")
def key_person_create(request, payload: KeyPersonIn):
    police(request, "persons.add_keyperson")
    data = payload.dict()
    station = _station(request, data.pop("station_id"))
    officer = _officer(request, data.pop("officer_id"))
    schools = _schools(request, payload.schools)
    data.pop("schools")
    person = services.key_person_create(
        station=station, officer=officer, schools=schools, actor=request.user, **data
    )
    person = selectors.key_person_get(user=request.user, pk=person.pk)
    return Status(201, _detail(request, person, reveal=False))


@router.get("/key-persons/{person_id}", response=KeyPersonDetail, summary="重点人员详情")
def key_person_detail(request, person_id: int, reveal: bool = False, reason: str = ""):
    police(request)
    person = selectors.key_person_get(user=request.user, pk=person_id)
    if reveal:
        require_perm(request, selectors.REVEAL_PERM)  # the reveal writes its own access record
    else:
        # SPEC 2.3: every view of a key person's detail is in the access log, masked or not.
        audit.record_access(obj=person, actor=request.user)
    return _detail(request, person, reveal=reveal, reason=reason)


@router.patch("/key-persons/{person_id}", response=KeyPersonDetail, summary="修改重点人员")
def key_person_update(request, person_id: int, payload: KeyPersonPatch):
    police(request, "persons.change_keyperson")
    person = selectors.key_person_get(user=request.user, pk=person_id)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    kwargs = {}
    if "station_id" in changes:
        kwargs["station"] = _station(request, changes.pop("station_id"))
    if "officer_id" in changes:
        changes["officer"] = _officer(request, changes.pop("officer_id"))
    if "schools" in changes:
        changes.pop("schools")
        kwargs["schools"] = _schools(request, payload.schools or [])
    for key in ("home_latitude", "home_longitude"):
        if key in changes:
            kwargs[key] = changes.pop(key)
    person = services.key_person_update(
        person=person, actor=request.user, expected_version=expected, **kwargs, **changes
    )
    person = selectors.key_person_get(user=request.user, pk=person.pk)
    return _detail(request, person, reveal=False)


@router.get(
    "/key-persons/{person_id}/follow-ups", response=list[FollowUpOut], summary="走访核查记录"
)
@paginate(LimitOffsetPagination)
def follow_up_list(request, person_id: int, reveal: bool = False, reason: str = ""):
    """Whereabouts masked; ``?reveal=1`` shows them (logged, as the detail's reveal)."""
    police(request)
    person = selectors.key_person_get(user=request.user, pk=person_id)
    rows = selectors.follow_up_list(user=request.user, person=person)
    if not reveal:
        return rows
    require_perm(request, selectors.REVEAL_PERM)
    selectors.key_person_reveal(
        user=request.user, person=person, reason=reason or _("查看走访记录")
    )
    rows = list(rows)
    for row in rows:
        row.revealed_by_request = True
    return rows


@router.post(
    "/key-persons/{person_id}/follow-ups",
    response={201: FollowUpOut},
    summary="记录走访核查（更新下次核查日期）",
)
def follow_up_create(request, person_id: int, payload: FollowUpIn):
    police(request, "persons.add_followup")
    person = selectors.key_person_get(user=request.user, pk=person_id)
    follow = services.follow_up_create(person=person, actor=request.user, **payload.dict())
    return Status(201, follow)


# ---- screening -------------------------------------------------------------------------


@router.get("/screening-batches", response=list[ScreeningOut], summary="滚动排查批次")
@paginate(LimitOffsetPagination)
def screening_list(request, campaign: int | None = None):
    police(request)
    return selectors.screening_batch_list(user=request.user, campaign_id=campaign)


@router.get(
    "/screening-batches/totals", response=ScreeningTotalsOut, summary="排查人数合计（辖区、期间）"
)
def screening_totals(
    request, org: int | None = None, start=None, end=None, campaign: int | None = None
):
    police(request)
    import datetime as dt

    try:
        start = dt.date.fromisoformat(start) if start else None
        end = dt.date.fromisoformat(end) if end else None
    except ValueError as exc:
        raise HttpError(400, _("日期格式应为 2026-03-01。")) from exc
    organization = organization_get(user=request.user, pk=org) if org else None
    return selectors.screening_totals(
        user=request.user, organization=organization, start=start, end=end, campaign_id=campaign
    )


@router.post("/screening-batches", response={201: ScreeningOut}, summary="登记滚动排查批次")
def screening_create(request, payload: ScreeningIn):
    """A batch whose persons are then added (``POST …/entries``); the totals are typed only
    for a batch imported from history (``imported``)."""
    police(request, "persons.add_screeningbatch")
    data = payload.dict()
    organization = _station(request, data.pop("organization_id"))
    campaign_id = data.pop("campaign_id")
    campaign = None
    if campaign_id is not None:
        campaign = Campaign.objects.visible_to(request.user).filter(pk=campaign_id).first()
        if campaign is None:
            raise _bad_ids("campaign_id", _("专项行动"))
    batch = services.screening_batch_create(
        organization=organization, campaign=campaign, actor=request.user, **data
    )
    return Status(201, batch)


def _batch_detail(request, batch):
    batch.entry_rows = list(selectors.screening_entry_list(user=request.user, batch=batch))
    return batch


@router.get(
    "/screening-batches/{batch_id}", response=ScreeningDetail, summary="滚动排查批次及其排查人员"
)
def screening_detail(request, batch_id: int):
    police(request)
    return _batch_detail(request, selectors.screening_batch_get(user=request.user, pk=batch_id))


@router.get(
    "/screening-batches/{batch_id}/entries",
    response=list[ScreeningEntryOut],
    summary="批次的排查人员",
)
@paginate(LimitOffsetPagination)
def screening_entry_list(request, batch_id: int):
    police(request)
    batch = selectors.screening_batch_get(user=request.user, pk=batch_id)
    return selectors.screening_entry_list(user=request.user, batch=batch)


@router.post(
    "/screening-batches/{batch_id}/entries",
    response={201: ScreeningDetail},
    summary="登记排查人员（新增列管、撤销列管随之办理）",
)
def screening_entries_add(request, batch_id: int, payload: ScreeningEntriesIn):
    """Persons (``person_ids``, in the user's scope and the batch's organisation) checked with
    one outcome, or ``new_person`` listed as 新增列管 through the key-person service. A
    removal (撤销列管) needs the commander's approval, as on the person's page."""
    police(request, "persons.add_screeningbatch")
    batch = selectors.screening_batch_get(user=request.user, pk=batch_id)
    ids = list(dict.fromkeys(payload.person_ids))
    found = selectors.key_person_list(user=request.user).in_bulk(ids)
    if len(found) != len(ids):
        raise _bad_ids("person_ids", _("重点人员"))
    new_person = None
    if payload.new_person is not None:
        police(request, "persons.add_keyperson")
        data = payload.new_person.dict()
        new_person = {
            **data,
            "station": _station(request, data.pop("station_id")),
            "officer": _officer(request, data.pop("officer_id")),
            "schools": _schools(request, payload.new_person.schools),
        }
        new_person.pop("station_id", None)
        new_person.pop("officer_id", None)
    services.screening_entries_add(
        batch=batch,
        actor=request.user,
        persons=[found[pk] for pk in ids],
        outcome=payload.outcome,
        note=payload.note,
        new_person=new_person,
    )
    batch = selectors.screening_batch_get(user=request.user, pk=batch_id)
    return Status(201, _batch_detail(request, batch))


# ---- watchlist ---------------------------------------------------------------------------


@router.post(
    "/watchlist/match",
    response=MatchOut,
    summary="来访人员比对重点人员名单（门卫）",
    tags=["gate"],
    auth=api_auth,
)
def watchlist_match(request, payload: MatchIn):
    require_perm(request, "persons.match_watchlist")
    school = None
    if payload.school_id is not None:
        school = get_object_or_404(
            School.objects.visible_to(request.user).select_related("organization"),
            pk=payload.school_id,
        )
    elif request.user.organization_id:
        school = (
            School.objects.select_related("organization")
            .filter(organization_id=request.user.organization_id)
            .first()
        )
    try:
        result = watchlist.watchlist_match(
            actor=request.user,
            id_number=payload.id_number,
            name=payload.name,
            birth_date=payload.birth_date,
            school=school,
        )
    except watchlist.TooManyQueries as exc:
        raise HttpError(429, _("比对过于频繁，请稍后再试；如有紧急情况请直接报警。")) from exc
    return result.__dict__
