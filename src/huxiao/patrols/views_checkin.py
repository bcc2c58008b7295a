"""Check-in pages (打卡): the phone page, a QR sign's confirmation, a supervisor's 补录, and the
打卡记录 list (with its export) of the check-ins in scope.

The phone page lists the posts the person may check in at today, each with its windows (the
current one marked), the person's shift and their check-ins there today. Its button is
``huxiao/js/checkin.js``: the browser's geolocation (with its accuracy shown) is posted to
``POST /api/v1/checkins``; without a network the check-in waits in the page (localStorage,
with its original time and idempotency key) and is sent when the network returns, counted
once however often it is re-sent.

Proofs, strongest first: the post's QR code (the sign shows a daily token), GPS, a
supervisor's manual entry. Reads start from the user's scope (out of scope = 404); writes go
through ``services.checkin_record``, whose refusals are shown in Chinese with status 400.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.patrols import rules, selectors, services
from huxiao.patrols.choices import ProofKind
from huxiao.patrols.filtersets_posts import CheckInFilterSet
from huxiao.patrols.forms_checkin import ManualCheckInForm, QrCheckInForm
from huxiao.patrols.models import CheckIn
from huxiao.patrols.selectors import (
    board_posts,
    checkin_posts,
    day_board,
    manual_checkins_by,
    post_windows,
)

ADD_CHECKIN = "patrols.add_checkin"
RECORD_CHECKIN = "patrols.record_checkin"
VIEW_CHECKIN = "patrols.view_checkin"
# A station officer has a few dozen posts; more than this asks for a search.
BOARD_LIMIT = 30


def js_labels() -> dict:
    """The words checkin.js shows (translated here; the script has no catalogue)."""
    return {
        "proof": {k: str(v) for k, v in ProofKind.choices},
        "locating": _("正在定位……"),
        "accuracy": _("定位精度 ±{acc} 米，正在提交……"),
        "valid": _("打卡有效"),
        "valid_distance": _("打卡有效，距岗点 {d} 米。"),
        "invalid": _("打卡无效："),
        "duplicate": _("该打卡已提交过，未重复计数。"),
        "queued": _("网络不可用：打卡已保存在本机，恢复网络后自动补传。"),
        "synced": _("离线打卡已补传。"),
        "no_geo": _("本浏览器不支持定位，请扫描岗点二维码打卡。"),
        "geo_denied": _("无法获取定位：请允许浏览器使用位置信息，或扫描岗点二维码打卡。"),
        "geo_failed": _("定位失败，请到开阔处重试，或扫描岗点二维码打卡。"),
        "login": _("登录已过期：请重新登录，待同步的打卡会在登录后补传。"),
        "relogin": _("重新登录"),
        "refused": _("打卡未被接受："),
        "error": _("提交失败，请稍后重试。"),
        "valid_badge": _("有效"),
        "invalid_badge": _("无效"),
        "offline_badge": _("离线补传"),
        "distance": _("距岗点 {d} 米"),
        "precision": _("精度 ±{acc} 米"),
        "pending_at": _("{time} 打卡，精度 ±{acc} 米"),
    }


# ---- the phone page ------------------------------------------------------------------------------


@require(ADD_CHECKIN)
def checkin_page(request):
    user = request.user
    now = timezone.localtime()
    q = request.GET.get("q", "").strip()[:40]
    posts = board_posts(user=user, today=now.date())
    if q:
        posts = posts.filter(Q(name__icontains=q) | Q(school__organization__name__icontains=q))
    posts = list(posts.order_by("school__organization__path", "name", "id")[: BOARD_LIMIT + 1])
    context = {
        "cards": day_board(user=user, now=now, posts=posts[:BOARD_LIMIT]),
        "capped": len(posts) > BOARD_LIMIT,
        "limit": BOARD_LIMIT,
        "q": q,
        "now": now,
        "api_url": reverse("api-v1:checkin_create"),
        "labels_json": json.dumps(js_labels(), ensure_ascii=False),
        "can_record": user.has_perm(RECORD_CHECKIN),
    }
    return render(request, "patrols/checkin.html", context)


# ---- QR sign -------------------------------------------------------------------------------------


def _verdict_message(request, checkin: CheckIn, created: bool, who: str = "") -> None:
    if not created:
        # A re-sent key, or the person already checked in at the post in this window (“您已在
        # 本时段签到（07:20）…”): the service says which.
        messages.info(request, checkin.message or _("该打卡已提交过，未重复计数。"))
    elif checkin.is_valid:
        messages.success(
            request,
            _("%(who)s在%(post)s打卡有效（%(proof)s）。")
            % {"who": who, "post": checkin.post.name, "proof": checkin.get_proof_display()},
        )
    else:
        messages.warning(
            request,
            _("%(who)s在%(post)s的打卡已记录，但无效：%(problem)s")
            % {"who": who, "post": checkin.post.name, "problem": checkin.problem},
        )


@require(ADD_CHECKIN)
@require_http_methods(["GET", "POST"])
def checkin_qr(request, post_id: int, token: str):
    """The page a post's QR code opens: a confirmation with a POST button (a GET never
    writes). The token is today's (``services.post_qr_token``); yesterday's sign is refused."""
    user = request.user
    today = timezone.localdate()
    post = get_object_or_404(
        checkin_posts(user=user, around=today).select_related("school__organization"), pk=post_id
    )
    problem = ""
    if not post.is_active:
        problem = _("该护学岗已停用，不能打卡。")
    elif token != services.post_qr_token(post, today):
        problem = _("二维码无效或已过期，请扫描岗点当天的二维码。")
    form = QrCheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        try:
            checkin, created = services.checkin_record(
                post=post,
                user=user,
                latitude=data["latitude"],
                longitude=data["longitude"],
                accuracy_m=data["accuracy_m"],
                proof=ProofKind.QR,
                qr_token=token,
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as exc:
            problem = "；".join(exc.messages)
        else:
            _verdict_message(request, checkin, created)
            return redirect(f"{reverse('patrols:checkin')}#post-{post.pk}")
    now = timezone.localtime()
    context = {
        "post": post,
        "form": form,
        "problem": problem,
        "windows": post_windows(post, now.time()),
        "school_day": rules.is_school_day(post.school.term_calendar, today),
        "today": today,
    }
    status = 400 if problem or (request.method == "POST" and form.errors) else 200
    return render(request, "patrols/checkin_qr.html", context, status=status)


# ---- 补录 ------------------------------------------------------------------------------------------


@require(RECORD_CHECKIN)
@require_http_methods(["GET", "POST"])
def checkin_manual(request):
    """A supervisor records a person's presence at a post (手机无法定位 etc.): kept as the weakest
    proof, with who recorded it; the reason goes to the audit trail with the check-in."""
    user = request.user
    form = ManualCheckInForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            person = data["person"]
            try:
                checkin, created = services.checkin_record(
                    post=data["post"],
                    user=person,
                    at=data["at"],
                    proof=ProofKind.MANUAL,
                    idempotency_key=data["idempotency_key"],
                    recorded_by=user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if created:
                    audit.append(
                        kind=AuditKind.CHANGE,
                        action=AuditAction.CREATE,
                        obj=checkin,
                        object_repr=_("补录打卡：%(who)s %(post)s")
                        % {"who": person.display_name, "post": checkin.post},
                        after={
                            "post": checkin.post_id,
                            "user": person.pk,
                            "at": checkin.at.isoformat(),
                            "proof": checkin.proof,
                            "is_valid": checkin.is_valid,
                            "problem": checkin.problem,
                            "note": data["note"],
                        },
                        actor=user,
                    )
                _verdict_message(request, checkin, created, who=person.display_name)
                return redirect("patrols:checkin_manual")
    context = {"form": form, "recent": manual_checkins_by(user=user)[:20]}
    return render(request, "patrols/checkin_manual.html", context, status=status)


# ---- 打卡记录 ----------------------------------------------------------------------------------------


def window_name(checkin: CheckIn) -> str:
    window = checkin.post.window(checkin.window) if checkin.window else None
    return (window or {}).get("name") or checkin.window or "—"


checkins = ScopedList(
    permission=VIEW_CHECKIN,
    selector=lambda user: selectors.checkin_list(user=user),
    filterset_class=CheckInFilterSet,
    template="patrols/checkin_list.html",
    export_filename=gettext_lazy("打卡记录"),
    object_type="patrols.checkin",
    columns=(
        Column(gettext_lazy("打卡时间"), lambda c: local_time(c.at)),
        Column(gettext_lazy("学校"), lambda c: c.school.organization.name),
        Column(gettext_lazy("护学岗"), lambda c: c.post.name),
        Column(gettext_lazy("打卡人"), lambda c: c.user.display_name),
        Column(gettext_lazy("人员类别"), lambda c: c.get_person_kind_display()),
        Column(gettext_lazy("时段"), window_name),
        Column(gettext_lazy("证明方式"), lambda c: c.get_proof_display()),
        Column(gettext_lazy("有效"), lambda c: c.is_valid),
        Column(gettext_lazy("无效原因"), lambda c: c.problem),
        Column(gettext_lazy("距岗点（米）"), lambda c: c.distance_m),
        Column(gettext_lazy("离线补传"), lambda c: c.was_offline),
        Column(
            gettext_lazy("补录人"), lambda c: c.recorded_by.display_name if c.recorded_by_id else ""
        ),
    ),
)
checkin_export = checkins.export_view


@require(VIEW_CHECKIN)
def checkin_list(request):
    filterset, queryset = checkins.filter(request)
    page_obj = page_of(request, queryset)
    page_obj.object_list = list(page_obj.object_list)
    for checkin in page_obj.object_list:
        checkin.window_name = window_name(checkin)
    return render(request, "patrols/checkin_list.html", {"filter": filterset, "page_obj": page_obj})
