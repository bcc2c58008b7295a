"""Choices of the alarms module; labels are the Chinese terms of SPEC 2.6 and GLOSSARY.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlarmKind(models.TextChoices):
    EMERGENCY = "emergency", _("紧急求助")
    INTRUSION = "intrusion", _("入侵")
    DURESS = "duress", _("胁持/静默报警")
    FIRE = "fire", _("火警")
    SELF_TEST = "self_test", _("设备自检")


class AlarmState(models.TextChoices):
    """The response clock: received → 签收 → 派警 → 到场 → 处置完毕 (rules.TRANSITIONS)."""

    RECEIVED = "received", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    DISPATCHED = "dispatched", _("已派警")
    ON_SCENE = "on_scene", _("已到场")
    CLOSED = "closed", _("处置完毕")


class AlarmAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("签收")
    DISPATCH = "dispatch", _("派警")
    ON_SCENE = "on_scene", _("到场")
    CLOSE = "close", _("处置完毕")


class AlarmResult(models.TextChoices):
    REAL = "real", _("真实警情")
    FALSE = "false", _("误报/误触")
    TEST = "test", _("测试")
    FAULT = "fault", _("设备故障")


class EscalationLevel(models.IntegerChoices):
    """Who an unacknowledged alarm is escalated to (issue 16 item 4; rules.escalation_targets)."""

    SUB_BUREAU = 1, _("分局")
    COMMAND_CENTRE = 2, _("市局指挥中心")


class RejectionReason(models.TextChoices):
    """Why a signed post was refused (the operator's log, ``IngestRejection``)."""

    MISSING_HEADERS = "missing_headers", _("缺少签名信息")
    UNKNOWN_DEVICE = "unknown_device", _("设备未登记或已停用")
    BAD_TIMESTAMP = "bad_timestamp", _("时间戳格式不正确")
    BAD_NONCE = "bad_nonce", _("随机数格式不正确")
    STALE = "stale", _("时间戳超出重放窗口")
    BAD_SIGNATURE = "bad_signature", _("签名不正确")
    REPLAYED = "replayed", _("随机数已使用（疑似重放）")
    BAD_BODY = "bad_body", _("报文内容不正确")
