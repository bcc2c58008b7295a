"""Reads of the documents: scoped to the user (out of scope reads exactly as missing)."""

from __future__ import annotations

from django.http import Http404

from huxiao.core.models import Organization
from huxiao.reports.models import GeneratedReport, ReportTemplate


def report_list(*, user):
    return (
        GeneratedReport.objects.visible_to(user)
        .select_related("organization", "requested_by", "template")
        .defer("content", "template_body")
    )


def report_get(*, user, pk, with_content: bool = False) -> GeneratedReport:
    queryset = GeneratedReport.objects.visible_to(user).select_related(
        "organization", "requested_by", "template"
    )
    if not with_content:
        queryset = queryset.defer("content")
    report = queryset.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def organizations(*, user):
    """The jurisdictions a user may ask a document for: every active organisation in scope."""
    return Organization.objects.visible_to(user).filter(is_active=True).order_by("path")


def template_latest(*, organization, kind: str) -> ReportTemplate | None:
    return (
        ReportTemplate.objects.filter(organization=organization, kind=kind)
        .order_by("-version")
        .first()
    )


def template_history(*, user, organization, kind: str):
    return (
        ReportTemplate.objects.visible_to(user)
        .filter(organization=organization, kind=kind)
        .select_related("created_by")
        .order_by("-version")
    )


def template_version(*, user, organization, kind: str, version: int) -> ReportTemplate:
    found = template_history(user=user, organization=organization, kind=kind).filter(
        version=version
    )
    template = found.first()
    if template is None:
        raise Http404
    return template
