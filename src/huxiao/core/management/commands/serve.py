import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

log = logging.getLogger("huxiao.serve")


class Command(BaseCommand):
    help = "启动Web服务（ASGI，单进程）；默认同时在本进程内运行任务队列工作线程。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HUXIAO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HUXIAO_PORT", "8000")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不在本进程内运行任务工作线程（另行运行 huxiao worker）",
        )

    def handle(self, *args, host, port, no_worker, **options):
        import uvicorn

        from huxiao.core.keycheck import UnreadableData, require_readable_data

        try:
            require_readable_data()
        except UnreadableData as exc:
            raise CommandError(str(exc), returncode=2) from exc

        consumer = None
        if not no_worker:
            from huey.contrib.djhuey import HUEY

            consumer = HUEY.create_consumer(**settings.HUEY.get("consumer", {}))
            consumer.start()
            self.stdout.write(f"任务工作线程已启动（{type(HUEY.storage).__name__}）")
        self.stdout.write(f"护校安园 http://{host}:{port}/  (Ctrl+C 退出)")
        try:
            uvicorn.run(
                "huxiao.asgi:application",
                host=host,
                port=port,
                workers=1,
                lifespan="off",
                log_level=os.environ.get("HUXIAO_LOG_LEVEL", "info").lower(),
                access_log=settings.DEBUG,
                proxy_headers=bool(settings.AXES_IPWARE_PROXY_COUNT),
            )
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
