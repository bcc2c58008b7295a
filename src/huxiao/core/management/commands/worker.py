from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "运行任务队列工作进程（huey consumer）：嵌入式为 SQLite 存储，设置 REDIS_URL 时为 Redis。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=settings.HUEY["consumer"]["workers"])
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="不调度定时任务（多台工作进程时只让其中一台调度，定时任务才只执行一次）",
        )

    def handle(self, *args, workers, no_periodic, **options):
        from huxiao.core.keycheck import UnreadableData, require_readable_data

        try:
            require_readable_data()
        except UnreadableData as exc:
            raise CommandError(str(exc), returncode=2) from exc
        # Each consumer's scheduler enqueues the periodic tasks: with several workers, exactly
        # one of them schedules (the others run with --no-periodic), or each task runs N times.
        call_command("run_huey", workers=workers, worker_type="thread", periodic=not no_periodic)
