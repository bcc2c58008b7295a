"""Pages of the schools module: the list, a school's 三防 card and rule results, its edit
form, and its guards, devices and equipment.

Reads start from the user's scope (``School.objects.visible_to`` and the same for guards and
devices): a school, guard or device out of scope answers 404 exactly like a missing id, and a
page the role may not open answers 403. Writes go through ``services``; a refused write
shows the service's message on the form and answers 400. Lists are ``ScopedList``s, so each
exports the rows on screen, masked as on screen, and records the export.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core import crypto, dictionaries
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import (
    Column,
    ScopedList,
    page_of,
    require,
)
from huxiao.schools import compliance, rules, selectors, services
from huxiao.schools.choices import DEVICE_KIND, AntiCollisionKind
from huxiao.schools.filtersets import SchoolFilterSet, rule_titles
from huxiao.schools.forms import (
    SchoolForm,
    equipment_kinds,
)
from huxiao.schools.models import Device, Guard, School
from huxiao.schools.policy import current as current_policy

VIEW_SCHOOL = "schools.view_school"
CHANGE_SCHOOL = "schools.change_school"

# Two characters per rule for the list's badge row; the full title is the badge's tooltip.
RULE_SHORT = {
    "staffing": gettext_lazy("配备"),
    "certificates": gettext_lazy("持证"),
    "guard_age": gettext_lazy("年龄"),
    "closed_management": gettext_lazy("封闭"),
    "alarm_networked": gettext_lazy("报警"),
    "video_networked": gettext_lazy("视频"),
    "guard_post": gettext_lazy("护学"),
    "anti_collision": gettext_lazy("防撞"),
    "camera_retention": gettext_lazy("录像"),
    "equipment_kit": gettext_lazy("装备"),
    "duty_24h": gettext_lazy("值守"),
}


# ---- reads ---------------------------------------------------------------------------------


def school_queryset(user):
    """The schools ``user`` may see, with their facts and rule statuses (one row each)."""
    return selectors.school_list(user=user)


def school_get(user, pk: int) -> School:
    """Out of scope answers 404, exactly as a missing id does."""
    return selectors.school_get(user=user, pk=pk)


def guard_get(user, school: School, pk: int) -> Guard:
    return selectors.guard_get(user=user, school=school, pk=pk)


def device_get(user, school: School, pk: int) -> Device:
    return selectors.device_get(user=user, school=school, pk=pk)


def school_permissions(user) -> dict[str, bool]:
    """Which tabs and buttons the user's role shows (the views check the same permissions)."""
    perms = user.get_all_permissions()

    def has(perm):
        return user.is_superuser or perm in perms

    return {
        "can_change_school": has(CHANGE_SCHOOL),
        "can_view_guards": has("schools.view_guard"),
        "can_add_guard": has("schools.add_guard"),
        "can_change_guard": has("schools.change_guard"),
        "can_delete_guard": has("schools.delete_guard"),
        "can_view_devices": has("schools.view_device"),
        "can_add_device": has("schools.add_device"),
        "can_change_device": has("schools.change_device"),
        "can_delete_device": has("schools.delete_device"),
        "can_view_equipment": has("schools.view_equipmentstock"),
        "can_change_equipment": has("schools.change_equipmentstock"),
    }


def _status_label(status: str) -> str:
    return str(rules.STATUS_LABELS[status])


@dataclass(frozen=True)
class Badge:
    code: str
    short: str
    title: str
    status: str

    @property
    def label(self) -> str:
        return _status_label(self.status)


def _badges(school: School, titles: dict[str, str]) -> list[Badge]:
    return [
        Badge(code, str(RULE_SHORT[code]), titles[code], getattr(school, f"{code}_status"))
        for code in rules.RULE_CODES
    ]


# ---- the school list -----------------------------------------------------------------------


class _RuleHeader:
    """A rule's title as an export header, read from the policy when the export runs."""

    def __init__(self, code: str):
        self.code = code

    def __str__(self) -> str:
        return rule_titles()[self.code]


def _rule_column(code: str) -> Column:
    return Column(_RuleHeader(code), lambda s: _status_label(getattr(s, f"{code}_status")))


def _name(org) -> str:
    return org.name if org else ""


