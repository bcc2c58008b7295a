"""报告文书: the documents written from the figures (工作情况报告, 答复函, 整改报告) and their
templates. Scoped reads (a report outside the scope is a 404, as a missing one), 403 for a role
without the permission, refusals shown on the form in Chinese with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core.documents import DOCX_CONTENT_TYPE
from huxiao.core.views.generic import Column, ScopedList, local_time, require
from huxiao.reports import documents, figures, scope, selectors_documents, services_documents
from huxiao.reports.documents import parts, placeholders, templates_text
from huxiao.reports.forms_documents import FORMS, DocumentFilterSet, TemplateForm
from huxiao.reports.models import ReportKind, ReportStatus

VIEW = "reports.view_generatedreport"
ADD = "reports.add_generatedreport"
VIEW_TEMPLATE = "reports.view_reporttemplate"
CHANGE_TEMPLATE = "reports.change_reporttemplate"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


documents_list = ScopedList(
    permission=VIEW,
    selector=lambda user: selectors_documents.report_list(user=user),
    filterset_class=DocumentFilterSet,
    template="reports/document_list.html",
    export_filename=gettext_lazy("报告文书"),
    object_type="reports.generatedreport",
    columns=(
        Column(gettext_lazy("文书类型"), lambda r: r.get_kind_display()),
        Column(gettext_lazy("标题"), lambda r: r.title),
        Column(gettext_lazy("文号"), lambda r: r.number),
        Column(gettext_lazy("辖区"), lambda r: r.organization.name),
        Column(gettext_lazy("起始日期"), lambda r: r.period_start),
        Column(gettext_lazy("截止日期"), lambda r: r.period_end),
        Column(gettext_lazy("状态"), lambda r: r.get_status_display()),
        Column(gettext_lazy("申请人"), lambda r: r.requested_by.display_name),
        Column(gettext_lazy("申请时间"), lambda r: local_time(r.requested_at)),
        Column(gettext_lazy("模板版本"), lambda r: r.template.version if r.template else ""),
        Column(gettext_lazy("文件摘要（SHA-256）"), lambda r: r.sha256),
    ),
)
document_list = documents_list.list_view
document_export = documents_list.export_view


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise Http404
    return kind


def _kinds_for(user) -> list[tuple[str, str]]:
    return [
        (k, label) for k, label in ReportKind.choices if services_documents.may_request(user, k)
    ]


@require(ADD)
@require_http_methods(["GET", "POST"])
def document_create(request, kind: str):
    kind = _kind(kind)
    user = request.user
    if not services_documents.may_request(user, kind):
        raise PermissionDenied
    form_class = FORMS[kind]
    organizations = selectors_documents.organizations(user=user)
    if kind == ReportKind.REPLY_LETTER:
        organizations = organizations.exclude(kind="school")
    options = {"organizations": organizations, "home": figures.home_org(user)}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **options)
        if form.is_valid():
            try:
                where = scope.read(user, form.scope_query())
                params = {name: form.cleaned_data.get(name) for name in form.params_fields}
                report = services_documents.report_request(
                    actor=user,
                    kind=kind,
                    organization=where.org,
                    period=where.period,
                    params=params,
                )
            except scope.ScopeError as e:
                form.add_error(None, str(e))
            except ValidationError as e:
                for field, errors in getattr(e, "message_dict", {"__all__": e.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已提交生成，请稍候。"))
                return redirect("reports:document_detail", pk=report.pk)
        status = 400
    else:
        form = form_class(**options)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "kinds": _kinds_for(user),
    }
    return render(request, "reports/document_form.html", context, status=status)


@require(VIEW)
def document_detail(request, pk: int):
    report = selectors_documents.report_get(user=request.user, pk=pk)
    context = {"report": report, "figures": _figure_rows(report)}
    return render(request, "reports/document_detail.html", context)


def _figure_rows(report) -> list[dict]:
    order = report.params.get("figure_order") or sorted(report.figures)
    return [{"code": c, **report.figures[c]} for c in order if c in report.figures]


@require(VIEW)
def document_status(request, pk: int):
    """The status panel, polled every second (htmx) while the document is being generated."""
    report = selectors_documents.report_get(user=request.user, pk=pk)
    return render(request, "reports/document_status.html", {"report": report})


@require(VIEW)
def document_download(request, pk: int):
    report = selectors_documents.report_get(user=request.user, pk=pk, with_content=True)
    if report.status != ReportStatus.DONE or not report.content:
        raise Http404
    services_documents.report_downloaded(report=report, actor=request.user)
    return docx_response(bytes(report.content), documents.filename(report))


@require(VIEW)
@require_POST
def document_reproduce(request, pk: int):
    report = selectors_documents.report_get(user=request.user, pk=pk, with_content=True)
    try:
        same, digest = services_documents.report_reproduce(report=report, actor=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        if same:
            messages.success(
                request, _("重新生成的文件与存档一致（SHA-256 %(h)s）。") % {"h": digest}
            )
        else:
            messages.error(
                request,
                _("重新生成的文件与存档不一致：存档 %(a)s，重新生成 %(b)s。")
                % {"a": report.sha256, "b": digest},
            )
    return redirect("reports:document_detail", pk=report.pk)


# ---- templates --------------------------------------------------------------------------


def _template_org(request):
    try:
        org = scope.org_in_scope(request.user, request.GET.get("org"))
    except scope.ScopeError:
        raise Http404 from None
    if org is None:
        raise Http404
    return org


def _template_context(request, kind: str, org, form) -> dict:
    template, body = services_documents.template_text(organization=org, kind=kind)
    figure_list = figures.visible(request.user)
    return {
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "org": org,
        "template": template,
        "form": form,
        "context_names": templates_text.context_help(kind).items(),
        "part_keys": parts.keys(kind),
        "figure_list": figure_list,
        "kinds": ReportKind.choices,
        "default_body": parts.default_body(kind),
    }


@require(VIEW_TEMPLATE, CHANGE_TEMPLATE)
@require_http_methods(["GET", "POST"])
def template_edit(request, kind: str):
    kind = _kind(kind)
    org = _template_org(request)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                saved = services_documents.template_save(
                    organization=org,
                    kind=kind,
                    body=form.cleaned_data["body"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已保存为第%(v)d版。") % {"v": saved.version})
                return redirect(f"{request.path}?org={org.pk}")
        status = 400
    else:
        _template, body = services_documents.template_text(organization=org, kind=kind)
        form = TemplateForm(initial={"body": body})
    context = _template_context(request, kind, org, form)
    return render(request, "reports/template_edit.html", context, status=status)


@require(VIEW_TEMPLATE)
def template_history(request, kind: str):
    kind = _kind(kind)
    org = _template_org(request)
    versions = selectors_documents.template_history(user=request.user, organization=org, kind=kind)
    context = {
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "org": org,
        "versions": versions,
        "placeholders": placeholders,
    }
    return render(request, "reports/template_history.html", context)
