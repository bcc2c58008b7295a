"""护学岗 and patrols (SPEC 2.4): posts at school gates with their windows and staffing,
school-day rosters, check-ins with their proof, grid patrol routes with mandatory
checkpoints, patrol logs and video patrols.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.scoping import ScopedQuerySet
from huxiao.patrols.choices import PatrolStatus, PersonKind, PostKind, ProofKind, ShiftStatus

USER = settings.AUTH_USER_MODEL


def default_windows():
    from huxiao.patrols.choices import DEFAULT_WINDOWS

    return [{"code": code, **w} for code, w in zip(("am", "pm"), DEFAULT_WINDOWS, strict=True)]


def default_staffing():
    return {PersonKind.POLICE: 1, PersonKind.GUARD: 1}


class GuardPost(models.Model):
    """A 护学岗 at one school's gate: where it is, when it is staffed and by whom."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="guard_posts",
        verbose_name=_("学校"),
    )
    name = models.CharField(_("岗位名称"), max_length=64)
    kind = models.CharField(
        _("类型"), max_length=16, choices=PostKind.choices, default=PostKind.FIXED
    )
    latitude = models.DecimalField(_("纬度 (WGS-84)"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度 (WGS-84)"), max_digits=9, decimal_places=6)
    radius_m = models.PositiveIntegerField(
        _("打卡半径（米）"),
        default=100,
        validators=[MinValueValidator(10), MaxValueValidator(2000)],
    )
    # [{"code": "am", "name": "上学", "start": "07:00", "end": "08:30"}, ...]
    windows = models.JSONField(_("值守时段"), default=default_windows)
    # {"police": 1, "auxiliary": 0, "guard": 1, "volunteer": 2}
    staffing = models.JSONField(_("人员配置要求"), default=default_staffing)
    # 护学通道: a ring of [longitude, latitude] pairs (WGS-84), optional
    corridor = models.JSONField(_("护学通道"), null=True, blank=True)
    is_pilot = models.BooleanField(_("“警校家”试点"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    # Secret behind the QR code shown at the post (a check-in that scans it is a QR proof).
    qr_secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    audit_exclude_fields = frozenset({"qr_secret"})

    class Meta:
        verbose_name = _("护学岗")
        verbose_name_plural = _("护学岗")
        ordering = ["school_id", "name", "id"]
        indexes = [models.Index(fields=["school", "is_active"], name="post_school_active_idx")]
        permissions = [
            ("view_stats", "Can view patrol statistics"),
            ("record_checkin", "Can record a check-in for another person (manual proof)"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.name}"

    def window(self, code: str) -> dict | None:
        return next((w for w in self.windows if w.get("code") == code), None)


class DutyShift(models.Model):
    """One person at one post in one window on one school day (排班)."""

    scope_org_path = "post__school__organization"
    scope_owner_path = "person"

    post = models.ForeignKey(
        GuardPost, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("护学岗")
    )
    date = models.DateField(_("日期"))
    window = models.CharField(_("时段"), max_length=16)
    person = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_shifts",
        verbose_name=_("值守人员"),
    )
    person_name = models.CharField(_("姓名"), max_length=64, blank=True)
    person_kind = models.CharField(_("人员类别"), max_length=16, choices=PersonKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=ShiftStatus.choices, default=ShiftStatus.PLANNED
    )
    swapped_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调班自"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["date", "post_id", "window", "id"]
        indexes = [
            models.Index(fields=["date", "post", "window"], name="shift_day_post_idx"),
            models.Index(fields=["person", "date"], name="shift_person_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.post} {self.window} {self.person_name}"


class CheckIn(models.Model):
    """A check-in at a post (打卡): where and when, how presence was shown, valid or why not.

    ``at`` is the moment on the phone (an offline check-in keeps it); ``received_at`` when the
    server stored it. ``idempotency_key`` makes a re-sent check-in count once.
    """

    scope_org_path = "school__organization"
    scope_owner_path = "user"
    audit_exclude = True  # high-volume event rows; each is attributed in its own columns

    # No single-column indexes on post and user: checkin_post_day_idx and checkin_user_day_idx
    # start with them and serve the same look-ups; each index less is pages less per INSERT.
    post = models.ForeignKey(
        GuardPost,
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("护学岗"),
        db_index=False,
    )
    # Denormalised from the post: the daily statistics filter and group without a join.
    # No single-column index: checkin_school_day_idx starts with it.
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    shift = models.ForeignKey(
        DutyShift, on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins"
    )
    user = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("打卡人"),
        db_index=False,
    )
    person_kind = models.CharField(_("人员类别"), max_length=16, choices=PersonKind.choices)
    date = models.DateField(_("日期"))
    window = models.CharField(_("时段"), max_length=16, blank=True)
    at = models.DateTimeField(_("打卡时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距岗点（米）"), null=True, blank=True)
    proof = models.CharField(_("证明方式"), max_length=8, choices=ProofKind.choices)
    is_valid = models.BooleanField(_("有效"))
    problem = models.CharField(_("无效原因"), max_length=200, blank=True)
    was_offline = models.BooleanField(_("离线补传"), default=False)
    recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("补录人"),
    )
    idempotency_key = models.CharField(max_length=64, unique=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("打卡")
        verbose_name_plural = _("打卡")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["date", "school", "window"], name="checkin_day_school_idx"),
            # A jurisdiction's check-ins found school by school and counted from the index
            # alone (valid, police): without it SQLite answers a period's counts grouped by
            # day by walking checkin_day_school_idx over every school's rows — 3 s for a
            # station of a 20,000-school province, 3 ms with it (docs/performance.md).
            models.Index(
                fields=["school", "date", "is_valid", "person_kind"], name="checkin_school_day_idx"
            ),
            models.Index(fields=["post", "date"], name="checkin_post_day_idx"),
            models.Index(fields=["user", "date"], name="checkin_user_day_idx"),
        ]
        constraints = [
            # One valid check-in per person, post, day and window (issue 14): a second one is
            # not stored — the person is told they are already checked in — so counting the
            # valid rows counts each person once per post and window, races included.
            models.UniqueConstraint(
                fields=["user", "post", "date", "window"],
                condition=models.Q(is_valid=True),
                name="checkin_once_per_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.post} {self.at:%Y-%m-%d %H:%M}"


class PatrolRoute(models.Model):
    """A grid patrol route (网格化巡逻) of a police organisation with its mandatory checkpoints."""

    scope_org_path = "organization"

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位")
    )
    name = models.CharField(_("路线名称"), max_length=64)
    grid = models.CharField(_("网格"), max_length=64, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡逻路线")
        verbose_name_plural = _("巡逻路线")
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return self.name


class Checkpoint(models.Model):
    """A point a patrol must (必巡点) or may pass, usually a school gate."""

    scope_org_path = "route__organization"

    route = models.ForeignKey(PatrolRoute, on_delete=models.CASCADE, related_name="checkpoints")
    name = models.CharField(_("巡逻点"), max_length=64)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("学校"),
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    radius_m = models.PositiveIntegerField(_("到点半径（米）"), default=150)
    is_mandatory = models.BooleanField(_("必巡点"), default=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡逻点")
        verbose_name_plural = _("巡逻点")
        ordering = ["route_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class PatrolLog(models.Model):
    """One patrol along a route: unit, people, vehicles, start and end, checkpoints ticked."""

    scope_org_path = "organization"

    route = models.ForeignKey(
        PatrolRoute, on_delete=models.PROTECT, related_name="logs", verbose_name=_("路线")
    )
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("巡逻单位")
    )
    leader = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("带班民警")
    )
    police_count = models.PositiveIntegerField(_("民警（人）"), default=1)
    auxiliary_count = models.PositiveIntegerField(_("辅警（人）"), default=0)
    vehicles = models.PositiveIntegerField(_("车辆（台）"), default=0)
    window = models.CharField(_("时段"), max_length=16, blank=True)
    date = models.DateField(_("日期"))
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PatrolStatus.choices, default=PatrolStatus.IN_PROGRESS
    )
    note = models.TextField(_("巡逻情况"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡逻记录")
        verbose_name_plural = _("巡逻记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["date", "organization"], name="patrol_day_org_idx")]

    def __str__(self) -> str:
        return f"{self.route} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def person_times(self) -> int:
        return self.police_count + self.auxiliary_count


class CheckpointVisit(models.Model):
    """A checkpoint ticked during a patrol (by a check-in there, or by hand with a reason)."""

    scope_org_path = "log__organization"
    audit_exclude = True

    log = models.ForeignKey(PatrolLog, on_delete=models.CASCADE, related_name="visits")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("到点时间"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    proof = models.CharField(max_length=8, choices=ProofKind.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["log_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["log", "checkpoint"], name="visit_once_per_patrol")
        ]


class VideoPatrol(models.Model):
    """A video patrol (视频巡查) of one school's cameras and what was seen."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="video_patrols",
        verbose_name=_("学校"),
    )
    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("巡查民警")
    )
    at = models.DateTimeField(_("巡查时间"))
    cameras_checked = models.PositiveIntegerField(_("查看摄像头（路）"), default=0)
    cameras_offline = models.PositiveIntegerField(_("离线摄像头（路）"), default=0)
    gate_closed = models.BooleanField(_("校门关闭/管控"), null=True)
    guard_on_duty = models.BooleanField(_("保安在岗"), null=True)
    equipment_present = models.BooleanField(_("防护装备在位"), null=True)
    observations = models.TextField(_("巡查情况"), blank=True)
    hazard = models.ForeignKey(
        "inspections.Hazard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发现隐患"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("视频巡查")
        verbose_name_plural = _("视频巡查")
        ordering = ["-at", "-id"]

    @property
    def found_problem(self) -> bool:
        return (
            self.cameras_offline > 0
            or self.gate_closed is False
            or self.guard_on_duty is False
            or self.equipment_present is False
        )
