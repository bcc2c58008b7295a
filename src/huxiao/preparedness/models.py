"""Emergency preparedness (应急准备, SPEC 2.6): each school's emergency plans (应急预案) with their
review dates, and drills (应急演练) planned by an education bureau or the school and then held or
cancelled.

Scope follows the school (``school__organization``), so the school, its police station and its
education bureau read the same records. Plan documents and drill photos are attachments
(``core.files``), served after the record's own scope check. The appointments of legal vice
principals and their lectures will be models of their own here, next to these.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.scoping import ScopedQuerySet
from huxiao.preparedness.choices import DrillKind, DrillState, PlanKind, PlanStatus

USER = settings.AUTH_USER_MODEL


class EmergencyPlan(models.Model):
    """One emergency plan (应急预案) of a school, approved by a named body and reviewed on a
    cycle: ``next_review_on`` is set by ``rules.next_review`` when approved or reviewed."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,  # the school's own records, like its guards and devices
        related_name="emergency_plans",
        verbose_name=_("学校"),
    )
    kind = models.CharField(_("预案类别"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("预案名称"), max_length=120)
    version = models.CharField(_("版本"), max_length=20)
    approved_on = models.DateField(_("批准日期"))
    approved_by = models.CharField(_("批准机关"), max_length=100)
    review_months = models.PositiveSmallIntegerField(_("评审周期（月）"))
    last_reviewed_on = models.DateField(_("上次评审日期"), null=True, blank=True)
    next_review_on = models.DateField(_("下次评审日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.IN_FORCE
    )
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["next_review_on", "id"]
        indexes = [
            models.Index(fields=["school", "kind"], name="plan_school_kind_idx"),
            models.Index(fields=["next_review_on"], name="plan_next_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class Drill(models.Model):
    """One emergency drill (应急演练) of a school: planned (by its education bureau, in bulk, or by
    the school) for a day or a window, then held — with participants, duration and evacuation time
    against the target of the school's level — or cancelled with a reason. A drill the school
    held without a plan is recorded held at once.

    ``day`` is the day the drill counts on: the end of its window while planned or cancelled, the
    day it was held once held; lists and figures bound their period on it."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="drills", verbose_name=_("学校")
    )
    kind = models.CharField(_("演练类别"), max_length=20, choices=DrillKind.choices)
    state = models.CharField(_("状态"), max_length=12, choices=DrillState.choices)
    day = models.DateField(_("日期"))
    planned_from = models.DateField(_("计划开始日期"), null=True, blank=True)
    planned_until = models.DateField(_("计划截止日期"), null=True, blank=True)
    planned_by_org = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("计划单位"),
    )
    planned_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("计划人"),
    )
    batch = models.CharField(_("批次"), max_length=32, blank=True, db_index=True)
    held_on = models.DateField(_("举行日期"), null=True, blank=True)
    students = models.PositiveIntegerField(_("参演学生数"), null=True, blank=True)
    staff = models.PositiveIntegerField(_("参演教职工数"), null=True, blank=True)
    police = models.PositiveIntegerField(_("到场民警数"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("演练时长（分钟）"), null=True, blank=True)
    evacuation_seconds = models.PositiveIntegerField(_("疏散用时（秒）"), null=True, blank=True)
    evacuation_target_seconds = models.PositiveIntegerField(
        _("疏散目标（秒）"), null=True, blank=True
    )
    evaluation = models.TextField(_("演练评估"), blank=True)
    lessons = models.TextField(_("经验教训"), blank=True)
    recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取消人"),
    )
    missed_notified_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(fields=["school", "day"], name="drill_school_day_idx"),
            models.Index(fields=["state", "day"], name="drill_state_day_idx"),
        ]
        permissions = [
            ("plan_drills", "Can plan drills for the schools of an education bureau"),
            ("hold_drill", "Can record a drill as held"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%Y-%m-%d}"

    @property
    def met_target(self) -> bool | None:
        if self.evacuation_seconds is None or not self.evacuation_target_seconds:
            return None
        return self.evacuation_seconds <= self.evacuation_target_seconds
