"""Pages of the gate module, mounted at /gate/.

The guard's page (``guard``) is made for the morning rush on a phone: the ID number (typed,
pasted, or sent by a keyboard-wedge card reader, whose Enter moves on to the name), name, a tap
on the purpose, an optional host, a tap on 登记 — then the answer of the match at the top of the
page and today's visitors below with one-tap check-out. ``gate/gate.js`` sends the form without
reloading and, with no network, keeps it on the phone (with its time and idempotency key) to send
once when the network returns; without JavaScript the form posts as it is.

Every read starts from the user's scope (out of scope = 404, like missing); every write goes
through ``gate.services``, whose refusals are shown in Chinese with status 400.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.files import attachments_of
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.gate import rules, selectors, services
from huxiao.gate.choices import MatchOutcome, VisitAction, VisitState
from huxiao.gate.filtersets import (
    BanFilterSet,
    PassFilterSet,
    PickupFilterSet,
    SeizureFilterSet,
    VehicleFilterSet,
    VisitFilterSet,
)
from huxiao.gate.forms import (
    BanForm,
    NoteForm,
    PassForm,
    PickupCheckForm,
    PickupForm,
    ReasonForm,
    SeizureForm,
    VehicleForm,
    VisitForm,
)

_BAD = 400


def _who(user) -> str:
    return user.display_name if user else ""


# The create pages share one template: (title, what it does, the list it belongs to, its name).
FORM_PAGES = {
    "gate/ban_form.html": (
        gettext_lazy("发布禁入名单"),
        gettext_lazy(
            "发布后，本单位辖区内各校门卫登记来访人员时自动比对；学校只看到须执行的内容。"
        ),
        "gate:ban_list",
        gettext_lazy("禁入名单"),
    ),
    "gate/pass_form.html": (
        gettext_lazy("登记出入证"),
        gettext_lazy("教职工、车辆出入证：到期或注销后门卫核验不再通过。"),
        "gate:pass_list",
        gettext_lazy("出入证"),
    ),
    "gate/vehicle_form.html": (
        gettext_lazy("车辆入校登记"),
        gettext_lazy("持有效车辆出入证的车辆自动关联出入证，其余按外来车辆登记。"),
        "gate:vehicle_list",
        gettext_lazy("车辆出入"),
    ),
    "gate/pickup_form.html": (
        gettext_lazy("登记接送授权"),
        gettext_lazy("学生只登记姓名和班级；接送人登记身份证后四位，不登记完整证件号。"),
        "gate:pickup_list",
        gettext_lazy("接送授权"),
    ),
    "gate/seizure_form.html": (
        gettext_lazy("登记收缴物品"),
        gettext_lazy("登记后立即通知辖区派出所接收，形成公安记录。"),
        "gate:seizure_list",
        gettext_lazy("收缴物品"),
    ),
}


def _form_page(request, form, template, write, done):
    """A create page: GET shows ``form``; POST validates it and calls ``write(cleaned_data)`` (a
    service), then ``done(result)`` gives the answer; a refusal goes back on the form (400)."""
    if request.method != "POST":
        return _render_form(request, template, form)
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return done(result)
    return _render_form(request, template, form, status=_BAD)


def _render_form(request, template, form, status=200):
    title, sub, back, back_label = FORM_PAGES[template]
    context = {
        "form": form,
        "title": title,
        "sub": sub,
        "back": back,
        "back_label": back_label,
        "form_id": template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", "-"),
        "multipart": "photo" in form.fields,
    }
    return render(request, "gate/form.html", context, status=status)


def _uploads(request, field="photo"):
    return request.FILES.getlist(field)


# ---- the guard's page ------------------------------------------------------------------------------


def js_labels() -> dict:
    """The words gate.js shows (translated here; the script has no catalogue)."""
    return {
        "queued": _("网络不可用：登记已保存在本机，恢复网络后自动补传（只记一次）。"),
        "synced": _("离线登记已补传。"),
        "refused": _("离线登记未被接受："),
        "login": _("登录已过期：请重新登录，待同步的登记会在登录后补传。"),
        "error": _("提交失败，请稍后重试。"),
        "pending_at": _("{time} 登记"),
    }


@require("gate.add_visit")
@require_http_methods(["GET", "POST"])
def guard(request):
    user = request.user
    school = selectors.own_school(user)
    form = VisitForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit, created = services.visit_register(
                    school=data["school"],
                    actor=user,
                    name=data["name"],
                    id_number=data["id_number"],
                    purpose=data["purpose"],
                    host=data["host"],
                    phone=data["phone"],
                    plate=data["plate"],
                    at=data["at"],
                    idempotency_key=data["idempotency_key"],
                    was_offline=data["was_offline"],
                    photos=_uploads(request),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if not created:
                    messages.info(request, _("该登记已提交过，未重复登记。"))
                return redirect(f"{reverse('gate:guard')}?v={visit.pk}")
        status = _BAD
    shown = None
    if request.GET.get("v", "").isdigit():
        shown = selectors.visit_list(user=user).filter(pk=int(request.GET["v"])).first()
    if school is None and form.fields["school"].queryset.exists():
        school = form.fields["school"].queryset.first()
    today = (
        list(selectors.visits_today(user=user, school=school)[:200]) if school is not None else []
    )
    context = {
        "form": form,
        "school": school,
        "shown": shown,
        "today": today,
        "in_school": sum(1 for v in today if v.state == VisitState.IN),
        "labels_json": json.dumps(js_labels(), ensure_ascii=False),
        "can_review": user.has_perm("gate.review_visit"),
    }
    return render(request, "gate/guard.html", context, status=status)


@require("gate.change_visit")
@require_POST
def visits_out_all(request):
    school = selectors.own_school(request.user)
    if school is None:
        raise Http404
    done = services.visits_check_out_all(school=school, actor=request.user)
    messages.success(request, _("已为 %(n)d 名在校访客登记离校。") % {"n": done})
    return redirect("gate:guard")


# ---- visits: the log, one visit, its steps ---------------------------------------------------------


visits = ScopedList(
    permission="gate.view_visit",
    selector=lambda user: selectors.visit_list(user=user),
    filterset_class=VisitFilterSet,
    template="gate/visit_list.html",
    export_filename=gettext_lazy("来访登记"),
    object_type="gate.visit",
    columns=(
        Column(gettext_lazy("学校"), lambda v: v.school.organization.name),
        Column(gettext_lazy("姓名"), lambda v: v.name),
        Column(
            gettext_lazy("身份证号"), lambda v: v._meta.get_field("id_number").mask(v.id_number)
        ),
        Column(gettext_lazy("来访事由"), lambda v: v.get_purpose_display()),
        Column(gettext_lazy("被访人"), lambda v: _who(v.host)),
        Column(gettext_lazy("车牌号"), lambda v: v.plate),
        Column(gettext_lazy("入校时间"), lambda v: local_time(v.arrived_at)),
        Column(gettext_lazy("离校时间"), lambda v: local_time(v.left_at)),
        Column(gettext_lazy("比对结果"), lambda v: v.get_match_outcome_display()),
        Column(gettext_lazy("状态"), lambda v: v.get_state_display()),
        Column(gettext_lazy("核查说明"), lambda v: v.review_note),
        Column(gettext_lazy("登记人"), lambda v: _who(v.registered_by)),
        Column(gettext_lazy("离线补传"), lambda v: _("是") if v.was_offline else _("否")),
    ),
)
visit_export = visits.export_view


def log_presets(today) -> list[tuple[str, str, str]]:
    """The day, week and month logs: (label, date_from, date_to) for the list's date filters."""
    import datetime as dt

    week = today - dt.timedelta(days=today.weekday())
    return [
        (_("今日"), today.isoformat(), today.isoformat()),
        (_("本周"), week.isoformat(), today.isoformat()),
        (_("本月"), today.replace(day=1).isoformat(), today.isoformat()),
    ]


