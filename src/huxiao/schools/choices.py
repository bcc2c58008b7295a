"""Choices of the schools module; labels are the Chinese terms of SPEC 2.1."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The dictionaries of this module (字典管理, core.dictionaries): shipped with the values of the
# choices below, adapted by administrators. The codes of the shipped entries stay constants of
# code: compliance reasons about DeviceKind.CAMERA and ONE_KEY_ALARM, patrols about cameras,
# the minimum kit names EquipmentItem codes; shipped entries cannot be deleted.
DEVICE_KIND = "schools.device_kind"
EQUIPMENT_KIND = "schools.equipment_kind"


class SchoolLevel(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    NINE_YEAR = "nine_year", _("九年一贯制")
    COMPLETE_SECONDARY = "complete_secondary", _("完全中学")
    VOCATIONAL = "vocational", _("中职")
    SPECIAL = "special", _("特殊教育")
    TEACHING_POINT = "teaching_point", _("教学点")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class Locality(models.TextChoices):
    URBAN = "urban", _("城区")
    TOWN = "town", _("镇区")
    RURAL = "rural", _("乡村")


class GuardStatus(models.TextChoices):
    ON_DUTY = "on_duty", _("在岗")
    LEAVE = "leave", _("休假")
    LEFT = "left", _("离职")


class EquipmentItem(models.TextChoices):
    STEEL_FORK = "steel_fork", _("钢叉/安全叉")
    BATON = "baton", _("橡胶棒/警棍")
    STAB_VEST = "stab_vest", _("防刺背心")
    CUT_GLOVES = "cut_gloves", _("防割手套")
    HELMET = "helmet", _("头盔")
    SHIELD = "shield", _("盾牌")
    FLASHLIGHT = "flashlight", _("强光手电")
    RADIO = "radio", _("对讲机")
    PEPPER_SPRAY = "pepper_spray", _("辣椒喷雾")


class DeviceKind(models.TextChoices):
    CAMERA = "camera", _("视频监控")
    ONE_KEY_ALARM = "one_key_alarm", _("一键式紧急报警")
    INTRUSION_ALARM = "intrusion_alarm", _("入侵报警")
    ACCESS_CONTROL = "access_control", _("门禁")
    PUBLIC_ADDRESS = "public_address", _("广播")


class AntiCollisionKind(models.TextChoices):
    BARRIER = "barrier", _("拒马")
    BOLLARD_BLOCK = "block", _("隔离墩")
    RISING_BOLLARD = "rising_bollard", _("升降柱")
