"""Pages of video patrols (视频巡查): the list and its export, recording one (the school's camera
counts pre-filled from its registered devices) and a patrol's record with the hazard a
problem created (source 视频巡查, ``services.video_patrol_record``).

Same rules as the other pages: out of scope is 404, a page the role may not use is 403, a
refusal of the service is shown on the form in Chinese with status 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.patrols import selectors, services
from huxiao.patrols.filtersets_patrols import VideoPatrolFilterSet
from huxiao.patrols.forms_patrols import VideoPatrolForm
from huxiao.schools.models import School

VIEW_VIDEO = "patrols.view_videopatrol"
ADD_VIDEO = "patrols.add_videopatrol"
VIEW_HAZARD = "inspections.view_hazard"


def tri(value: bool | None) -> str:
    """是 / 否 / 未查看 for the three yes-no-unknown checks."""
    if value is None:
        return str(_("未查看"))
    return str(_("是") if value else _("否"))


videos = ScopedList(
    permission=VIEW_VIDEO,
    selector=lambda user: selectors.video_list(user=user),
    filterset_class=VideoPatrolFilterSet,
    template="patrols/video_list.html",
    export_filename=gettext_lazy("视频巡查记录"),
    object_type="patrols.videopatrol",
    columns=(
        Column(gettext_lazy("巡查时间"), lambda v: local_time(v.at)),
        Column(gettext_lazy("学校"), lambda v: v.school.organization.name),
        Column(gettext_lazy("巡查民警"), lambda v: v.officer.display_name),
        Column(gettext_lazy("查看摄像头（路）"), lambda v: v.cameras_checked),
        Column(gettext_lazy("离线摄像头（路）"), lambda v: v.cameras_offline),
        Column(gettext_lazy("校门关闭/管控"), lambda v: tri(v.gate_closed)),
        Column(gettext_lazy("保安在岗"), lambda v: tri(v.guard_on_duty)),
        Column(gettext_lazy("防护装备在位"), lambda v: tri(v.equipment_present)),
        Column(gettext_lazy("发现问题"), lambda v: v.found_problem),
        Column(gettext_lazy("巡查情况"), lambda v: v.observations),
        Column(gettext_lazy("发现隐患"), lambda v: v.hazard.title if v.hazard_id else ""),
    ),
)
video_patrol_export = videos.export_view


@require(VIEW_VIDEO)
def video_patrol_list(request):
    filterset, queryset = videos.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, queryset),
        "can_add": request.user.has_perm(ADD_VIDEO),
        "can_view_hazard": request.user.has_perm(VIEW_HAZARD),
    }
    return render(request, "patrols/video_list.html", context)


@require(VIEW_VIDEO)
def video_patrol_detail(request, pk: int):
    patrol = selectors.video_get(user=request.user, pk=pk)
    context = {
        "patrol": patrol,
        "checks": [
            (_("校门关闭/管控"), patrol.gate_closed),
            (_("保安在岗"), patrol.guard_on_duty),
            (_("防护装备在位"), patrol.equipment_present),
        ],
        "can_view_hazard": request.user.has_perm(VIEW_HAZARD),
        "can_add": request.user.has_perm(ADD_VIDEO),
    }
    return render(request, "patrols/video_detail.html", context)


@require(ADD_VIDEO)
@require_http_methods(["GET", "POST"])
def video_patrol_create(request):
    user = request.user
    if request.method != "POST":
        school = None
        if request.GET.get("school", "").isdigit():
            school = School.objects.visible_to(user).filter(pk=request.GET["school"]).first()
        form = VideoPatrolForm(user=user, school=school)
        return render(request, "patrols/video_form.html", {"form": form})
    form = VideoPatrolForm(request.POST, user=user)
    if form.is_valid():
        try:
            patrol = services.video_patrol_record(officer=user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if patrol.hazard_id:
                messages.warning(request, _("视频巡查已登记；发现问题，已登记为隐患。"))
            else:
                messages.success(request, _("视频巡查已登记。"))
            return redirect("patrols:video_patrol_detail", pk=patrol.pk)
    return render(request, "patrols/video_form.html", {"form": form}, status=400)
