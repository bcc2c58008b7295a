"""Pages of 单位管理: the organisation tree (expand/collapse, search, kind filter, export), a
child of a node, a node's edit form and its move (a preview of what moves, then confirm).

``core.add_organization`` opens the pages, ``core.change_organization`` edits and moves. Every
node is looked up in the actor's scope: one outside it answers 404 like a missing id.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from huxiao.core.choices import OrgKind
from huxiao.core.exports import xlsx_response
from huxiao.core.forms import apply_service_errors
from huxiao.core.selectors import organization_get
from huxiao.core.views.generic import require
from huxiao.system import rules
from huxiao.system import selectors_organizations as selectors
from huxiao.system.forms_organizations import (
    MoveForm,
    OrganizationCreateForm,
    OrganizationEditForm,
    TreeFilterForm,
)
from huxiao.system.services import organizations as services

ADD = "core.add_organization"
CHANGE = "core.change_organization"


def _may_change(user) -> None:
    if not user.has_perm(CHANGE):
        raise PermissionDenied


# ---- the tree --------------------------------------------------------------------------------


@require(ADD)
@require_GET
def organization_tree(request):
    user = request.user
    filters = TreeFilterForm(request.GET or None)
    q, kind = filters.values()
    searching = bool(q or kind)
    if searching:
        nodes, total = selectors.tree_search(user=user, q=q, kind=kind)
    else:
        nodes, total = selectors.tree_roots(user=user), None
    context = {
        "filter_form": filters,
        "nodes": nodes,
        "searching": searching,
        "total": total,
        "limit": selectors.SEARCH_LIMIT,
        "can_change": user.has_perm(CHANGE),
    }
    return render(request, "system/organization_tree.html", context)


@require(ADD)
@require_GET
def organization_children(request, pk: int):
    """The children of one node, fetched when it is expanded (htmx)."""
    user = request.user
    org = organization_get(user=user, pk=pk)
    context = {
        "nodes": selectors.tree_children(user=user, org=org),
        "can_change": user.has_perm(CHANGE),
    }
    return render(request, "system/organization_tree_nodes.html", context)


EXPORT_HEADERS = (
    gettext_lazy("单位代码"),
    gettext_lazy("名称"),
    gettext_lazy("简称"),
    gettext_lazy("类型"),
    gettext_lazy("上级单位代码"),
    gettext_lazy("上级单位"),
    gettext_lazy("行政区划代码"),
    gettext_lazy("主管教育局代码"),
    gettext_lazy("机关代字"),
    gettext_lazy("地址"),
    gettext_lazy("纬度"),
    gettext_lazy("经度"),
    gettext_lazy("启用"),
    gettext_lazy("排序"),
    gettext_lazy("层级"),
)


@require(ADD)
@require_GET
def organization_export(request):
    """The organisations found (all in scope with no filter), depth-first, each with its
    parent's code: the sheet can be read back to rebuild the tree."""
    user = request.user
    filters = TreeFilterForm(request.GET or None)
    q, kind = filters.values()
    qs = selectors.search_queryset(user=user, q=q, kind=kind)
    rows = (
        (
            o.code,
            o.name,
            o.short_name,
            o.get_kind_display(),
            o.parent.code if o.parent else "",
            o.parent.name if o.parent else "",
            o.division_code,
            o.education_bureau.code if o.education_bureau else "",
            o.doc_prefix,
            o.address,
            o.latitude,
            o.longitude,
            o.is_active,
            o.sort_order,
            o.depth,
        )
        for o in qs.iterator(chunk_size=2000)
    )
    return xlsx_response(
        request=request,
        filename=_("单位树"),
        headers=[str(h) for h in EXPORT_HEADERS],
        rows=rows,
        object_type="core.organization",
        filters={k: v for k, v in (("q", q), ("kind", kind)) if v},
    )


# ---- create a child --------------------------------------------------------------------------


@require(ADD)
@require_http_methods(["GET", "POST"])
def organization_create(request, pk: int):
    user = request.user
    parent = organization_get(user=user, pk=pk)
    allowed = rules.child_kinds(parent.kind)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in allowed:
        # No kind chosen yet (or one this parent cannot hold): offer the ones it can.
        context = {
            "parent": parent,
            "kinds": [(k, OrgKind(k).label) for k in allowed],
            "refused": kind if kind else "",
            "refusal": services.kind_refusal(parent, kind) if kind in OrgKind.values else "",
        }
        status = 400 if request.method == "POST" else 200
        return render(request, "system/organization_kind.html", context, status=status)
    if request.method != "POST":
        form = OrganizationCreateForm(user=user, parent=parent, kind=kind)
        return _render_create(request, parent, form, kind)
    form = OrganizationCreateForm(request.POST, user=user, parent=parent, kind=kind)
    if form.is_valid():
        try:
            org = services.organization_add_child(
                parent=parent,
                actor=user,
                kind=kind,
                school=form.school_values(),
                **form.org_values(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"station": "kind"})
        else:
            if kind == OrgKind.SCHOOL:
                messages.success(request, _("学校已登记，学校台账中已有该校。"))
            else:
                messages.success(request, _("单位已新增。"))
            return redirect(f"{reverse('system:organization_tree')}?q={org.code}")
    return _render_create(request, parent, form, kind, status=400)


def _render_create(request, parent, form, kind, status=200):
    context = {"parent": parent, "form": form, "kind": kind, "kind_label": OrgKind(kind).label}
    return render(request, "system/organization_form.html", context, status=status)


# ---- edit ------------------------------------------------------------------------------------


@require(ADD)
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    user = request.user
    org = organization_get(user=user, pk=pk)
    _may_change(user)
    if request.method != "POST":
        form = OrganizationEditForm(user=user, org=org)
        return _render_edit(request, org, form)
    form = OrganizationEditForm(request.POST, user=user, org=org)
    if form.is_valid():
        try:
            services.organization_edit(org=org, actor=user, **form.changes())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("单位信息已保存。"))
            return redirect(f"{reverse('system:organization_tree')}?q={org.code}")
    return _render_edit(request, organization_get(user=user, pk=pk), form, status=400)


def _render_edit(request, org, form, status=200):
    context = {"org": org, "form": form}
    return render(request, "system/organization_edit.html", context, status=status)


# ---- move ------------------------------------------------------------------------------------


@require(ADD)
@require_http_methods(["GET", "POST"])
def organization_move(request, pk: int):
    """GET: choose the new parent; POST: the preview; POST with ``confirm``: the move."""
    user = request.user
    org = organization_get(user=user, pk=pk)
    _may_change(user)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = MoveForm(data, user=user, org=org)
    context = {"org": org, "form": form, "preview": None}
    if data is None or not form.is_valid():
        return render(
            request, "system/organization_move.html", context, status=400 if data else 200
        )
    new_parent = form.cleaned_data["new_parent"]
    preview = selectors.move_preview(org=org, new_parent=new_parent, actor=user)
    context["preview"] = preview
    if request.method != "POST" or "confirm" not in request.POST or not preview.allowed:
        status = 200 if preview.allowed else 400
        return render(request, "system/organization_move.html", context, status=status)
    try:
        services.organization_relocate(org=org, new_parent=new_parent, actor=user)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return render(request, "system/organization_move.html", context, status=400)
    messages.success(
        request,
        _("“%(org)s”已调整到“%(parent)s”之下。") % {"org": org.name, "parent": new_parent.name},
    )
    return redirect(f"{reverse('system:organization_tree')}?q={org.code}")
