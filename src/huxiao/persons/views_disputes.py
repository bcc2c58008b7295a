"""Pages of school-related disputes (涉校涉生矛盾纠纷): list and export, the board by status,
detail with mediation records and the status buttons, registration, mediation.

Police only like the rest of the module (``views_access.police_page``, with
``persons.view_dispute``). The status machine is the service's (``services.TRANSITIONS``):
the page offers only the moves allowed from the current status, and a move posted anyway is
refused with the service's message (400, nothing changed); a stale version answers 409.
The parties are masked; "查看当事人" shows them on that answer only and writes the access
log, as the API's ``?reveal=1`` does.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huxiao.core import audit
from huxiao.core.exceptions import ConflictError
from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, filtered, label_column, page_of
from huxiao.persons import selectors, services
from huxiao.persons.choices import DISPUTE_KIND, DisputeStatus
from huxiao.persons.filtersets import DisputeFilterSet
from huxiao.persons.forms import DisputeForm, MediationForm, RevealForm, TransitionForm
from huxiao.persons.models import Dispute, mask_hidden
from huxiao.persons.services.disputes import NEEDS_NOTE, OPEN_STATES, TRANSITIONS
from huxiao.persons.views_access import errors_text, police_page

ADD_DISPUTE = "persons.add_dispute"
CHANGE_DISPUTE = "persons.change_dispute"
ADD_MEDIATION = "persons.add_mediationrecord"
BOARD_LIMIT = 30  # cards per column; the column links to the full list
# The label of the button that moves a dispute into each status.
MOVE_LABELS = {
    DisputeStatus.MEDIATING: gettext_lazy("开始化解"),
    DisputeStatus.RESOLVED: gettext_lazy("已化解，办结"),
    DisputeStatus.TRANSFERRED: gettext_lazy("移交"),
}


def is_overdue(dispute: Dispute, today) -> bool:
    return bool(dispute.status in OPEN_STATES and dispute.due_date and dispute.due_date < today)


# ---- list, export and board ----------------------------------------------------------------


disputes = ScopedList(
    permission="persons.view_dispute",
    selector=lambda user: selectors.dispute_list(user=user),
    filterset_class=DisputeFilterSet,
    template="persons/dispute_list.html",
    export_filename=gettext_lazy("矛盾纠纷"),
    object_type="persons.dispute",
    columns=(
        Column(gettext_lazy("学校"), lambda d: d.school.organization.name),
        label_column(gettext_lazy("类型"), DISPUTE_KIND, "kind"),
        Column(gettext_lazy("当事人"), lambda d: mask_hidden(d.parties)),
        Column(gettext_lazy("纠纷概要"), lambda d: d.summary),
        Column(gettext_lazy("有扬言报复倾向"), lambda d: d.threat_of_revenge),
        Column(gettext_lazy("关联重点人员"), lambda d: d.key_person.name if d.key_person else ""),
        Column(gettext_lazy("责任派出所"), lambda d: d.station.name),
        Column(gettext_lazy("责任单位"), lambda d: d.responsible_org.name),
        Column(gettext_lazy("状态"), lambda d: d.get_status_display()),
        Column(gettext_lazy("登记日期"), lambda d: d.registered_on),
        Column(gettext_lazy("化解期限"), lambda d: d.due_date),
        Column(gettext_lazy("超期"), lambda d: is_overdue(d, timezone.localdate())),
        Column(gettext_lazy("办结日期"), lambda d: d.closed_on),
        Column(gettext_lazy("结果说明"), lambda d: d.outcome),
    ),
)
dispute_export = police_page(disputes=True)(disputes.export_view)


@police_page(disputes=True)
@require_GET
def dispute_list(request):
    filterset, queryset = disputes.filter(request)
    page_obj = page_of(request, queryset)
    today = timezone.localdate()
    page_obj.object_list = list(page_obj.object_list)
    for dispute in page_obj.object_list:
        dispute.overdue_now = is_overdue(dispute, today)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "can_add": request.user.has_perm(ADD_DISPUTE),
        "tab": "list",
    }
    return render(request, "persons/dispute_list.html", context)


@police_page(disputes=True)
@require_GET
def dispute_board(request):
    """One column per status (登记 / 化解中 / 已化解 / 移交), the filters but the status applied:
    a count per column and its first ``BOARD_LIMIT`` cards, the most urgent first."""
    user = request.user
    filterset = DisputeFilterSet(
        request.GET, queryset=selectors.dispute_list(user=user), request=request
    )
    # The columns are the statuses: no status filter (the form is built in __init__).
    filterset.filters.pop("status")
    filterset.form.fields.pop("status")
    base = filtered(filterset)
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    today = timezone.localdate()
    columns = []
    for status, label in DisputeStatus.choices:
        cards = list(base.filter(status=status)[:BOARD_LIMIT]) if counts.get(status) else []
        for card in cards:
            card.overdue_now = is_overdue(card, today)
        columns.append(
            {"status": status, "label": label, "count": counts.get(status, 0), "cards": cards}
        )
    context = {
        "filter": filterset,
        "columns": columns,
        "limit": BOARD_LIMIT,
        "can_add": user.has_perm(ADD_DISPUTE),
        "tab": "board",
    }
    return render(request, "persons/dispute_board.html", context)


# ---- registering a dispute -----------------------------------------------------------------


@police_page(ADD_DISPUTE, disputes=True)
@require_http_methods(["GET", "POST"])
def dispute_create(request):
    user = request.user
    if request.method != "POST":
        form = DisputeForm(user=user, initial={"school": request.GET.get("school")})
        return render(request, "persons/dispute_form.html", {"form": form})
    form = DisputeForm(request.POST, user=user)
    if form.is_valid():
        try:
            dispute = services.dispute_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("矛盾纠纷已登记。"))
            return redirect("persons:dispute_detail", pk=dispute.pk)
    return render(request, "persons/dispute_form.html", {"form": form}, status=400)


# ---- the detail page and its actions -------------------------------------------------------


NOTE_LABELS = {
    DisputeStatus.RESOLVED: gettext_lazy("化解结果"),
    DisputeStatus.TRANSFERRED: gettext_lazy("移交去向"),
}


def _moves(dispute: Dispute) -> list[dict]:
    moves = []
    for to in sorted(TRANSITIONS.get(dispute.status, ())):
        # One form per move on the page: ids of their own, the note named for the move.
        form = TransitionForm(initial={"to": to, "version": dispute.version}, auto_id=f"id_{to}_%s")
        form.fields["note"].label = NOTE_LABELS.get(to, form.fields["note"].label)
        moves.append(
            {"to": to, "label": MOVE_LABELS[to], "needs_note": to in NEEDS_NOTE, "form": form}
        )
    return moves


def render_detail(
    request,
    dispute: Dispute,
    *,
    parties: str | None = None,
    mediation_form: MediationForm | None = None,
    error: str = "",
    status: int = 200,
):
    user = request.user
    can_change = user.has_perm(CHANGE_DISPUTE)
    can_mediate = user.has_perm(ADD_MEDIATION) and dispute.status in OPEN_STATES
    can_reveal = user.has_perm(selectors.REVEAL_PERM)
    context = {
        "dispute": dispute,
        "school": dispute.school,
        "parties": parties,
        "parties_masked": mask_hidden(dispute.parties),
        "overdue": is_overdue(dispute, timezone.localdate()),
        "mediations": list(selectors.mediation_list(user=user, dispute=dispute)),
        "moves": _moves(dispute) if can_change else [],
        "is_open": dispute.status in OPEN_STATES,
        "mediation_form": (mediation_form or MediationForm()) if can_mediate else None,
        "reveal_form": RevealForm() if can_reveal and parties is None else None,
        "error": error,
        "conflict": status == 409,
        "tab": "list",
    }
    response = render(request, "persons/dispute_detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@police_page(disputes=True)
@require_GET
def dispute_detail(request, pk: int):
    return render_detail(request, selectors.dispute_get(user=request.user, pk=pk))


@police_page(selectors.REVEAL_PERM, disputes=True)
@require_POST
def dispute_reveal(request, pk: int):
    dispute = selectors.dispute_get(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render_detail(request, dispute, error=errors_text(form), status=400)
    audit.record_access(obj=dispute, actor=request.user, reason=form.cleaned_data["reason"])
    return render_detail(request, dispute, parties=dispute.parties)


@police_page(CHANGE_DISPUTE, disputes=True)
@require_POST
def dispute_transition(request, pk: int):
    user = request.user
    dispute = selectors.dispute_get(user=user, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_transition(
                dispute=dispute,
                to=data["to"],
                note=data["note"],
                actor=user,
                expected_version=data["version"],
            )
        except ConflictError as exc:
            dispute = selectors.dispute_get(user=user, pk=pk)
            return render_detail(request, dispute, error=exc.message, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("纠纷已转为“%(s)s”。") % {"s": DisputeStatus(data["to"]).label},
            )
            return redirect("persons:dispute_detail", pk=pk)
    dispute = selectors.dispute_get(user=user, pk=pk)
    return render_detail(request, dispute, error=errors_text(form), status=400)


@police_page(ADD_MEDIATION, disputes=True)
@require_POST
def mediation_create(request, pk: int):
    user = request.user
    dispute = selectors.dispute_get(user=user, pk=pk)
    form = MediationForm(request.POST)
    if form.is_valid():
        try:
            services.mediation_create(dispute=dispute, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("调解记录已保存。"))
            return redirect("persons:dispute_detail", pk=pk)
    dispute = selectors.dispute_get(user=user, pk=pk)
    return render_detail(request, dispute, mediation_form=form, error=errors_text(form), status=400)
