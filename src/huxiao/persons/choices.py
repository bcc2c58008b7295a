"""Choices of the key-person and dispute registry (SPEC 2.3); labels are GLOSSARY terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """重点人员类别 (SPEC 2.3); a person may fall under several."""

    MENTAL = "mental", _("严重精神障碍患者")
    DRUG = "drug", _("吸毒人员")
    REVENGE = "revenge", _("扬言报复")
    GRIEVANCE = "grievance", _("心理失衡/对社会不满")
    DESTITUTE = "destitute", _("生活无着/债务缠身")
    IDLE = "idle", _("社会闲散/游荡")
    RELEASED = "released", _("刑满释放")
    CORRECTION = "correction", _("社区矫正")
    DISPUTE_PARTY = "dispute_party", _("矛盾纠纷当事人")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    """总体风险 (overall risk), as the station rates it."""

    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class ControlMeasure(models.TextChoices):
    TALK = "talk", _("谈话教育")
    STABILISE = "stabilise", _("稳控")
    TREATMENT = "treatment", _("送医治疗")
    GUARDIANSHIP = "guardianship", _("监护落实")
    LISTED = "listed", _("列管")


class PersonStatus(models.TextChoices):
    IN_CONTROL = "in_control", _("在控")
    LOST = "lost", _("失控")
    REVOKED = "revoked", _("撤销")


class ScreeningOutcome(models.TextChoices):
    """What a rolling screening (滚动排查) found about one person: checked and kept under
    control, newly listed, or removed from the list (撤销列管)."""

    CHECKED = "checked", _("核查在控")
    LISTED = "listed", _("新增列管")
    REMOVED = "removed", _("撤销列管")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class SchoolRelation(models.TextChoices):
    NEARBY = "nearby", _("周边")
    TARGETED = "targeted", _("指向")


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    CHECK = "check", _("动态核查")
    VIDEO = "video", _("视频通话")
    OTHER = "other", _("其他")


# The dictionary of dispute types (字典管理, core.dictionaries), shipped with DisputeKind's values
# and adapted by administrators; no rule reasons about a type.
DISPUTE_KIND = "persons.dispute_kind"


class DisputeKind(models.TextChoices):
    TEACHER_STUDENT = "teacher_student", _("师生")
    HOME_SCHOOL = "home_school", _("家校")
    STUDENTS = "students", _("学生间")
    CAMPUS_PROPERTY = "campus_property", _("校园资产")
    LABOUR = "labour", _("劳资")
    OTHER = "other", _("其他")


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("登记")
    MEDIATING = "mediating", _("化解中")
    RESOLVED = "resolved", _("已化解")
    TRANSFERRED = "transferred", _("移交")


class ResponsibleKind(models.TextChoices):
    SCHOOL = "school", _("学校")
    EDUCATION_BUREAU = "education_bureau", _("教育局")
    STATION = "station", _("派出所")
