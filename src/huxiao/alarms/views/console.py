"""The alarm console (值班台, issue 16 item 2): open alarms live over ws/alarms/ (alarms.live,
alarms.consumers), ringing until someone acknowledges, and beside the chosen alarm its school
on the map with the units nearest it, the school's guards on duty and its cameras.

The page is a shell: static/alarms/console.js draws the alarms it is sent; 签收 posts to the
alarm page's step (``alarm_step``), whose refusal (another console was quicker) comes back as
400 with its Chinese message. ``/alarms/<pk>/surroundings/`` is the panel of one alarm, read in
the user's scope (404 outside it, like a missing alarm).
"""

from __future__ import annotations

import json

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.alarms import selectors
from huxiao.core.maps import map_tiles
from huxiao.core.views.generic import require

VIEW = "alarms.view_alarmevent"


def _labels() -> dict:
    return {
        "acknowledge": _("签收"),
        "detail": _("详情"),
        "nearby": _("周边警力"),
        "empty": _("当前没有未处置完毕的报警。"),
        "connected": _("已连接，实时接收报警"),
        "reconnecting": _("连接中断，正在重连…"),
        "ringing": _("有报警未签收！"),
        "escalated": _("已升级"),
        "failed": _("签收失败："),
        "received": _("接警"),
    }


@require(VIEW)
def console(request):
    user = request.user
    return render(
        request,
        "alarms/console.html",
        {
            "labels": json.dumps(_labels(), ensure_ascii=False),
            "respond": selectors.may_respond(user),
        },
    )


@require(VIEW)
def surroundings(request, pk: int):
    user = request.user
    alarm = selectors.alarm_get(user=user, pk=pk)
    found = selectors.alarm_surroundings(user=user, alarm=alarm, now=timezone.now())
    points = []
    if found.latitude is not None:
        points.append(
            {
                "lat": found.latitude,
                "lon": found.longitude,
                "name": alarm.school.organization.name,
                "sub": _("报警学校"),
                "status": "bad",
            }
        )
    for unit in found.units:
        points.append(
            {
                "lat": unit.latitude,
                "lon": unit.longitude,
                "name": unit.label,
                "sub": unit.place,
                "status": "info" if unit.kind == "patrol" else "ok",
            }
        )
    return render(
        request,
        "alarms/partials/surroundings.html",
        {
            "alarm": alarm,
            "found": found,
            "points": json.dumps(points, ensure_ascii=False),
            "tiles": map_tiles(),
            "respond": selectors.may_respond(user),
        },
    )
