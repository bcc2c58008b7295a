"""Choices of the patrols module (SPEC 2.4); labels are the terms of GLOSSARY.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    FIXED = "fixed", _("固定岗")
    MOBILE = "mobile", _("流动岗")
    PEAK = "peak", _("高峰勤务")


class PersonKind(models.TextChoices):
    """Who stands at a post: the staffing requirement counts each kind separately."""

    POLICE = "police", _("民警")
    AUXILIARY = "auxiliary", _("辅警")
    GUARD = "guard", _("保安")
    VOLUNTEER = "volunteer", _("志愿者")


class ShiftStatus(models.TextChoices):
    PLANNED = "planned", _("已排班")
    SWAPPED = "swapped", _("已调班")
    CANCELLED = "cancelled", _("已取消")


class ProofKind(models.TextChoices):
    """How presence at the post was shown, strongest first."""

    QR = "qr", _("岗点二维码")
    GPS = "gps", _("GPS定位")
    MANUAL = "manual", _("负责人补录")


class PatrolStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("巡逻中")
    COMPLETED = "completed", _("已完成")
    INCOMPLETE = "incomplete", _("未完成（漏巡）")
    ABANDONED = "abandoned", _("中止")


DEFAULT_WINDOWS = (
    {"name": "上学", "start": "07:00", "end": "08:30"},
    {"name": "放学", "start": "16:00", "end": "18:00"},
)
