"""One-key alarms (SPEC 2.6): the signing credential of each one-key alarm device, the alarm
events its presses post with their response clock, the test windows a school reports in
advance (报备), and the refused posts the operator reviews.

The device itself stays ``schools.Device`` (kind one-key alarm): this module adds only what
ingestion needs. Scope follows the device's school, so the school, its station and its
education bureau see the same records (``Model.objects.visible_to``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.alarms.choices import (
    AlarmKind,
    AlarmResult,
    AlarmState,
    EscalationLevel,
    RejectionReason,
)
from huxiao.core.fields import EncryptedTextField
from huxiao.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


def mask_secret(value: str) -> str:
    """A signing secret is never shown again once issued, not even in part."""
    return "********" if value else ""


class DeviceCredential(models.Model):
    """The signing secret of one one-key alarm device: the code it names itself by, the place
    in the school it stands, and during a rotation window the previous secret still accepted."""

    scope_org_path = "device__school__organization"

    device = models.OneToOneField(
        "schools.Device",
        on_delete=models.CASCADE,
        related_name="alarm_credential",
        verbose_name=_("设备"),
    )
    code = models.CharField(_("设备编码"), max_length=32, unique=True)
    place = models.CharField(_("安装位置"), max_length=64, blank=True)
    secret = EncryptedTextField(_("签名密钥"), mask=mask_secret)
    previous_secret = EncryptedTextField(_("上一密钥"), mask=mask_secret)
    previous_valid_until = models.DateTimeField(_("上一密钥有效至"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    rotated_at = models.DateTimeField(_("密钥更换时间"), null=True, blank=True)
    # Supervision (issue 16 item 6): a device that has sent a heartbeat is supervised; silent
    # longer than its interval (empty: the parameter ALARMS_HEARTBEAT_INTERVAL_SECONDS) it goes
    # offline (``DeviceOutage``).
    heartbeat_interval_seconds = models.PositiveIntegerField(
        _("心跳间隔（秒）"), null=True, blank=True
    )
    last_heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    # A heartbeat a minute per device is not a change anyone audits (the outages are).
    audit_exclude_fields = frozenset({"secret", "previous_secret", "last_heartbeat_at"})

    class Meta:
        verbose_name = _("报警设备密钥")
        verbose_name_plural = _("报警设备密钥")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class AlarmNonce(models.Model):
    """A nonce a device has used, kept for the replay window: a second use is a replay."""

    credential = models.ForeignKey(DeviceCredential, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField()

    audit_exclude = True

    class Meta:
        verbose_name = _("报警随机数")
        verbose_name_plural = _("报警随机数")
        constraints = [
            models.UniqueConstraint(fields=["credential", "nonce"], name="alarm_nonce_once")
        ]
        indexes = [models.Index(fields=["seen_at"], name="alarm_nonce_seen_idx")]


class TestWindow(models.Model):
    """A device test announced in advance (报备): presses of the school's one-key alarms inside
    it are recorded as tests, never as false alarms."""

    __test__ = False  # not a pytest test class, whatever its name

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="alarm_test_windows",
        verbose_name=_("学校"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("报备人")
    )
    created_at = models.DateTimeField(_("报备时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("测试报备")
        verbose_name_plural = _("测试报备")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["school", "starts_at"], name="testwindow_school_idx")]

    def __str__(self) -> str:
        return f"{self.school} {self.starts_at:%Y-%m-%d %H:%M}"


class AlarmEvent(models.Model):
    """One press or signal of a one-key alarm device (报警事件) and its response clock: each
    step's time and who took it, the unit sent, the result and the closing note."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="alarm_events",
        verbose_name=_("学校"),
    )
    device = models.ForeignKey(
        "schools.Device",
        on_delete=models.PROTECT,
        related_name="alarm_events",
        verbose_name=_("设备"),
    )
    device_event_id = models.CharField(_("设备事件编号"), max_length=64)
    kind = models.CharField(_("报警类型"), max_length=16, choices=AlarmKind.choices)
    place = models.CharField(_("报警位置"), max_length=64, blank=True)
    occurred_at = models.DateTimeField(_("设备时间"))
    received_at = models.DateTimeField(_("接警时间"))
    state = models.CharField(
        _("状态"), max_length=16, choices=AlarmState.choices, default=AlarmState.RECEIVED
    )
    test_window = models.ForeignKey(
        TestWindow,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarms",
        verbose_name=_("测试报备"),
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签收人"),
    )
    dispatched_at = models.DateTimeField(_("派警时间"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("派警人"),
    )
    dispatch_unit = models.CharField(_("出警单位"), max_length=100, blank=True)
    dispatch_patrol = models.ForeignKey(
        "patrols.PatrolLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("出警巡逻"),
    )
    on_scene_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    on_scene_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("到场确认人"),
    )
    closed_at = models.DateTimeField(_("处置完毕时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处置人"),
    )
    result = models.CharField(_("处置结果"), max_length=16, choices=AlarmResult.choices, blank=True)
    close_note = models.TextField(_("处置情况"), blank=True)
    # The live consoles' cursor (alarms.live): each change (arrival, a step of the response
    # clock, an escalation) bumps the version and sets changed_at, so a console that reconnects
    # asks for what changed since its last changed_at and drops versions it already has.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    changed_at = models.DateTimeField(_("最近变化时间"), null=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报警事件")
        verbose_name_plural = _("报警事件")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "device_event_id"], name="alarm_event_once_per_device"
            )
        ]
        indexes = [
            models.Index(fields=["school", "received_at"], name="alarm_school_received_idx"),
            models.Index(fields=["received_at"], name="alarm_received_idx"),
            models.Index(fields=["changed_at"], name="alarm_changed_idx"),
        ]
        permissions = [
            ("respond_alarmevent", "Can respond to alarms (acknowledge, dispatch, close)"),
            ("view_police_details", "Can see the police-only details of alarms"),
            ("view_statistics", "Can see the response-time statistics of alarms"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_kind_display()} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_test(self) -> bool:
        return self.result == AlarmResult.TEST

    @property
    def minutes_to_acknowledge(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return round((self.acknowledged_at - self.received_at).total_seconds() / 60, 1)


class AlarmEscalation(models.Model):
    """One escalation of an alarm nobody acknowledged (issue 16 item 4): the level, the police
    organisation it went to, when, and how many of its users were sent the urgent notice. One
    row per level, so a second run of the task cannot escalate the same level twice."""

    scope_org_path = "alarm__school__organization"

    alarm = models.ForeignKey(
        AlarmEvent, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("报警")
    )
    level = models.PositiveSmallIntegerField(_("升级级别"), choices=EscalationLevel.choices)
    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("升级至"),
    )
    escalated_at = models.DateTimeField(_("升级时间"))
    notified = models.PositiveIntegerField(_("通知人数"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报警升级记录")
        verbose_name_plural = _("报警升级记录")
        ordering = ["alarm", "level"]
        constraints = [
            models.UniqueConstraint(fields=["alarm", "level"], name="alarm_escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.get_level_display()} {self.organization_id}"


class IngestRejection(models.Model):
    """A signed post refused (bad signature, stale time, reused nonce, unknown device, bad
    body): kept for the operator; no alarm is stored for it."""

    scope_org_path = "credential__device__school__organization"

    at = models.DateTimeField(_("时间"))
    reason = models.CharField(_("原因"), max_length=24, choices=RejectionReason.choices)
    device_code = models.CharField(_("设备编码（请求所报）"), max_length=64, blank=True)
    credential = models.ForeignKey(
        DeviceCredential,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rejections",
        verbose_name=_("设备"),
    )
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报警接入拒绝记录")
        verbose_name_plural = _("报警接入拒绝记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.device_code} {self.get_reason_display()}"


class DeviceOutage(models.Model):
    """A time a supervised one-key alarm device was offline (its heartbeats silent longer than
    its interval): from when the interval ran out to its first heartbeat back, with the hazard
    raised for it and how many were told (issue 16 item 6). At most one open per device."""

    scope_org_path = "school__organization"

    device = models.ForeignKey(
        "schools.Device",
        on_delete=models.CASCADE,
        related_name="alarm_outages",
        verbose_name=_("设备"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="alarm_outages",
        verbose_name=_("学校"),
    )
    last_heartbeat_at = models.DateTimeField(_("离线前最后心跳"))
    started_at = models.DateTimeField(_("离线时间"))
    detected_at = models.DateTimeField(_("发现时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    hazard = models.ForeignKey(
        "inspections.Hazard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("隐患"),
    )
    notified = models.PositiveIntegerField(_("通知人数"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报警设备离线记录")
        verbose_name_plural = _("报警设备离线记录")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(ended_at__isnull=True),
                name="alarm_outage_one_open_per_device",
            )
        ]
        indexes = [models.Index(fields=["school", "started_at"], name="outage_school_started_idx")]

    def __str__(self) -> str:
        return f"{self.device} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
