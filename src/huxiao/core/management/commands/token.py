import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huxiao.core import context, services
from huxiao.core.models import ApiToken, User


class Command(BaseCommand):
    help = "API令牌：create 创建（最后一行仅输出令牌）、list 列出、revoke 吊销。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建API令牌")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="")
        create.add_argument("--days", type=int, default=None, help="有效天数（默认不过期）")
        listing = sub.add_parser("list", help="列出令牌")
        listing.add_argument("--user", default=None)
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action, **options):
        with context.acting(source="cli"):
            getattr(self, f"_{action}")(**options)

    def _create(self, user, name, days, **_):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"用户不存在：{user}")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        token, raw = services.token_create(user=account, name=name, expires_at=expires)
        self.stderr.write(
            f"已为 {account.username} 创建令牌 #{token.pk}（{token.prefix}…）。令牌只显示这一次："
        )
        self.stdout.write(raw)

    def _list(self, user=None, **_):
        qs = ApiToken.objects.select_related("user").order_by("-created_at")
        if user:
            qs = qs.filter(user__username=user)
        for t in qs:
            state = "已吊销" if t.revoked_at else ("已过期" if not t.is_usable else "有效")
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-"
            self.stdout.write(
                f"{t.pk}\t{t.user.username}\t{t.prefix}…\t{t.name or '-'}\t{state}\t最近使用 {used}"
            )

    def _revoke(self, token_id, **_):
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"令牌不存在：{token_id}")
        services.token_revoke(token=token)
        self.stdout.write(f"令牌 #{token_id} 已吊销。")
