from huxiao.core.models.audit import AuditChainHead, AuditRecord
from huxiao.core.models.notifications import Notification
from huxiao.core.models.organizations import Organization
from huxiao.core.models.tokens import ApiToken
from huxiao.core.models.users import Role, User

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditRecord",
    "Notification",
    "Organization",
    "Role",
    "User",
]
