"""Key persons and school-related disputes (SPEC 2.3) — police only.

Identities (ID number, phone, address, home location) are encrypted at rest
(``EncryptedTextField``); the ID number also has an HMAC blind index for exact look-up
(the gate's watchlist match). Every model is scoped by its responsible police
organisation; the selectors add the police-only guard on top (``selectors.police_only``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core import crypto, dictionaries
from huxiao.core.fields import EncryptedTextField
from huxiao.core.scoping import ScopedQuerySet
from huxiao.persons.choices import (
    DISPUTE_KIND,
    DisputeStatus,
    FollowUpMethod,
    Gender,
    PersonStatus,
    ResponsibleKind,
    RiskLevel,
    SchoolRelation,
    ScreeningOutcome,
)

USER = settings.AUTH_USER_MODEL


def mask_hidden(value: str) -> str:
    """Free text about a person (notes, whereabouts, parties): nothing of it is shown masked."""
    return "******" if value else ""


def mask_name(value: str) -> str:
    """张三丰 → 张**: the family name only, as public notices show a person."""
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""


class KeyPerson(models.Model):
    """A person under police attention because of a risk to schools (重点人员)."""

    audit_content_hidden = True  # police-only: the audit trail keeps field names only

    scope_org_path = "station"

    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    id_number = EncryptedTextField(_("身份证号"), mask=crypto.mask_id_number)
    # HMAC of the upper-cased ID number (crypto.blind_index): exact match without decrypting.
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = EncryptedTextField(_("手机号"), mask=crypto.mask_phone)
    address = EncryptedTextField(_("住址"), mask=crypto.mask_address)
    # "latitude,longitude" (WGS-84), encrypted like the address it locates; distances to the
    # linked schools are computed at write time and stored rounded (KeyPersonSchool).
    home_location = EncryptedTextField(_("住址坐标"), mask=mask_hidden)
    categories = models.JSONField(_("类别"), default=list)
    mental_risk_level = models.PositiveSmallIntegerField(
        _("精神障碍危险性等级"),
        null=True,
        blank=True,
        help_text=_("0–5级，仅“严重精神障碍患者”类别填写"),
    )
    risk_level = models.CharField(
        _("总体风险"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    station = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="key_persons",
        verbose_name=_("责任单位"),
    )
    officer = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_persons",
        verbose_name=_("责任民警"),
    )
    control_measures = models.JSONField(_("管控措施"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.IN_CONTROL
    )
    status_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    listed_on = models.DateField(_("列管日期"), null=True, blank=True)
    last_review_date = models.DateField(_("最近核查日期"), null=True, blank=True)
    next_review_date = models.DateField(_("下次核查日期"), null=True, blank=True)
    review_rule = models.CharField(_("核查周期依据"), max_length=64, blank=True)
    notes = EncryptedTextField(_("情况说明"), mask=mask_hidden)
    schools = models.ManyToManyField(
        "schools.School",
        through="KeyPersonSchool",
        related_name="key_persons",
        blank=True,
        verbose_name=_("关联学校"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    audit_exclude_fields = frozenset({"id_number_index"})

    class Meta:
        verbose_name = _("重点人员")
        verbose_name_plural = _("重点人员")
        ordering = ["next_review_date", "id"]
        indexes = [
            # Watchlist by name + birth date (visitors without an ID card at hand).
            models.Index(fields=["name", "birth_date"], name="keyperson_name_birth_idx"),
            models.Index(fields=["station", "status"], name="keyperson_station_status_idx"),
            models.Index(fields=["officer", "next_review_date"], name="keyperson_officer_due_idx"),
        ]
        permissions = [
            ("reveal_keyperson", "Can see a key person's full identity (logged)"),
            ("revoke_keyperson", "Can approve revoking a key person (撤销列管)"),
            ("match_watchlist", "Can check a visitor against the watchlist (yes/no)"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number_index = crypto.blind_index(self.id_number) if self.id_number else ""
        super().save(*args, **kwargs)


class KeyPersonSchool(models.Model):
    """A school near which a key person lives, or at which their threats point."""

    audit_content_hidden = True  # police-only: the audit trail keeps field names only

    scope_org_path = "person__station"

    person = models.ForeignKey(
        KeyPerson, on_delete=models.CASCADE, related_name="school_links", verbose_name=_("重点人员")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("学校")
    )
    relation = models.CharField(
        _("关系"), max_length=16, choices=SchoolRelation.choices, default=SchoolRelation.NEARBY
    )
    # Metres from the home location, rounded to PERSONS_DISTANCE_ROUNDING_M (docs/persons.md).
    distance_m = models.PositiveIntegerField(_("距离（米）"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点人员关联学校")
        verbose_name_plural = _("重点人员关联学校")
        ordering = ["person_id", "distance_m", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "school"], name="keyperson_school_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.school_id}"


class FollowUp(models.Model):
    """One visit or check on a key person (走访/动态核查); moves the next review date."""

    audit_content_hidden = True  # police-only: the audit trail keeps field names only

    scope_org_path = "person__station"

    person = models.ForeignKey(
        KeyPerson, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("重点人员")
    )
    date = models.DateField(_("日期"))
    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("民警")
    )
    method = models.CharField(_("方式"), max_length=16, choices=FollowUpMethod.choices)
    observations = models.TextField(_("核查情况"))
    whereabouts = EncryptedTextField(_("去向/现状"), mask=mask_hidden)
    status_after = models.CharField(_("核查后状态"), max_length=16, choices=PersonStatus.choices)
    mental_risk_level_after = models.PositiveSmallIntegerField(
        _("核查后危险性等级"), null=True, blank=True
    )
    next_review_date = models.DateField(_("下次核查日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访核查")
        verbose_name_plural = _("走访核查")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_method_display()}"


class ScreeningBatch(models.Model):
    """One round of rolling screening (滚动排查) by a police organisation.

    A batch lists who was checked (``ScreeningEntry``): its 排查人数, 新增列管 and 撤销列管 are
    the counts of its entries, kept on the batch by the services in the same transaction as
    the entries (``services.screening_entries_add``), so the list, its totals and the figure
    ``persons.screened`` read one column. Only a batch imported from history (``imported``,
    shown as 历史导入) has typed totals and no entries.
    """

    scope_org_path = "organization"

    campaign = models.ForeignKey(
        "inspections.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screening_batches",
        verbose_name=_("专项行动"),
    )
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("排查单位")
    )
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    imported = models.BooleanField(
        _("历史导入"),
        default=False,
        help_text=_("历史数据只有合计、没有逐人名单；其合计按所填数字计入。"),
    )
    screened = models.PositiveIntegerField(_("排查人数"), default=0)
    newly_listed = models.PositiveIntegerField(_("新增列管"), default=0)
    removed = models.PositiveIntegerField(_("撤销列管"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("滚动排查")
        verbose_name_plural = _("滚动排查")
        ordering = ["-period_end", "-id"]
        indexes = [
            models.Index(fields=["organization", "period_end"], name="screening_org_period_idx")
        ]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class ScreeningEntry(models.Model):
    """One person checked in a screening batch, and what came of it."""

    audit_content_hidden = True  # police-only: the audit trail keeps field names only

    scope_org_path = "batch__organization"

    batch = models.ForeignKey(
        ScreeningBatch, on_delete=models.CASCADE, related_name="entries", verbose_name=_("排查批次")
    )
    person = models.ForeignKey(
        KeyPerson,
        on_delete=models.PROTECT,
        related_name="screening_entries",
        verbose_name=_("重点人员"),
    )
    outcome = models.CharField(
        _("排查结果"),
        max_length=16,
        choices=ScreeningOutcome.choices,
        default=ScreeningOutcome.CHECKED,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("排查人员")
        verbose_name_plural = _("排查人员")
        ordering = ["batch_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="screening_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.person_id}"


class Dispute(models.Model):
    """A school-related conflict (涉校涉生矛盾纠纷) followed by the school's police station."""

    audit_content_hidden = True  # police-only: the audit trail keeps field names only

    scope_org_path = "station"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("学校")
    )
    station = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任派出所"),
    )
    # An entry of the dictionary persons.dispute_kind (choices.DISPUTE_KIND), checked by the
    # services: administrators add types, so they are not choices of the column.
    kind = models.CharField(_("类型"), max_length=32)
    parties = EncryptedTextField(_("当事人"), mask=mask_hidden)
    summary = models.TextField(_("纠纷概要"))
    threat_of_revenge = models.BooleanField(_("有扬言报复倾向"), default=False)
    key_person = models.ForeignKey(
        KeyPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("关联重点人员"),
    )
    responsible_kind = models.CharField(
        _("责任单位类型"), max_length=24, choices=ResponsibleKind.choices
    )
    responsible_org = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.REGISTERED
    )
    registered_on = models.DateField(_("登记日期"))
    due_date = models.DateField(_("化解期限"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(_("结果说明"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["due_date", "-id"]
        indexes = [models.Index(fields=["station", "status"], name="dispute_station_status_idx")]

    def __str__(self) -> str:
        return f"{self.school_id}:{self.kind_label}"

    @property
    def kind_label(self) -> str:
        return dictionaries.label(DISPUTE_KIND, self.kind)


class MediationRecord(models.Model):
    """One mediation session (调解) of a dispute."""

    audit_content_hidden = True  # police-only: the audit trail keeps field names only

    scope_org_path = "dispute__station"

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="mediations", verbose_name=_("矛盾纠纷")
    )
    date = models.DateField(_("日期"))
    mediator = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("调解人")
    )
    participants = models.CharField(_("参加单位"), max_length=200, blank=True)
    content = models.TextField(_("调解情况"))
    result = models.CharField(_("调解结果"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.date}"
