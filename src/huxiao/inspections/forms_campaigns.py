"""Forms of the campaign, checklist and inspection pages. They only parse input: every write
goes through ``inspections.services``, and every choice they offer comes from the user's scope."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core import files
from huxiao.core.choices import POLICE_KINDS
from huxiao.core.models import User
from huxiao.inspections.choices import ItemGroup, Severity
from huxiao.inspections.models import Campaign, ChecklistTemplate
from huxiao.schools.models import School

__all__ = [
    "CampaignForm",
    "ChecklistForm",
    "HazardFromResultForm",
    "InspectionStartForm",
    "items_to_text",
    "parse_items",
]


def _date_input():
    # An <input type=date> takes and shows ISO dates whatever the language of the page.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def visible_schools(user):
    return (
        School.objects.visible_to(user)
        .select_related("organization__parent")
        .order_by("organization__parent__code", "school_code")
    )


def police_users(user):
    """The active police officers ``user`` sees: the inspectors an inspection may name."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, organization__kind__in=POLICE_KINDS, role__is_police=True)
        .select_related("organization")
        .order_by("organization__code", "username")
    )


def _styled(form: forms.Form) -> None:
    """Bootstrap classes on every widget (radios and check lists as form-check inputs)."""
    for field in form.fields.values():
        widget = field.widget
        # CheckboxSelectMultiple is a RadioSelect; neither is a Select.
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def school_label(school) -> str:
    station = school.organization.parent
    name = school.organization.name
    return f"{name}（{station.name}）" if station else name


def active_checklists():
    # Only a template with a published version can be used (the services refuse the others).
    return ChecklistTemplate.objects.filter(is_active=True, versions__isnull=False).distinct()


class SchoolChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return school_label(obj)


class InspectorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.organization.name}）"


