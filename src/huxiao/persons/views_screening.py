"""Pages of rolling screening (滚动排查): the batches with their totals, a new batch, and a
batch's page listing the persons checked in it.

A batch's 排查人数, 新增列管 and 撤销列管 are the counts of the persons recorded in it (kept on
the batch by ``services.screening_entries_add``); a batch imported from history has typed
totals instead and says so (历史导入) on the list, its page and the export. The totals are
``selectors.screening_totals`` over the same filters as the list — the seeds' "已排查重点人员
318人" is the "排查人数" sum of a campaign's batches, and the figure ``persons.screened``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, page_of
from huxiao.persons import selectors, services
from huxiao.persons.filtersets import ScreeningFilterSet
from huxiao.persons.forms import ScreeningEntryForm, ScreeningForm
from huxiao.persons.views_access import police_page

ADD_SCREENING = "persons.add_screeningbatch"
ADD_PERSON = "persons.add_keyperson"

batches = ScopedList(
    permission="persons.view_screeningbatch",
    selector=lambda user: selectors.screening_batch_list(user=user),
    filterset_class=ScreeningFilterSet,
    template="persons/screening_list.html",
    export_filename=gettext_lazy("滚动排查"),
    object_type="persons.screeningbatch",
    columns=(
        Column(gettext_lazy("排查单位"), lambda b: b.organization.name),
        Column(gettext_lazy("专项行动"), lambda b: b.campaign.name if b.campaign_id else ""),
        Column(gettext_lazy("开始日期"), lambda b: b.period_start),
        Column(gettext_lazy("结束日期"), lambda b: b.period_end),
        Column(gettext_lazy("排查人数"), lambda b: b.screened),
        Column(gettext_lazy("新增列管"), lambda b: b.newly_listed),
        Column(gettext_lazy("撤销列管"), lambda b: b.removed),
        Column(
            gettext_lazy("人数来源"),
            lambda b: str(_("历史导入（合计）") if b.imported else _("逐人登记")),
        ),
        Column(gettext_lazy("说明"), lambda b: b.note),
    ),
)
screening_export = police_page()(batches.export_view)


def _totals(queryset) -> dict[str, int]:
    """Sums over the filtered list itself: the rows the page shows and the figure counts."""
    sums = queryset.aggregate(
        screened=Sum("screened"),
        newly_listed=Sum("newly_listed"),
        removed=Sum("removed"),
        batches=Count("id"),
        imported=Count("id", filter=Q(imported=True)),
    )
    return {k: v or 0 for k, v in sums.items()}


@police_page()
@require_GET
def screening_list(request):
    filterset, queryset = batches.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, queryset),
        "totals": _totals(queryset),
        "can_add": request.user.has_perm(ADD_SCREENING),
        "tab": "screening",
    }
    return render(request, "persons/screening_list.html", context)


@police_page(ADD_SCREENING)
@require_http_methods(["GET", "POST"])
def screening_create(request):
    user = request.user
    if request.method != "POST":
        form = ScreeningForm(user=user, initial={"campaign": request.GET.get("campaign")})
        return render(request, "persons/screening_form.html", {"form": form, "tab": "screening"})
    form = ScreeningForm(request.POST, user=user)
    if form.is_valid():
        try:
            batch = services.screening_batch_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if batch.imported:
                messages.success(request, _("历史排查批次已导入。"))
            else:
                messages.success(request, _("排查批次已登记，请逐人登记排查人员。"))
            return redirect("persons:screening_detail", pk=batch.pk)
    context = {"form": form, "tab": "screening"}
    return render(request, "persons/screening_form.html", context, status=400)


def _detail(request, batch, *, form=None, status=200):
    user = request.user
    can_add = user.has_perm(ADD_SCREENING) and not batch.imported
    if can_add and form is None:
        form = ScreeningEntryForm(user=user, batch=batch)
    context = {
        "batch": batch,
        "entries": list(selectors.screening_entry_list(user=user, batch=batch)),
        "form": form if can_add else None,
        "can_list_new": can_add and user.has_perm(ADD_PERSON),
        "tab": "screening",
    }
    return render(request, "persons/screening_detail.html", context, status=status)


@police_page()
@require_GET
def screening_detail(request, pk: int):
    return _detail(request, selectors.screening_batch_get(user=request.user, pk=pk))


@police_page(ADD_SCREENING)
@require_POST
def screening_entries(request, pk: int):
    user = request.user
    batch = selectors.screening_batch_get(user=user, pk=pk)
    if batch.imported:
        messages.error(request, _("历史导入的批次只有合计，不能逐人登记排查人员。"))
        return _detail(request, batch, status=400)
    form = ScreeningEntryForm(request.POST, user=user, batch=batch)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entries = services.screening_entries_add(
                batch=batch,
                actor=user,
                persons=list(data["persons"]),
                outcome=data["outcome"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记%(n)d名排查人员。") % {"n": len(entries)})
            return redirect("persons:screening_detail", pk=batch.pk)
    return _detail(request, batch, form=form, status=400)
