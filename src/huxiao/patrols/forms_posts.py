"""Forms of the 护学岗 and roster pages. They parse input only: every write goes through
``patrols.services``, whose refusals the views put back on the form.

The post form carries the windows as rows (name, start, end, and the code kept hidden: shifts
and check-ins name windows by code, so an edited window keeps its code and a new one gets a
fresh one), the staffing requirement as four numbers and the 护学通道 as JSON
[[lon, lat], …] in a hidden input that ``huxiao/js/map.js`` fills from clicks on the map.
"""

from __future__ import annotations

import json
import math
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huxiao.core.models import User
from huxiao.patrols import rules
from huxiao.patrols.choices import DEFAULT_WINDOWS, PersonKind, PostKind
from huxiao.patrols.models import GuardPost
from huxiao.schools.models import School

MAX_WINDOWS = 4  # rows the editor shows (上学, 午间, 放学, 晚自习)
MAX_ROWS = 12
_ROW_KEY = re.compile(r"window_(?:code|name|start|end)_\d{1,2}")
MAX_CORRIDOR_POINTS = 200
STAFFING_FIELDS = (
    ("staff_police", PersonKind.POLICE),
    ("staff_auxiliary", PersonKind.AUXILIARY),
    ("staff_guard", PersonKind.GUARD),
    ("staff_volunteer", PersonKind.VOLUNTEER),
)


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def parse_corridor(raw: str):
    """The drawn ring as [[lon, lat], …], or None when nothing was drawn (Chinese errors)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        ring = json.loads(raw)
    except ValueError as exc:
        raise ValidationError(_("护学通道的数据无法识别，请清除后重新绘制。")) from exc
    if ring in (None, []):
        return None
    if not isinstance(ring, list) or not all(
        isinstance(p, list)
        and len(p) == 2
        and all(isinstance(v, int | float) and math.isfinite(v) for v in p)
        for p in ring
    ):
        raise ValidationError(_("护学通道应为[经度, 纬度]坐标点的列表。"))
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]  # a closed ring: the service keeps it open
    if len(ring) < 3:
        raise ValidationError(_("护学通道至少需要3个点（在地图上依次点击通道的各个拐点）。"))
    if len(ring) > MAX_CORRIDOR_POINTS:
        raise ValidationError(_("护学通道最多%(n)d个点。") % {"n": MAX_CORRIDOR_POINTS})
    for lon, lat in ring:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("护学通道的坐标超出范围。"))
    from shapely.geometry import Polygon

    polygon = Polygon(ring)
    if not polygon.is_valid or polygon.area == 0:
        raise ValidationError(_("护学通道不是有效的多边形：边不能交叉，请撤销后按顺序绘制。"))
    return ring


class PostForm(forms.Form):
    school = forms.ModelChoiceField(label=_("学校"), queryset=School.objects.none())
    name = forms.CharField(label=_("岗位名称"), max_length=64)
    kind = forms.ChoiceField(label=_("类型"), choices=PostKind.choices, initial=PostKind.FIXED)
    latitude = forms.DecimalField(
        label=_("纬度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "0.000001"}),
    )
    longitude = forms.DecimalField(
        label=_("经度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "0.000001"}),
    )
    radius_m = forms.IntegerField(
        label=_("打卡半径（米）"), min_value=10, max_value=2000, initial=100
    )
    staff_police = forms.IntegerField(label=_("民警"), min_value=0, max_value=50, initial=1)
    staff_auxiliary = forms.IntegerField(label=_("辅警"), min_value=0, max_value=50, initial=0)
    staff_guard = forms.IntegerField(label=_("保安"), min_value=0, max_value=50, initial=1)
    staff_volunteer = forms.IntegerField(label=_("志愿者"), min_value=0, max_value=50, initial=0)
    is_pilot = forms.BooleanField(label=_("“警校家”试点"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    corridor = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, post: GuardPost | None = None, **kwargs):
        self.post = post
        if post is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(post)
        super().__init__(*args, **kwargs)
        if post is None:
            self.fields["school"].queryset = (
                School.objects.visible_to(user)
                .select_related("organization")
                .order_by("organization__path")
            )
        else:
            del self.fields["school"]  # a post stays at its school
        initial_windows = self.initial.get("windows") or [
            {"code": code, **w} for code, w in zip(("am", "pm"), DEFAULT_WINDOWS, strict=True)
        ]
        # Rows for every window the post has (one set through the API may have more than the
        # form's usual four) and every row posted back, so that none is dropped on saving.
        posted = [int(k.rsplit("_", 1)[1]) + 1 for k in self.data if _ROW_KEY.fullmatch(k)]
        self.row_count = min(max(MAX_WINDOWS, len(initial_windows), *posted), MAX_ROWS)
        for n in range(self.row_count):
            w = initial_windows[n] if n < len(initial_windows) else {}
            self.fields[f"window_code_{n}"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=w.get("code", "")
            )
            self.fields[f"window_name_{n}"] = forms.CharField(
                label=_("时段名称"), required=False, max_length=16, initial=w.get("name", "")
            )
            self.fields[f"window_start_{n}"] = forms.TimeField(
                label=_("开始"), required=False, widget=_time_input(), initial=w.get("start")
            )
            self.fields[f"window_end_{n}"] = forms.TimeField(
                label=_("结束"), required=False, widget=_time_input(), initial=w.get("end")
            )

    @staticmethod
    def initial_from(post: GuardPost) -> dict:
        staffing = post.staffing or {}
        return {
            "name": post.name,
            "kind": post.kind,
            "latitude": post.latitude,
            "longitude": post.longitude,
            "radius_m": post.radius_m,
            "is_pilot": post.is_pilot,
            "is_active": post.is_active,
            "corridor": json.dumps(post.corridor) if post.corridor else "",
            "windows": post.windows,
            **{field: staffing.get(kind, 0) for field, kind in STAFFING_FIELDS},
        }

    def window_rows(self):
        """The editor's rows for the template: (code, name, start, end) bound fields."""
        return [
            (
                self[f"window_code_{n}"],
                self[f"window_name_{n}"],
                self[f"window_start_{n}"],
                self[f"window_end_{n}"],
            )
            for n in range(self.row_count)
        ]

    def staffing_fields(self):
        return [self[field] for field, _kind in STAFFING_FIELDS]

    def clean_corridor(self):
        return parse_corridor(self.cleaned_data.get("corridor", ""))

    def _clean_windows(self) -> list[dict]:
        rows, used = [], set()
        for n in range(self.row_count):
            code = (self.cleaned_data.get(f"window_code_{n}") or "").strip()[:16]
            name = (self.cleaned_data.get(f"window_name_{n}") or "").strip()
            start = self.cleaned_data.get(f"window_start_{n}")
            end = self.cleaned_data.get(f"window_end_{n}")
            if f"window_start_{n}" in self.errors or f"window_end_{n}" in self.errors:
                continue
            if not name and start is None and end is None:
                continue  # an empty row
            if not name:
                self.add_error(f"window_name_{n}", _("请填写时段名称（如：上学、放学）。"))
            if start is None or end is None:
                self.add_error(f"window_start_{n}", _("请填写开始和结束时间。"))
                continue
            if end <= start:
                self.add_error(f"window_end_{n}", _("结束时间应晚于开始时间。"))
                continue
            if code in used:
                code = ""
            used.add(code)
            rows.append(
                {"code": code, "name": name, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            )
        if not rows and not any(f.startswith("window_") for f in self.errors):
            self.add_error(None, _("至少要有一个值守时段。"))
        rows.sort(key=lambda w: w["start"])
        for earlier, later in zip(rows, rows[1:], strict=False):
            if later["start"] < earlier["end"]:
                self.add_error(
                    None,
                    _("时段“%(a)s”和“%(b)s”的时间重叠。")
                    % {"a": earlier["name"], "b": later["name"]},
                )
        # New rows get a code no other window of the post uses: shifts keep naming theirs.
        taken = {w["code"] for w in rows if w["code"]}
        spare = (c for c in ("am", "pm", *(f"w{i}" for i in range(1, 50))) if c not in taken)
        for w in rows:
            if not w["code"]:
                w["code"] = next(spare)
        return rows

    def clean(self):
        cleaned = super().clean()
        windows = self._clean_windows()
        if not self.errors:
            problems = rules.validate_windows(windows)
            for problem in problems:
                self.add_error(None, problem)
        cleaned["windows"] = windows
        # The service refuses a far corridor too (rules.corridor_problem); checked here as well
        # so that the form shows it beside its other errors.
        problem = rules.corridor_problem(
            cleaned.get("latitude"), cleaned.get("longitude"), cleaned.get("corridor")
        )
        if problem:
            self.add_error("corridor", problem)
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "kind": data["kind"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "radius_m": data["radius_m"],
            "windows": data["windows"],
            "staffing": {kind.value: data[field] for field, kind in STAFFING_FIELDS},
            "corridor": data.get("corridor"),
            "is_pilot": data["is_pilot"],
            "is_active": data["is_active"],
        }


# ---- rosters -----------------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.organization.name if obj.organization_id else ""
        return f"{obj.display_name}（{org}）" if org else obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoiceField.label_from_instance


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.school.organization.name} · {obj.name}"


