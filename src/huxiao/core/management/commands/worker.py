from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "运行任务队列工作进程（huey consumer）：嵌入式为 SQLite 存储，设置 REDIS_URL 时为 Redis。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=settings.HUEY["consumer"]["workers"])

    def handle(self, *args, workers, **options):
        from huxiao.core.keycheck import UnreadableData, require_readable_data

        try:
            require_readable_data()
        except UnreadableData as exc:
            raise CommandError(str(exc), returncode=2) from exc
        call_command("run_huey", workers=workers, worker_type="thread")