# ---- campaigns -------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128)
    start_date = forms.DateField(label=_("开始日期"), widget=_date_input())
    end_date = forms.DateField(label=_("结束日期"), widget=_date_input())
    checklist = forms.ModelChoiceField(label=_("检查表"), queryset=ChecklistTemplate.objects.none())
    all_schools = forms.BooleanField(
        label=_("选择我辖区的全部学校"),
        required=False,
        help_text=_("勾选后，您数据范围内的全部学校、幼儿园都是目标学校（不必逐一勾选）。"),
    )
    targets = SchoolChoices(
        label=_("目标学校"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, campaign: Campaign | None = None, **kwargs):
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": campaign.name,
                "start_date": campaign.start_date,
                "end_date": campaign.end_date,
                "checklist": campaign.checklist_id,
                "targets": list(campaign.targets.values_list("pk", flat=True)),
                "description": campaign.description,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        checklists = active_checklists()
        if campaign is not None:
            # A campaign keeps its checklist even after the template is switched off.
            checklists = ChecklistTemplate.objects.filter(
                pk__in=[*checklists.values_list("pk", flat=True), campaign.checklist_id]
            )
        self.fields["checklist"].queryset = checklists.order_by("name")
        self.fields["targets"].queryset = visible_schools(user)
        _styled(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        if data.get("all_schools"):
            data["targets"] = list(self.fields["targets"].queryset)
        elif not data.get("targets") and "targets" not in self.errors:
            self.add_error("targets", _("请至少选择一所目标学校，或勾选“选择我辖区的全部学校”。"))
        return data


# ---- checklists ------------------------------------------------------------------------------

ITEM_HELP = _(
    "每行一个检查项，格式为“类别|编号|检查内容|检查要点”。类别为人防、物防、技防、制度、应急、"
    "周边之一；编号可留空（按顺序自动编号）；检查要点可省略。"
)


def _group_of(label: str) -> str | None:
    """A category from its label in the current language, its Chinese label or its code."""
    from django.utils.translation import override

    groups = {value: value for value in ItemGroup.values}
    groups.update({str(lbl): value for value, lbl in ItemGroup.choices})
    with override("zh-hans"):
        groups.update({str(lbl): value for value, lbl in ItemGroup.choices})
    return groups.get(label)


def items_to_text(items) -> str:
    """A version's items as the textarea shows them, one “组|编号|内容|要点” line each."""
    labels = dict(ItemGroup.choices)
    lines = []
    for item in items:
        parts = [str(labels.get(item.group, item.group)), item.code, item.text]
        if item.guidance:
            parts.append(item.guidance.replace("\n", " "))
        lines.append("|".join(parts))
    return "\n".join(lines)


def parse_items(text: str) -> tuple[list[dict], list[str]]:
    """Parse the textarea; return (items, errors) with errors naming the line (第n行)."""
    items, errors, codes = [], [], {}
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|", 3)]
        if len(parts) < 3:
            errors.append(
                str(
                    _(
                        "第%(n)d行：应为“类别|编号|检查内容|检查要点”，至少要有类别、编号和检查内容。"
                    )
                )
                % {"n": n}
            )
            continue
        group_label, code, text_ = parts[0], parts[1], parts[2]
        guidance = parts[3] if len(parts) > 3 else ""
        group = _group_of(group_label)
        if group is None:
            errors.append(
                str(_("第%(n)d行：类别“%(g)s”不正确，应为人防、物防、技防、制度、应急、周边之一。"))
                % {"n": n, "g": group_label}
            )
        if not text_:
            errors.append(str(_("第%(n)d行：检查内容不能为空。")) % {"n": n})
        elif len(text_) > 300:
            errors.append(str(_("第%(n)d行：检查内容过长（最多300字）。")) % {"n": n})
        if len(code) > 16:
            errors.append(
                str(_("第%(n)d行：编号“%(c)s”过长（最多16个字符）。")) % {"n": n, "c": code}
            )
        elif code and code in codes:
            errors.append(
                str(_("第%(n)d行：编号“%(c)s”与第%(m)d行重复。"))
                % {"n": n, "c": code, "m": codes[code]}
            )
        if code:
            codes.setdefault(code, n)
        items.append({"group": group or "", "code": code, "text": text_, "guidance": guidance})
    if not items and not errors:
        errors.append(str(_("检查表至少要有一个检查项。")))
    return items, errors


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(
        label=_("启用"),
        required=False,
        initial=True,
        help_text=_("停用的检查表不能用于新的专项行动和检查。"),
    )
    items = forms.CharField(
        label=_("检查项"),
        widget=forms.Textarea(
            attrs={"rows": 18, "class": "form-control hx-mono", "spellcheck": "false"}
        ),
        help_text=ITEM_HELP,
    )
    note = forms.CharField(
        label=_("修订说明"),
        max_length=200,
        required=False,
        help_text=_("说明本次修订改了什么，显示在版本记录中。"),
    )

    def __init__(self, *args, template: ChecklistTemplate | None = None, **kwargs):
        if template is not None and "initial" not in kwargs:
            version = template.current_version
            kwargs["initial"] = {
                "name": template.name,
                "description": template.description,
                "is_active": template.is_active,
                "items": items_to_text(version.items.all()) if version else "",
            }
        super().__init__(*args, **kwargs)
        self.template = template
        if template is None:
            # A new checklist's first version is the “初始版本”; it has no revision note.
            del self.fields["note"]
            del self.fields["is_active"]
        _styled(self)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = ChecklistTemplate.objects.filter(name=name)
        if self.template is not None:
            others = others.exclude(pk=self.template.pk)
        if others.exists():
            raise ValidationError(_("已有同名的检查表。"))
        return name

    def clean_items(self):
        items, errors = parse_items(self.cleaned_data["items"])
        if errors:
            raise ValidationError(errors)
        return items


# ---- inspections -----------------------------------------------------------------------------


class SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return school_label(obj)


class InspectionStartForm(forms.Form):
    school = SchoolChoice(label=_("学校"), queryset=School.objects.none())
    date = forms.DateField(label=_("检查日期"), widget=_date_input())
    campaign = forms.ModelChoiceField(
        label=_("专项行动"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("（不属于专项行动）"),
    )
    checklist = forms.ModelChoiceField(
        label=_("检查表"),
        queryset=ChecklistTemplate.objects.none(),
        required=False,
        help_text=_("属于专项行动的检查使用专项行动的检查表；日常检查请选择检查表。"),
    )
    inspectors = InspectorChoices(
        label=_("检查民警"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("出动警力人次按检查民警人数计。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["school"].queryset = visible_schools(user)
        self.fields["campaign"].queryset = (
            Campaign.objects.visible_to(user).select_related("checklist").order_by("-start_date")
        )
        self.fields["checklist"].queryset = active_checklists().order_by("name")
        self.fields["inspectors"].queryset = police_users(user)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            if self.fields["inspectors"].queryset.filter(pk=user.pk).exists():
                self.initial.setdefault("inspectors", [user.pk])
        _styled(self)

    def clean(self):
        data = super().clean()
        campaign, school = data.get("campaign"), data.get("school")
        if campaign is None and not data.get("checklist") and "checklist" not in self.errors:
            self.add_error("checklist", _("不属于专项行动的检查请选择检查表。"))
        if (
            campaign is not None
            and school is not None
            and campaign.targets.exists()
            and not campaign.targets.filter(pk=school.pk).exists()
        ):
            self.add_error("school", _("该学校不是所选专项行动的目标学校。"))
        return data


# ---- a failed item → a hazard ----------------------------------------------------------------


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos at once; each must really be a JPG, PNG or WebP image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleImageField, self).clean(u, initial) for u in uploads]
        for upload in cleaned:
            files.validate_upload(upload, images_only=True)
        return cleaned


class HazardFromResultForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("隐患等级"),
        choices=Severity.choices,
        initial=Severity.ORDINARY,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("隐患"), max_length=200)
    description = forms.CharField(
        label=_("隐患描述"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=_date_input(),
        help_text=_("可留空，下发整改通知书时按工作日计算。"),
    )
    photos = MultipleImageField(
        label=_("现场照片"), required=False, help_text=_("可多选，JPG、PNG、WebP 图片。")
    )

    def __init__(self, *args, result=None, **kwargs):
        if result is not None and "initial" not in kwargs:
            kwargs["initial"] = {"title": result.item.text, "description": result.note}
        # Unique ids per item: the page shows one form for each failed item.
        if result is not None:
            kwargs.setdefault("auto_id", f"id_hz{result.pk}_%s")
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            raise ValidationError(_("整改期限不能早于今天。"))
        return deadline
