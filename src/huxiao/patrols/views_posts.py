"""Pages of the 护学岗: the list (with its map and export), a post's facts, map, today's duty and
QR sign, and the form that creates or edits a post with its windows, staffing and 护学通道.

Reads go through ``patrols.selectors`` (the user's scope): a post out of scope answers 404
exactly like a missing id, a page the role may not use answers 403. Writes go
through ``patrols.services``; a refusal is shown on the form in Chinese with status 400.
Maps are drawn by ``huxiao/js/map.js`` from ``data-*`` attributes; the tiles come from
the MAP_TILE_URL parameter (参数设置; empty: no tiles, a plain background — the offline demo).
"""

from __future__ import annotations

import json

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core.forms import apply_service_errors
from huxiao.core.maps import map_tiles
from huxiao.core.views.generic import Column, ScopedList, page_of, require
from huxiao.patrols import rules, selectors, services
from huxiao.patrols.choices import PersonKind
from huxiao.patrols.filtersets_posts import PostFilterSet
from huxiao.patrols.forms_posts import PostForm
from huxiao.patrols.models import GuardPost

VIEW_POST = "patrols.view_guardpost"
ADD_POST = "patrols.add_guardpost"
CHANGE_POST = "patrols.change_guardpost"
RECORD_CHECKIN = "patrols.record_checkin"
VIEW_SHIFT = "patrols.view_dutyshift"
ADD_SHIFT = "patrols.add_dutyshift"
CHANGE_SHIFT = "patrols.change_dutyshift"
VIEW_CHECKIN = "patrols.view_checkin"
# The list's map shows at most this many posts (a city has a few hundred); more means filter.
MAP_MAX_POINTS = 3000


# ---- how a post is shown -----------------------------------------------------------------------


def windows_text(post: GuardPost) -> str:
    """上学 07:00–08:30；放学 16:00–18:00"""
    return "；".join(
        f"{w.get('name', '')} {w.get('start', '')}–{w.get('end', '')}" for w in post.windows or []
    )


def staffing_pairs(post: GuardPost) -> list[tuple[str, int]]:
    staffing = post.staffing or {}
    return [(str(label), int(staffing.get(kind, 0) or 0)) for kind, label in PersonKind.choices]


def staffing_text(post: GuardPost) -> str:
    """民警1 辅警0 保安1 志愿者2"""
    return " ".join(f"{label}{n}" for label, n in staffing_pairs(post))


def _point(post: GuardPost) -> dict:
    return {"lat": float(post.latitude), "lon": float(post.longitude)}


def post_map_json(post: GuardPost) -> str:
    return json.dumps(
        {**_point(post), "radius": post.radius_m, "corridor": post.corridor, "name": post.name},
        ensure_ascii=False,
    )


def _marker_status(is_active: bool, is_pilot: bool) -> str:
    if not is_active:
        return "off"
    return "pilot" if is_pilot else "info"


def posts_map_json(queryset) -> tuple[str, int]:
    """The filtered posts as map points (one query, capped); returns (json, total shown)."""
    rows = queryset.order_by().values_list(
        "pk",
        "name",
        "latitude",
        "longitude",
        "is_active",
        "is_pilot",
        "corridor",
        "school__organization__name",
    )[:MAP_MAX_POINTS]
    points = [
        {
            "lat": float(lat),
            "lon": float(lon),
            "name": f"{school} · {name}",
            "sub": str(_("启用") if active else _("停用")) + (" · " + _("试点") if pilot else ""),
            "url": reverse("patrols:post_detail", args=[pk]),
            "status": _marker_status(active, pilot),
            "corridor": corridor or None,
        }
        for pk, name, lat, lon, active, pilot, corridor, school in rows
    ]
    return json.dumps(points, ensure_ascii=False), len(points)


def qr_url(request, post: GuardPost, day) -> str:
    """The absolute URL the post's sign encodes today (the check-in page with today's token)."""
    path = reverse("patrols:checkin_qr", args=[post.pk, services.post_qr_token(post, day)])
    return request.build_absolute_uri(path)


def qr_svg(data: str) -> str:
    """An inline SVG of the QR code (no size: CSS sizes it; no style attribute: CSP)."""
    code = segno.make(data, error="m")
    return code.svg_inline(omitsize=True, border=2, dark="#000", light="#fff")


def may_print_sign(user) -> bool:
    """The QR sign proves presence: only those who run the post print it (chief, police)."""
    return user.has_perm(CHANGE_POST) or user.has_perm(RECORD_CHECKIN)


# ---- the list ----------------------------------------------------------------------------------


