"""Inspections and the rectification loop (SPEC 2.2): campaigns, versioned checklists,
inspections, hazards with their history, numbered notices, reports, re-checks and 督办.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huxiao.core import dictionaries
from huxiao.core.scoping import ScopedQuerySet, scope_filter
from huxiao.inspections.choices import (
    HAZARD_CATEGORY,
    DocumentKind,
    HazardAction,
    HazardSource,
    HazardState,
    InspectionStatus,
    ItemGroup,
    ItemResult,
    Severity,
)

USER = settings.AUTH_USER_MODEL


class ChecklistQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Checklists are shared forms, not records of anyone's jurisdiction: every signed-in
        # user with a role reads them (permissions decide who edits).
        if getattr(user, "is_authenticated", False) and (user.role_id or user.is_superuser):
            return self.all()
        return self.none()


class ChecklistTemplate(models.Model):
    """A named checklist (检查表), e.g. “校园安全检查表（通用）”; its items live in versions."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class ChecklistVersion(models.Model):
    """One published, immutable set of a checklist's items; an inspection keeps the one it used."""

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("检查表"),
    )
    number = models.PositiveIntegerField(_("版本"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        ordering = ["template_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class ChecklistItem(models.Model):
    """One check (检查项) of a checklist version, in one of the six groups."""

    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("版本")
    )
    group = models.CharField(_("类别"), max_length=16, choices=ItemGroup.choices)
    code = models.CharField(_("编号"), max_length=16)
    text = models.CharField(_("检查内容"), max_length=300)
    guidance = models.TextField(_("检查要点/依据"), blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["version_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="checklist_item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A campaign is seen by its issuing organisation's subtree, by the organisations
        above the issuer that oversee it, and by whoever sees one of its target schools."""
        q = scope_filter(self.model, user)
        if q is None:
            return self.none()
        if not q:
            return self.all()
        from huxiao.schools.models import School

        org = user.organization
        ancestors = Q(issuer__path__in=_ancestor_paths(org.path)) if org else Q(pk__in=[])
        schools = School.objects.visible_to(user).values("pk")
        targeted = self.model.targets.through.objects.filter(school__in=schools)
        return self.filter(q | ancestors | Q(pk__in=targeted.values("campaign_id")))


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


class Campaign(models.Model):
    """A time-boxed inspection drive (专项行动), e.g. “2026年春季开学安全大检查”."""

    scope_org_path = "issuer"

    name = models.CharField(_("名称"), max_length=128)
    issuer = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起单位")
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    checklist = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("检查表"),
    )
    targets = models.ManyToManyField(
        "schools.School", related_name="campaigns", blank=True, verbose_name=_("目标学校")
    )
    description = models.TextField(_("工作要求"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """One visit to one school (检查): its inspectors and a result for every checklist item."""

    scope_org_path = "school__organization"

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("专项行动"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("学校"),
    )
    date = models.DateField(_("检查日期"))
    checklist_version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("检查表版本"),
    )
    inspectors = models.ManyToManyField(
        USER, related_name="inspections", verbose_name=_("检查民警")
    )
    # Denormalised count of inspectors: the campaign's police person-times are a sum over it.
    person_times = models.PositiveIntegerField(_("出动警力（人次）"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    summary = models.TextField(_("检查情况"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "school"], name="inspection_campaign_idx")]

    def __str__(self) -> str:
        return f"{self.school} {self.date:%Y-%m-%d}"


class InspectionResult(models.Model):
    """The result of one checklist item in one inspection."""

    scope_org_path = "inspection__school__organization"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="results", verbose_name=_("检查")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查项")
    )
    result = models.CharField(_("结果"), max_length=8, choices=ItemResult.choices, blank=True)
    note = models.CharField(_("情况说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection_id", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_result_display()}"


class DocumentCounter(models.Model):
    """The last number used for one kind of document by one organisation in one year.

    Incremented under a row lock inside the transaction that creates the document: a rolled-
    back document gives its number back, so numbers have no gaps and are never reused.
    """

    audit_exclude = True

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "year"], name="doc_counter_unique"
            )
        ]


class RectificationNotice(models.Model):
    """A numbered 整改通知书 from a police organisation to a school, listing its hazards."""

    scope_org_path = "school__organization"

    issuer = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("发文单位")
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("主送学校"),
    )
    copy_to = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("抄送单位"),
    )
    year = models.PositiveIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("发文字号"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    requirements = models.TextField(_("整改要求"), blank=True)
    issue_date = models.DateField(_("成文日期"))
    working_days = models.PositiveIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改期限"))
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("签发人")
    )
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签收人"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改通知书")
        verbose_name_plural = _("整改通知书")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "serial"], name="notice_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Hazard(models.Model):
    """A safety defect found at a school (隐患), followed until it is closed (销号)."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="hazards", verbose_name=_("学校")
    )
    source = models.CharField(_("来源"), max_length=16, choices=HazardSource.choices)
    inspection_result = models.OneToOneField(
        InspectionResult,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazard",
        verbose_name=_("检查项结果"),
    )
    # An entry of the dictionary inspections.hazard_category (choices.HAZARD_CATEGORY), checked
    # by the services: administrators add categories, so they are not choices of the column.
    category = models.CharField(_("类别"), max_length=32)
    severity = models.CharField(
        _("等级"), max_length=16, choices=Severity.choices, default=Severity.ORDINARY
    )
    title = models.CharField(_("隐患"), max_length=200)
    description = models.TextField(_("隐患描述"), blank=True)
    responsible_party = models.CharField(_("整改责任方"), max_length=128, blank=True)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=HazardState.choices, default=HazardState.PENDING
    )
    notice = models.ForeignKey(
        RectificationNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("整改通知书"),
    )
    is_overdue = models.BooleanField(_("逾期"), default=False)
    overdue_count = models.PositiveSmallIntegerField(_("逾期次数"), default=0)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    is_escalated = models.BooleanField(_("挂牌督办"), default=False)
    chase_count = models.PositiveSmallIntegerField(_("被催办次数"), default=0)
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("登记人")
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    # Optimistic concurrency: every write bumps it; a writer holding an older value is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="hazard_state_deadline_idx"),
            models.Index(fields=["school", "state"], name="hazard_school_state_idx"),
        ]
        permissions = [
            ("rectify_hazard", "Can rectify hazards and report (school)"),
            ("recheck_hazard", "Can re-check and close hazards (police)"),
            ("supervise_hazard", "Can escalate and supervise hazards (挂牌督办)"),
            ("chase_hazard", "Can chase a school on an overdue or near-due hazard (催办)"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != HazardState.CLOSED

    @property
    def category_label(self) -> str:
        return dictionaries.label(HAZARD_CATEGORY, self.category)


class HazardEvent(models.Model):
    """One step of a hazard's history: what happened, by whom, when, from which state."""

    scope_org_path = "hazard__school__organization"
    audit_exclude = True  # the services write these alongside an audited change

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=24, choices=HazardAction.choices)
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=HazardState.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=20, choices=HazardState.choices, blank=True)
    actor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=64, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        ordering = ["hazard_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_action_display()}"


class RectificationReport(models.Model):
    """The school's answer (整改报告): the measures taken, with evidence files attached."""

    scope_org_path = "hazard__school__organization"
    # Its evidence files are read by whoever may read the hazard (core.files).
    attachment_read_through = "hazard"

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="reports")
    measures = models.TextField(_("整改措施"))
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("提交人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["hazard_id", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard} {self.submitted_at:%Y-%m-%d}"


class Recheck(models.Model):
    """An officer's re-check (复查) of a report: pass closes the hazard, fail sets a new deadline."""

    scope_org_path = "hazard__school__organization"

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="rechecks")
    report = models.ForeignKey(
        RectificationReport, on_delete=models.PROTECT, null=True, related_name="rechecks"
    )
    passed = models.BooleanField(_("复查通过"))
    note = models.TextField(_("复查意见"), blank=True)
    new_deadline = models.DateField(_("新整改期限"), null=True, blank=True)
    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("复查民警")
    )
    checked_at = models.DateTimeField(_("复查时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("复查")
        verbose_name_plural = _("复查")
        ordering = ["hazard_id", "checked_at", "id"]


class Escalation(models.Model):
    """挂牌督办: a hazard listed for supervision by a superior organisation, with its 督办通知."""

    scope_org_path = "hazard__school__organization"

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="escalations")
    supervisor = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("督办单位")
    )
    reason = models.CharField(_("督办原因"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("督办文号"), max_length=64)
    deadline = models.DateField(_("督办期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    handled_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_note = models.TextField(_("督办意见"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "year", "serial"], name="escalation_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number


__all__ = [
    "Campaign",
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistVersion",
    "DocumentCounter",
    "Escalation",
    "Hazard",
    "HazardEvent",
    "Inspection",
    "InspectionResult",
    "Recheck",
    "RectificationNotice",
    "RectificationReport",
]
