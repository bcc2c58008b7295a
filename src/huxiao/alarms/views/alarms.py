"""Alarm pages: the list (filterable, exportable, with the median time to 签收 of the rows it
shows) and an alarm's page with the buttons of the response clock.

Reads go through ``alarms.selectors`` (404 out of scope, 403 without the permission); each step
posts to ``/alarms/<pk>/<action>/`` and calls ``services.alarm_transition``: a refusal (an
illegal step, a missing unit or result) is shown on the page in Chinese with status 400 and
nothing written. The school and its education bureau see the page read-only, without the
police-only details.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huxiao.alarms import rules, selectors, services
from huxiao.alarms.choices import AlarmAction
from huxiao.alarms.filtersets import AlarmFilterSet
from huxiao.alarms.forms import CloseForm, DispatchForm, StepForm
from huxiao.alarms.models import AlarmEvent
from huxiao.core.exports import xlsx_response
from huxiao.core.views.generic import Column, local_time, page_of, require

VIEW = "alarms.view_alarmevent"


def _minutes(start, end):
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


COLUMNS = (
    Column(gettext_lazy("接警时间"), lambda a: local_time(a.received_at)),
    Column(gettext_lazy("学校"), lambda a: a.school.organization.name),
    Column(gettext_lazy("报警类型"), lambda a: a.get_kind_display()),
    Column(gettext_lazy("报警位置"), lambda a: a.place),
    Column(gettext_lazy("状态"), lambda a: a.get_state_display()),
    Column(gettext_lazy("签收时间"), lambda a: local_time(a.acknowledged_at)),
    Column(gettext_lazy("签收用时（分钟）"), lambda a: _minutes(a.received_at, a.acknowledged_at)),
    Column(gettext_lazy("派警时间"), lambda a: local_time(a.dispatched_at)),
    Column(gettext_lazy("到场时间"), lambda a: local_time(a.on_scene_at)),
    Column(gettext_lazy("处置完毕时间"), lambda a: local_time(a.closed_at)),
    Column(gettext_lazy("处置结果"), lambda a: a.get_result_display()),
)
POLICE_COLUMNS = (
    Column(gettext_lazy("出警单位"), lambda a: dispatched_unit(a)),
    Column(gettext_lazy("处置情况"), lambda a: a.close_note),
)


def dispatched_unit(alarm: AlarmEvent) -> str:
    if alarm.dispatch_unit:
        return alarm.dispatch_unit
    if alarm.dispatch_patrol_id:
        return _("巡逻记录 #%(n)s") % {"n": alarm.dispatch_patrol_id}
    return ""


def _filtered(request):
    filterset = AlarmFilterSet(
        request.GET, queryset=selectors.alarm_list(user=request.user), request=request
    )
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, rows


STEP_TESTIDS = {"acknowledge": "ack", "dispatch": "dispatch", "on_scene": "on-scene"}


def response_readings(minutes: dict[str, list[float]]) -> list[dict]:
    """The median and p90 minutes to 签收, 派警 and 到场 of the rows shown (``minutes``: from
    ``selectors.response_minutes_by_step``): what the response-time figures read."""
    out = []
    for step, testid in STEP_TESTIDS.items():
        out.append(
            {
                "label": rules.TRANSITIONS[step].label,
                "testid": testid,
                "median": rules.percentile(minutes[step], rules.STATISTICS["median"]),
                "p90": rules.percentile(minutes[step], rules.STATISTICS["p90"]),
            }
        )
    return out


@require(VIEW)
def alarm_list(request):
    filterset, rows = _filtered(request)
    minutes = selectors.response_minutes_by_step(rows)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "median_ack": rules.percentile(minutes["acknowledge"], rules.STATISTICS["median"]),
        "acknowledged_count": len(minutes["acknowledge"]),
        "response": response_readings(minutes),
    }
    return render(request, "alarms/alarm_list.html", context)


@require(VIEW)
def alarm_export(request):
    filterset, rows = _filtered(request)
    columns = COLUMNS + (POLICE_COLUMNS if selectors.shows_police_details(request.user) else ())
    values = [c.for_export() for c in columns]
    return xlsx_response(
        request=request,
        filename=str(gettext_lazy("报警事件")),
        headers=[str(c.header) for c in columns],
        rows=(tuple(v(a) for v in values) for a in rows.iterator(chunk_size=2000)),
        object_type="alarms.alarmevent",
        filters=filterset.active_filters,
    )


def _render_detail(request, alarm: AlarmEvent, status: int = 200, **forms):
    user = request.user
    actions = selectors.alarm_actions(user=user, alarm=alarm)
    refusals = [
        str(e) for f in forms.values() for e in (f.non_field_errors() if f is not None else ())
    ]
    context = {
        "alarm": alarm,
        "police": selectors.shows_police_details(user),
        "actions": actions,
        "labels": {a: rules.TRANSITIONS[a].label for a in actions},
        "dispatch_form": forms.get("dispatch") or DispatchForm(user=user),
        "close_form": forms.get("close") or CloseForm(),
        "refusals": refusals,
        "unit": dispatched_unit(alarm),
        "escalations": selectors.alarm_escalations(alarm=alarm),
        "minutes": {
            "ack": _minutes(alarm.received_at, alarm.acknowledged_at),
            "dispatch": _minutes(alarm.received_at, alarm.dispatched_at),
            "scene": _minutes(alarm.received_at, alarm.on_scene_at),
            "close": _minutes(alarm.received_at, alarm.closed_at),
        },
    }
    return render(request, "alarms/alarm_detail.html", context, status=status)


@require(VIEW)
def alarm_detail(request, pk: int):
    return _render_detail(request, selectors.alarm_get(user=request.user, pk=pk))


_FORMS = {
    AlarmAction.ACKNOWLEDGE: ("step", StepForm),
    AlarmAction.DISPATCH: ("dispatch", DispatchForm),
    AlarmAction.ON_SCENE: ("step", StepForm),
    AlarmAction.CLOSE: ("close", CloseForm),
}


@require(VIEW, selectors.RESPOND)
@require_POST
def alarm_step(request, pk: int, action: str):
    """One step of the response clock (the table's action names the URL)."""
    if action not in rules.TRANSITIONS:
        raise Http404
    user = request.user
    if not selectors.may_respond(user):
        raise PermissionDenied
    alarm = selectors.alarm_get(user=user, pk=pk)
    name, form_class = _FORMS[action]
    form = (
        form_class(request.POST, user=user)
        if form_class is DispatchForm
        else form_class(request.POST)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.alarm_transition(
                alarm=alarm,
                action=action,
                actor=user,
                unit=data.get("unit", ""),
                patrol=data.get("patrol"),
                result=data.get("result", ""),
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("已%(action)s。") % {"action": rules.TRANSITIONS[action].label}
            )
            return redirect("alarms:alarm_detail", pk=alarm.pk)
    elif not form.non_field_errors():
        for field, errors in list(form.errors.items()):
            for error in list(errors):
                form.add_error(None, f"{form.fields[field].label}：{error}")
    alarm = selectors.alarm_get(user=user, pk=pk)
    return _render_detail(request, alarm, 400, **{name: form})
