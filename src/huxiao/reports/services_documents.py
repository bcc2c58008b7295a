"""Writes of the documents (工作情况报告, 答复函, 整改报告) and of their templates.

- ``template_save``: a new version of an organisation's template of a kind, validated
  (unknown placeholders, unbalanced braces and unknown parts are refused, nothing saved).
- ``report_request``: a ``GeneratedReport`` queued for a jurisdiction and period (a reply
  letter takes its 文号 here, in the same transaction: no gaps), its generation enqueued on
  commit (``tasks.generate_report``).
- ``report_generate``: the task's work — plan the parts the requester may read, compute their
  figures (``huxiao.reports.figures.values``, the dashboard's numbers), write the .docx, keep
  the values, the bytes and their SHA-256; progress stored on the record as it goes.
- ``report_reproduce``: write the document again from what the record keeps, compare hashes.
- ``report_downloaded``: the download, in the access log.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.documents import _date, _we
from huxiao.core.models import Organization
from huxiao.core.modules import Period, figure
from huxiao.reports import documents, figures
from huxiao.reports.documents import (
    common,
    parts,
    placeholders,
    rectification_report,
    reply_letter,
    templates_text,
    work_report,
)
from huxiao.reports.models import GeneratedReport, ReportKind, ReportStatus, ReportTemplate

log = logging.getLogger(__name__)

# Who may ask for which kind (besides reports.add_generatedreport).
KIND_PERMISSION = {
    ReportKind.WORK_REPORT: "reports.generate_work_report",
    ReportKind.REPLY_LETTER: "reports.issue_reply_letter",
    ReportKind.RECTIFICATION_REPORT: "reports.add_generatedreport",
}
# The counter of reply letters' serials (inspections' gap-free DocumentCounter, per
# organisation, kind and year: the same sequence machinery as the 整改通知书).
REPLY_LETTER_COUNTER = "reply_letter"
TEXT_MAX = 200


def may_request(user, kind: str) -> bool:
    return user.has_perms(["reports.add_generatedreport", KIND_PERMISSION[ReportKind(kind)]])


# ---- templates --------------------------------------------------------------------------


def template_text(*, organization, kind: str) -> tuple[ReportTemplate | None, str]:
    """The text a document of ``kind`` is written from: the organisation's latest version,
    else the default (``templates_text``)."""
    template = (
        ReportTemplate.objects.filter(organization=organization, kind=kind)
        .order_by("-version")
        .first()
    )
    return (template, template.body) if template else (None, parts.default_body(kind))


def template_validate(*, kind: str, body: str) -> None:
    placeholders.validate(
        body, context_names=templates_text.context_names(kind), parts=parts.keys(kind)
    )


def template_save(*, organization, kind: str, body: str, note: str = "", actor) -> ReportTemplate:
    """Save ``body`` as the next version of ``organization``'s template of ``kind``."""
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("未知的文书类型：%(kind)s") % {"kind": kind}})
    body = (body or "").replace("\r\n", "\n").strip()
    try:
        template_validate(kind=kind, body=body)
    except ValidationError as e:
        raise ValidationError({"body": e.messages}) from None
    with transaction.atomic():
        # Lock the organisation row: two editors saving at once get two versions, not one.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        last = ReportTemplate.objects.filter(organization=organization, kind=kind).aggregate(
            v=Max("version")
        )["v"]
        template = ReportTemplate(
            organization=organization,
            kind=kind,
            version=(last or 0) + 1,
            body=body,
            note=(note or "").strip()[:TEXT_MAX],
            created_by=actor,
        )
        template.full_clean()
        template.save()
    return template


# ---- requests --------------------------------------------------------------------------


def _superior(org) -> str:
    parent = org.parent
    return parent.name if parent is not None else ""


def _text(params: dict, key: str, label: str, *, required: bool, errors: dict) -> str:
    value = str(params.get(key) or "").strip()
    if required and not value:
        errors[key] = _("请填写%(label)s。") % {"label": label}
    elif len(value) > TEXT_MAX:
        errors[key] = _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": TEXT_MAX}
    return value


def _names(value) -> list[str]:
    if isinstance(value, list | tuple):
        items = value
    else:
        items = re.split(r"[，,、；;\n]+", str(value or ""))
    return [str(v).strip() for v in items if str(v).strip()]


