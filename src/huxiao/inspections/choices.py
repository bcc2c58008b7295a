"""Choices of the inspections module; labels are the terms of GLOSSARY.md and SPEC 2.2."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The dictionary of hazard categories (字典管理, core.dictionaries): shipped with the ItemGroup
# values, adapted by administrators. The checklist items keep ItemGroup itself, since the
# compliance rules reason about those groups.
HAZARD_CATEGORY = "inspections.hazard_category"


class ItemGroup(models.TextChoices):
    PERSONNEL = "personnel", _("人防")
    PHYSICAL = "physical", _("物防")
    TECHNICAL = "technical", _("技防")
    RULES = "rules", _("制度")
    EMERGENCY = "emergency", _("应急")
    SURROUNDINGS = "surroundings", _("周边")


class ItemResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NOT_APPLICABLE = "na", _("不适用")


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("检查中")
    FINISHED = "finished", _("已完成")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("检查发现")
    PATROL = "patrol", _("巡逻发现")
    VIDEO_PATROL = "video_patrol", _("视频巡查")
    TIP = "tip", _("群众线索")
    SELF_REPORT = "self_report", _("学校自查")
    DEVICE_OFFLINE = "device_offline", _("设备离线")


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    MAJOR = "major", _("重大")


class HazardState(models.TextChoices):
    PENDING = "pending", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    AWAITING_RECHECK = "awaiting_recheck", _("待复查")
    CLOSED = "closed", _("已销号")


OPEN_STATES = (HazardState.PENDING, HazardState.RECTIFYING, HazardState.AWAITING_RECHECK)


class HazardAction(models.TextChoices):
    """What one step of a hazard's history was (HazardEvent.action)."""

    CREATED = "created", _("登记隐患")
    NOTICE_ISSUED = "notice_issued", _("下发整改通知书")
    STARTED = "started", _("开始整改")
    REPORTED = "reported", _("提交整改报告")
    RECHECK_PASSED = "recheck_passed", _("复查通过，销号")
    RECHECK_FAILED = "recheck_failed", _("复查未通过，限期重改")
    DEADLINE_CHANGED = "deadline_changed", _("调整整改期限")
    REMINDED = "reminded", _("到期提醒")
    OVERDUE = "overdue", _("逾期")
    ESCALATED = "escalated", _("挂牌督办")
    ESCALATION_HANDLED = "escalation_handled", _("督办处理")
    PHOTO_ADDED = "photo_added", _("上传照片")
    # The education bureau or the police press the school on an overdue or near-due hazard.
    CHASED = "chased", _("催办")
    # A fact about the hazard noted by another module, no change of state (a one-key alarm
    # device offline since … is back online).
    NOTED = "noted", _("情况记录")


class PhotoPurpose(models.TextChoices):
    """What a hazard's file is for, set by the action that uploaded it: the finding's pictures
    (登记, or added as 整改前), the school's (its 整改报告's pictures, or added as 整改后), the
    re-check's (复查, passed or not); a report's other evidence (a PDF 验收单) is 整改佐证."""

    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")
    EVIDENCE = "evidence", _("整改佐证")
    INSPECTION = "inspection", _("检查照片")
    RECHECK = "recheck", _("复查照片")


# The hazard page's photo columns (整改前, 整改后, 复查), each picture under the one its purpose
# names; the API's ``photos`` lists them in this order.
PHOTO_COLUMNS = (PhotoPurpose.BEFORE, PhotoPurpose.AFTER, PhotoPurpose.RECHECK)


class DocumentKind(models.TextChoices):
    """Numbered official documents; each kind has its own sequence per organisation and year."""

    RECTIFICATION = "rectification", _("整改通知书")
    SUPERVISION = "supervision", _("督办通知")
