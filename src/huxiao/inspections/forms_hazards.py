"""Forms of the hazard, notice and 督办 pages. They only parse input: every write goes through
``inspections.services``, whose refusals the views put back on the form.

Every action form on a hazard carries the ``version`` the user saw; the service refuses a
stale one (someone else acted meanwhile) and the page answers 409 with the current state.
Field names are stable (``measures``, ``evidence``, ``passed``, ``note``): the browser tests
and the mobile clients post them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core import dictionaries, files, parameters
from huxiao.core.choices import OrgKind
from huxiao.inspections import rules
from huxiao.inspections.choices import (
    HAZARD_CATEGORY,
    HazardSource,
    PhotoPurpose,
    Severity,
)
from huxiao.schools.models import School

MAX_FILES = rules.MAX_FILES
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
EVIDENCE_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"

DEFAULT_REQUIREMENTS = _(
    "请你单位接到本通知后，立即组织对上述安全隐患进行整改，整改期间落实临时防范措施，"
    "确保师生安全；整改完毕后通过平台提交整改报告及整改前后照片等佐证材料，由我单位复查销号。"
    "逾期未整改或整改不到位的，将通报教育主管部门，并依照有关规定挂牌督办。"
)


def is_school_user(user) -> bool:
    """A user of a school (its security chief): acts for that school only."""
    org = getattr(user, "organization", None)
    return not user.is_superuser and org is not None and org.kind == OrgKind.SCHOOL


# ---- uploads -----------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by what it is (``core.files``), so a text
    file named .jpg is refused here, before anything is written."""

    def __init__(self, *args, images_only: bool = True, **kwargs):
        self.images_only = images_only
        accept = IMAGE_ACCEPT if images_only else EVIDENCE_ACCEPT
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
        cleaned = [super(MultipleFileField, self).clean(u, initial) for u in uploads]
        for upload in cleaned:
            files.validate_upload(upload, images_only=self.images_only)
        return cleaned


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


# ---- registering a hazard ----------------------------------------------------------------------


CATEGORY_INVALID = _("隐患类别不存在或已停用，请重新选择。")


def category_choices() -> list[tuple[str, str]]:
    return dictionaries.choices(HAZARD_CATEGORY)


