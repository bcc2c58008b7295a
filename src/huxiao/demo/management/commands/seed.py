import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huxiao.core import context
from huxiao.core.roles import ensure_default_roles


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"演示日期“{text}”无效，应为 YYYY-MM-DD 格式的日期，例如 2027-03-10。"
        ) from None


class Command(BaseCommand):
    help = "初始化数据：demo 演示城市（可重复运行）；roles 默认角色。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        demo = sub.add_parser("demo", help="生成演示城市（已存在则复用）")
        demo.add_argument("--password", default=None, help="演示账号密码（默认见 README）")
        demo.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同城市）")
        demo.add_argument(
            "--today",
            default=None,
            metavar="YYYY-MM-DD",
            help="演示日期：按这一天生成演示城市（默认今天）",
        )
        sub.add_parser("roles", help="补齐默认角色与权限")

    def handle(self, *args, what, **options):
        with context.acting(source="cli"):
            if what == "roles":
                created = ensure_default_roles()
                self.stdout.write(f"默认角色已就绪（新建 {created} 个）。")
                return
            from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo

            today = _day(options.get("today"))
            password = options["password"] or DEFAULT_PASSWORD
            result = seed_demo(seed=options["seed"], password=password, today=today)
            self.stdout.write(result.summary())
