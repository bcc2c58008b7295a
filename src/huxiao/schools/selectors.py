"""Reads of the schools module; each takes the acting user and starts from the scoped queryset."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from huxiao.core.selectors import organization_get
from huxiao.schools import compliance
from huxiao.schools.models import Device, EquipmentStock, Guard, School


def school_list(*, user, with_status: bool = True) -> QuerySet:
    """Schools in scope with their organisation, station and education bureau in the same query;
    with the per-rule statuses when ``with_status`` (the failing-rule filter needs them)."""
    qs = School.objects.visible_to(user).select_related(
        "organization", "organization__parent", "organization__education_bureau"
    )
    qs = qs.order_by("organization__parent__code", "school_code")
    return compliance.with_facts(qs) if with_status else qs


def school_get(*, user, pk: int) -> School:
    return get_object_or_404(school_list(user=user, with_status=False), pk=pk)


def guard_list(*, user, school: School) -> QuerySet:
    return Guard.objects.visible_to(user).filter(school=school).order_by("name", "id")


def guard_get(*, user, school: School, pk: int) -> Guard:
    return get_object_or_404(guard_list(user=user, school=school), pk=pk)


def device_list(*, user, school: School) -> QuerySet:
    return Device.objects.visible_to(user).filter(school=school).order_by("kind", "name", "id")


def device_get(*, user, school: School, pk: int) -> Device:
    return get_object_or_404(device_list(user=user, school=school), pk=pk)


def equipment_list(*, user, school: School) -> QuerySet:
    return EquipmentStock.objects.visible_to(user).filter(school=school).order_by("item")


def compliance_summary(*, user, org_id: int) -> compliance.Summary:
    """The roll-up of an organisation in the user's scope (404 otherwise)."""
    return compliance.summary(user=user, org=organization_get(user=user, pk=org_id))