def _clean_params(kind: str, organization, raw: dict) -> dict:
    errors: dict[str, str] = {}
    params: dict = {}
    if kind == ReportKind.WORK_REPORT:
        params["addressee"] = _text(raw, "addressee", _("主送机关"), required=False, errors=errors)
        params["addressee"] = params["addressee"] or _superior(organization)
    elif kind == ReportKind.RECTIFICATION_REPORT:
        params["addressee"] = _text(raw, "addressee", _("主送机关"), required=True, errors=errors)
        params["source"] = _text(raw, "source", _("问题来源"), required=True, errors=errors)
        params["issue"] = _text(raw, "issue", _("反映问题"), required=True, errors=errors)
    else:
        category = str(raw.get("category") or "")
        if category not in dict(reply_letter.CATEGORIES):
            errors["category"] = _("请选择类别标识：〔A类〕或〔B类〕。")
        disclosure = str(raw.get("disclosure") or "")
        if disclosure not in dict(reply_letter.DISCLOSURES):
            errors["disclosure"] = _("请选择公开属性：〔主动公开〕、〔依申请公开〕或〔不予公开〕。")
        params |= {"category": category, "disclosure": disclosure}
        params["addressee"] = _text(raw, "addressee", _("答复对象"), required=True, errors=errors)
        params["proposal_session"] = _text(
            raw, "proposal_session", _("会议名称"), required=True, errors=errors
        )
        params["proposal_number"] = _text(
            raw, "proposal_number", _("提案编号"), required=True, errors=errors
        )
        params["proposal_title"] = _text(
            raw, "proposal_title", _("提案标题"), required=True, errors=errors
        ).strip("《》")
        params["contact"] = _text(raw, "contact", _("联系人及电话"), required=False, errors=errors)
        params["copy_to"] = _names(raw.get("copy_to"))
        if sum(len(n) for n in params["copy_to"]) > TEXT_MAX:
            errors["copy_to"] = _("抄送机关不能超过%(n)d个字。") % {"n": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    return params


def _context(kind: str, organization, period: Period, params: dict) -> dict[str, str]:
    context = {
        "单位": organization.name,
        "本单位": _we(organization),
        "主送机关": params.get("addressee", ""),
        "起始日期": _date(period.start),
        "截止日期": _date(period.end),
        "统计期间": _("%(start)s至%(end)s")
        % {"start": _date(period.start), "end": _date(period.end)},
        "年度": str(period.end.year),
    }
    if kind == ReportKind.REPLY_LETTER:
        context |= {
            "收件人": params["addressee"],
            "提案标题": params["proposal_title"],
            "提案编号": params["proposal_number"],
            "会议名称": params["proposal_session"],
        }
    elif kind == ReportKind.RECTIFICATION_REPORT:
        context |= {"来文": params["source"], "反映问题": params["issue"]}
    return {k: str(v) for k, v in context.items()}


def _title(kind: str, context: dict, params: dict) -> str:
    if kind == ReportKind.WORK_REPORT:
        return work_report.title(context)
    if kind == ReportKind.REPLY_LETTER:
        return reply_letter.title(params)
    return rectification_report.title(params)


def report_request(
    *, actor, kind: str, organization, period: Period, params: dict | None = None
) -> GeneratedReport:
    """Queue a document of ``kind`` for ``organization`` (in the actor's scope) over ``period``."""
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("未知的文书类型：%(kind)s") % {"kind": kind}})
    if not may_request(actor, kind):
        raise PermissionDenied
    if not Organization.objects.visible_to(actor).filter(pk=organization.pk).exists():
        raise ValidationError({"org": _("单位不存在或不在您的数据范围内。")})
    if kind == ReportKind.REPLY_LETTER and organization.kind == OrgKind.SCHOOL:
        raise ValidationError({"org": _("答复函应以公安机关或教育行政部门的名义出具。")})
    params = _clean_params(kind, organization, params or {})
    template, body = template_text(organization=organization, kind=kind)
    context = _context(kind, organization, period, params)
    issue_date = timezone.localdate()
    with transaction.atomic():
        report = GeneratedReport(
            organization=organization,
            kind=kind,
            title=_title(kind, context, params)[:200],
            period_start=period.start,
            period_end=period.end,
            template=template,
            template_body=body,
            params=params | {"context": context, "org_name": organization.name},
            requested_by=actor,
            issue_date=issue_date,
        )
        if kind == ReportKind.REPLY_LETTER:
            _number(report, organization, issue_date.year)
        report.full_clean(exclude=["content"])
        report.save()
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _number(report: GeneratedReport, organization, year: int) -> None:
    # Reports sit above inspections: its gap-free counter and 发文字号 form are reused as is.
    from huxiao.inspections.rules import document_number
    from huxiao.inspections.services.numbering import next_serial

    serial = next_serial(organization=organization, kind=REPLY_LETTER_COUNTER, year=year)
    prefix = organization.doc_prefix or organization.short_name or organization.name
    report.year, report.serial = year, serial
    report.number = document_number(prefix, year, serial)


