"""Outages of one-key alarm devices (issue 16 item 6): the list, filterable by period, school and
state, with the offline hours of the rows it shows (the figure 设备离线小时数 opens it) and
its .xlsx export. Reads go through ``alarms.selectors`` (scoped)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from huxiao.alarms import rules, selectors
from huxiao.alarms.filtersets import OutageFilterSet
from huxiao.core.filtersets import day_start
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require

VIEW = "alarms.view_deviceoutage"


def outage_hours(outage, now=None) -> float:
    """The outage's length in hours, an open one to now."""
    now = now or timezone.now()
    return round(rules.hours_within(outage.started_at, outage.ended_at, outage.started_at, now), 1)


def _code(outage) -> str:
    credential = selectors.credential_of(outage.device)
    return credential.code if credential else ""


outages = ScopedList(
    permission=VIEW,
    selector=lambda user: selectors.outage_list(user=user),
    filterset_class=OutageFilterSet,
    template="alarms/outage_list.html",
    export_filename=gettext_lazy("报警设备离线记录"),
    object_type="alarms.deviceoutage",
    columns=(
        Column(gettext_lazy("学校"), lambda o: o.school.organization.name),
        Column(gettext_lazy("设备"), lambda o: o.device.name or o.device.kind_label),
        Column(gettext_lazy("设备编码"), _code),
        Column(gettext_lazy("离线前最后心跳"), lambda o: local_time(o.last_heartbeat_at)),
        Column(gettext_lazy("离线时间"), lambda o: local_time(o.started_at)),
        Column(gettext_lazy("恢复时间"), lambda o: local_time(o.ended_at)),
        Column(gettext_lazy("离线时长（小时）"), outage_hours),
        Column(gettext_lazy("隐患"), lambda o: o.hazard.title if o.hazard else ""),
    ),
)
outage_export = outages.export_view


def _bounds(filterset) -> dict:
    """The period the filters chose, as instants: what the figure counts the hours within."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    since = data.get("date_from")
    until = data.get("date_to")
    return {
        "since": day_start(since) if since else None,
        "until": day_start(until + dt.timedelta(days=1)) if until else None,
    }


@require(VIEW)
def outage_list(request):
    filterset, rows = outages.filter(request)
    now = timezone.now()
    page = page_of(request, rows)
    page.object_list = list(page.object_list)
    for outage in page.object_list:
        outage.hours = outage_hours(outage, now)
    context = {
        "filter": filterset,
        "page_obj": page,
        "offline_hours": selectors.offline_hours(rows, now=now, **_bounds(filterset)),
    }
    return render(request, "alarms/outage_list.html", context)
