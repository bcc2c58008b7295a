"""Pages of the preparedness module, mounted at /preparedness/.

Every read starts from the user's scope (out of scope = 404, like missing); every write goes
through ``preparedness.services``, whose refusals are shown on the form in Chinese with status
400 and store nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core.exports import xlsx_response
from huxiao.core.files import attachments_of
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, filtered, page_of, require
from huxiao.preparedness import figures, rules, selectors, services
from huxiao.preparedness import parameters as params
from huxiao.preparedness.choices import DrillAction, DrillState
from huxiao.preparedness.filtersets import ComplianceFilterSet, DrillFilterSet, PlanFilterSet
from huxiao.preparedness.forms import (
    BulkPlanForm,
    CancelForm,
    DrillPlanForm,
    DrillRecordForm,
    HoldForm,
    PlanForm,
    ReviewForm,
)

_BAD = 400


FORM_PAGES = {
    "plan": (
        gettext_lazy("登记应急预案"),
        gettext_lazy("登记经批准的预案；下次评审日期按评审周期自动计算，到期前列入“我的待办”。"),
        "preparedness:plan_list",
        gettext_lazy("应急预案"),
    ),
    "drill_plan": (
        gettext_lazy("安排本校演练"),
        gettext_lazy("安排一次演练（某一天或一个时间段）；过期未记录的将提醒学校和教育局。"),
        "preparedness:drill_list",
        gettext_lazy("应急演练"),
    ),
    "drill_record": (
        gettext_lazy("记录已举行的演练"),
        gettext_lazy("未经计划、已举行的演练直接记录；疏散用时与本校学段目标比较。"),
        "preparedness:drill_list",
        gettext_lazy("应急演练"),
    ),
    "drill_bulk": (
        gettext_lazy("统一安排演练"),
        gettext_lazy("为所辖学校各安排一次演练：全部安排成功，或一所也不安排。"),
        "preparedness:drill_list",
        gettext_lazy("应急演练"),
    ),
    "drill_hold": (
        gettext_lazy("记录演练举行情况"),
        gettext_lazy("填写参演人数、时长和疏散用时；疏散用时与本校学段目标比较。"),
        "preparedness:drill_list",
        gettext_lazy("应急演练"),
    ),
}


def _render_form(request, page: str, form, status=200, **extra):
    title, sub, back, back_label = FORM_PAGES[page]
    context = {
        "form": form,
        "title": title,
        "sub": sub,
        "back": back,
        "back_label": back_label,
        "form_id": page.replace("_", "-"),
        "multipart": bool(request.FILES)
        or any(name in form.fields for name in ("photo", "document")),
        **extra,
    }
    return render(request, "preparedness/form.html", context, status=status)


def _form_page(request, form, page, write, done, **extra):
    if request.method != "POST":
        return _render_form(request, page, form, **extra)
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return done(result)
    return _render_form(request, page, form, status=_BAD, **extra)


def _uploads(request, field):
    return request.FILES.getlist(field)


def _held(data) -> dict:
    names = (
        "held_on",
        "students",
        "staff",
        "police",
        "duration_minutes",
        "evacuation_seconds",
        "evaluation",
        "lessons",
    )
    return {name: data.get(name) for name in names}


# ---- plans ---------------------------------------------------------------------------------------

plans = ScopedList(
    permission="preparedness.view_emergencyplan",
    selector=lambda user: selectors.plan_list(user=user),
    filterset_class=PlanFilterSet,
    template="preparedness/plan_list.html",
    export_filename=gettext_lazy("应急预案"),
    object_type="preparedness.emergencyplan",
    columns=(
        Column(gettext_lazy("学校"), lambda p: p.school.organization.name),
        Column(gettext_lazy("预案类别"), lambda p: p.get_kind_display()),
        Column(gettext_lazy("预案名称"), lambda p: p.title),
        Column(gettext_lazy("版本"), lambda p: p.version),
        Column(gettext_lazy("批准日期"), lambda p: p.approved_on),
        Column(gettext_lazy("批准机关"), lambda p: p.approved_by),
        Column(gettext_lazy("评审周期（月）"), lambda p: p.review_months),
        Column(gettext_lazy("上次评审日期"), lambda p: p.last_reviewed_on),
        Column(gettext_lazy("下次评审日期"), lambda p: p.next_review_on),
        Column(gettext_lazy("状态"), lambda p: p.get_status_display()),
    ),
)
plan_export = plans.export_view


@require("preparedness.view_emergencyplan")
def plan_list(request):
    from django.utils import timezone

    filterset, rows = plans.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "today": timezone.localdate(),
        "can_add": request.user.has_perm("preparedness.add_emergencyplan"),
    }
    return render(request, "preparedness/plan_list.html", context)


@require("preparedness.add_emergencyplan")
@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user

    def write(data):
        data = {k: v for k, v in data.items() if k != "document"}
        return services.plan_create(actor=user, documents=_uploads(request, "document"), **data)

    def done(plan):
        messages.success(request, _("应急预案已登记。"))
        return redirect("preparedness:plan_detail", pk=plan.pk)

    form = PlanForm(request.POST or None, request.FILES or None, user=user)
    return _form_page(request, form, "plan", write, done)


@require("preparedness.view_emergencyplan")
def plan_detail(request, pk: int):
    from django.utils import timezone

    plan = selectors.plan_get(user=request.user, pk=pk)
    context = {
        "plan": plan,
        "documents": list(attachments_of(plan, "plan")),
        "due": rules.review_due(next_review_on=plan.next_review_on, on=timezone.localdate()),
        "can_review": request.user.has_perm("preparedness.change_emergencyplan")
        and plan.status == "in_force",
        "form": ReviewForm(),
    }
    return render(request, "preparedness/plan_detail.html", context)


@require("preparedness.change_emergencyplan")
@require_POST
def plan_review(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.plan_review(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录评审，下次评审日期已更新。"))
            return redirect("preparedness:plan_detail", pk=plan.pk)
    context = {"plan": plan, "documents": list(attachments_of(plan, "plan")), "form": form}
    context |= {"can_review": True, "due": True}
    return render(request, "preparedness/plan_detail.html", context, status=_BAD)


# ---- drills --------------------------------------------------------------------------------------

drills = ScopedList(
    permission="preparedness.view_drill",
    selector=lambda user: selectors.drill_list(user=user),
    filterset_class=DrillFilterSet,
    template="preparedness/drill_list.html",
    export_filename=gettext_lazy("应急演练"),
    object_type="preparedness.drill",
    columns=(
        Column(gettext_lazy("学校"), lambda d: d.school.organization.name),
        Column(gettext_lazy("演练类别"), lambda d: d.get_kind_display()),
        Column(gettext_lazy("状态"), lambda d: d.get_state_display()),
        Column(gettext_lazy("日期"), lambda d: d.day),
        Column(gettext_lazy("计划开始日期"), lambda d: d.planned_from),
        Column(gettext_lazy("计划截止日期"), lambda d: d.planned_until),
        Column(
            gettext_lazy("计划单位"), lambda d: d.planned_by_org.name if d.planned_by_org else ""
        ),
        Column(gettext_lazy("举行日期"), lambda d: d.held_on),
        Column(gettext_lazy("参演学生数"), lambda d: d.students),
        Column(gettext_lazy("参演教职工数"), lambda d: d.staff),
        Column(gettext_lazy("到场民警数"), lambda d: d.police),
        Column(gettext_lazy("演练时长（分钟）"), lambda d: d.duration_minutes),
        Column(gettext_lazy("疏散用时（秒）"), lambda d: d.evacuation_seconds),
        Column(gettext_lazy("疏散目标（秒）"), lambda d: d.evacuation_target_seconds),
        Column(
            gettext_lazy("疏散达标"),
            lambda d: "" if d.met_target is None else (_("是") if d.met_target else _("否")),
        ),
        Column(gettext_lazy("取消原因"), lambda d: d.cancel_reason),
    ),
)
drill_export = drills.export_view


@require("preparedness.view_drill")
def drill_list(request):
    from django.utils import timezone

    filterset, rows = drills.filter(request)
    reading = figures.evacuation_reading(
        rows.filter(state=DrillState.HELD, evacuation_seconds__isnull=False)
    )
    user = request.user
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "today": timezone.localdate(),
        "mean": rules.mean(reading["total"], reading["n"]),
        "met_rate": rules.rate(reading["met"], reading["n"]),
        "timed": reading["n"],
        "can_plan": user.has_perm("preparedness.add_drill") and selectors.own_school(user),
        "can_record": user.has_perm("preparedness.hold_drill"),
        "can_bulk": user.has_perm("preparedness.plan_drills"),
    }
    return render(request, "preparedness/drill_list.html", context)


@require("preparedness.add_drill")
@require_http_methods(["GET", "POST"])
def drill_create(request):
    user = request.user

    def write(data):
        return services.drill_plan(actor=user, **data)

    def done(drill):
        messages.success(request, _("演练已安排。"))
        return redirect("preparedness:drill_detail", pk=drill.pk)

    form = DrillPlanForm(request.POST or None, user=user)
    return _form_page(request, form, "drill_plan", write, done)


@require("preparedness.hold_drill")
@require_http_methods(["GET", "POST"])
def drill_record(request):
    user = request.user

    def write(data):
        return services.drill_record(
            actor=user,
            school=data["school"],
            kind=data["kind"],
            photos=_uploads(request, "photo"),
            **_held(data),
        )

    def done(drill):
        messages.success(request, _("演练已记录。"))
        return redirect("preparedness:drill_detail", pk=drill.pk)

    form = DrillRecordForm(request.POST or None, request.FILES or None, user=user)
    return _form_page(request, form, "drill_record", write, done)


@require("preparedness.plan_drills")
@require_http_methods(["GET", "POST"])
def drill_bulk(request):
    user = request.user
    bureau = selectors.planning_bureau(user)
    if bureau is None:
        raise Http404

    def write(data):
        chosen = list(data.get("schools") or [])
        return services.drill_plan_bulk(
            bureau=bureau,
            actor=user,
            schools=chosen,
            kind=data["kind"],
            planned_from=data["planned_from"],
            planned_until=data.get("planned_until"),
        )

    def done(made):
        messages.success(request, _("已为%(n)d所学校各安排一次演练。") % {"n": len(made)})
        return redirect("preparedness:drill_list")

    form = BulkPlanForm(request.POST or None, user=user)
    return _form_page(request, form, "drill_bulk", write, done)


@require("preparedness.view_drill")
def drill_detail(request, pk: int):
    from django.utils import timezone

    drill = selectors.drill_get(user=request.user, pk=pk)
    user = request.user
    actions = rules.drill_actions(drill.state)
    context = {
        "drill": drill,
        "photos": list(attachments_of(drill, "photo")),
        "missed": rules.drill_missed(
            state=drill.state, due_on=drill.planned_until, on=timezone.localdate()
        ),
        "can_hold": DrillAction.HOLD in actions and user.has_perm("preparedness.hold_drill"),
        "can_cancel": DrillAction.CANCEL in actions and user.has_perm("preparedness.change_drill"),
        "target": params.evacuation_target(drill.school.level),
        "cancel_form": CancelForm(),
    }
    return render(request, "preparedness/drill_detail.html", context)


@require("preparedness.hold_drill")
@require_http_methods(["GET", "POST"])
def drill_hold(request, pk: int):
    drill = selectors.drill_get(user=request.user, pk=pk)
    user = request.user

    def write(data):
        return services.drill_hold(
            drill=drill, actor=user, photos=_uploads(request, "photo"), **_held(data)
        )

    def done(held):
        messages.success(request, _("已记录演练举行情况。"))
        return redirect("preparedness:drill_detail", pk=held.pk)

    form = HoldForm(request.POST or None, request.FILES or None)
    return _form_page(request, form, "drill_hold", write, done, drill=drill)


@require("preparedness.change_drill")
@require_POST
def drill_cancel(request, pk: int):
    drill = selectors.drill_get(user=request.user, pk=pk)
    try:
        services.drill_cancel(
            drill=drill, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("preparedness:drill_detail", pk=drill.pk)
    messages.success(request, _("演练已取消。"))
    return redirect("preparedness:drill_detail", pk=drill.pk)


# ---- compliance: drills held against the required frequency, per school -----------------------


def _compliance(request):
    filterset = ComplianceFilterSet(
        request.GET, queryset=selectors.schools_for(user=request.user), request=request
    )
    rows = filtered(filterset)
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    start, end = data.get("date_from"), data.get("date_to")
    return filterset, rows, start, end


def _reading(school, start, end) -> tuple[int | None, bool | None]:
    if not (start and end):
        return None, None
    required = rules.required_drills(start, end, params.drill_interval(school.level))
    return required, rules.compliant(school.held_count, required)


@require("preparedness.view_drill")
def compliance(request):
    filterset, rows, start, end = _compliance(request)
    page = page_of(request, rows)
    for school in page:
        school.required, school.compliant = _reading(school, start, end)
    context = {"filter": filterset, "page_obj": page, "start": start, "end": end}
    return render(request, "preparedness/compliance.html", context)


@require("preparedness.view_drill")
def compliance_export(request):
    filterset, rows, start, end = _compliance(request)

    def shown():
        for school in rows.iterator(chunk_size=2000):
            required, ok = _reading(school, start, end)
            yield (
                school.organization.name,
                school.get_level_display(),
                school.held_count,
                required,
                "" if ok is None else (_("是") if ok else _("否")),
            )

    headers = [_("学校"), _("学段"), _("已举行演练"), _("应举行演练"), _("达标")]
    return xlsx_response(
        request=request,
        filename=_("演练达标情况"),
        headers=headers,
        rows=shown(),
        object_type="schools.school",
        filters=filterset.active_filters,
    )
