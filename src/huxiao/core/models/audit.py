from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import AuditAction, AuditKind


class AuditRecord(models.Model):
    """One link of the tamper-evident audit chain: a change, a login or a sensitive read.

    ``hash`` is an HMAC of the record and the previous record's ``hash`` under the audit key
    ``key_id`` names; the key is not in the database (core.audit)."""

    audit_exclude = True

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    ts = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=AuditKind.choices, db_index=True)
    action = models.CharField(_("动作"), max_length=16, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("操作人"),
    )
    # Kept as text too, so the record still names the actor if the account goes.
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    ip = models.CharField(_("IP地址"), max_length=45, blank=True)
    source = models.CharField(_("来源"), max_length=16, blank=True)  # web / api / cli / task
    prev_hash = models.CharField(max_length=64)
    # HMAC-SHA256 under the audit key named by key_id (settings.AUDIT_KEY or an old one).
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, default="")

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        permissions = [("view_audit", "Can read the audit trail")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Singleton: the last link of the chain and the anchor left by pruning.

    Writers lock this row, so links are appended one at a time; verify compares
    the chain's end against it, so deleting the newest records is detected too.
    """

    audit_exclude = True

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    anchor_seq = models.PositiveBigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("审计链头")
