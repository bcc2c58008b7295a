import secrets
import string

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from huxiao.core import context, services
from huxiao.core.models import Organization, Role


def _temporary_password() -> str:
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Hx{body}#7"


class Command(BaseCommand):
    help = "用户：create 创建账号（首次登录须修改密码）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--username", required=True)
        create.add_argument("--org", required=True, help="单位代码")
        create.add_argument("--role", required=True, help="角色代码，如 officer")
        create.add_argument("--full-name", default="")
        create.add_argument("--password", default=None, help="初始密码（默认随机生成并输出）")

    def handle(self, *args, action, username, org, role, full_name, password, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"单位不存在：{org}")
        role_obj = Role.objects.filter(code=role).first()
        if role_obj is None:
            codes = ", ".join(Role.objects.values_list("code", flat=True))
            raise CommandError(f"角色不存在：{role}（可用：{codes}）")
        initial = password or _temporary_password()
        try:
            with context.acting(source="cli"):
                services.user_create(
                    username=username,
                    password=initial,
                    organization=organization,
                    role=role_obj,
                    full_name=full_name,
                    must_change_password=True,
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已创建用户 {username}（{role_obj.name}，{organization.name}），首次登录须修改密码。"
        )
        if not password:
            self.stdout.write(f"初始密码：{initial}")