def _enqueue(report_id: int) -> None:
    """Queue the generation; a queue that cannot be reached (Redis down) fails the report with a
    message saying to ask again, rather than the request answering 500 with the report left
    queued for ever."""
    from huxiao.reports.tasks import generate_report

    try:
        generate_report(report_id)
    except Exception:  # noqa: BLE001 - any failure to queue is the report's failure, logged
        log.warning("report %s: the task queue could not be reached", report_id, exc_info=True)
        GeneratedReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
            status=ReportStatus.FAILED, error=_("任务队列暂不可用，报告未生成，请稍后重新生成。")
        )


# ---- generation ------------------------------------------------------------------------


def _progress(report: GeneratedReport, percent: int, status=ReportStatus.RUNNING) -> None:
    # An update, not a save: progress is not a change the audit trail needs.
    GeneratedReport.objects.filter(pk=report.pk).update(status=status, progress=percent)
    report.status, report.progress = status, percent


def _figure_entry(value: figures.FigureValue, org) -> dict:
    return {
        "label": value.label,
        "unit": value.unit,
        "value": value.value,
        "display": value.display,
        "definition": value.definition,
        "url": value.url,
        "periodic": value.periodic,
        "measure": figure(value.code).measure,
        "filters": common.filters_text(value.url, org.name if org else ""),
    }


def report_compute(report: GeneratedReport) -> None:
    """Plan the parts the requester may read and compute their figures, on ``report``."""
    user = report.requested_by
    available = {f.code for f in figures.visible(user)}
    planned = documents.plan(report.kind, report.template_body, available)
    codes = parts.codes_of(planned)
    _progress(report, 30)
    period = Period(report.period_start, report.period_end)
    values = (
        figures.values(user=user, org=report.organization, period=period, codes=codes)
        if codes
        else []
    )
    report.figures = {v.code: _figure_entry(v, report.organization) for v in values}
    report.params = {
        **report.params,
        "parts": planned,
        "figure_order": [v.code for v in values],
    }


def report_generate(*, report_id: int) -> GeneratedReport | None:
    """The task's work: compute, write, keep (status and progress along the way)."""
    report = (
        GeneratedReport.objects.select_related("organization", "requested_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status == ReportStatus.DONE:
        return report
    _progress(report, 10)
    try:
        report_compute(report)
        _progress(report, 70)
        content = documents.write(report)
    except Exception as e:  # the record says it failed; the page shows it, never a 500
        log.exception("report %s failed", report_id)
        report.status, report.progress = ReportStatus.FAILED, 100
        report.error = f"{type(e).__name__}: {e}"[:2000]
        report.finished_at = timezone.now()
        report.save()
        return report
    report.content = content
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.status, report.progress = ReportStatus.DONE, 100
    report.finished_at = timezone.now()
    report.save()
    return report


def report_reproduce(*, report: GeneratedReport, actor) -> tuple[bool, str]:
    """Write ``report`` again from the values, parts and text it keeps; (same hash?, hash)."""
    if report.status != ReportStatus.DONE:
        raise ValidationError(_("报告尚未生成完成，无法比对。"))
    content = documents.write(report)
    digest = hashlib.sha256(content).hexdigest()
    same = digest == report.sha256
    audit.append(
        kind=AuditKind.ACCESS,
        action=AuditAction.VIEW,
        obj=report,
        actor=actor,
        after={"reproduced": True, "sha256": digest, "matches": same},
    )
    return same, digest


def report_downloaded(*, report: GeneratedReport, actor) -> None:
    audit.record_export(
        object_type="reports.generatedreport",
        count=1,
        filters={"id": str(report.pk), "kind": report.kind, "sha256": report.sha256},
        actor=actor,
    )