@require("gate.view_visit")
def visit_list(request):
    filterset, rows = visits.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "presets": log_presets(timezone.localdate()),
    }
    return render(request, "gate/visit_list.html", context)


@require("gate.view_visit")
def visit_detail(request, pk: int):
    visit = selectors.visit_get(user=request.user, pk=pk)
    user = request.user
    actions = [
        a
        for a in rules.visit_actions(visit.state)
        if (a in rules.REVIEW_ACTIONS and user.has_perm("gate.review_visit"))
        or (a == VisitAction.CHECK_OUT and user.has_perm("gate.change_visit"))
    ]
    if visit.match_outcome == MatchOutcome.BANNED:
        actions = [a for a in actions if a != VisitAction.RELEASE]
    context = {
        "visit": visit,
        "id_masked": visit._meta.get_field("id_number").mask(visit.id_number),
        "actions": [(a, VisitAction(a).label) for a in actions],
        "form": NoteForm(),
        "photos": list(attachments_of(visit, "photo")),
    }
    return render(request, "gate/visit_detail.html", context)


@require("gate.view_visit")
@require_POST
def visit_step(request, pk: int, action: str):
    user = request.user
    visit = selectors.visit_get(user=user, pk=pk)
    if action not in VisitAction.values:
        raise Http404
    needed = "gate.review_visit" if action in rules.REVIEW_ACTIONS else "gate.change_visit"
    if not user.has_perm(needed):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    try:
        services.visit_transition(
            visit=visit, action=action, actor=user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if request.POST.get("next") == "guard":
            return redirect("gate:guard")
        return redirect("gate:visit_detail", pk=visit.pk)
    messages.success(
        request,
        _("%(name)s：%(action)s。") % {"name": visit.name, "action": VisitAction(action).label},
    )
    if request.POST.get("next") == "guard" and user.has_perm("gate.add_visit"):
        return redirect("gate:guard")
    return redirect("gate:visit_detail", pk=visit.pk)


# ---- bans ------------------------------------------------------------------------------------------


bans = ScopedList(
    permission="gate.view_banentry",
    selector=lambda user: selectors.ban_list(user=user),
    filterset_class=BanFilterSet,
    template="gate/ban_list.html",
    export_filename=gettext_lazy("禁入名单"),
    object_type="gate.banentry",
    columns=(
        Column(gettext_lazy("发布单位"), lambda b: b.organization.name),
        Column(gettext_lazy("姓名"), lambda b: b.name),
        Column(
            gettext_lazy("身份证号"), lambda b: b._meta.get_field("id_number").mask(b.id_number)
        ),
        Column(gettext_lazy("依据"), lambda b: b.get_basis_display()),
        Column(gettext_lazy("禁入事由"), lambda b: b.reason),
        Column(gettext_lazy("决定机关/决定人"), lambda b: b.decided_by),
        Column(gettext_lazy("文书编号"), lambda b: b.document_number),
        Column(gettext_lazy("起始日期"), lambda b: b.starts_on),
        Column(gettext_lazy("截止日期"), lambda b: b.ends_on),
        Column(gettext_lazy("撤销时间"), lambda b: local_time(b.revoked_at)),
    ),
)
ban_list = bans.list_view
ban_export = bans.export_view


@require("gate.view_banentry")
def ban_detail(request, pk: int):
    ban = selectors.ban_get(user=request.user, pk=pk)
    context = {
        "ban": ban,
        "id_masked": ban._meta.get_field("id_number").mask(ban.id_number),
        "police_note": selectors.shows_police_note(request.user),
        "can_revoke": request.user.has_perm("gate.change_banentry")
        and ban.revoked_at is None
        and _editable_bans(request.user).filter(pk=ban.pk).exists(),
        "in_force": rules.ban_in_force(
            starts_on=ban.starts_on,
            ends_on=ban.ends_on,
            revoked=ban.revoked_at is not None,
            on=timezone.localdate(),
        ),
        "form": ReasonForm(),
    }
    return render(request, "gate/ban_detail.html", context)


def _editable_bans(user):
    """Bans the user may revoke: those kept in their own jurisdiction (not those kept above)."""
    from huxiao.gate.models import BanEntry

    return BanEntry.objects.visible_to(user)


@require("gate.add_banentry")
@require_http_methods(["GET", "POST"])
def ban_create(request):
    user = request.user

    def done(ban):
        messages.success(request, _("禁入名单已发布，辖区各校门卫登记时将自动比对。"))
        return redirect("gate:ban_detail", pk=ban.pk)

    return _form_page(
        request,
        BanForm(request.POST or None, user=user),
        "gate/ban_form.html",
        lambda data: services.ban_create(actor=user, **data),
        done,
    )


@require("gate.change_banentry")
@require_POST
def ban_revoke(request, pk: int):
    user = request.user
    ban = selectors.ban_get(user=user, pk=pk)
    if not _editable_bans(user).filter(pk=ban.pk).exists():
        raise Http404
    form = ReasonForm(request.POST)
    try:
        services.ban_revoke(ban=ban, actor=user, reason=form.data.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("禁入名单已撤销。"))
    return redirect("gate:ban_detail", pk=ban.pk)


# ---- passes ----------------------------------------------------------------------------------------


passes = ScopedList(
    permission="gate.view_pass",
    selector=lambda user: selectors.pass_list(user=user),
    filterset_class=PassFilterSet,
    template="gate/pass_list.html",
    export_filename=gettext_lazy("出入证"),
    object_type="gate.pass",
    columns=(
        Column(gettext_lazy("学校"), lambda p: p.school.organization.name),
        Column(gettext_lazy("类别"), lambda p: p.get_kind_display()),
        Column(gettext_lazy("证号"), lambda p: p.number),
        Column(gettext_lazy("持证人"), lambda p: p.holder),
        Column(gettext_lazy("车牌号"), lambda p: p.plate),
        Column(gettext_lazy("有效期起"), lambda p: p.valid_from),
        Column(gettext_lazy("有效期至"), lambda p: p.valid_until),
        Column(gettext_lazy("注销时间"), lambda p: local_time(p.revoked_at)),
        Column(gettext_lazy("注销原因"), lambda p: p.revoke_reason),
    ),
)
pass_export = passes.export_view


@require("gate.view_pass")
def pass_list(request):
    filterset, rows = passes.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "can_add": request.user.has_perm("gate.add_pass"),
        "today": timezone.localdate(),
    }
    return render(request, "gate/pass_list.html", context)


