"""Choices of the preparedness module (SPEC 2.6): emergency plans and drills."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    CAMPUS_VIOLENCE = "campus_violence", _("防校园侵害")
    FIRE = "fire", _("消防")
    TERRORISM = "terrorism", _("防恐")
    DISASTER = "disaster", _("防灾")
    FOOD_SAFETY = "food_safety", _("食品安全")
    PUBLIC_HEALTH = "public_health", _("公共卫生")
    PUBLIC_ORDER = "public_order", _("治安事故")
    OTHER = "other", _("其他")


class PlanStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    RETIRED = "retired", _("已废止")


class DrillKind(models.TextChoices):
    FIRE_EVACUATION = "fire_evacuation", _("消防疏散")
    CAMPUS_VIOLENCE = "campus_violence", _("防校园侵害")
    TERRORISM = "terrorism", _("防恐")
    EARTHQUAKE = "earthquake", _("防震减灾")
    OTHER = "other", _("其他")


class DrillState(models.TextChoices):
    PLANNED = "planned", _("计划")
    HELD = "held", _("已举行")
    CANCELLED = "cancelled", _("已取消")


class DrillAction(models.TextChoices):
    HOLD = "hold", _("记录举行情况")
    CANCEL = "cancel", _("取消")
