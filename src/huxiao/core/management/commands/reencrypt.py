"""``huxiao manage reencrypt``: the name the foundation documented for ``huxiao keys rotate``.

Kept so existing runbooks work; it runs the same batched, locked rotation.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "密钥轮换（同 huxiao keys rotate）：用当前 HUXIAO_DATA_KEY 分批重新加密所有加密字段并重算盲索引。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args, batch, **options):
        call_command("keys", "rotate", batch=batch, stdout=self.stdout, stderr=self.stderr)
