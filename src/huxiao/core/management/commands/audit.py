import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huxiao.core import audit, context


class Command(BaseCommand):
    help = (
        "审计日志：verify 校验签名链并与外部锚点比对；checkpoint 把链头签名写入锚点文件；"
        "prune 清理早于指定日期的记录（须保存不少于180天）。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="校验审计日志签名链，报告第一条被修改、伪造或删除的记录"
        )
        verify.add_argument("--checkpoints", help="锚点文件（默认 HUXIAO_AUDIT_CHECKPOINT_FILE）")
        checkpoint = sub.add_parser("checkpoint", help="把当前链头（序号、哈希）签名追加到锚点文件")
        checkpoint.add_argument("--file", help="锚点文件（默认 HUXIAO_AUDIT_CHECKPOINT_FILE）")
        prune = sub.add_parser("prune", help="清理早于指定日期的审计记录")
        prune.add_argument("--before", required=True, help="截止日期 YYYY-MM-DD（不含）")

    def handle(self, *args, action, **options):
        if action == "checkpoint":
            written = audit.write_checkpoint(options.get("file"))
            if written is None:
                self.stdout.write("审计日志为空：未写锚点。")
            else:
                self.stdout.write(f"已写锚点：序号 {written.seq}，哈希 {written.hash[:16]}…")
            return
        if action == "verify":
            result = audit.verify_chain(checkpoints_path=options.get("checkpoints"))
            if result.ok:
                self.stdout.write(
                    f"审计链完整：已校验 {result.checked} 条记录，与 {result.checkpoints} 个外部锚点相符。"
                )
                return
            where = (f"序号 {result.first_bad_seq}" if result.first_bad_seq else "锚点文件") + (
                f"（id {result.first_bad_id}）" if result.first_bad_id else ""
            )
            self.stderr.write(
                f"审计链校验失败：{where}：{result.problem}。已校验完好的记录 {result.checked} 条。"
            )
            sys.exit(1)
        try:
            day = dt.date.fromisoformat(options["before"])
        except ValueError as exc:
            raise CommandError(f"日期格式不正确：{options['before']}（应为 YYYY-MM-DD）") from exc
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        with context.acting(source="cli"):
            try:
                deleted = audit.prune_before(cutoff=cutoff)
            except audit.PruneRefused as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"已清理 {deleted} 条审计记录。")
