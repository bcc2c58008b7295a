"""Test windows (报备): the list and its export, and the form a school registers a test with.
Presses of the school's one-key alarms inside a window are recorded as tests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.alarms import selectors, services
from huxiao.alarms.filtersets import TestWindowFilterSet
from huxiao.alarms.forms import TestWindowForm
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require

VIEW = "alarms.view_testwindow"
ADD = "alarms.add_testwindow"

windows = ScopedList(
    permission=VIEW,
    selector=lambda user: selectors.test_window_list(user=user),
    filterset_class=TestWindowFilterSet,
    template="alarms/test_window_list.html",
    export_filename=gettext_lazy("测试报备"),
    object_type="alarms.testwindow",
    columns=(
        Column(gettext_lazy("学校"), lambda w: w.school.organization.name),
        Column(gettext_lazy("开始时间"), lambda w: local_time(w.starts_at)),
        Column(gettext_lazy("结束时间"), lambda w: local_time(w.ends_at)),
        Column(gettext_lazy("说明"), lambda w: w.note),
        Column(gettext_lazy("报备人"), lambda w: w.created_by.display_name if w.created_by else ""),
        Column(gettext_lazy("报备时间"), lambda w: local_time(w.created_at)),
    ),
)
test_window_export = windows.export_view


@require(VIEW)
def test_window_list(request):
    filterset, rows = windows.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "can_add": request.user.has_perm(ADD),
    }
    return render(request, "alarms/test_window_list.html", context)


@require(ADD)
@require_http_methods(["GET", "POST"])
def test_window_create(request):
    user = request.user
    if request.method != "POST":
        return render(request, "alarms/test_window_form.html", {"form": TestWindowForm(user=user)})
    form = TestWindowForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.test_window_create(
                school=data["school"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                note=data["note"],
                actor=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("测试报备已登记：时段内的报警将记为测试，不计入误报。"))
            return redirect("alarms:test_window_list")
    return render(request, "alarms/test_window_form.html", {"form": form}, status=400)
