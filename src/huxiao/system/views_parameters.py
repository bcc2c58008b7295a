"""Pages of 参数设置: the business parameters the modules declare, their values in force, editing,
returning to the default, and the history of changes.

Parameters are platform-wide, so the pages read no data scope; every page needs
``core.change_parametervalue``, which only the system administrator holds (三权分立: the
security administrator and the auditor do not keep the platform's settings). A key in a URL
must be a declared parameter (else 404). A parameter the environment sets is shown with the
variable's name and cannot be edited here: the environment wins over the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core import modules, parameters
from huxiao.core.choices import AuditAction
from huxiao.core.exports import xlsx_response
from huxiao.core.forms import apply_service_errors
from huxiao.core.models import AuditRecord, ParameterValue
from huxiao.core.parameters import Parameter
from huxiao.core.views.generic import local_time, page_of, require
from huxiao.system.forms_parameters import (
    SOURCES,
    ParameterEditForm,
    ParameterHistoryFilter,
    ParameterListFilter,
)
from huxiao.system.services import parameters as services

CHANGE = "core.change_parametervalue"
OBJECT_TYPE = "core.parametervalue"
SOURCE_LABELS = dict(SOURCES)


def _spec(key: str) -> Parameter:
    try:
        return parameters.spec(key)
    except LookupError:
        raise Http404(_("没有这个参数。")) from None


def shown(spec: Parameter | None, value: Any) -> str:
    """A value as the page shows it: a choice's label, 是/否, （空） for an empty text."""
    if spec is not None and spec.kind == "bool":
        return _("是") if value else _("否")
    if spec is not None and spec.kind == "choice":
        return str(dict(spec.choices).get(str(value), value))
    if value is None or value == "":
        return _("（空）")
    return str(value)


# ---- the list ------------------------------------------------------------------------------


def _rows(request):
    """Every declared parameter with its value in force and where it comes from, filtered."""
    declared = [(m, p) for m in modules.installed() for p in m.parameters]
    module_choices = list(dict.fromkeys((m.label, str(m.name)) for m, _p in declared))
    form = ParameterListFilter(request.GET or None, modules=module_choices)
    q = module = source = ""
    if form.is_bound:
        if not form.is_valid():
            return form, []
        data = form.cleaned_data
        q, module, source = data["q"].strip(), data["module"], data["source"]
    # Read here, not through the cache: the page shows what is stored now.
    saved = {v.key: v for v in ParameterValue.objects.select_related("updated_by")}
    rows = []
    for m, p in declared:
        if module and m.label != module:
            continue
        if q and q.lower() not in str(p.label).lower() and q.lower() not in p.key.lower():
            continue
        record = saved.get(p.key)
        origin = "env" if p.env_overrides else ("saved" if record else "default")
        if source and origin != source:
            continue
        value = record.value if origin == "saved" else p.default
        rows.append(
            {
                "spec": p,
                "module": str(m.name),
                "group": str(p.group) or _("其他"),
                "value": shown(p, value),
                "default": "" if origin == "env" else shown(p, p.default),
                "source": origin,
                "source_label": SOURCE_LABELS[origin],
                "note": services.env_refusal(p),
                "record": record,
            }
        )
    return form, rows


def _sections(rows):
    """Rows grouped by module, then by group, in declaration order."""
    sections: dict[str, dict[str, list]] = {}
    for row in rows:
        sections.setdefault(row["module"], {}).setdefault(row["group"], []).append(row)
    return [
        {"module": module, "groups": [{"name": g, "rows": r} for g, r in groups.items()]}
        for module, groups in sections.items()
    ]


@require(CHANGE)
def parameter_list(request):
    form, rows = _rows(request)
    context = {"filter": form, "sections": _sections(rows), "count": len(rows)}
    return render(request, "system/parameter_list.html", context)


@require(CHANGE)
def parameter_export(request):
    form, rows = _rows(request)
    headers = [
        _("所属模块"), _("分组"), _("参数"), _("编码"), _("当前值"), pgettext("unit of measure", "单位"), _("默认值"),
        _("来源"), _("环境变量"), _("修改人"), _("修改时间"), _("说明"),
    ]  # fmt: skip
    return xlsx_response(
        request=request,
        filename=_("参数设置"),
        headers=headers,
        rows=(
            (
                r["module"], r["group"], str(r["spec"].label), r["spec"].key, r["value"],
                str(r["spec"].unit), r["default"], r["source_label"], r["spec"].env,
                _who(r["record"].updated_by) if r["record"] else "",
                local_time(r["record"].updated_at) if r["record"] else None,
                str(r["spec"].help),
            )
            for r in rows
        ),
        object_type=OBJECT_TYPE,
        filters=form.active_filters,
    )  # fmt: skip