class HazardCreateForm(forms.Form):
    """A police officer registers a hazard at any school in scope, from any source; a school's
    security chief reports one at the own school only, as 学校自查."""

    school = forms.ModelChoiceField(label=_("学校"), queryset=School.objects.none())
    source = forms.ChoiceField(label=_("来源"), choices=HazardSource.choices)
    # The enabled entries of the dictionary, read when the form is built (字典管理).
    category = forms.ChoiceField(
        label=_("类别"),
        choices=lambda: category_choices(),
        error_messages={"invalid_choice": CATEGORY_INVALID},
    )
    severity = forms.ChoiceField(
        label=_("等级"), choices=Severity.choices, initial=Severity.ORDINARY, required=False
    )
    title = forms.CharField(label=_("隐患"), max_length=200)
    description = forms.CharField(label=_("隐患描述"), required=False, widget=_textarea(4))
    responsible_party = forms.CharField(
        label=_("整改责任方"),
        max_length=128,
        required=False,
        help_text=_("留空则为该学校。"),
    )
    found_on = forms.DateField(label=_("发现日期"), required=False, widget=_date_input())
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=_date_input(),
        help_text=_("下发整改通知书时按工作日重新计算。"),
    )
    photos = MultipleFileField(
        label=_("现场照片"), required=False, help_text=_("可多选；JPG、PNG、WebP。")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = School.objects.visible_to(user).select_related("organization")
        self.school_user = is_school_user(user)
        if self.school_user:
            schools = schools.filter(organization=user.organization_id)
            del self.fields["source"]
        self.fields["school"].queryset = schools.order_by("organization__path")
        if self.school_user and len(self.fields["school"].queryset) == 1:
            self.fields["school"].initial = self.fields["school"].queryset[0].pk
        self.fields["found_on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "school": data["school"],
            "source": HazardSource.SELF_REPORT if self.school_user else data["source"],
            "category": data["category"],
            "severity": data["severity"] or Severity.ORDINARY,
            "title": data["title"],
            "description": data["description"],
            "responsible_party": data["responsible_party"],
            "found_on": data["found_on"],
            "deadline": data["deadline"],
            "photos": data["photos"],
        }


# ---- actions on a hazard -----------------------------------------------------------------------


class ActionForm(forms.Form):
    """The form of one action of the hazard page. Its fields are the arguments of the
    transitions the action runs (``rules.TRANSITIONS``, same names as the API's): a field is
    required, with the table's message, when every one of those transitions requires it."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _("页面已过期，请刷新后重新操作。")},
    )

    def __init__(self, *args, action: str, **kwargs):
        # Several action forms share a page: ids are unique, names stay plain.
        kwargs.setdefault("auto_id", f"{action}_%s")
        super().__init__(*args, **kwargs)
        self.action = action
        transitions = rules.page_transitions(action)
        for name, field in self.fields.items():
            args = [a for t in transitions for a in t.args if a.name == name]
            if not args:
                continue
            field.required = len(args) == len(transitions) and all(a.required for a in args)
            if field.required:
                field.error_messages = {**field.error_messages, "required": args[0].missing}


class StartForm(ActionForm):
    note = forms.CharField(label=_("说明"), required=False, widget=_textarea(2))


class ReportForm(ActionForm):
    measures = forms.CharField(label=_("整改措施"), widget=_textarea(4))
    evidence = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        images_only=False,
        help_text=_("整改后照片、验收单等，可多选；JPG、PNG、WebP、PDF。"),
    )


PASSED_CHOICES = (("1", _("通过，销号")), ("0", _("不通过，限期重新整改")))


class RecheckForm(ActionForm):
    passed = forms.ChoiceField(
        label=_("复查结论"),
        choices=PASSED_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="1",
    )
    note = forms.CharField(
        label=_("复查意见"),
        required=False,
        widget=_textarea(3),
        help_text=_("不通过时必填。"),
    )
    new_deadline = forms.DateField(
        label=_("新整改期限"), required=False, widget=_date_input(), help_text=_("不通过时填写。")
    )
    new_working_days = forms.IntegerField(
        label=_("或：自今日起工作日数"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("不填日期时按工作日计算新期限。"),
    )
    photos = MultipleFileField(label=_("复查照片"), required=False, help_text=_("可多选。"))

    def clean_passed(self) -> bool:
        # The transition's fixed keyword (rules.TRANSITIONS): recheck_passed or recheck_failed.
        return self.cleaned_data["passed"] == "1"


class DeadlineForm(ActionForm):
    deadline = forms.DateField(label=_("新整改期限"), widget=_date_input())
    reason = forms.CharField(label=_("调整原因"), widget=_textarea(2))


class EscalateForm(ActionForm):
    reason = forms.CharField(label=_("督办原因"), max_length=200, widget=_textarea(2))
    deadline = forms.DateField(label=_("督办期限"), required=False, widget=_date_input())


class ChaseForm(ActionForm):
    note = forms.CharField(
        label=_("催办意见"),
        required=False,
        max_length=500,
        widget=_textarea(2),
        help_text=_("可不填；学校收到的提醒会写明催办单位。"),
    )


PHOTO_PURPOSES = (
    (PhotoPurpose.BEFORE, PhotoPurpose.BEFORE.label),
    (PhotoPurpose.AFTER, PhotoPurpose.AFTER.label),
)


class PhotosForm(ActionForm):
    purpose = forms.ChoiceField(label=_("照片类别"), choices=PHOTO_PURPOSES)
    photos = MultipleFileField(
        label=_("照片"),
        error_messages={"required": _("请选择要上传的照片。")},
        help_text=_("可多选；JPG、PNG、WebP。"),
    )


class EscalationHandleForm(forms.Form):
    note = forms.CharField(
        label=_("督办意见"), widget=_textarea(3), error_messages={"required": _("请填写督办意见。")}
    )

    def __init__(self, *args, escalation_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"escalation{escalation_id}_%s")
        super().__init__(*args, **kwargs)


# ---- a rectification notice --------------------------------------------------------------------


class NoticeForm(forms.Form):
    """The school (chosen first), its open hazards without a notice, the working days."""

    school = forms.ModelChoiceField(
        label=_("主送学校"), queryset=School.objects.none(), widget=forms.HiddenInput
    )
    hazards = forms.ModelMultipleChoiceField(
        label=_("列入通知书的隐患"),
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请至少选择一项隐患。")},
    )
    working_days = forms.IntegerField(
        label=_("整改期限（工作日）"),
        min_value=1,
        max_value=120,
        help_text=_("自成文之日起按工作日计算，节假日顺延，调休上班日计入。"),
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        required=False,
        help_text=_("留空则为“关于某学校安全隐患限期整改的通知”。"),
    )
    requirements = forms.CharField(label=_("整改要求"), widget=_textarea(5), required=False)

    def __init__(self, *args, schools, candidates, **kwargs):
        """``schools``: the schools the user may write to; ``candidates``: the hazards that
        may go on a notice to the chosen school (scoped, open, without a notice)."""
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["hazards"].queryset = candidates
        self.fields["working_days"].initial = parameters.get("NOTICE_DEFAULT_WORKDAYS")
        self.fields["requirements"].initial = DEFAULT_REQUIREMENTS

    def clean(self):
        data = super().clean()
        school = data.get("school")
        for hazard in data.get("hazards") or ():
            if school is not None and hazard.school_id != school.pk:
                raise ValidationError(
                    {"hazards": _("隐患“%(t)s”不属于该学校。") % {"t": hazard.title}}
                )
        return data
