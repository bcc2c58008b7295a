from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from huxiao.core import context


def encrypted_models():
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = (
        "密钥轮换：用当前 HUXIAO_DATA_KEY 重新加密所有加密字段并重算盲索引"
        "（旧密钥须仍在 HUXIAO_DATA_KEYS_OLD 中）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        total = 0
        with context.acting(source="cli"):
            for model, fields in encrypted_models():
                count = 0
                for obj in model._base_manager.order_by("pk").iterator(chunk_size=batch):
                    with transaction.atomic():
                        # save() re-encrypts under the current key; models recompute their
                        # blind indexes in save(), so those are listed too when present.
                        index_fields = [
                            f"{name}_index" for name in fields if hasattr(obj, f"{name}_index")
                        ]
                        obj.save(update_fields=fields + index_fields)
                    count += 1
                total += count
                self.stdout.write(f"{model._meta.label}: {count} 条")
        self.stdout.write(f"已用当前密钥重新加密 {total} 条记录。")
