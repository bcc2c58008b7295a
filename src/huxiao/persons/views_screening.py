"""Pages of rolling screening (滚动排查): the batches with their totals, and a new batch.

The totals are ``selectors.screening_totals`` over the same filters as the list — the
seeds' "已排查重点人员318人" is the "排查人数" sum of a campaign's batches.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, page_of
from huxiao.persons import selectors, services
from huxiao.persons.filtersets import ScreeningFilterSet
from huxiao.persons.forms import ScreeningForm
from huxiao.persons.views_access import police_page

ADD_SCREENING = "persons.add_screeningbatch"

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
        Column(gettext_lazy("说明"), lambda b: b.note),
    ),
)
screening_export = police_page()(batches.export_view)


def _totals(user, filterset) -> dict[str, int]:
    if not filterset.is_valid():
        return {"screened": 0, "newly_listed": 0, "removed": 0, "batches": 0}
    data = filterset.form.cleaned_data
    campaign = data.get("campaign")
    return selectors.screening_totals(
        user=user,
        organization=data.get("organization"),
        start=data.get("start"),
        end=data.get("end"),
        campaign_id=campaign.pk if campaign else None,
    )


@police_page()
@require_GET
def screening_list(request):
    filterset, queryset = batches.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, queryset),
        "totals": _totals(request.user, filterset),
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
            services.screening_batch_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("排查批次已登记。"))
            return redirect("persons:screening_list")
    context = {"form": form, "tab": "screening"}
    return render(request, "persons/screening_form.html", context, status=400)
