"""School registry and its "三防" facts (SPEC 2.1).

A school is a node of the organisation tree (kind ``school``, under its police station,
pointing at its education bureau); ``School`` holds what only schools have, one-to-one
with that node, so scope, names and coordinates live in one place.
"""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core import crypto, dictionaries
from huxiao.core.fields import EncryptedTextField
from huxiao.core.scoping import ScopedQuerySet
from huxiao.core.validators import validate_stream_url
from huxiao.schools.choices import (
    DEVICE_KIND,
    EQUIPMENT_KIND,
    AntiCollisionKind,
    GuardStatus,
    Locality,
    Ownership,
    SchoolLevel,
)

school_code_validator = RegexValidator(r"^\d{10}$", _("学校标识码应为10位数字"))


class School(models.Model):
    """A school or kindergarten: its size, its people in charge and its physical defence."""

    scope_org_path = "organization"

    organization = models.OneToOneField(
        "core.Organization", on_delete=models.PROTECT, related_name="school", verbose_name=_("单位")
    )
    school_code = models.CharField(
        _("学校标识码"), max_length=10, unique=True, validators=[school_code_validator]
    )
    level = models.CharField(_("学段"), max_length=24, choices=SchoolLevel.choices)
    ownership = models.CharField(
        _("办学性质"), max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    locality = models.CharField(_("城乡类型"), max_length=8, choices=Locality.choices)
    is_boarding = models.BooleanField(_("寄宿制"), default=False)
    boarders = models.PositiveIntegerField(_("寄宿生人数"), default=0)
    students = models.PositiveIntegerField(_("学生人数"), default=0)
    staff = models.PositiveIntegerField(_("教职工人数"), default=0)
    # Campus boundary: GeoJSON-style ring of [longitude, latitude] pairs (WGS-84), optional.
    campus_boundary = models.JSONField(_("校园边界"), null=True, blank=True)
    principal_name = models.CharField(_("校长"), max_length=32, blank=True)
    principal_phone = EncryptedTextField(_("校长电话"), mask=crypto.mask_phone)
    security_chief_name = models.CharField(_("安保负责人"), max_length=32, blank=True)
    security_chief_phone = EncryptedTextField(_("安保负责人电话"), mask=crypto.mask_phone)
    legal_vice_principal = models.CharField(_("法制副校长"), max_length=32, blank=True)
    is_pilot = models.BooleanField(_("“警校家”试点"), default=False)
    term_calendar = models.JSONField(
        _("学期安排"), default=list, blank=True, help_text=_('[{"start": 日期, "end": 日期}]')
    )
    # 物防 (physical defence)
    closed_management = models.BooleanField(_("封闭化管理"), default=False)
    wall_compliant = models.BooleanField(_("围墙/围栏符合要求"), default=False)
    gate_compliant = models.BooleanField(_("校门符合要求"), default=False)
    anti_collision = models.JSONField(
        _("防冲撞设施"), default=list, blank=True, help_text=str(AntiCollisionKind.values)
    )
    duty_24h = models.BooleanField(_("24小时值守"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["school_code"]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name


class Guard(models.Model):
    """A full-time security guard (专职保安员) working at one school."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="guards", verbose_name=_("学校")
    )
    name = models.CharField(_("姓名"), max_length=32)
    id_number = EncryptedTextField(_("身份证号"), mask=crypto.mask_id_number)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = EncryptedTextField(_("手机号"), mask=crypto.mask_phone)
    certificate_number = models.CharField(_("保安员证号"), max_length=32, blank=True)
    certificate_valid_until = models.DateField(_("保安员证有效期至"), null=True, blank=True)
    training_date = models.DateField(_("培训日期"), null=True, blank=True)
    employer = models.CharField(_("所属保安公司"), max_length=128, blank=True)
    is_full_time = models.BooleanField(_("专职"), default=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=GuardStatus.choices, default=GuardStatus.ON_DUTY
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    audit_exclude_fields = frozenset({"id_number_index"})

    class Meta:
        verbose_name = _("保安员")
        verbose_name_plural = _("保安员")
        ordering = ["school_id", "name", "id"]
        indexes = [models.Index(fields=["school", "status"], name="guard_school_status_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number_index = crypto.blind_index(self.id_number) if self.id_number else ""
        super().save(*args, **kwargs)


class EquipmentStock(models.Model):
    """How many of one kind of guard equipment (守卫防护装备) a school holds."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("学校")
    )
    # An entry of the dictionary schools.equipment_kind (choices.EQUIPMENT_KIND), checked by the
    # services: administrators add kinds, so they are not choices of the column.
    item = models.CharField(_("装备"), max_length=32)
    quantity = models.PositiveIntegerField(_("数量"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("防护装备")
        verbose_name_plural = _("防护装备")
        ordering = ["school_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["school", "item"], name="equipment_once_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.item_label} × {self.quantity}"

    @property
    def item_label(self) -> str:
        return dictionaries.label(EQUIPMENT_KIND, self.item)


class Device(models.Model):
    """A technical-defence device (技防): camera, one-key alarm, intrusion alarm, access control, PA."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="devices", verbose_name=_("学校")
    )
    # An entry of the dictionary schools.device_kind (choices.DEVICE_KIND), checked by the
    # services: administrators add kinds, so they are not choices of the column.
    kind = models.CharField(_("类型"), max_length=32)
    name = models.CharField(_("名称"), max_length=64, blank=True)
    area = models.CharField(_("覆盖区域"), max_length=64, blank=True)
    retention_days = models.PositiveSmallIntegerField(
        _("录像保存天数"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # A camera's live view on the video platform (an http(s) page, or rtsp:// for a player),
    # shown to whoever sees the device and on the alarm console beside an alarm of the school.
    stream_url = models.CharField(
        _("视频流地址"),
        max_length=300,
        blank=True,
        validators=[validate_stream_url],
        help_text=_("视频监控的实时画面地址：http(s):// 网页或 rtsp:// 视频流，仅视频监控填写。"),
    )
    networked_police = models.BooleanField(_("联网公安"), default=False)
    networked_education = models.BooleanField(_("联网教育"), default=False)
    is_online = models.BooleanField(_("在线"), default=True)
    last_heartbeat = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    audit_exclude_fields = frozenset({"last_heartbeat"})

    class Meta:
        verbose_name = _("技防设备")
        verbose_name_plural = _("技防设备")
        ordering = ["school_id", "kind", "id"]
        indexes = [models.Index(fields=["school", "kind"], name="device_school_kind_idx")]

    def __str__(self) -> str:
        return self.name or self.kind_label

    @property
    def kind_label(self) -> str:
        return dictionaries.label(DEVICE_KIND, self.kind)


class FactRow(models.Model):
    """One school's compliance facts as a row of the roll-up's CTE (not a table).

    ``compliance.summary`` computes each school's facts once in a CTE named after this
    model's table and evaluates the rule statuses over it with the same expressions the
    lists use (``compliance.status_annotations``).
    """

    grp = models.CharField(max_length=32)
    locality = models.CharField(max_length=8)
    is_boarding = models.BooleanField()
    closed_management = models.BooleanField()
    duty_24h = models.BooleanField()
    guards_active = models.IntegerField()
    guards_bad_certificate = models.IntegerField()
    guards_over_age = models.IntegerField()
    guards_missing_birth = models.IntegerField()
    alarms = models.IntegerField()
    alarms_networked = models.IntegerField()
    cameras = models.IntegerField()
    cameras_networked = models.IntegerField()
    cameras_short_retention = models.IntegerField()
    cameras_unknown_retention = models.IntegerField()
    active_guard_posts = models.IntegerField()
    has_anti_collision = models.BooleanField()
    kit_ok = models.BooleanField()
    required_guards = models.IntegerField()

    audit_exclude = True

    class Meta:
        managed = False
        db_table = "compliance_facts"
