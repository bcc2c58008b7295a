"""Choices of the gate module (SPEC 2.5): visits, bans, passes, seizures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitPurpose(models.TextChoices):
    OFFICIAL = "official", _("公务联系")
    PARENT = "parent", _("家长来访")
    REPAIR = "repair", _("施工维修")
    DELIVERY = "delivery", _("送货送餐")
    OTHER = "other", _("其他")


class VisitState(models.TextChoices):
    HELD = "held", _("待核查")
    IN = "in", _("在校")
    OUT = "out", _("已离校")
    REFUSED = "refused", _("未准入校")


class MatchOutcome(models.TextChoices):
    CLEAR = "clear", _("未比中")
    KEY_PERSON = "key_person", _("比中重点人员")
    BANNED = "banned", _("比中禁入名单")
    UNMADE = "unmade", _("未完成比对")


class VisitAction(models.TextChoices):
    RELEASE = "release", _("核查放行")
    REFUSE = "refuse", _("拒绝入校")
    CHECK_OUT = "check_out", _("离校")


class BanBasis(models.TextChoices):
    COURT = "court", _("法院禁止令/人身安全保护令")
    CUSTODY = "custody", _("抚养/监护裁定")
    INCIDENT = "incident", _("曾在校园发生事件")
    OTHER = "other", _("其他")


class PassKind(models.TextChoices):
    STAFF = "staff", _("人员出入证")
    VEHICLE = "vehicle", _("车辆出入证")


class SeizureCategory(models.TextChoices):
    """管制刀具 as 公通字〔2007〕2号《管制刀具认定标准》 lists them, then the other prohibited
    items seed 004 names."""

    DAGGER = "dagger", _("匕首")
    SCRAPER = "scraper", _("三棱刮刀")
    SPRING_KNIFE = "spring_knife", _("带自锁装置的弹簧刀（跳刀）")
    POINTED_KNIFE = "pointed_knife", _("其他单刃、双刃、三棱尖刀")
    LONG_KNIFE = "long_knife", _("其他刀身超过220毫米的刀具")
    REPLICA_GUN = "replica_gun", _("仿真枪")
    FLAMMABLE = "flammable", _("易燃易爆物品")
    OTHER = "other", _("其他违禁物品")


CONTROLLED_KNIVES = frozenset(
    {
        SeizureCategory.DAGGER,
        SeizureCategory.SCRAPER,
        SeizureCategory.SPRING_KNIFE,
        SeizureCategory.POINTED_KNIFE,
        SeizureCategory.LONG_KNIFE,
    }
)


class SeizedFrom(models.TextChoices):
    STUDENT = "student", _("学生")
    VISITOR = "visitor", _("来访人员")
    OTHER = "other", _("其他人员")


class SeizureState(models.TextChoices):
    REPORTED = "reported", _("待移交")
    RECEIVED = "received", _("公安已接收")
