"""Pages of rectification notices (整改通知书) and 挂牌督办: lists, exports, issuing a notice,
its page (签收 when the school opens it) and the .docx documents.

Same rules as the hazard pages (``views_hazards``): scoped reads (404 outside the scope),
403 for a role without the permission, service refusals shown in Chinese with status 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core.audit import record_export
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.inspections import rules, selectors, services
from huxiao.inspections.choices import HazardState
from huxiao.inspections.filtersets_hazards import (
    EscalationFilterSet,
    NoticeFilterSet,
    is_overdue,
)
from huxiao.inspections.forms_hazards import (
    EscalationHandleForm,
    NoticeForm,
)
from huxiao.schools.models import School

ADD_NOTICE = "inspections.add_rectificationnotice"
VIEW_NOTICE = "inspections.view_rectificationnotice"
VIEW_HAZARD = "inspections.view_hazard"
VIEW_ESCALATION = "inspections.view_escalation"
SUPERVISE = "inspections.supervise_hazard"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _name(org) -> str:
    return org.name if org else ""


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    # RFC 6266 with filename*=UTF-8'': the Chinese document name survives every browser.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- notices -------------------------------------------------------------------------------


notices = ScopedList(
    permission=VIEW_NOTICE,
    # The selector counts hazards (GROUP BY), which drops the model's default ordering.
    selector=lambda user: selectors.notice_list(user=user).order_by("-issue_date", "-id"),
    filterset_class=NoticeFilterSet,
    template="inspections/notice_list.html",
    export_filename=gettext_lazy("整改通知书"),
    object_type="inspections.rectificationnotice",
    columns=(
        Column(gettext_lazy("发文字号"), lambda n: n.number),
        Column(gettext_lazy("标题"), lambda n: n.title),
        Column(gettext_lazy("主送学校"), lambda n: n.school.organization.name),
        Column(gettext_lazy("抄送单位"), lambda n: _name(n.copy_to)),
        Column(gettext_lazy("发文单位"), lambda n: _name(n.issuer)),
        Column(gettext_lazy("成文日期"), lambda n: n.issue_date),
        Column(gettext_lazy("整改期限（工作日）"), lambda n: n.working_days),
        Column(gettext_lazy("整改期限"), lambda n: n.deadline),
        Column(gettext_lazy("隐患数"), lambda n: n.hazard_count),
        Column(gettext_lazy("签收时间"), lambda n: local_time(n.received_at)),
    ),
)
notice_list = notices.list_view
notice_export = notices.export_view


def _candidates(user, school):
    """Hazards that may go on a notice to ``school``: in scope, open, not on a notice yet."""
    if school is None:
        return selectors.hazard_list(user=user).none()
    return (
        selectors.hazard_list(user=user)
        .filter(
            school=school,
            notice__isnull=True,
            state__in=(HazardState.PENDING, HazardState.RECTIFYING),
        )
        .order_by("found_on", "pk")
    )


def _preselected(request) -> set[int]:
    ids: set[int] = set()
    for raw in request.GET.getlist("hazards"):
        for part in raw.split(","):
            if part.strip().isdigit():
                ids.add(int(part))
    return ids


@require(ADD_NOTICE)
@require_http_methods(["GET", "POST"])
def notice_create(request):
    user = request.user
    schools = (
        School.objects.visible_to(user)
        .select_related("organization")
        .order_by("organization__path")
    )
    raw = (request.POST if request.method == "POST" else request.GET).get("school", "")
    school = None
    if raw:
        # The school is the subject of the page: outside the scope it is not found.
        if not raw.isdigit():
            raise Http404
        school = schools.filter(pk=int(raw)).first()
        if school is None:
            raise Http404
    candidates = _candidates(user, school)
    status = 200
    if request.method == "POST":
        form = NoticeForm(request.POST, schools=schools, candidates=candidates)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = services.notice_issue(
                    school=data["school"],
                    hazards=data["hazards"],
                    working_days=data["working_days"],
                    requirements=data["requirements"],
                    title=data["title"],
                    actor=user,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("整改通知书 %(n)s 已下发。") % {"n": notice.number})
                return redirect("inspections:notice_detail", pk=notice.pk)
        status = 400
    else:
        wanted = _preselected(request)
        initial = {"school": school.pk if school else None}
        if wanted and school is not None:
            initial["hazards"] = [h.pk for h in candidates if h.pk in wanted]
        form = NoticeForm(initial=initial, schools=schools, candidates=candidates)
    today = timezone.localdate()
    context = {
        "form": form,
        "school": school,
        "schools": schools,
        "has_candidates": school is not None and candidates.exists(),
        "today": today,
        "default_deadline": rules.notice_deadline(today, form["working_days"].initial or 1),
        "calendar_warning": rules.deadline_warning(
            today, rules.notice_deadline(today, form["working_days"].initial or 1)
        ),
    }
    return render(request, "inspections/notice_form.html", context, status=status)


@require(VIEW_NOTICE)
def notice_detail(request, pk: int):
    user = request.user
    notice = selectors.notice_get(user=user, pk=pk)
    if notice.received_at is None and user.organization_id == notice.school.organization_id:
        notice = services.notice_receive(notice=notice, actor=user)  # 签收
    hazards = []
    if user.has_perm(VIEW_HAZARD):
        hazards = list(selectors.hazard_list(user=user).filter(notice=notice).order_by("pk"))
        today = timezone.localdate()
        for hazard in hazards:
            hazard.overdue_now = is_overdue(hazard, today)
    context = {
        "notice": notice,
        "hazards": hazards,
        "calendar_warning": rules.deadline_warning(notice.issue_date, notice.deadline),
    }
    return render(request, "inspections/notice_detail.html", context)


@require(VIEW_NOTICE)
def notice_document(request, pk: int):
    notice = selectors.notice_get(user=request.user, pk=pk)
    # Written by the documents module; imported here so the pages load without python-docx.
    from huxiao.inspections import documents

    content = documents.notice_docx(notice)
    record_export(
        object_type="inspections.rectificationnotice",
        count=1,
        filters={"id": str(notice.pk), "number": notice.number},
        actor=request.user,
    )
    return docx_response(content, documents.notice_filename(notice))


# ---- 挂牌督办 --------------------------------------------------------------------------------


escalations = ScopedList(
    permission=VIEW_ESCALATION,
    selector=lambda user: selectors.escalation_list(user=user),
    filterset_class=EscalationFilterSet,
    template="inspections/escalation_list.html",
    export_filename=gettext_lazy("挂牌督办"),
    object_type="inspections.escalation",
    columns=(
        Column(gettext_lazy("督办文号"), lambda e: e.number),
        Column(gettext_lazy("隐患"), lambda e: e.hazard.title),
        Column(gettext_lazy("学校"), lambda e: e.hazard.school.organization.name),
        Column(gettext_lazy("督办单位"), lambda e: e.supervisor.name),
        Column(gettext_lazy("督办原因"), lambda e: e.reason),
        Column(gettext_lazy("督办期限"), lambda e: e.deadline),
        Column(gettext_lazy("督办时间"), lambda e: local_time(e.created_at)),
        Column(gettext_lazy("已处理"), lambda e: e.handled_at is not None),
        Column(gettext_lazy("处理时间"), lambda e: local_time(e.handled_at)),
        Column(gettext_lazy("督办意见"), lambda e: e.handling_note),
    ),
)
escalation_export = escalations.export_view


@require(VIEW_ESCALATION)
def escalation_list(request):
    filterset, queryset = escalations.filter(request)
    page_obj = page_of(request, queryset)
    user = request.user
    can_supervise = user.has_perm(SUPERVISE)
    page_obj.object_list = list(page_obj.object_list)
    for escalation in page_obj.object_list:
        escalation.may_handle = (
            can_supervise
            and escalation.handled_at is None
            and user.organization_id == escalation.supervisor_id
        )
    context = {"filter": filterset, "page_obj": page_obj}
    return render(request, "inspections/escalation_list.html", context)


@require(SUPERVISE)
@require_POST
def escalation_handle(request, pk: int):
    from huxiao.inspections.views_hazards import render_detail

    user = request.user
    escalation = selectors.escalation_get(user=user, pk=pk)
    if user.organization_id != escalation.supervisor_id:
        # The item is visible (the station that asked for it sees it) but only the
        # supervising organisation gives the 督办意见.
        message = _("只有督办单位（%(org)s）的用户可以处理该督办事项。") % {
            "org": escalation.supervisor.name
        }
        return render(request, "errors/error.html", {"status": 403, "message": message}, status=403)
    form = EscalationHandleForm(request.POST, escalation_id=escalation.pk)
    if form.is_valid():
        try:
            services.escalation_handle(
                escalation=escalation, note=form.cleaned_data["note"], actor=user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("督办意见已记录。"))
            return redirect("inspections:hazard_detail", pk=escalation.hazard_id)
    hazard = selectors.hazard_get(user=user, pk=escalation.hazard_id)
    error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    return render_detail(
        request, hazard, handle_forms={escalation.pk: form}, error=error, status=400
    )


@require(VIEW_ESCALATION)
def escalation_document(request, pk: int):
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    from huxiao.inspections import documents

    content = documents.escalation_docx(escalation)
    record_export(
        object_type="inspections.escalation",
        count=1,
        filters={"id": str(escalation.pk), "number": escalation.number},
        actor=request.user,
    )
    return docx_response(content, documents.escalation_filename(escalation))
