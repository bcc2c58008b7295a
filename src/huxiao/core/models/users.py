from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core import crypto
from huxiao.core.choices import DataScope
from huxiao.core.fields import EncryptedTextField
from huxiao.core.scoping import ScopedQuerySet


class Role(models.Model):
    """A named set of permissions plus the data scope its holders see (SPEC 1)."""

    code = models.SlugField(_("角色代码"), max_length=32, unique=True)
    name = models.CharField(_("角色名称"), max_length=64)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    data_scope = models.CharField(_("数据范围"), max_length=16, choices=DataScope.choices)
    # "app_label.codename" strings; kept as data so that roles stay editable and
    # a module that lands later can extend them without a schema change.
    permissions = models.JSONField(_("权限"), default=list, blank=True)
    is_police = models.BooleanField(_("公安角色"), default=False)
    # TOTP after the password (core.secondfactor); every police role by default.
    requires_second_factor = models.BooleanField(_("须双因素认证"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # 自定义 data scope: holders see the subtrees of these organisations.
    scope_organizations = models.ManyToManyField(
        "core.Organization", blank=True, related_name="+", verbose_name=_("自定义数据范围")
    )
    # The roles of core.roles.DEFAULT_ROLES: editable, never deleted or retired.
    is_builtin = models.BooleanField(_("内置角色"), default=False, editable=False)
    # A retired role is no longer granted; its holders keep it until moved (停用).
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def scope_paths(self) -> tuple[str, ...]:
        """The tree paths of the 自定义 scope's organisations (one query per loaded role)."""
        return tuple(self.scope_organizations.values_list("path", flat=True))


class HuxiaoUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: police, education, school staff, volunteer or auditor."""

    scope_org_path = "organization"
    scope_owner_path = ""  # SELF scope: a user sees their own account

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属单位"),
    )
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("角色"),
    )
    phone = EncryptedTextField(_("手机号"), mask=crypto.mask_phone)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    police_number = models.CharField(_("警号"), max_length=16, blank=True)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    is_demo = models.BooleanField(_("演示账号"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # An urgent notification shows a toast and plays a short sound once; a user may mute it.
    mute_urgent_sound = models.BooleanField(_("紧急通知静音"), default=False)

    objects = HuxiaoUserManager()

    audit_exclude_fields = frozenset({"password", "last_login", "phone_index"})

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.phone_index = crypto.blind_index(self.phone) if self.phone else ""
        super().save(*args, **kwargs)

    @cached_property
    def role_permissions(self) -> frozenset[str]:
        if not self.is_active or self.role_id is None:
            return frozenset()
        return frozenset(self.role.permissions)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleGrant(models.Model):
    """A request to give a user a role (三权分立, 等保2.0 level 3 access control).

    Made by a security administrator; nobody asks for their own account. A role that reads
    police-only data waits for a second security administrator's approval; any other role is
    applied at once. Every request and decision is audited and notified to the auditors
    (core.services.role_grant_request / role_grant_decide).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待批准")
        APPLIED = "applied", _("已生效")
        REFUSED = "refused", _("已驳回")

    user = models.ForeignKey(
        "core.User", on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("用户")
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, verbose_name=_("授予角色"))
    previous_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("原角色"),
    )  # fmt: skip
    reason = models.CharField(_("理由"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices)
    requested_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("批准人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.role}（{self.get_state_display()}）"
