"""Pages of 字典管理: the dictionaries the modules declare, their entries, adding, editing,
disabling and deleting entries.

Dictionaries are platform-wide (the lists every unit chooses from), so the pages read no data
scope: reading needs ``core.view_dictionaryitem``, writing the add/change/delete permissions
the system administrator holds. A dictionary code in a URL must be a declared one (else 404),
and an entry is looked up inside its dictionary, so ``/<other dictionary>/<id>/`` is 404 too.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core import dictionaries, modules
from huxiao.core.exports import xlsx_response
from huxiao.core.forms import apply_service_errors
from huxiao.core.models import DictionaryItem
from huxiao.core.views.generic import filtered, page_of, require
from huxiao.system.forms_dictionaries import (
    DictionaryItemCreateForm,
    DictionaryItemEditForm,
    DictionaryItemFilterSet,
    DictionaryListFilter,
)
from huxiao.system.services import dictionaries as services

VIEW = "core.view_dictionaryitem"
ADD = "core.add_dictionaryitem"
CHANGE = "core.change_dictionaryitem"
DELETE = "core.delete_dictionaryitem"


def _spec(code: str) -> dictionaries.Dictionary:
    try:
        return dictionaries.spec(code)
    except LookupError:
        raise Http404(_("没有这个字典。")) from None


def _item(spec, pk: int) -> DictionaryItem:
    return get_object_or_404(DictionaryItem, dictionary=spec.code, pk=pk)


# ---- the dictionaries ----------------------------------------------------------------------


def _rows(request):
    """Every declared dictionary with its module and counts, filtered as asked."""
    counts = {
        row["dictionary"]: row
        for row in DictionaryItem.objects.values("dictionary").annotate(
            total=Count("id"), enabled=Count("id", filter=Q(is_enabled=True))
        )
    }
    declared = [(m, d) for m in modules.installed() for d in m.dictionaries]
    module_choices = list(dict.fromkeys((m.label, str(m.name)) for m, _d in declared))
    form = DictionaryListFilter(request.GET or None, modules=module_choices)
    q = module = ""
    if form.is_bound:
        if not form.is_valid():
            return form, []
        q, module = form.cleaned_data["q"].strip(), form.cleaned_data["module"]
    rows = []
    for m, d in declared:
        if module and m.label != module:
            continue
        if q and q not in str(d.name) and q not in d.code:
            continue
        count = counts.get(d.code, {})
        rows.append(
            {
                "spec": d,
                "module": str(m.name),
                "total": count.get("total", 0),
                "enabled": count.get("enabled", 0),
            }
        )
    return form, rows


@require(VIEW)
def dictionary_list(request):
    form, rows = _rows(request)
    return render(request, "system/dictionary_list.html", {"filter": form, "rows": rows})


@require(VIEW)
def dictionary_list_export(request):
    form, rows = _rows(request)
    return xlsx_response(
        request=request,
        filename=_("字典列表"),
        headers=[_("字典名称"), _("字典编码"), _("所属模块"), _("字典项数"), _("启用项数"), _("说明")],
        rows=(
            (str(r["spec"].name), r["spec"].code, r["module"], r["total"], r["enabled"],
             str(r["spec"].description))
            for r in rows
        ),
        object_type="core.dictionaryitem",
        filters=form.active_filters,
    )  # fmt: skip


# ---- one dictionary's entries --------------------------------------------------------------


def _entries(request, spec):
    filterset = DictionaryItemFilterSet(
        request.GET,
        queryset=DictionaryItem.objects.filter(dictionary=spec.code).order_by("sort_order", "id"),
        request=request,
    )
    return filterset, filtered(filterset)


@require(VIEW)
def dictionary_detail(request, code: str):
    spec = _spec(code)
    filterset, queryset = _entries(request, spec)
    context = {
        "spec": spec,
        "filter": filterset,
        "page_obj": page_of(request, queryset),
        "can_add": request.user.has_perm(ADD),
        "can_change": request.user.has_perm(CHANGE),
    }
    return render(request, "system/dictionary_detail.html", context)


ENTRY_HEADERS = (
    gettext_lazy("编码"),
    gettext_lazy("名称"),
    gettext_lazy("排序"),
    gettext_lazy("启用"),
    gettext_lazy("内置"),
    gettext_lazy("备注"),
    gettext_lazy("更新时间"),
)


@require(VIEW)
def dictionary_export(request, code: str):
    spec = _spec(code)
    filterset, queryset = _entries(request, spec)
    return xlsx_response(
        request=request,
        filename=str(spec.name),
        headers=[str(h) for h in ENTRY_HEADERS],
        rows=(
            (i.code, i.label, i.sort_order, i.is_enabled, i.is_builtin, i.note, i.updated_at)
            for i in queryset
        ),
        object_type="core.dictionaryitem",
        filters={"dictionary": spec.code, **filterset.active_filters},
    )


# ---- writes --------------------------------------------------------------------------------


@require(ADD)
@require_http_methods(["GET", "POST"])
def dictionary_item_create(request, code: str):
    spec = _spec(code)
    posted = request.method == "POST"
    form = DictionaryItemCreateForm(request.POST) if posted else DictionaryItemCreateForm()
    if posted:
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.dictionary_item_create(spec=spec, **data, actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已添加字典项“%(label)s”。") % {"label": item.label})
                return redirect("system:dictionary_detail", code=spec.code)
        status = 400
    else:
        status = 200
    context = {"spec": spec, "form": form, "item": None}
    return render(request, "system/dictionary_item_form.html", context, status=status)


@require(CHANGE)
@require_http_methods(["GET", "POST"])
def dictionary_item_edit(request, code: str, pk: int):
    spec = _spec(code)
    item = _item(spec, pk)
    initial = {
        "label": item.label,
        "sort_order": item.sort_order,
        "is_enabled": item.is_enabled,
        "note": item.note,
    }
    posted = request.method == "POST"
    form = (
        DictionaryItemEditForm(request.POST) if posted else DictionaryItemEditForm(initial=initial)
    )
    status = 200
    if posted:
        if form.is_valid():
            try:
                services.dictionary_item_update(item=item, **form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("字典项已保存。"))
                return redirect("system:dictionary_detail", code=spec.code)
        status = 400
    context = {
        "spec": spec,
        "form": form,
        "item": item,
        "used": services.usage_count(spec, item.code),
        "delete_refusal": services.delete_refusal(spec, item),
        "can_delete": request.user.has_perm(DELETE),
    }
    return render(request, "system/dictionary_item_form.html", context, status=status)


@require(DELETE)
@require_POST
def dictionary_item_delete(request, code: str, pk: int):
    spec = _spec(code)
    item = _item(spec, pk)
    try:
        services.dictionary_item_delete(spec=spec, item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("system:dictionary_item_edit", code=spec.code, pk=item.pk)
    messages.success(request, _("已删除字典项“%(label)s”。") % {"label": item.label})
    return redirect("system:dictionary_detail", code=spec.code)