def people_for(user):
    """The active users ``user`` may put on a roster: those in the user's scope."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("organization")
        .order_by("organization__path", "full_name", "username")
    )


def posts_for(user):
    return (
        GuardPost.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("school__organization")
        .order_by("school__organization__path", "name", "id")
    )


class ShiftBulkForm(forms.Form):
    post = PostChoiceField(label=_("护学岗"), queryset=GuardPost.objects.none())
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    windows = forms.MultipleChoiceField(
        label=_("时段"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    people = PeopleChoiceField(
        label=_("值守人员"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可按住 Ctrl（手机上直接点选）选择多人。"),
    )

    def __init__(self, *args, user, post: GuardPost | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts_for(user)
        self.fields["people"].queryset = people_for(user)
        # Choosing another post reloads its windows (htmx picks them out of the same page).
        self.fields["post"].widget.attrs.update(
            {
                "hx-get": reverse("patrols:shift_bulk_create"),
                "hx-trigger": "change",
                "hx-target": "#bulk-windows",
                "hx-select": "#bulk-windows",
                "hx-swap": "outerHTML",
            }
        )
        if post is not None:
            self.fields["post"].initial = post.pk
            windows = post.windows
        else:
            windows = [
                {"code": code, **w} for code, w in zip(("am", "pm"), DEFAULT_WINDOWS, strict=True)
            ]
        choices = {w["code"]: f"{w['name']} {w['start']}–{w['end']}" for w in windows}
        if self.is_bound:
            # The post chosen decides which windows exist; accept its codes (the service checks).
            chosen = self._bound_post()
            if chosen is not None:
                choices = {
                    w["code"]: f"{w['name']} {w['start']}–{w['end']}" for w in chosen.windows
                }
        self.fields["windows"].choices = list(choices.items())
        self.fields["windows"].initial = list(choices)

    def _bound_post(self):
        try:
            return self.fields["post"].queryset.get(pk=int(self.data.get("post") or 0))
        except (ValueError, GuardPost.DoesNotExist):
            return None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned


class ShiftSwapForm(forms.Form):
    person = PersonChoiceField(label=_("调给"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("调班原因"), max_length=200, required=False, widget=forms.TextInput()
    )

    def __init__(self, *args, user, shift, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_for(user).exclude(pk=shift.person_id)


class ShiftCancelForm(forms.Form):
    note = forms.CharField(label=_("取消原因"), max_length=200, required=False)
