"""``huxiao import schools|guards|devices|equipment FILE``: the ledger import from the console."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huxiao.core import context
from huxiao.core.models import User
from huxiao.schools.imports import LEDGERS, ImportFileError, commit, get_ledger, prepare


class Command(BaseCommand):
    help = (
        "导入台账（.xlsx 或 .csv）。不加 --commit 只检查并列出全部错误（有错误时退出码为1）；"
        "加 --commit 在没有任何错误时一次性导入，否则不写入任何数据。"
        "不指定 --user 时为系统导入：不限数据范围，审计日志记为命令行操作、无操作用户。"
    )

    def add_arguments(self, parser):
        parser.add_argument("ledger", choices=list(LEDGERS), help="台账类型")
        parser.add_argument("file", help=".xlsx 或 .csv 文件路径")
        parser.add_argument(
            "--user",
            default=None,
            help="以该用户身份导入：只能导入其数据范围内的学校/派出所，并须有该台账的导入权限"
            "（默认：系统导入，全部数据范围）",
        )
        parser.add_argument("--commit", action="store_true", help="没有错误时写入数据库")
        parser.add_argument(
            "--gcj02",
            action="store_true",
            help="文件中的坐标为GCJ-02（高德/腾讯地图），转换为WGS-84",
        )
        parser.add_argument(
            "--max-errors", type=int, default=0, help="最多列出多少条错误（默认0：全部列出）"
        )

    def handle(self, *args, ledger, file, user, commit, gcj02, max_errors, **options):
        ledger_spec = get_ledger(ledger)
        account = self._user(user, ledger_spec)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        data = path.read_bytes()
        started = time.perf_counter()
        with context.acting(source="cli", actor=account):
            try:
                if commit:
                    outcome = self._commit(ledger_spec, data, path.name, account, gcj02)
                    plan = outcome.plan
                else:
                    plan = prepare(ledger_spec, data, path.name, user=account, gcj02=gcj02)
                    outcome = None
            except ImportFileError as exc:
                raise CommandError(str(exc), returncode=1) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{ledger_spec.title}：{path.name}，数据行 {plan.total}，"
            f"将新增 {plan.creates}，将更新 {plan.updates}，"
            f"错误 {len(plan.errors)} 处（{plan.bad_rows} 行）"
            f"{'，坐标按GCJ-02转换' if gcj02 else ''}；范围：{plan.scope.label}；用时 {elapsed:.1f} 秒"
        )
        if plan.table is not None and plan.table.extra_headers:
            self.stdout.write("已忽略不属于本台账的列：" + "、".join(plan.table.extra_headers))
        if plan.errors:
            errors = plan.sorted_errors()
            shown = errors[:max_errors] if max_errors else errors
            for e in shown:
                value = f"（{e.value}）" if e.value else ""
                self.stdout.write(f"第{e.row}行\t{e.column or '整行'}\t{e.message}{value}")
            if len(shown) < len(errors):
                self.stdout.write(f"……另有 {len(errors) - len(shown)} 处错误未列出")
            raise CommandError("文件有错误，未导入任何数据。", returncode=1)
        if outcome is None:
            self.stdout.write("检查通过，未写入数据库；加 --commit 导入。")
            return
        result = outcome.result
        self.stdout.write(
            f"已导入 {result['rows']} 行：新增 {result['created']}，更新 {result['updated']}"
            + (f"（未变化 {result['unchanged']}）" if result.get("unchanged") else "")
            + ("；批量写入，审计日志记一条导入记录" if result.get("bulk") else "")
        )

    def _user(self, username, ledger):
        if username is None:
            return None
        account = User.objects.filter(username=username).first()
        if account is None or not account.is_active:
            raise CommandError(f"用户不存在或已停用：{username}")
        if not account.has_perm(ledger.import_permission):
            raise CommandError(
                f"用户 {username} 没有导入{ledger.title}的权限（{ledger.import_permission}）"
            )
        return account

    def _commit(self, ledger, data, filename, account, gcj02):
        return commit(ledger, data, filename, user=account, gcj02=gcj02)