posts = ScopedList(
    permission=VIEW_POST,
    selector=lambda user: selectors.post_list(user=user),
    filterset_class=PostFilterSet,
    template="patrols/post_list.html",
    export_filename=gettext_lazy("护学岗"),
    object_type="patrols.guardpost",
    columns=(
        Column(gettext_lazy("学校"), lambda p: p.school.organization.name),
        Column(gettext_lazy("岗位名称"), lambda p: p.name),
        Column(gettext_lazy("类型"), lambda p: p.get_kind_display()),
        Column(gettext_lazy("值守时段"), windows_text),
        Column(gettext_lazy("人员配置要求"), staffing_text),
        Column(gettext_lazy("打卡半径（米）"), lambda p: p.radius_m),
        Column(gettext_lazy("“警校家”试点"), lambda p: p.is_pilot),
        Column(gettext_lazy("护学通道"), lambda p: bool(p.corridor)),
        Column(gettext_lazy("启用"), lambda p: p.is_active),
        Column(gettext_lazy("纬度"), lambda p: p.latitude),
        Column(gettext_lazy("经度"), lambda p: p.longitude),
        Column(
            gettext_lazy("派出所"),
            lambda p: p.school.organization.parent.name if p.school.organization.parent else "",
        ),
    ),
)
post_export = posts.export_view


@require(VIEW_POST)
def post_list(request):
    filterset, queryset = posts.filter(request)
    page_obj = page_of(request, queryset)
    page_obj.object_list = list(page_obj.object_list)
    for post in page_obj.object_list:
        post.windows_text = windows_text(post)
        post.staffing_list = staffing_pairs(post)
    points, shown = posts_map_json(queryset)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "can_add": request.user.has_perm(ADD_POST),
        "can_add_shift": request.user.has_perm(ADD_SHIFT),
        "map_points": points,
        "map_shown": shown,
        "map_capped": shown >= MAP_MAX_POINTS,
        "tiles": map_tiles(),
    }
    return render(request, "patrols/post_list.html", context)


# ---- a post ------------------------------------------------------------------------------------


def _today_duty(user, post: GuardPost, today):
    shifts = checkins = None
    if user.has_perm(VIEW_SHIFT):
        shifts = list(selectors.post_shifts(user=user, post=post, start=today, end=today))
        for shift in shifts:
            window = post.window(shift.window) or {}
            shift.window_name = window.get("name", shift.window)
    if user.has_perm(VIEW_CHECKIN):
        checkins = list(selectors.post_day_checkins(user=user, post=post, day=today)[:200])
        for checkin in checkins:
            window = post.window(checkin.window) or {}
            checkin.window_name = window.get("name", checkin.window or "—")
    return shifts, checkins


@require(VIEW_POST)
def post_detail(request, pk: int):
    user = request.user
    post = selectors.post_get(user=user, pk=pk)
    today = timezone.localdate()
    shifts, checkins = _today_duty(user, post, today)
    sign = None
    if may_print_sign(user):
        url = qr_url(request, post, today)
        sign = {"url": url, "svg": mark_safe(qr_svg(url)), "day": today}  # noqa: S308 segno's own SVG
    context = {
        "post": post,
        "school": post.school,
        "windows_text": windows_text(post),
        "staffing_list": staffing_pairs(post),
        "map_post": post_map_json(post),
        "tiles": map_tiles(),
        "today": today,
        "school_day": rules.is_school_day(post.school.term_calendar, today),
        "shifts": shifts,
        "checkins": checkins,
        "sign": sign,
        "can_change": user.has_perm(CHANGE_POST),
        "can_view_shifts": user.has_perm(VIEW_SHIFT),
        "can_add_shift": user.has_perm(ADD_SHIFT),
    }
    return render(request, "patrols/post_detail.html", context)


# ---- create and edit ---------------------------------------------------------------------------


def _editor_center(user) -> str:
    """Where the editor's map opens without a position: the posts in scope, else the city."""
    first = selectors.post_list(user=user).values_list("latitude", "longitude").first()
    return json.dumps([float(first[0]), float(first[1])]) if first else ""


def _render_form(request, form, post=None, status=200):
    context = {
        "form": form,
        "post": post,
        "tiles": map_tiles(),
        "map_post": post_map_json(post) if post else "",
        "map_center": "" if post else _editor_center(request.user),
    }
    return render(request, "patrols/post_form.html", context, status=status)


@require(ADD_POST)
@require_http_methods(["GET", "POST"])
def post_create(request):
    user = request.user
    if request.method != "POST":
        return _render_form(request, PostForm(user=user))
    form = PostForm(request.POST, user=user)
    if form.is_valid():
        try:
            post = services.post_create(school=form.cleaned_data["school"], **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("护学岗已创建。"))
            return redirect("patrols:post_detail", pk=post.pk)
    return _render_form(request, form, status=400)


@require(CHANGE_POST)
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    user = request.user
    post = selectors.post_get(user=user, pk=pk)
    if request.method != "POST":
        return _render_form(request, PostForm(user=user, post=post), post)
    form = PostForm(request.POST, user=user, post=post)
    if form.is_valid():
        try:
            services.post_update(post=post, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("护学岗已保存。"))
            return redirect("patrols:post_detail", pk=post.pk)
    # The service may have changed the instance in memory before refusing; show the stored one.
    return _render_form(request, form, selectors.post_get(user=user, pk=pk), status=400)
