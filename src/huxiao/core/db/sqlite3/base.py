"""Django's SQLite backend with the audit records held to the commit (huxiao.core.db)."""

from django.db.backends.sqlite3 import base

from huxiao.core.db import AuditBufferMixin


class DatabaseWrapper(AuditBufferMixin, base.DatabaseWrapper):
    pass
