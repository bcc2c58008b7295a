"""Refuse to start when the configured data keys cannot read the stored data (issue 23).

A wrong ``HUXIAO_DATA_KEY`` (a typo, another deployment's key, an old key dropped from
``HUXIAO_DATA_KEYS_OLD`` too early) used to start the platform and make every page showing a
phone number or an ID number answer 500. The entry points (WSGI, ASGI, ``huxiao serve``,
``huxiao worker``) call ``require_readable_data()`` first: for each encrypted field it reads
the newest stored value and decrypts it. That is one indexed read per field, a few
milliseconds. A value none of the keys opens stops the process with a message saying what to
check. ``huxiao keys status`` then counts every value by key.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

MESSAGE = (
    "数据密钥无法解密已存储的数据（{model}.{field}，密钥标识 {tag}）："
    "请检查 HUXIAO_DATA_KEY 与 HUXIAO_DATA_KEYS_OLD 是否为本系统的密钥，"
    "可运行 huxiao keys status 查看各密钥下的加密值。系统未启动。"
)


class UnreadableData(ImproperlyConfigured):
    """The configured keys cannot decrypt what the database holds."""


def unreadable_sample() -> tuple[str, str, str] | None:
    """(model, field, tag) of the first newest value no configured key decrypts, or None."""
    from django.db import connections

    from huxiao.core import crypto
    from huxiao.core.management.commands.keys import encrypted_models

    for model, fields in encrypted_models():
        connection = connections[model._base_manager.db]
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        for name in fields:
            column = qn(model._meta.get_field(name).column)
            # The stored text itself (the field's own conversion would decrypt it). Only the
            # models' own table and column names, quoted.
            sql = f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY {pk} DESC LIMIT 1"  # noqa: S608
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    row = cursor.fetchone()
            except DatabaseError:  # not migrated yet: nothing stored to read
                return None
            if not row or not row[0]:
                continue
            try:
                crypto.decrypt(row[0])
            except crypto.DecryptionError:
                return model._meta.label, name, row[0][:12]
    return None


def require_readable_data() -> None:
    from django.conf import settings

    if not getattr(settings, "DATA_KEY_STARTUP_CHECK", True):
        return
    found = unreadable_sample()
    if found is not None:
        model, field, tag = found
        raise UnreadableData(MESSAGE.format(model=model, field=field, tag=tag))
