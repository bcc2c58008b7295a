"""``huxiao keys new | status | rotate``: the data key of the encrypted fields (SPEC 3).

Rotation without downtime (docs/persons.md): put the new key in HUXIAO_DATA_KEY and the
old one in HUXIAO_DATA_KEYS_OLD, restart the app processes (they read under both keys,
write under the new one, and look blind indexes up under both), run ``huxiao keys
rotate``, check ``huxiao keys status`` shows nothing left under an old key, then remove
the old key and restart again.
"""

from __future__ import annotations

import base64
import secrets

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr

from huxiao.core import context, crypto


def encrypted_models():
    """Every model with encrypted fields, and those fields' names."""
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if fields:
            yield model, fields


TAG_LENGTH = 12  # "v1:" + 8-character key id + ":"


def _tag(name: str) -> Substr:
    # Read the stored text itself: the field would decrypt it (and fail on a prefix).
    return Substr(name, 1, TAG_LENGTH, output_field=models.CharField())


def stale_filter(fields: list[str], current: str) -> tuple[dict, Q]:
    annotations = {f"_tag_{name}": _tag(name) for name in fields}
    stale = Q()
    for name in fields:
        stale |= ~Q(**{f"_tag_{name}": current}) & ~Q(**{name: ""})
    return annotations, stale


def tag_counts(model, fields: list[str]) -> dict[str, int]:
    """How many stored values start with each "<cipher>:<key id>:" tag."""
    counts: dict[str, int] = {}
    for name in fields:
        rows = (
            model._base_manager.exclude(**{name: ""})
            .annotate(_t=_tag(name))
            .values("_t")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts[row["_t"]] = counts.get(row["_t"], 0) + row["n"]
    return counts


class Command(BaseCommand):
    help = (
        "数据密钥：new 生成新密钥；status 统计各密钥下的加密值；"
        "rotate 以当前 HUXIAO_DATA_KEY（及 HUXIAO_CIPHER）分批重新加密并重算盲索引，"
        "期间系统照常运行（旧密钥须仍在 HUXIAO_DATA_KEYS_OLD 中）。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("new", help="生成一个新的数据密钥（32字节，URL安全的Base64）")
        sub.add_parser("status", help="统计当前密钥与旧密钥下的加密值")
        rotate = sub.add_parser("rotate", help="把旧密钥下的值重新加密到当前密钥")
        rotate.add_argument("--batch", type=int, default=200, help="每个事务处理的记录数")

    def handle(self, *args, action, **options):
        with context.acting(source="cli"):
            getattr(self, f"_{action}")(**options)

    def _new(self, **_):
        self.stdout.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"))

    def _status(self, **_):
        current = crypto.current_tag()
        _kid, keys = crypto.keyring()
        known = {f"{p}:{k}:" for p in (crypto.PREFIX, crypto.SM4_PREFIX) for k in keys}
        self.stdout.write(
            f"当前：{current}（算法 {crypto.cipher_prefix()}，已配置密钥 {len(keys)} 个）"
        )
        stale = unreadable = 0
        for model, fields in encrypted_models():
            counts = tag_counts(model, fields)
            for tag, n in sorted(counts.items()):
                state = "当前" if tag == current else ("旧密钥" if tag in known else "无可用密钥")
                self.stdout.write(f"{model._meta.label}\t{tag}\t{n}\t{state}")
                if tag != current:
                    stale += n
                if tag not in known:
                    unreadable += n
        self.stdout.write(f"待重新加密 {stale} 个值；无可用密钥 {unreadable} 个值。")
        if unreadable:
            raise CommandError("有加密值找不到对应密钥，不能移除旧密钥。", returncode=2)

    def _rotate(self, batch, **_):
        if batch < 1:
            raise CommandError("--batch 须为正整数")
        current = crypto.current_tag()
        total = 0
        for model, fields in encrypted_models():
            index_fields = [
                f"{name}_index"
                for name in fields
                if any(f.name == f"{name}_index" for f in model._meta.concrete_fields)
            ]
            annotations, stale = stale_filter(fields, current)
            pks = list(
                model._base_manager.annotate(**annotations)
                .filter(stale)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for start in range(0, len(pks), batch):
                # Each batch re-reads its rows under a lock, so a value someone changed
                # since the list was made is re-encrypted as it is now, not overwritten.
                with transaction.atomic():
                    rows = model._base_manager.select_for_update().filter(
                        pk__in=pks[start : start + batch]
                    )
                    for obj in rows:
                        # save() encrypts under the current key; models recompute their
                        # blind indexes in save(), so those fields are written too.
                        obj.save(update_fields=fields + index_fields)
            total += len(pks)
            self.stdout.write(f"{model._meta.label}：重新加密 {len(pks)} 条")
        self.stdout.write(f"完成：共重新加密 {total} 条记录；再次运行 status 确认后可移除旧密钥。")
