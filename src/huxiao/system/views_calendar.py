"""工作日历: which years' 放假调休 arrangements are known, and loading a year in one step.

An administrator types or pastes the days of the State Council's yearly notice, or uploads an
.xlsx of them, sees the preview (every day, the problems by line and column, the statutory
holidays the list leaves out), and confirms: the whole year is replaced at once or nothing is
(``core.services.calendar_year_load``). The confirmation re-reads the previewed days, sent
back with it, so nothing is kept between the two requests. Deadlines that the new days move
are recomputed by the modules that count working days, and their owners told.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core import calendar_import, services, workcalendar
from huxiao.core.models import CalendarDay, CalendarYear
from huxiao.core.views.generic import require

VIEW = "core.view_calendarday"
CHANGE = "core.change_calendarday"
MAX_BYTES = 2 * 1024 * 1024


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2000, max_value=2100)
    text = forms.CharField(
        label=gettext_lazy("放假和调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control hx-mono"}),
        help_text=gettext_lazy(
            "每行一天或一段：日期（或“开始日期 至 结束日期”）、类型（放假/上班）、名称，"
            "如“2027-02-05 至 2027-02-11 放假 春节”“2027-02-14 上班 春节调休”。"
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("或上传 .xlsx"),
        required=False,
        help_text=gettext_lazy("第一行表头：日期（或开始日期、结束日期）、类型、名称。"),
    )
    source = forms.CharField(
        label=gettext_lazy("依据"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）”。"
        ),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError(_("请填写日期，或上传 .xlsx 文件。"))
        upload = data.get("file")
        if upload is not None:
            if not upload.name.lower().endswith(".xlsx"):
                self.add_error("file", _("只接受 .xlsx 文件。"))
            elif upload.size > MAX_BYTES:
                self.add_error("file", _("文件不能超过 2 MB。"))
        return data


def _years() -> list[dict]:
    """The years around today: known (bundled or loaded) or counted on statutory days only."""
    first, last = workcalendar.package_years()
    loaded = {y.year: y for y in CalendarYear.objects.select_related("loaded_by")}
    this_year = timezone.localdate().year
    shown = sorted({*range(this_year - 1, this_year + 3), *loaded}, reverse=True)
    rows = []
    for year in shown:
        record = loaded.get(year)
        if record is not None:
            state, label = "loaded", _("已导入")
        elif first <= year <= last:
            state, label = "bundled", _("内置（chinese-calendar）")
        else:
            state, label = "statutory", _("未导入：按法定节假日计算")
        rows.append(
            {
                "year": year,
                "state": state,
                "label": label,
                "record": record,
                "statutory": len(workcalendar.statutory_holidays(year)),
            }
        )
    return rows


def _page(request, form, *, arrangement=None, status=200):
    rows = []
    if arrangement is not None:
        rows = [
            {"day": day, "weekday": weekday_label(day), "workday": workday, "name": name}
            for day, workday, name in arrangement.rows()
        ]
    context = {
        "form": form,
        "years": _years(),
        "arrangement": arrangement,
        "rows": rows,
        "can_change": request.user.has_perm(CHANGE),
        "table_rows": CalendarDay.objects.count(),
        "statutory_source": workcalendar.STATUTORY_SOURCE,
    }
    return render(request, "system/calendar.html", context, status=status)


def _read(form) -> calendar_import.Arrangement:
    year = form.cleaned_data["year"]
    upload = form.cleaned_data.get("file")
    if upload is not None:
        return calendar_import.parse_xlsx(year, upload.read())
    return calendar_import.parse_text(year, form.cleaned_data["text"])


@require(VIEW)
@require_http_methods(["GET", "POST"])
def calendar(request):
    if request.method == "GET":
        initial = {"year": timezone.localdate().year + 1}
        return _page(request, CalendarImportForm(initial=initial))
    if not request.user.has_perm(CHANGE):
        return _page(request, CalendarImportForm(), status=403)
    form = CalendarImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    arrangement = _read(form)
    if arrangement.problems or request.POST.get("confirm") != "1":
        # The preview (or the problems): nothing written. The days go back as text, so the
        # confirmation loads exactly what was shown.
        bound = CalendarImportForm(
            {
                "year": arrangement.year,
                "text": arrangement.as_text() if not arrangement.problems else form.data["text"],
                "source": form.cleaned_data["source"],
            }
        )
        bound.is_valid()
        return _page(
            request, bound, arrangement=arrangement, status=400 if arrangement.problems else 200
        )
    try:
        outcome = services.calendar_year_load(
            arrangement=arrangement, actor=request.user, source=form.cleaned_data["source"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, form, arrangement=arrangement, status=400)
    messages.success(
        request,
        _("已导入%(y)d年放假调休安排：放假 %(h)d 天，调休上班 %(w)d 天；工作日变化 %(c)d 天。")
        % {
            "y": outcome["year"],
            "h": outcome["holidays"],
            "w": outcome["workdays"],
            "c": len(outcome["changed"]),
        },
    )
    for sentence in outcome["done"]:
        messages.info(request, sentence)
    return redirect("system:calendar")


def weekday_label(day: dt.date) -> str:
    return dateformat.format(day, "l")  # 星期一 … in Chinese, Monday … in English