schools = ScopedList(
    permission=VIEW_SCHOOL,
    selector=school_queryset,
    filterset_class=SchoolFilterSet,
    template="schools/school_list.html",
    export_filename=gettext_lazy("学校列表"),
    object_type="schools.school",
    columns=(
        Column(gettext_lazy("学校名称"), lambda s: s.organization.name),
        Column(gettext_lazy("学校标识码"), lambda s: s.school_code),
        Column(gettext_lazy("学段"), lambda s: s.get_level_display()),
        Column(gettext_lazy("办学性质"), lambda s: s.get_ownership_display()),
        Column(gettext_lazy("城乡类型"), lambda s: s.get_locality_display()),
        Column(gettext_lazy("寄宿制"), lambda s: s.is_boarding),
        Column(gettext_lazy("寄宿生人数"), lambda s: s.boarders),
        Column(gettext_lazy("学生人数"), lambda s: s.students),
        Column(gettext_lazy("教职工人数"), lambda s: s.staff),
        Column(gettext_lazy("保安实有"), lambda s: s.guards_active),
        Column(gettext_lazy("保安应配"), lambda s: s.required_guards),
        Column(gettext_lazy("派出所"), lambda s: _name(s.organization.parent)),
        Column(gettext_lazy("主管教育局"), lambda s: _name(s.organization.education_bureau)),
        Column(gettext_lazy("校长"), lambda s: s.principal_name),
        Column(gettext_lazy("校长电话"), lambda s: crypto.mask_phone(s.principal_phone or "")),
        Column(gettext_lazy("安保负责人"), lambda s: s.security_chief_name),
        Column(
            gettext_lazy("安保负责人电话"),
            lambda s: crypto.mask_phone(s.security_chief_phone or ""),
        ),
        Column(gettext_lazy("法制副校长"), lambda s: s.legal_vice_principal),
        *(_rule_column(code) for code in rules.RULE_CODES),
    ),
)
school_export = schools.export_view


@require(VIEW_SCHOOL)
def school_list(request):
    filterset, queryset = schools.filter(request)
    page_obj = page_of(request, queryset)
    titles = rule_titles()
    page_obj.object_list = list(page_obj.object_list)
    for school in page_obj.object_list:
        school.badges = _badges(school, titles)
        school.failing_count = sum(b.status == rules.FAIL for b in school.badges)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "rule_legend": [(str(RULE_SHORT[code]), titles[code]) for code in rules.RULE_CODES],
    }
    return render(request, "schools/school_list.html", context)


# ---- a school ------------------------------------------------------------------------------


def _device_summary(user, school: School) -> list[dict]:
    rows = (
        Device.objects.visible_to(user)
        .filter(school=school)
        .order_by()
        .values("kind")
        .annotate(
            total=Count("pk"),
            police=Count("pk", filter=Q(networked_police=True)),
            education=Count("pk", filter=Q(networked_education=True)),
            online=Count("pk", filter=Q(is_online=True)),
        )
    )
    by_kind = {row["kind"]: row for row in rows}
    # The enabled kinds of 字典管理, in their order, and a disabled one while the school still
    # has devices of it.
    return [
        {
            "kind": e.code,
            "label": e.label,
            **by_kind.get(e.code, {"total": 0, "police": 0, "education": 0, "online": 0}),
        }
        for e in dictionaries.entries(DEVICE_KIND)
        if e.is_enabled or e.code in by_kind
    ]


def kit_rows(stock: dict[str, int], policy) -> list[dict]:
    rows = []
    for item, label in equipment_kinds(stock, policy):
        need = policy.min_kit.get(item, 0)
        have = stock.get(item, 0)
        rows.append(
            {
                "item": item,
                "label": label,
                "need": need,
                "have": have,
                "ok": have >= need,
                "short": max(need - have, 0),
            }
        )
    return rows


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _result_row(result: rules.RuleResult) -> dict:
    return {
        "code": result.code,
        "title": result.title,
        "status": result.status,
        "status_label": str(result.status_label),
        "required": _shown(result.required),
        "actual": _shown(result.actual),
        "detail": result.detail,
        "source": result.source,
        "reading": result.reading,
    }


@require(VIEW_SCHOOL)
def school_detail(request, pk: int):
    user = request.user
    school = school_get(user, pk)
    policy = current_policy()
    facts = compliance.facts_for(school, policy)
    results = rules.evaluate(facts, policy)
    by_code = {r.code: r for r in results}
    context = {
        "school": school,
        "org": school.organization,
        "facts": facts,
        "policy": policy,
        "required_guards": rules.required_guards(facts, policy),
        "results": [_result_row(r) for r in results],
        "r": by_code,
        "failing": sum(r.status == rules.FAIL for r in results),
        "devices": _device_summary(user, school),
        "anti_collision": [
            AntiCollisionKind(v).label
            for v in school.anti_collision or []
            if v in AntiCollisionKind.values
        ],
        "principal_phone": crypto.mask_phone(school.principal_phone or ""),
        "security_chief_phone": crypto.mask_phone(school.security_chief_phone or ""),
        "tab": "overview",
        **school_permissions(user),
    }
    return render(request, "schools/school_detail.html", context)


@require(CHANGE_SCHOOL)
@require_http_methods(["GET", "POST"])
def school_edit(request, pk: int):
    user = request.user
    school = school_get(user, pk)
    if request.method != "POST":
        form = SchoolForm(instance=school, user=user)
        return _render_school_form(request, school, form)
    form = SchoolForm(request.POST, instance=school, user=user)
    if form.is_valid():
        try:
            services.school_update(school=school, **form.changes())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("学校信息已保存。"))
            return redirect("schools:school_detail", pk=school.pk)
    # The service may have changed the instance in memory before refusing; show the stored one.
    return _render_school_form(request, school_get(user, pk), form, status=400)


def _render_school_form(request, school, form, status=200):
    context = {"school": school, "form": form, "tab": "edit", **school_permissions(request.user)}
    return render(request, "schools/school_form.html", context, status=status)
