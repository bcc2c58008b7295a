"""Forms of the documents: one per kind (jurisdiction, period and the kind's inputs), the
template's text, and the list's filters. Validation is the service's (``services_documents``):
the forms only collect, and a refusal comes back as the field's error in Chinese."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.filtersets import JurisdictionFilterSet, since, until
from huxiao.reports import periods
from huxiao.reports.documents import reply_letter
from huxiao.reports.models import GeneratedReport, ReportKind

_DATE = {"type": "date"}


class DocumentFilterSet(JurisdictionFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("文书类型"), choices=ReportKind.choices, empty_label=_("全部类型")
    )
    date_from = django_filters.DateFilter(
        label=_("申请起始日期"),
        method=since("requested_at"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label=_("申请截止日期"),
        method=until("requested_at"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )

    class Meta:
        model = GeneratedReport
        fields = ["kind", "date_from", "date_to"]


class _ScopeFields(forms.Form):
    """The jurisdiction (an organisation in scope, default one's own) and the period."""

    org = forms.ChoiceField(label=_("辖区（出具单位）"))
    start = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("截止日期"), widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, organizations, home=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(str(o.pk), o.name) for o in organizations]
        if home is not None:
            self.fields["org"].initial = str(home.pk)
        last = periods.preset("last_month", timezone.localdate())
        self.fields["start"].initial, self.fields["end"].initial = last.start, last.end

    def scope_query(self) -> dict[str, str]:
        """What ``reports.scope.read`` reads, as the dashboard's query names it."""
        data = self.cleaned_data
        return {
            "org": data.get("org") or "",
            "from": data["start"].isoformat() if data.get("start") else "",
            "to": data["end"].isoformat() if data.get("end") else "",
        }


class WorkReportForm(_ScopeFields):
    addressee = forms.CharField(
        label=_("主送机关"),
        max_length=200,
        required=False,
        help_text=_("留空则主送上级单位。"),
    )
    params_fields = ("addressee",)


class RectificationReportForm(_ScopeFields):
    addressee = forms.CharField(
        label=_("主送机关"), max_length=200, help_text=_("如“市纠风办”或上级单位。")
    )
    source = forms.CharField(
        label=_("问题来源"), max_length=200, help_text=_("如：第七期“阳光政务”电视节目")
    )
    issue = forms.CharField(label=_("反映问题"), max_length=200, help_text=_("如：关于幼儿园安全"))
    params_fields = ("addressee", "source", "issue")


class ReplyLetterForm(_ScopeFields):
    category = forms.ChoiceField(label=_("类别标识"), choices=reply_letter.CATEGORIES)
    disclosure = forms.ChoiceField(label=_("公开属性"), choices=reply_letter.DISCLOSURES)
    addressee = forms.CharField(
        label=_("答复对象"), max_length=200, help_text=_("如：张文珠、杨旭东委员")
    )
    proposal_session = forms.CharField(
        label=_("会议名称"), max_length=200, help_text=_("如：政协官渡区九届五次会议")
    )
    proposal_number = forms.CharField(label=_("提案编号"), max_length=32, help_text=_("如：95088"))
    proposal_title = forms.CharField(
        label=_("提案标题"),
        max_length=200,
        help_text=_("如：关于尽快提高校园安保应急处理能力的建议"),
    )
    contact = forms.CharField(
        label=_("联系人及电话"),
        max_length=200,
        required=False,
        help_text=_("如：黄跃岗 0871-67190280"),
    )
    copy_to = forms.CharField(
        label=_("抄送"),
        max_length=200,
        required=False,
        help_text=_("多个机关用顿号分隔，如：区政协提案委、区政府目督办"),
    )
    params_fields = (
        "category",
        "disclosure",
        "addressee",
        "proposal_session",
        "proposal_number",
        "proposal_title",
        "contact",
        "copy_to",
    )


FORMS = {
    ReportKind.WORK_REPORT.value: WorkReportForm,
    ReportKind.REPLY_LETTER.value: ReplyLetterForm,
    ReportKind.RECTIFICATION_REPORT.value: RectificationReportForm,
}


class TemplateForm(forms.Form):
    body = forms.CharField(
        label=_("正文模板"), widget=forms.Textarea(attrs={"rows": 24, "class": "hx-mono"})
    )
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)
