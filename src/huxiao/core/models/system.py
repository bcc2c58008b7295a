"""What system administration keeps as data (系统管理, issue 21): dictionaries, business
parameters, the runs of periodic tasks and the signed-in sessions.

The modules declare their dictionaries and parameters in their registry
(``core.dictionaries``, ``core.parameters``); these tables hold what administrators changed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.scoping import ScopedQuerySet


class DictionaryItem(models.Model):
    """One entry of an adaptable list (字典项): a hazard category, an equipment kind …"""

    dictionary = models.CharField(_("字典"), max_length=48, db_index=True)
    code = models.CharField(_("编码"), max_length=32)
    label = models.CharField(_("名称"), max_length=64)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_enabled = models.BooleanField(_("启用"), default=True)
    # Seeded from the module's declaration: its code cannot change or be deleted (records and
    # rules refer to it); it can be relabelled, reordered or disabled.
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("字典项")
        verbose_name_plural = _("字典项")
        ordering = ["dictionary", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dictionary", "code"], name="dictionary_item_unique")
        ]

    def __str__(self) -> str:
        return self.label


class ParameterValue(models.Model):
    """A business parameter an administrator set in 参数设置 (absent: the deployment's default)."""

    key = models.CharField(_("参数"), max_length=64, unique=True)
    value = models.JSONField(_("参数值"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("参数设置")
        verbose_name_plural = _("参数设置")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class PeriodicTaskState(models.Model):
    """A periodic task as administrators see it (定时任务): paused or not, its last run."""

    name = models.CharField(_("任务"), max_length=128, unique=True)
    is_paused = models.BooleanField(_("已暂停"), default=False)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("暂停人"),
    )

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["name"]
        permissions = [("view_health", "Can view service health")]

    def __str__(self) -> str:
        return self.name


class TaskRun(models.Model):
    """One run of a periodic task, on schedule or started by an administrator (立即执行)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("执行中")
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        SKIPPED = "skipped", _("已暂停，未执行")

    name = models.CharField(_("任务"), max_length=128, db_index=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    result = models.TextField(_("返回信息"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("手动执行人"),
    )

    class Meta:
        verbose_name = _("任务执行记录")
        verbose_name_plural = _("任务执行记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["name", "-started_at"], name="taskrun_name_started_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in browser session (在线用户): who, from where, with what, last seen when."""

    scope_org_path = "user__organization"

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("用户"),
    )
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("登录时间"))
    last_seen_at = models.DateTimeField(_("最后活动时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("强制下线人"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("在线会话")
        verbose_name_plural = _("在线会话")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.ip or ''}"


class IdempotencyRecord(models.Model):
    """The first answer to an API create sent with an ``Idempotency-Key`` header: a repeat of
    the same request by the same client gets this answer again instead of a second record
    (core.middleware.IdempotencyMiddleware). Kept a day (``core.tasks.idempotency_sweep``)."""

    audit_exclude = True  # the record the request made is audited; this is its receipt

    owner = models.CharField(_("调用方"), max_length=80)  # "token:<digest>" or "user:<id>"
    key = models.CharField(_("幂等键"), max_length=128)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    status = models.PositiveSmallIntegerField(_("状态码"))
    content_type = models.CharField(_("内容类型"), max_length=100, blank=True)
    body = models.BinaryField(_("应答"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
