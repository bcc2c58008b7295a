"""Statistics and reports (SPEC, issue 15): the text templates of the documents written from
the figures, and every document generated, kept so that a signed report can be reproduced.

- ``ReportTemplate``: the words around the figures of one kind of document for one
  organisation, with named placeholders (``{inspections.person_times}``); each save is a new
  version, the previous ones stay (a generated report names the version it used).
- ``GeneratedReport``: who asked for which document, of which jurisdiction and period, when;
  the template version (and its text), the figures' values as computed, the file and its
  SHA-256. Writing it again from what it keeps gives the same bytes (reports.documents).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    WORK_REPORT = "work_report", _("工作情况报告")
    REPLY_LETTER = "reply_letter", _("答复函")
    RECTIFICATION_REPORT = "rectification_report", _("整改报告")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class ReportTemplate(models.Model):
    """One version of the text of a kind of document for an organisation."""

    scope_org_path = "organization"

    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("单位"),
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=ReportKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    body = models.TextField(_("正文模板"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("修订人")
    )
    created_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告模板")
        verbose_name_plural = _("报告模板")
        ordering = ["organization", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "version"], name="report_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class GeneratedReport(models.Model):
    """A document generated from the figures, kept with what it was computed from."""

    scope_org_path = "organization"

    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("辖区"),
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=ReportKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("模板版本"),
    )
    # Kind-specific inputs (答复函: category, 公开属性, addressee, proposal; 整改报告: the issue).
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # {code: {"label", "value", "unit", "definition", "url", "count"}} as computed.
    figures = models.JSONField(_("指标值"), default=dict, blank=True)
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误"), blank=True)
    content = models.BinaryField(_("文件"), null=True, blank=True)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # 成文日期: the day it was asked for, kept so that writing it again gives the same file.
    issue_date = models.DateField(_("成文日期"))
    # The text the document was written from: the template version's, or the default text
    # (which may change with a release) when the organisation had none.
    template_body = models.TextField(_("所用模板正文"), blank=True)

    objects = ScopedQuerySet.as_manager()

    # The file is kept here and its hash is audited; the bytes would only fill the trail.
    audit_exclude_fields = frozenset({"content", "progress"})

    class Meta:
        verbose_name = _("生成的报告")
        verbose_name_plural = _("生成的报告")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("view_dashboard", _("查看统计看板")),
            ("view_bigscreen", _("查看指挥大屏")),
            ("generate_work_report", _("生成工作情况报告")),
            ("issue_reply_letter", _("签发答复函")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="generated_report_number",
            )
        ]

    def __str__(self) -> str:
        return self.title
