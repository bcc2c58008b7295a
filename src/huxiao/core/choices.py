"""Choices shared by the core app; labels are the Chinese terms of GLOSSARY.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("市公安局")
    SUB_BUREAU = "sub_bureau", _("分局/县局")
    STATION = "station", _("派出所")
    POLICE_UNIT = "police_unit", _("警种单位")
    EDUCATION_BUREAU = "education_bureau", _("教育局")
    COORDINATION_OFFICE = "coordination_office", _("综治办/政法委")
    SECURITY_COMPANY = "security_company", _("保安公司")
    SCHOOL = "school", _("学校")


POLICE_KINDS = frozenset(
    {OrgKind.CITY_BUREAU, OrgKind.SUB_BUREAU, OrgKind.STATION, OrgKind.POLICE_UNIT}
)


class DataScope(models.TextChoices):
    ALL = "all", _("全部数据")
    SUBTREE = "subtree", _("本单位及下级")
    OWN_ORG = "own_org", _("仅本单位")
    SELF = "self", _("仅本人")
    # 自定义: the subtrees of a chosen set of organisations (Role.scope_organizations).
    CUSTOM = "custom", _("自定义")


class AuditKind(models.TextChoices):
    CHANGE = "change", _("数据变更")
    LOGIN = "login", _("登录")
    ACCESS = "access", _("敏感信息访问")
    SYSTEM = "system", _("系统操作")


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    LOGIN_SUCCESS = "login_success", _("登录成功")
    LOGIN_FAILURE = "login_failure", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    VIEW = "view", _("查看")
    EXPORT = "export", _("导出")
    PRUNE = "prune", _("清理日志")


class NotificationLevel(models.TextChoices):
    INFO = "info", _("通知")
    WARNING = "warning", _("提醒")
    URGENT = "urgent", _("紧急")
