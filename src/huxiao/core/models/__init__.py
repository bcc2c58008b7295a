from huxiao.core.models.audit import AuditChainHead, AuditRecord
from huxiao.core.models.calendar import CalendarDay, CalendarYear
from huxiao.core.models.files import Attachment
from huxiao.core.models.notifications import Notification
from huxiao.core.models.organizations import Organization
from huxiao.core.models.system import (
    DictionaryItem,
    IdempotencyRecord,
    ParameterValue,
    PeriodicTaskState,
    TaskRun,
    UserSession,
)
from huxiao.core.models.tokens import ApiToken
from huxiao.core.models.users import Role, RoleGrant, User

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditChainHead",
    "AuditRecord",
    "CalendarDay",
    "CalendarYear",
    "DictionaryItem",
    "IdempotencyRecord",
    "Notification",
    "Organization",
    "ParameterValue",
    "PeriodicTaskState",
    "Role",
    "RoleGrant",
    "TaskRun",
    "User",
    "UserSession",
]
