"""Schemas of the persons API. Identities leave the server masked unless the request asked
to reveal them (``?reveal=1``), which the endpoint writes to the access log first."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Schema

from huxiao.core import crypto
from huxiao.persons.choices import (
    Category,
    ControlMeasure,
    DisputeStatus,
    FollowUpMethod,
    PersonStatus,
    ResponsibleKind,
    RiskLevel,
    SchoolRelation,
    ScreeningOutcome,
)
from huxiao.persons.models import mask_hidden


def _age(born: dt.date | None) -> int | None:
    if born is None:
        return None
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class _PersonFields(Schema):
    id: int
    name: str
    gender: str
    age: int | None = None
    id_number: str
    phone: str
    categories: list[str]
    mental_risk_level: int | None
    risk_level: str
    station_id: int
    station_name: str = ""
    officer_id: int | None
    officer_name: str = ""
    control_measures: list[str]
    status: str
    last_review_date: dt.date | None
    next_review_date: dt.date | None
    review_rule: str
    version: int


class KeyPersonOut(_PersonFields):
    """A row of the list: masked identity; age instead of the birth date the mask hides."""

    station_name: str = Field("", alias="station.name")

    @staticmethod
    def resolve_age(obj):
        return _age(obj.birth_date)

    @staticmethod
    def resolve_id_number(obj):
        return crypto.mask_id_number(obj.id_number or "")

    @staticmethod
    def resolve_phone(obj):
        return crypto.mask_phone(obj.phone or "")

    @staticmethod
    def resolve_officer_name(obj):
        return obj.officer.display_name if obj.officer_id else ""


class SchoolLinkOut(Schema):
    school_id: int
    name: str
    relation: str
    distance_m: int | None


class KeyPersonDetail(_PersonFields):
    """Built by the endpoint (masked, or revealed and logged), not from the model."""

    address: str
    home_location: str
    birth_date: dt.date | None = None  # only when revealed
    notes: str
    listed_on: dt.date | None
    status_note: str
    schools: list[SchoolLinkOut] = []
    revealed: bool = False


class SchoolLinkIn(Schema):
    school_id: int
    relation: SchoolRelation = SchoolRelation.NEARBY


class KeyPersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=32)
    id_number: str = Field(..., min_length=18, max_length=18)
    station_id: int
    categories: list[Category] = Field(..., min_length=1)
    mental_risk_level: int | None = Field(None, ge=0, le=5)
    risk_level: RiskLevel = RiskLevel.LOW
    officer_id: int | None = None
    control_measures: list[ControlMeasure] = []
    status: PersonStatus = PersonStatus.IN_CONTROL
    status_note: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    home_latitude: float | None = Field(None, ge=-90, le=90)
    home_longitude: float | None = Field(None, ge=-180, le=180)
    notes: str = Field("", max_length=2000)
    listed_on: dt.date | None = None
    schools: list[SchoolLinkIn] = []


class KeyPersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=32)
    id_number: str | None = Field(None, min_length=18, max_length=18)
    station_id: int | None = None
    categories: list[Category] | None = None
    mental_risk_level: int | None = Field(None, ge=0, le=5)
    risk_level: RiskLevel | None = None
    officer_id: int | None = None
    control_measures: list[ControlMeasure] | None = None
    status: PersonStatus | None = None
    status_note: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)
    home_latitude: float | None = Field(None, ge=-90, le=90)
    home_longitude: float | None = Field(None, ge=-180, le=180)
    notes: str | None = Field(None, max_length=2000)
    schools: list[SchoolLinkIn] | None = None
    expected_version: int | None = None


class PersonFiltersIn(Schema):
    q: str = ""
    category: Category | None = None
    status: PersonStatus | None = None
    risk: RiskLevel | None = None
    station: int | None = None
    school: int | None = None
    officer: int | None = None
    review: str = Field("", pattern="^(|due|overdue|week)$")


class FollowUpOut(Schema):
    id: int
    date: dt.date
    officer_id: int
    officer_name: str = ""
    method: str
    observations: str
    whereabouts: str
    status_after: str
    mental_risk_level_after: int | None
    next_review_date: dt.date | None

    @staticmethod
    def resolve_officer_name(obj):
        return obj.officer.display_name

    @staticmethod
    def resolve_whereabouts(obj):
        # In clear only for rows the endpoint marked after logging the reveal.
        if getattr(obj, "revealed_by_request", False):
            return obj.whereabouts
        return mask_hidden(obj.whereabouts)


class FollowUpIn(Schema):
    date: dt.date
    method: FollowUpMethod
    observations: str = Field(..., min_length=1, max_length=2000)
    whereabouts: str = Field("", max_length=200)
    status_after: PersonStatus | None = None
    mental_risk_level_after: int | None = Field(None, ge=0, le=5)
    expected_version: int | None = None


class ScreeningOut(Schema):
    """A batch: its counts are those of the persons recorded in it, unless ``imported``
    (历史导入: typed totals of history, no persons)."""

    id: int
    organization_id: int
    organization_name: str = Field("", alias="organization.name")
    campaign_id: int | None
    period_start: dt.date
    period_end: dt.date
    imported: bool
    screened: int
    newly_listed: int
    removed: int
    note: str


class ScreeningEntryOut(Schema):
    id: int
    person_id: int
    person_name: str = Field("", alias="person.name")
    station_id: int = Field(..., alias="person.station_id")
    station_name: str = Field("", alias="person.station.name")
    person_status: str = Field("", alias="person.status")
    outcome: ScreeningOutcome
    note: str
    created_by_id: int | None
    created_at: dt.datetime


class ScreeningDetail(ScreeningOut):
    entries: list[ScreeningEntryOut] = Field([], alias="entry_rows")


class ScreeningIn(Schema):
    """A batch whose persons are then added (``POST …/entries``); the totals only with
    ``imported`` (history without a list of persons)."""

    organization_id: int
    campaign_id: int | None = None
    period_start: dt.date
    period_end: dt.date
    imported: bool = False
    screened: int = Field(0, ge=0)
    newly_listed: int = Field(0, ge=0)
    removed: int = Field(0, ge=0)
    note: str = Field("", max_length=200)


class ScreeningEntriesIn(Schema):
    """Persons checked in a batch, with one outcome; or ``new_person`` (新增列管 of a person not
    yet in the registry, listed through the key-person service)."""

    person_ids: list[int] = []
    outcome: ScreeningOutcome = ScreeningOutcome.CHECKED
    note: str = Field("", max_length=200)
    new_person: KeyPersonIn | None = None


class ScreeningTotalsOut(Schema):
    screened: int
    newly_listed: int
    removed: int
    batches: int
    imported: int


class MatchIn(Schema):
    id_number: str | None = Field(None, max_length=18)
    name: str | None = Field(None, max_length=32)
    birth_date: dt.date | None = None
    school_id: int | None = None


class MatchOut(Schema):
    matched: bool
    instruction: str
    alert_raised: bool
    person_id: int | None = None


# ---- disputes ----------------------------------------------------------------------------


# Dispute types are a dictionary administrators adapt, not a fixed enum of the schema.
KIND_DESCRIPTION = "纠纷类型编码（字典 persons.dispute_kind，见字典管理）"


class _DisputeFields(Schema):
    id: int
    school_id: int
    school_name: str = ""
    station_id: int
    kind: str = Field(..., description=KIND_DESCRIPTION)
    kind_label: str = ""
    parties: str
    summary: str
    threat_of_revenge: bool
    key_person_id: int | None
    responsible_kind: str
    responsible_org_id: int
    responsible_org_name: str = ""
    status: str
    registered_on: dt.date
    due_date: dt.date | None
    closed_on: dt.date | None
    outcome: str
    version: int


class DisputeOut(_DisputeFields):
    school_name: str = Field("", alias="school.organization.name")
    responsible_org_name: str = Field("", alias="responsible_org.name")

    @staticmethod
    def resolve_parties(obj):
        return mask_hidden(obj.parties)


class MediationOut(Schema):
    id: int
    date: dt.date
    mediator_id: int
    mediator_name: str = ""
    participants: str
    content: str
    result: str

    @staticmethod
    def resolve_mediator_name(obj):
        return obj.mediator.display_name


class DisputeDetail(_DisputeFields):
    mediations: list[MediationOut] = []
    revealed: bool = False


class DisputeIn(Schema):
    school_id: int
    kind: str = Field(..., max_length=32, description=KIND_DESCRIPTION + "，须为启用的项")
    parties: str = Field(..., min_length=1, max_length=500)
    summary: str = Field(..., min_length=1, max_length=2000)
    responsible_kind: ResponsibleKind
    responsible_org_id: int | None = None
    threat_of_revenge: bool = False
    key_person_id: int | None = None
    registered_on: dt.date | None = None
    due_date: dt.date | None = None


class DisputeFiltersIn(Schema):
    status: DisputeStatus | None = None
    kind: str | None = Field(None, description=KIND_DESCRIPTION)
    school: int | None = None
    station: int | None = None
    threat: bool | None = None
    overdue: bool = False


class TransitionIn(Schema):
    to: DisputeStatus
    note: str = Field("", max_length=200)
    expected_version: int | None = None


class MediationIn(Schema):
    date: dt.date
    content: str = Field(..., min_length=1, max_length=2000)
    participants: str = Field("", max_length=200)
    result: str = Field("", max_length=200)