def _who(user) -> str:
    if user is None:
        return ""
    name = getattr(user, "full_name", "")
    return f"{name}（{user.username}）" if name else user.username


# ---- edit and reset ------------------------------------------------------------------------


@require(CHANGE)
@require_http_methods(["GET", "POST"])
def parameter_edit(request, key: str):
    spec = _spec(key)
    record = ParameterValue.objects.select_related("updated_by").filter(key=key).first()
    refusal = services.env_refusal(spec)
    current = parameters.get(key) if not record or refusal else record.value
    initial = {"value": ("1" if current else "0") if spec.kind == "bool" else current}
    posted = request.method == "POST"
    form = (
        ParameterEditForm(request.POST, spec=spec)
        if posted
        else ParameterEditForm(initial=initial, spec=spec)
    )
    status = 200
    if posted:
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
            status = 409
        elif form.is_valid():
            try:
                services.parameter_set(key=key, raw=form.cleaned_data["value"], actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("参数“%(label)s”已保存，立即生效。") % {"label": spec.label}
                )
                return redirect("system:parameter_list")
            status = 400
        else:
            status = 400
    context = {
        "spec": spec,
        "form": form,
        "record": record,
        "refusal": refusal,
        "value": shown(spec, current),
        "default": shown(spec, spec.default),
        "source": "env" if refusal else ("saved" if record else "default"),
    }
    return render(request, "system/parameter_form.html", context, status=status)


@require(CHANGE)
@require_POST
def parameter_reset(request, key: str):
    spec = _spec(key)
    if services.parameter_reset(key=key, actor=request.user):
        messages.success(request, _("参数“%(label)s”已恢复默认值。") % {"label": spec.label})
    else:
        messages.info(request, _("参数“%(label)s”本来就是默认值。") % {"label": spec.label})
    return redirect("system:parameter_list")


# ---- history -------------------------------------------------------------------------------


def _change(record: AuditRecord, specs: dict[str, Parameter]) -> dict:
    spec = specs.get(record.object_repr)
    before, after = record.before or {}, record.after or {}
    default = _("默认值")
    if record.action == AuditAction.CREATE:
        old, new, what = default, shown(spec, after.get("value")), _("设置")
    elif record.action == AuditAction.DELETE:
        old, new, what = shown(spec, before.get("value")), default, _("恢复默认")
    else:
        old = shown(spec, before.get("value")) if "value" in before else "—"
        new = shown(spec, after.get("value")) if "value" in after else "—"
        what = _("修改")
    return {
        "record": record,
        "spec": spec,
        "label": str(spec.label) if spec else record.object_repr,
        "what": what,
        "old": old,
        "new": new,
        "who": _who(record.actor) if record.actor else record.actor_name,
    }


def _history(request):
    specs = {p.key: p for p in parameters.declared()}
    form = ParameterHistoryFilter(request.GET or None, specs=list(specs.values()))
    records = AuditRecord.objects.filter(object_type=OBJECT_TYPE).select_related("actor")
    if form.is_bound:
        if not form.is_valid():
            return form, specs, records.none()
        if form.cleaned_data["key"]:
            records = records.filter(object_repr=form.cleaned_data["key"])
        if form.cleaned_data["actor"].strip():
            records = records.filter(actor_name__icontains=form.cleaned_data["actor"].strip())
    return form, specs, records.order_by("-seq")


@require(CHANGE)
def parameter_history(request):
    form, specs, records = _history(request)
    page_obj = page_of(request, records)
    changes = [_change(r, specs) for r in page_obj]
    context = {"filter": form, "page_obj": page_obj, "changes": changes}
    return render(request, "system/parameter_history.html", context)


@require(CHANGE)
def parameter_history_export(request):
    form, specs, records = _history(request)
    changes = (_change(r, specs) for r in records.iterator(chunk_size=2000))
    return xlsx_response(
        request=request,
        filename=_("参数修改记录"),
        headers=[_("时间"), _("修改人"), _("参数"), _("编码"), _("操作"), _("原值"), _("新值"), _("IP地址")],
        rows=(
            (local_time(c["record"].ts), c["who"], c["label"], c["record"].object_repr,
             c["what"], c["old"], c["new"], c["record"].ip)
            for c in changes
        ),
        object_type=OBJECT_TYPE,
        filters=form.active_filters,
    )  # fmt: skip
