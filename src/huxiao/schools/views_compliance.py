"""The jurisdiction roll-up page: 四个100% and the other indicators, every number a link."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.exports import xlsx_response
from huxiao.core.views.generic import require
from huxiao.schools import compliance, selectors

# Which list of schools stands behind an indicator's failing count.
_FAILING_LINKS = {
    "networked": (
        ("alarm_networked", gettext_lazy("报警未联网")),
        ("video_networked", gettext_lazy("视频未联网")),
    ),
    "urban_video_networked": (("video_networked", None),),
}


def _summary(request):
    org_id = request.GET.get("org") or (request.user.organization_id or 0)
    try:
        org_id = int(org_id)
    except (TypeError, ValueError):
        org_id = 0
    return selectors.compliance_summary(user=request.user, org_id=org_id)


def _links(summary: compliance.Summary, code: str, org_id: int) -> list[tuple[str, str]]:
    base = reverse("schools:school_list")
    links = []
    for rule, label in _FAILING_LINKS.get(code, ((code, None),)):
        params = {"org": org_id, "failing": rule}
        if code == "urban_video_networked":
            params["locality"] = "urban"
        links.append((f"{base}?{urlencode(params)}", str(label) if label else ""))
    return links


@require("schools.view_school")
def compliance_summary(request):
    summary = _summary(request)
    org_id = summary.organization.pk
    indicators = [
        {"ind": ind, "links": _links(summary, ind.code, org_id)}
        for ind in summary.total.indicators.values()
    ]
    four = [row for row in indicators if row["ind"].four_100]
    others = [row for row in indicators if not row["ind"].four_100]
    four_codes = [row["ind"].code for row in four]
    children = [
        {
            "row": child,
            "four": [child.indicators[c] for c in four_codes],
            "schools_url": f"{reverse('schools:school_list')}?{urlencode({'org': child.organization_id})}",
            "drill_url": f"{reverse('schools:compliance_summary')}?{urlencode({'org': child.organization_id})}",
        }
        for child in summary.children
        if child.organization_id
    ]
    context = {
        "summary": summary,
        "four": four,
        "others": others,
        "four_titles": [row["ind"].title for row in four],
        "children": children,
        "schools_url": f"{reverse('schools:school_list')}?{urlencode({'org': org_id})}",
    }
    return render(request, "schools/compliance_summary.html", context)


def _pct(rate):
    return "" if rate is None else round(rate * 100, 1)


@require("schools.view_school")
def compliance_export(request):
    summary = _summary(request)
    codes = list(summary.total.indicators)
    headers = [_("单位"), _("学校数")]
    for code in codes:
        title = summary.total.indicators[code].title
        headers += [
            _("%(title)s（达标）") % {"title": title},
            _("%(title)s（适用）") % {"title": title},
            _("%(title)s（达标率%%）") % {"title": title},
        ]
    rows = []
    for row in [summary.total, *summary.children]:
        values = [row.name, row.schools]
        for code in codes:
            ind = row.indicators[code]
            values += [ind.passing, ind.applicable, _pct(ind.rate)]
        rows.append(values)
    return xlsx_response(
        request=request,
        filename=_("合规汇总-%(name)s") % {"name": summary.organization.name},
        headers=headers,
        rows=rows,
        object_type="schools.compliance_summary",
        filters={"org": summary.organization.pk},
    )
