"""Django's PostgreSQL backend with the audit records held to the commit (huxiao.core.db)."""

from django.db.backends.postgresql import base

from huxiao.core.db import AuditBufferMixin


class DatabaseWrapper(AuditBufferMixin, base.DatabaseWrapper):
    pass
