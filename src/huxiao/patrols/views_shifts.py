"""Pages of the duty roster (排班): the list with its export, a post's day or week roster with
the staffing gaps, bulk rostering over school days, 调班 and cancelling a shift.

Rosters are on school days only (``services.shift_bulk_create`` skips weekends, holidays and
days outside the school's terms, and keeps 调休 working Saturdays); the bulk page says how
many school days a range holds before and after it rosters. A volunteer (scope 仅本人) sees
only their own shifts in the list and no post's roster.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core import workcalendar
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, page_of, require
from huxiao.patrols import rules, selectors, services
from huxiao.patrols.choices import PersonKind, ShiftStatus
from huxiao.patrols.filtersets_posts import ShiftFilterSet
from huxiao.patrols.forms_posts import ShiftBulkForm, ShiftCancelForm, ShiftSwapForm, posts_for
from huxiao.patrols.models import DutyShift
from huxiao.patrols.views_posts import staffing_pairs, windows_text

VIEW_SHIFT = "patrols.view_dutyshift"
ADD_SHIFT = "patrols.add_dutyshift"
CHANGE_SHIFT = "patrols.change_dutyshift"
WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def window_name(shift: DutyShift) -> str:
    window = shift.post.window(shift.window) or {}
    return window.get("name") or shift.window


def _window_span(shift: DutyShift) -> str:
    window = shift.post.window(shift.window) or {}
    return f"{window.get('start', '')}–{window.get('end', '')}" if window else ""


# ---- the list ----------------------------------------------------------------------------------


shifts = ScopedList(
    permission=VIEW_SHIFT,
    selector=lambda user: selectors.shift_table(user=user),
    filterset_class=ShiftFilterSet,
    template="patrols/shift_list.html",
    export_filename=gettext_lazy("排班"),
    object_type="patrols.dutyshift",
    columns=(
        Column(gettext_lazy("日期"), lambda s: s.date),
        Column(gettext_lazy("星期"), lambda s: str(WEEKDAYS[s.date.weekday()])),
        Column(gettext_lazy("学校"), lambda s: s.post.school.organization.name),
        Column(gettext_lazy("护学岗"), lambda s: s.post.name),
        Column(gettext_lazy("时段"), window_name),
        Column(gettext_lazy("时间"), _window_span),
        Column(gettext_lazy("值守人员"), lambda s: s.person_name),
        Column(gettext_lazy("人员类别"), lambda s: s.get_person_kind_display()),
        Column(gettext_lazy("状态"), lambda s: s.get_status_display()),
        Column(gettext_lazy("备注"), lambda s: s.note),
    ),
)
shift_export = shifts.export_view


@require(VIEW_SHIFT)
def shift_list(request):
    filterset, queryset = shifts.filter(request)
    page_obj = page_of(request, queryset)
    page_obj.object_list = list(page_obj.object_list)
    today = timezone.localdate()
    can_change = request.user.has_perm(CHANGE_SHIFT)
    for shift in page_obj.object_list:
        shift.window_name = window_name(shift)
        shift.window_span = _window_span(shift)
        shift.weekday = WEEKDAYS[shift.date.weekday()]
        shift.actionable = (
            can_change and shift.status == ShiftStatus.PLANNED and shift.date >= today
        )
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "can_add": request.user.has_perm(ADD_SHIFT),
    }
    return render(request, "patrols/shift_list.html", context)


# ---- a post's roster ---------------------------------------------------------------------------


def _parse_day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def roster_rows(post, shift_rows, days: list[dt.date], today: dt.date) -> list[dict]:
    """Who stands at the post in which window on each day, and what the staffing lacks.

    A cell has a gap when it is a school day and fewer people of a kind are rostered than the
    post's staffing requirement asks (e.g. 民警 0/1); swapped-away shifts are left out (their
    replacement is shown), cancelled ones are shown struck through and count for nothing.
    """
    by_cell: dict[tuple, list] = defaultdict(list)
    for shift in shift_rows:
        if shift.status != ShiftStatus.SWAPPED:
            by_cell[(shift.date, shift.window)].append(shift)
    staffing = post.staffing or {}
    rows = []
    for day in days:
        is_workday, holiday, _source = workcalendar.day_info(day)
        school_day = is_workday and rules.in_term(post.school.term_calendar, day)
        cells = []
        for window in post.windows:
            people = by_cell.get((day, window["code"]), [])
            counts = Counter(s.person_kind for s in people if s.status == ShiftStatus.PLANNED)
            needs = []
            for kind, label in PersonKind.choices:
                need = int(staffing.get(kind, 0) or 0)
                have = counts.get(kind, 0)
                if need or have:
                    needs.append({"label": label, "have": have, "need": need, "short": have < need})
            cells.append(
                {
                    "window": window,
                    "people": people,
                    "needs": needs,
                    "gap": school_day and any(n["short"] for n in needs),
                }
            )
        rows.append(
            {
                "day": day,
                "weekday": WEEKDAYS[day.weekday()],
                "school_day": school_day,
                "holiday": holiday,
                "in_term": rules.in_term(post.school.term_calendar, day),
                "is_today": day == today,
                "is_past": day < today,
                "cells": cells,
                "gaps": sum(c["gap"] for c in cells),
            }
        )
    return rows


@require(VIEW_SHIFT)
def post_roster(request, pk: int):
    user = request.user
    post = selectors.post_get(user=user, pk=pk)
    today = timezone.localdate()
    span = "day" if request.GET.get("span") == "day" else "week"
    anchor = _parse_day(request.GET.get("day"), today)
    if span == "week":
        first = anchor - dt.timedelta(days=anchor.weekday())
        days = [first + dt.timedelta(days=n) for n in range(7)]
        step = dt.timedelta(days=7)
    else:
        days, step = [anchor], dt.timedelta(days=1)
    shift_rows = list(selectors.post_shifts(user=user, post=post, start=days[0], end=days[-1]))
    can_change = user.has_perm(CHANGE_SHIFT)
    for shift in shift_rows:
        shift.actionable = (
            can_change and shift.status == ShiftStatus.PLANNED and shift.date >= today
        )
    rows = roster_rows(post, shift_rows, days, today)
    context = {
        "post": post,
        "school": post.school,
        "windows_text": windows_text(post),
        "staffing_list": staffing_pairs(post),
        "rows": rows,
        "span": span,
        "anchor": anchor,
        "first": days[0],
        "last": days[-1],
        "prev_day": (anchor - step).isoformat(),
        "next_day": (anchor + step).isoformat(),
        "today": today,
        "gaps": sum(r["gaps"] for r in rows),
        "can_add": user.has_perm(ADD_SHIFT),
    }
    return render(request, "patrols/shift_roster.html", context)


# ---- bulk rostering ----------------------------------------------------------------------------


def _day_counts(school, start: dt.date, end: dt.date) -> dict:
    """How a date range splits into school days and the days skipped (and why)."""
    school_days = services.school_days(school, start, end)
    total = (end - start).days + 1
    adjusted = [
        d for d in school_days if d.weekday() >= 5
    ]  # 调休: a Saturday or Sunday on which school is on
    return {
        "total": total,
        "school_days": len(school_days),
        "skipped": total - len(school_days),
        "adjusted": len(adjusted),
        "first": school_days[0] if school_days else None,
        "last": school_days[-1] if school_days else None,
    }


def _bulk_post(request):
    """The post named by ?post= (a link from a post's page), in scope, or None."""
    raw = request.GET.get("post") or request.POST.get("post")
    if not raw or not str(raw).isdigit():
        return None
    return get_object_or_404(posts_for(request.user), pk=int(raw))


@require(ADD_SHIFT)
@require_http_methods(["GET", "POST"])
def shift_bulk_create(request):
    user = request.user
    if request.method != "POST":
        post = _bulk_post(request)
        today = timezone.localdate()
        form = ShiftBulkForm(
            user=user,
            post=post,
            initial={"start": today, "end": today + dt.timedelta(days=13)},
        )
        return _render_bulk(request, form, post)
    post = _bulk_post(request)
    form = ShiftBulkForm(request.POST, user=user, post=post)
    if not form.is_valid():
        return _render_bulk(request, form, post, status=400)
    data = form.cleaned_data
    post = data["post"]
    counts = _day_counts(post.school, data["start"], data["end"])
    if request.POST.get("action") == "preview":
        planned = counts["school_days"] * len(data["windows"]) * len(data["people"])
        return _render_bulk(request, form, post, counts=counts, planned=planned)
    try:
        created = services.shift_bulk_create(
            post=post,
            start=data["start"],
            end=data["end"],
            windows=list(data["windows"]),
            people=list(data["people"]),
            actor=user,
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _render_bulk(request, form, post, counts=counts, status=400)
    messages.success(
        request,
        _(
            "已在 %(days)d 个上学日排班 %(n)d 班；其余 %(skipped)d 天为周末、节假日或学期外，"
            "未排班（调休上班日照常排班，已有的相同班次不重复）。"
        )
        % {"days": counts["school_days"], "n": len(created), "skipped": counts["skipped"]},
    )
    return redirect(
        reverse("patrols:post_roster", args=[post.pk]) + f"?day={data['start'].isoformat()}"
    )


def _render_bulk(request, form, post, *, counts=None, planned=None, status=200):
    context = {"form": form, "post": post, "counts": counts, "planned": planned}
    return render(request, "patrols/shift_bulk_form.html", context, status=status)


# ---- one shift ---------------------------------------------------------------------------------


def _back_to_roster(shift: DutyShift) -> str:
    return reverse("patrols:post_roster", args=[shift.post_id]) + f"?day={shift.date.isoformat()}"


@require(CHANGE_SHIFT)
@require_http_methods(["GET", "POST"])
def shift_swap(request, pk: int):
    user = request.user
    shift = selectors.shift_get(user=user, pk=pk)
    if request.method != "POST":
        form = ShiftSwapForm(user=user, shift=shift)
        return _render_shift(request, "patrols/shift_swap.html", form, shift)
    form = ShiftSwapForm(request.POST, user=user, shift=shift)
    if form.is_valid():
        try:
            new = services.shift_swap(
                shift=shift,
                person=form.cleaned_data["person"],
                note=form.cleaned_data["note"],
                actor=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已调班：%(name)s 接替 %(old)s。")
                % {"name": new.person_name, "old": shift.person_name},
            )
            return redirect(_back_to_roster(shift))
    return _render_shift(
        request, "patrols/shift_swap.html", form, selectors.shift_get(user=user, pk=pk), 400
    )


@require(CHANGE_SHIFT)
@require_http_methods(["GET", "POST"])
def shift_cancel(request, pk: int):
    user = request.user
    shift = selectors.shift_get(user=user, pk=pk)
    if request.method != "POST":
        return _render_shift(request, "patrols/shift_cancel.html", ShiftCancelForm(), shift)
    form = ShiftCancelForm(request.POST)
    if form.is_valid():
        try:
            if shift.status != ShiftStatus.PLANNED:
                # 调班 leaves the old shift as a record; only a standing shift is cancelled.
                raise ValidationError(_("只有已排班的班次可以取消。"))
            services.shift_cancel(shift=shift, note=form.cleaned_data["note"], actor=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("班次已取消。"))
            return redirect(_back_to_roster(shift))
    return _render_shift(
        request, "patrols/shift_cancel.html", form, selectors.shift_get(user=user, pk=pk), 400
    )


def _render_shift(request, template, form, shift, status=200):
    context = {
        "form": form,
        "shift": shift,
        "post": shift.post,
        "window_name": window_name(shift),
        "window_span": _window_span(shift),
        "weekday": WEEKDAYS[shift.date.weekday()],
    }
    return render(request, template, context, status=status)
