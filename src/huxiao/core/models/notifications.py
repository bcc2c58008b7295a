from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import NotificationLevel
from huxiao.core.scoping import ScopedQuerySet


class Notification(models.Model):
    """A message in one user's inbox (a deadline, an escalation, an alarm)."""

    scope_org_path = "recipient__organization"
    scope_owner_path = "recipient"
    audit_exclude = True  # inbox traffic, not a business record

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    level = models.CharField(
        _("级别"), max_length=16, choices=NotificationLevel.choices, default=NotificationLevel.INFO
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # What the message asks someone to do ("inspections.hazard:42:recheck"): when that task is
    # done, every message about it is resolved (read, with the time) — see notifications_resolve.
    subject = models.CharField(_("事项"), max_length=96, blank=True, db_index=True)
    resolved_at = models.DateTimeField(_("事项办结时间"), null=True, blank=True)
    # When an urgent message was first shown as a toast (with its sound): set once, by the
    # first page that claims it, so no other page load or tab shows it again.
    alerted_at = models.DateTimeField(_("紧急提示时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_unread_idx")]

    def __str__(self) -> str:
        return self.title
