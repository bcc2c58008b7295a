"""Pages of the rectification loop: hazards (list, export, register, detail and its actions),
rectification notices and 挂牌督办.

Reads start from the user's scope (``inspections.selectors``): a hazard, notice or 督办 item
out of scope answers 404 exactly like a missing id, and a page or action the role may not use
answers 403. Writes go through ``inspections.services``: a refusal (an illegal transition, a
bad upload) is shown on the page in Chinese with status 400 and nothing changed; a stale
``version`` (someone acted meanwhile) answers 409 with the message and the current state.
The notice and 督办 pages live in ``views_notices``; this module re-exports them for the URLs.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core import workcalendar
from huxiao.core.exceptions import ConflictError
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import (
    Column,
    ScopedList,
    label_column,
    local_time,
    page_of,
    require,
)
from huxiao.inspections import rules, selectors, services
from huxiao.inspections.choices import HAZARD_CATEGORY, HazardAction, PhotoPurpose
from huxiao.inspections.filtersets_hazards import HazardFilterSet, is_overdue
from huxiao.inspections.forms_hazards import (
    ChaseForm,
    DeadlineForm,
    EscalateForm,
    EscalationHandleForm,
    HazardCreateForm,
    PhotosForm,
    RecheckForm,
    ReportForm,
    StartForm,
)
from huxiao.inspections.models import Hazard

VIEW_HAZARD = "inspections.view_hazard"
ADD_HAZARD = "inspections.add_hazard"
CHANGE_HAZARD = "inspections.change_hazard"
SUPERVISE = rules.SUPERVISE
ADD_NOTICE = rules.ISSUE_NOTICE
VIEW_NOTICE = "inspections.view_rectificationnotice"
VIEW_ESCALATION = "inspections.view_escalation"


# ---- the list ------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


hazards = ScopedList(
    permission=VIEW_HAZARD,
    selector=lambda user: selectors.hazard_list(user=user),
    filterset_class=HazardFilterSet,
    template="inspections/hazard_list.html",
    export_filename=gettext_lazy("隐患清单"),
    object_type="inspections.hazard",
    columns=(
        Column(gettext_lazy("学校"), lambda h: h.school.organization.name),
        Column(gettext_lazy("隐患"), lambda h: h.title),
        label_column(gettext_lazy("类别"), HAZARD_CATEGORY, "category"),
        Column(gettext_lazy("等级"), lambda h: h.get_severity_display()),
        Column(gettext_lazy("来源"), lambda h: h.get_source_display()),
        Column(gettext_lazy("状态"), lambda h: h.get_state_display()),
        Column(gettext_lazy("发现日期"), lambda h: h.found_on),
        Column(gettext_lazy("整改期限"), lambda h: h.deadline),
        Column(gettext_lazy("逾期"), lambda h: is_overdue(h, _today())),
        Column(gettext_lazy("逾期次数"), lambda h: h.overdue_count),
        Column(gettext_lazy("督办"), lambda h: h.is_escalated),
        Column(gettext_lazy("被催办次数"), lambda h: h.chase_count),
        Column(gettext_lazy("整改通知书"), lambda h: h.notice.number if h.notice_id else ""),
        Column(gettext_lazy("整改责任方"), lambda h: h.responsible_party),
        Column(gettext_lazy("销号时间"), lambda h: local_time(h.closed_at)),
    ),
)
hazard_export = hazards.export_view


@require(VIEW_HAZARD)
def hazard_list(request):
    filterset, queryset = hazards.filter(request)
    page_obj = page_of(request, queryset)
    today = _today()
    page_obj.object_list = list(page_obj.object_list)
    for hazard in page_obj.object_list:
        hazard.overdue_now = is_overdue(hazard, today)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "can_add": request.user.has_perm(ADD_HAZARD),
        "can_notice": request.user.has_perm(ADD_NOTICE),
    }
    return render(request, "inspections/hazard_list.html", context)


# ---- registering a hazard ------------------------------------------------------------------


@require(ADD_HAZARD)
@require_http_methods(["GET", "POST"])
def hazard_create(request):
    user = request.user
    if request.method != "POST":
        form = HazardCreateForm(user=user)
        return render(request, "inspections/hazard_form.html", {"form": form})
    form = HazardCreateForm(request.POST, request.FILES, user=user)
    if form.is_valid():
        try:
            hazard = services.hazard_create(**form.service_kwargs(), actor=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("隐患已登记。"))
            return redirect("inspections:hazard_detail", pk=hazard.pk)
    return render(request, "inspections/hazard_form.html", {"form": form}, status=400)


# ---- what a user may do with a hazard ------------------------------------------------------

# The form of each action of the page. Every action but "photos" runs transitions of
# ``rules.TRANSITIONS`` (whose ``page`` names the action): the table says which service runs,
# who may run it and which of the form's fields it takes.
FORMS: dict[str, type] = {
    "start": StartForm,
    "report": ReportForm,
    "recheck": RecheckForm,
    "deadline": DeadlineForm,
    "escalate": EscalateForm,
    "chase": ChaseForm,
    "photos": PhotosForm,
}

DONE = {
    "start": gettext_lazy("已开始整改。"),
    "report": gettext_lazy("整改报告已提交，等待复查。"),
    "recheck": gettext_lazy("复查结果已记录。"),
    "deadline": gettext_lazy("整改期限已调整。"),
    "escalate": gettext_lazy("已挂牌督办。"),
    "chase": gettext_lazy("已催办，学校已收到提醒。"),
    "photos": gettext_lazy("照片已上传。"),
}


def _may_add_photos(user, hazard: Hazard) -> bool:
    """Photos are not a transition: the school adds them to its own hazards (as it
    rectifies them), the police to any they may change."""
    own = user.organization_id == hazard.school.organization_id
    return user.has_perm(CHANGE_HAZARD) or (user.has_perm(rules.RECTIFY) and own)


def _may(user, hazard: Hazard, action: str) -> bool:
    """The permission half of an action of the page (the state half is the service's)."""
    if action == "photos":
        return _may_add_photos(user, hazard)
    return any(
        selectors.may_run(user=user, hazard=hazard, transition=t)
        for t in rules.page_transitions(action)
    )


def _shown(user, hazard: Hazard) -> dict[str, bool]:
    """Which action panels the detail page shows: allowed now, by this user."""
    actions = set(selectors.hazard_actions(user=user, hazard=hazard))
    shown = {
        slug: any(t.action in actions for t in rules.page_transitions(slug))
        for slug in FORMS
        if slug != "photos"
    }
    shown["notice"] = HazardAction.NOTICE_ISSUED in actions
    shown["photos"] = hazard.is_open and _may_add_photos(user, hazard)
    return shown


def _add_photos(hazard, form, actor):
    # Adding pictures changes nothing another user could have decided on, so a stale page
    # may still add them (the service takes no expected version).
    return services.hazard_add_photos(
        hazard=hazard,
        uploads=form.cleaned_data["photos"],
        purpose=form.cleaned_data["purpose"],
        actor=actor,
    )


def _run(hazard: Hazard, action: str, form, actor):
    """Run the page's ``action`` with the form's data: the transition the table names for it
    (the one whose fixed keywords the form gave), as the API runs it."""
    if action == "photos":
        return _add_photos(hazard, form, actor)
    transition = rules.page_transition(action, form.cleaned_data)
    return services.hazard_transition(
        hazard=hazard,
        action=transition.action,
        actor=actor,
        arguments=form.cleaned_data,
        expected_version=form.cleaned_data["version"],
    )


# ---- the detail page -----------------------------------------------------------------------


def _deadline_info(hazard: Hazard, today) -> dict:
    """Working days left until the deadline, or past it, while the school owes work."""
    info = {"workdays_left": None, "workdays_late": None, "due_today": False}
    if hazard.deadline is None or hazard.state not in rules.OVERDUE_STATES:
        return info  # closed, or waiting for the police: the school owes nothing now
    left = workcalendar.workdays_between(today, hazard.deadline)
    if hazard.deadline < today:
        info["workdays_late"] = -left
    elif hazard.deadline == today:
        info["due_today"] = True
    else:
        info["workdays_left"] = left
    return info


def render_detail(
    request,
    hazard: Hazard,
    *,
    bound=None,
    handle_forms: dict | None = None,
    error: str = "",
    status: int = 200,
):
    """The hazard page; ``bound`` is an action form to show with its errors."""
    user = request.user
    today = _today()
    shown = _shown(user, hazard)
    forms = {
        slug: form_class(initial={"version": hazard.version}, action=slug)
        for slug, form_class in FORMS.items()
        if shown[slug]
    }
    if bound is not None:
        forms[bound.action] = bound
    reports = list(hazard.reports.select_related("submitted_by"))
    files = selectors.hazard_files(user=user, hazard=hazard, reports=reports)
    for report in reports:
        report.files = selectors.report_files(files, report)
    photos = selectors.photo_columns(files)
    escalations = list(
        hazard.escalations.select_related("supervisor", "created_by", "handled_by").order_by(
            "created_at", "id"
        )
    )
    handle_forms = handle_forms or {}
    can_supervise = user.has_perm(SUPERVISE)
    for escalation in escalations:
        escalation.may_handle = (
            can_supervise
            and escalation.handled_at is None
            and user.organization_id == escalation.supervisor_id
        )
        if escalation.may_handle:
            escalation.form = handle_forms.get(escalation.pk) or EscalationHandleForm(
                escalation_id=escalation.pk
            )
    inspection_result = hazard.inspection_result
    context = {
        "hazard": hazard,
        "school": hazard.school,
        "overdue": is_overdue(hazard, today),
        "calendar_warning": rules.hazard_deadline_warning(hazard),
        **_deadline_info(hazard, today),
        "shown": shown,
        "forms": forms,
        "bound_action": bound.action if bound is not None else "",
        "error": error,
        "conflict": status == 409,
        "photos_before": photos[PhotoPurpose.BEFORE],
        "photos_after": photos[PhotoPurpose.AFTER],
        "photos_recheck": photos[PhotoPurpose.RECHECK],
        "reports": reports,
        "rechecks": list(hazard.rechecks.select_related("officer")),
        "escalations": escalations,
        "history": list(selectors.hazard_history(hazard=hazard)),
        "inspection": inspection_result.inspection if inspection_result else None,
        "can_view_notice": user.has_perm(VIEW_NOTICE),
        "can_view_escalation": user.has_perm(VIEW_ESCALATION),
    }
    return render(request, "inspections/hazard_detail.html", context, status=status)


@require(VIEW_HAZARD)
def hazard_detail(request, pk: int):
    return render_detail(request, selectors.hazard_get(user=request.user, pk=pk))


@require(VIEW_HAZARD)
@require_POST
def hazard_action(request, pk: int, action: str):
    user = request.user
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    hazard = selectors.hazard_get(user=user, pk=pk)
    if not _may(user, hazard, action):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, action=action)
    if form.is_valid():
        try:
            _run(hazard, action, form, user)
        except ConflictError as exc:
            # Someone acted meanwhile: show what the hazard is now, with fresh forms.
            hazard = selectors.hazard_get(user=user, pk=pk)
            return render_detail(request, hazard, error=exc.message, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, str(DONE[action]))
            return redirect("inspections:hazard_detail", pk=hazard.pk)
    # Refused: nothing was written; show the stored hazard with the form and its errors.
    hazard = selectors.hazard_get(user=user, pk=pk)
    error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    return render_detail(request, hazard, bound=form, error=error, status=400)


# ---- notices and 督办 (their own module) ----------------------------------------------------

from huxiao.inspections.views_notices import (  # noqa: E402
    escalation_document,
    escalation_export,
    escalation_handle,
    escalation_list,
    notice_create,
    notice_detail,
    notice_document,
    notice_export,
    notice_list,
)

__all__ = [
    "escalation_document",
    "escalation_export",
    "escalation_handle",
    "escalation_list",
    "hazard_action",
    "hazard_create",
    "hazard_detail",
    "hazard_export",
    "hazard_list",
    "notice_create",
    "notice_detail",
    "notice_document",
    "notice_export",
    "notice_list",
]