@require("gate.add_pass")
@require_http_methods(["GET", "POST"])
def pass_create(request):
    user = request.user

    def done(_pass):
        messages.success(request, _("出入证已登记。"))
        return redirect("gate:pass_list")

    return _form_page(
        request,
        PassForm(request.POST or None, user=user),
        "gate/pass_form.html",
        lambda data: services.pass_issue(actor=user, **data),
        done,
    )


@require("gate.change_pass")
@require_POST
def pass_revoke(request, pk: int):
    pass_ = selectors.pass_get(user=request.user, pk=pk)
    try:
        services.pass_revoke(pass_=pass_, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("出入证 %(n)s 已注销。") % {"n": pass_.number})
    return redirect("gate:pass_list")


# ---- vehicles --------------------------------------------------------------------------------------


vehicles = ScopedList(
    permission="gate.view_vehicleentry",
    selector=lambda user: selectors.vehicle_list(user=user),
    filterset_class=VehicleFilterSet,
    template="gate/vehicle_list.html",
    export_filename=gettext_lazy("车辆出入登记"),
    object_type="gate.vehicleentry",
    columns=(
        Column(gettext_lazy("学校"), lambda e: e.school.organization.name),
        Column(gettext_lazy("车牌号"), lambda e: e.plate),
        Column(gettext_lazy("驾驶人"), lambda e: e.driver),
        Column(gettext_lazy("事由"), lambda e: e.purpose),
        Column(gettext_lazy("出入证"), lambda e: e.pass_used.number if e.pass_used else ""),
        Column(gettext_lazy("入校时间"), lambda e: local_time(e.arrived_at)),
        Column(gettext_lazy("离校时间"), lambda e: local_time(e.left_at)),
        Column(gettext_lazy("登记人"), lambda e: _who(e.registered_by)),
    ),
)
vehicle_export = vehicles.export_view


