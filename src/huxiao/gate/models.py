"""Gate management (门卫管理, SPEC 2.5): visitor registrations with their watch-list match, the
ban lists a district keeps for all its schools, passes (出入证), vehicle entries, pick-up
authorisations (接送) and seizures (收缴).

Scope follows the school (``school__organization``), so the school, its station and its
education bureau read the same records; a ban is kept by an organisation (an education bureau
or a police organisation) for every school under it, and scoped by that organisation.
Identities are encrypted at rest with a blind index for the match, as key persons are; photos
are attachments (``core.files``), served after the record's own scope check.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core import crypto
from huxiao.core.fields import EncryptedTextField
from huxiao.core.scoping import ScopedQuerySet
from huxiao.gate.choices import (
    BanBasis,
    MatchOutcome,
    PassKind,
    SeizedFrom,
    SeizureCategory,
    SeizureState,
    VisitPurpose,
    VisitState,
)

USER = settings.AUTH_USER_MODEL


class Visit(models.Model):
    """One visitor's registration at a school gate (来访登记) and its match."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="visits", verbose_name=_("学校")
    )
    name = models.CharField(_("姓名"), max_length=40)
    id_number = EncryptedTextField(_("身份证号"), mask=crypto.mask_id_number)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("手机号"), mask=crypto.mask_phone, blank=True)
    purpose = models.CharField(_("来访事由"), max_length=16, choices=VisitPurpose.choices)
    host = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被访人"),
    )
    plate = models.CharField(_("车牌号"), max_length=10, blank=True)
    arrived_at = models.DateTimeField(_("入校时间"))
    left_at = models.DateTimeField(_("离校时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=VisitState.choices)
    match_outcome = models.CharField(_("比对结果"), max_length=12, choices=MatchOutcome.choices)
    match_error = models.CharField(_("比对失败原因"), max_length=120, blank=True)
    instruction = models.TextField(_("处置提示"), blank=True)
    ban = models.ForeignKey(
        "gate.BanEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("比中的禁入名单"),
    )
    alerted = models.PositiveIntegerField(_("通知人数"), default=0)
    reviewed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核查人"),
    )
    reviewed_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    review_note = models.CharField(_("核查说明"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    was_offline = models.BooleanField(_("离线补传"), default=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    audit_exclude_fields = frozenset({"id_number_index"})

    class Meta:
        verbose_name = _("来访登记")
        verbose_name_plural = _("来访登记")
        ordering = ["-arrived_at", "-id"]
        indexes = [
            models.Index(fields=["school", "arrived_at"], name="visit_school_arrived_idx"),
            models.Index(fields=["arrived_at"], name="visit_arrived_idx"),
            models.Index(fields=["state"], name="visit_state_idx"),
        ]
        permissions = [("review_visit", "Can review a held visit (release or refuse)")]

    def __str__(self) -> str:
        return f"{self.name} {self.arrived_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.id_number_index = crypto.blind_index(self.id_number) if self.id_number else ""
        super().save(*args, **kwargs)

    @property
    def held(self) -> bool:
        return self.state == VisitState.HELD


class BanEntry(models.Model):
    """A person barred from the campuses under an organisation (禁入名单): by a court order, a
    custody ruling or a previous incident, for a period, decided by someone named. Kept once by
    an education bureau or a police organisation, matched at the gate of every school under it.
    """

    scope_org_path = "organization"

    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布单位"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    id_number = EncryptedTextField(_("身份证号"), mask=crypto.mask_id_number)
    id_number_index = models.CharField(max_length=64, db_index=True, editable=False)
    basis = models.CharField(_("依据"), max_length=12, choices=BanBasis.choices)
    reason = models.CharField(_("禁入事由"), max_length=200)
    decided_by = models.CharField(_("决定机关/决定人"), max_length=100)
    document_number = models.CharField(_("文书编号"), max_length=60, blank=True)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    police_note = models.TextField(_("公安备注"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    audit_exclude_fields = frozenset({"id_number_index"})

    class Meta:
        verbose_name = _("禁入名单")
        verbose_name_plural = _("禁入名单")
        ordering = ["-created_at", "-id"]
        permissions = [("view_police_note", "Can read the police-only note of a ban")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_basis_display()})"

    def save(self, *args, **kwargs):
        self.id_number_index = crypto.blind_index(self.id_number) if self.id_number else ""
        super().save(*args, **kwargs)


class Pass(models.Model):
    """A staff or vehicle pass (出入证) with its period; revoked ones stay listed."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="passes", verbose_name=_("学校")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=PassKind.choices)
    number = models.CharField(_("证号"), max_length=20)
    holder = models.CharField(_("持证人"), max_length=40)
    plate = models.CharField(_("车牌号"), max_length=10, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("发证人")
    )
    created_at = models.DateTimeField(_("发证时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("注销人"),
    )
    revoke_reason = models.CharField(_("注销原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("出入证")
        verbose_name_plural = _("出入证")
        ordering = ["school", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="gate_pass_number_once")
        ]
        indexes = [models.Index(fields=["school", "plate"], name="pass_school_plate_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.holder}"


class VehicleEntry(models.Model):
    """A vehicle's entry at a school gate and its exit; a vehicle with a pass in force is
    linked to it."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="vehicle_entries",
        verbose_name=_("学校"),
    )
    plate = models.CharField(_("车牌号"), max_length=10)
    driver = models.CharField(_("驾驶人"), max_length=40)
    purpose = models.CharField(_("事由"), max_length=100)
    pass_used = models.ForeignKey(
        Pass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("出入证"),
    )
    arrived_at = models.DateTimeField(_("入校时间"))
    left_at = models.DateTimeField(_("离校时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("车辆出入登记")
        verbose_name_plural = _("车辆出入登记")
        ordering = ["-arrived_at", "-id"]
        indexes = [models.Index(fields=["school", "arrived_at"], name="vehicle_school_arrived_idx")]

    def __str__(self) -> str:
        return f"{self.plate} {self.arrived_at:%Y-%m-%d %H:%M}"


class Pickup(models.Model):
    """An adult allowed to collect a pupil (接送授权). The pupil is kept by name and class only;
    the adult by name, relation, phone (encrypted) and the last four characters of the ID."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="pickups", verbose_name=_("学校")
    )
    pupil_name = models.CharField(_("学生姓名"), max_length=40)
    pupil_class = models.CharField(_("班级"), max_length=40)
    adult_name = models.CharField(_("接送人"), max_length=40)
    relation = models.CharField(_("关系"), max_length=20)
    phone = EncryptedTextField(_("接送人手机号"), mask=crypto.mask_phone)
    id_tail = models.CharField(_("身份证后四位"), max_length=4)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("接送授权")
        verbose_name_plural = _("接送授权")
        ordering = ["school", "pupil_class", "pupil_name", "id"]
        indexes = [
            models.Index(fields=["school", "pupil_class", "pupil_name"], name="pickup_pupil_idx")
        ]
        permissions = [("check_pickup", "Can check a collector against a pupil's list")]

    def __str__(self) -> str:
        return f"{self.pupil_class} {self.pupil_name} ← {self.adult_name}"

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class Seizure(models.Model):
    """A prohibited item taken at the gate (收缴), handed to the police: the station sees it as
    its own record and confirms receipt."""

    scope_org_path = "school__organization"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="seizures", verbose_name=_("学校")
    )
    seized_at = models.DateTimeField(_("收缴时间"))
    category = models.CharField(_("物品类别"), max_length=16, choices=SeizureCategory.choices)
    description = models.CharField(_("物品描述"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    seized_from = models.CharField(_("收缴对象"), max_length=10, choices=SeizedFrom.choices)
    person_name = models.CharField(_("当事人"), max_length=40, blank=True)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seizures",
        verbose_name=_("来访登记"),
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=SeizureState.choices, default=SeizureState.REPORTED
    )
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    received_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收民警"),
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    police_note = models.CharField(_("公安处理情况"), max_length=200, blank=True)
    alerted = models.PositiveIntegerField(_("通知人数"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("收缴物品")
        verbose_name_plural = _("收缴物品")
        ordering = ["-seized_at", "-id"]
        indexes = [models.Index(fields=["school", "seized_at"], name="seizure_school_idx")]
        permissions = [("receive_seizure", "Can receive a seized item for the police")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.seized_at:%Y-%m-%d}"