@require("gate.view_vehicleentry")
def vehicle_list(request):
    filterset, rows = vehicles.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "can_add": request.user.has_perm("gate.add_vehicleentry"),
        "can_out": request.user.has_perm("gate.change_vehicleentry"),
    }
    return render(request, "gate/vehicle_list.html", context)


@require("gate.add_vehicleentry")
@require_http_methods(["GET", "POST"])
def vehicle_create(request):
    user = request.user

    def done(entry):
        if entry.pass_used_id:
            messages.success(
                request,
                _("%(plate)s 持有效车辆出入证（%(n)s），已登记入校。")
                % {"plate": entry.plate, "n": entry.pass_used.number},
            )
        else:
            messages.warning(
                request,
                _("%(plate)s 无有效车辆出入证，已按外来车辆登记入校。") % {"plate": entry.plate},
            )
        return redirect("gate:vehicle_list")

    return _form_page(
        request,
        VehicleForm(request.POST or None, user=user),
        "gate/vehicle_form.html",
        lambda data: services.vehicle_register(actor=user, **data),
        done,
    )


@require("gate.change_vehicleentry")
@require_POST
def vehicle_out(request, pk: int):
    entry = selectors.vehicle_get(user=request.user, pk=pk)
    try:
        services.vehicle_check_out(entry=entry, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(plate)s 已登记离校。") % {"plate": entry.plate})
    return redirect("gate:vehicle_list")


# ---- pick-ups --------------------------------------------------------------------------------------


def _log_pickup_read(request, rows, what: str) -> None:
    """Every read of pupils' pick-up lists is logged (issue 17 item 5: minors' data)."""
    audit.append(
        kind=AuditKind.ACCESS,
        action=AuditAction.VIEW if what == "page" else AuditAction.EXPORT,
        object_type="gate.pickup",
        object_repr=_("接送授权名单：%(n)d 条") % {"n": len(rows)},
        after={"ids": [p.pk for p in rows][:200], "query": request.GET.urlencode()[:200]},
        actor=request.user,
    )


pickups = ScopedList(
    permission="gate.view_pickup",
    selector=lambda user: selectors.pickup_list(user=user),
    filterset_class=PickupFilterSet,
    template="gate/pickup_list.html",
    export_filename=gettext_lazy("接送授权"),
    object_type="gate.pickup",
    columns=(
        Column(gettext_lazy("学校"), lambda p: p.school.organization.name),
        Column(gettext_lazy("班级"), lambda p: p.pupil_class),
        Column(gettext_lazy("学生姓名"), lambda p: p.pupil_name),
        Column(gettext_lazy("接送人"), lambda p: p.adult_name),
        Column(gettext_lazy("关系"), lambda p: p.relation),
        Column(gettext_lazy("接送人手机号"), lambda p: p._meta.get_field("phone").mask(p.phone)),
        Column(gettext_lazy("身份证后四位"), lambda p: p.id_tail),
        Column(gettext_lazy("有效期起"), lambda p: p.valid_from),
        Column(gettext_lazy("有效期至"), lambda p: p.valid_until),
        Column(gettext_lazy("撤销时间"), lambda p: local_time(p.revoked_at)),
    ),
)
pickup_export = pickups.export_view  # the export is recorded in the audit trail by ScopedList


@require("gate.view_pickup")
def pickup_list(request):
    filterset, rows = pickups.filter(request)
    page = page_of(request, rows)
    _log_pickup_read(request, list(page.object_list), "page")
    context = {
        "filter": filterset,
        "page_obj": page,
        "can_add": request.user.has_perm("gate.add_pickup"),
        "can_revoke": request.user.has_perm("gate.change_pickup"),
    }
    return render(request, "gate/pickup_list.html", context)


@require("gate.add_pickup")
@require_http_methods(["GET", "POST"])
def pickup_create(request):
    user = request.user

    def done(_pickup):
        messages.success(request, _("接送授权已登记。"))
        return redirect("gate:pickup_list")

    return _form_page(
        request,
        PickupForm(request.POST or None, user=user),
        "gate/pickup_form.html",
        lambda data: services.pickup_create(actor=user, **data),
        done,
    )


@require("gate.change_pickup")
@require_POST
def pickup_revoke(request, pk: int):
    pickup = selectors.pickup_get(user=request.user, pk=pk)
    try:
        services.pickup_revoke(pickup=pickup, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("接送授权已撤销。"))
    return redirect("gate:pickup_list")


@require("gate.check_pickup")
@require_http_methods(["GET", "POST"])
def pickup_check(request):
    user = request.user
    form = PickupCheckForm(request.POST or None, user=user)
    verdict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                allowed, answer = services.pickup_check(
                    school=data["school"],
                    actor=user,
                    pupil_name=data["pupil_name"],
                    pupil_class=data["pupil_class"],
                    adult_name=data["adult_name"],
                    id_tail=data["id_tail"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = _BAD
            else:
                verdict = {"allowed": allowed, "answer": answer}
        else:
            status = _BAD
    return render(
        request, "gate/pickup_check.html", {"form": form, "verdict": verdict}, status=status
    )


# ---- seizures --------------------------------------------------------------------------------------


seizures = ScopedList(
    permission="gate.view_seizure",
    selector=lambda user: selectors.seizure_list(user=user),
    filterset_class=SeizureFilterSet,
    template="gate/seizure_list.html",
    export_filename=gettext_lazy("收缴物品"),
    object_type="gate.seizure",
    columns=(
        Column(gettext_lazy("学校"), lambda s: s.school.organization.name),
        Column(gettext_lazy("收缴时间"), lambda s: local_time(s.seized_at)),
        Column(gettext_lazy("物品类别"), lambda s: s.get_category_display()),
        Column(gettext_lazy("物品描述"), lambda s: s.description),
        Column(gettext_lazy("数量"), lambda s: s.quantity),
        Column(gettext_lazy("收缴对象"), lambda s: s.get_seized_from_display()),
        Column(gettext_lazy("当事人"), lambda s: s.person_name),
        Column(gettext_lazy("状态"), lambda s: s.get_state_display()),
        Column(gettext_lazy("接收民警"), lambda s: _who(s.received_by)),
        Column(gettext_lazy("接收时间"), lambda s: local_time(s.received_at)),
        Column(gettext_lazy("公安处理情况"), lambda s: s.police_note),
    ),
)
seizure_export = seizures.export_view


@require("gate.view_seizure")
def seizure_list(request):
    filterset, rows = seizures.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "can_add": request.user.has_perm("gate.add_seizure"),
        "flagged": selectors.flagged_schools(user=request.user),
        "window": selectors.seizure_window(),
    }
    return render(request, "gate/seizure_list.html", context)


@require("gate.view_seizure")
def seizure_detail(request, pk: int):
    seizure = selectors.seizure_get(user=request.user, pk=pk)
    context = {
        "seizure": seizure,
        "photos": list(attachments_of(seizure, "photo")),
        "can_receive": request.user.has_perm("gate.receive_seizure")
        and seizure.state == "reported",
        "form": NoteForm(),
    }
    return render(request, "gate/seizure_detail.html", context)


@require("gate.add_seizure")
@require_http_methods(["GET", "POST"])
def seizure_create(request):
    user = request.user

    def write(data):
        data = {k: v for k, v in data.items() if k != "photo"}
        return services.seizure_record(actor=user, photos=_uploads(request), **data)

    def done(seizure):
        messages.success(request, _("收缴物品已登记，已通知辖区派出所接收。"))
        return redirect("gate:seizure_detail", pk=seizure.pk)

    return _form_page(
        request,
        SeizureForm(request.POST or None, request.FILES or None, user=user),
        "gate/seizure_form.html",
        write,
        done,
    )


@require("gate.receive_seizure")
@require_POST
def seizure_receive(request, pk: int):
    seizure = selectors.seizure_get(user=request.user, pk=pk)
    try:
        services.seizure_receive(
            seizure=seizure, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已确认接收收缴物品。"))
    return redirect("gate:seizure_detail", pk=seizure.pk)
