"""``huxiao otp code <username>``: the current code of a demo account's authenticator.

The demo's police logins need a second factor like every police login. To try them without a
phone, this prints what their authenticator would show (enrolling one for the demo account
first if needed). It refuses real accounts and the production profile: there, only the
user's own authenticator gives the code.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.core import secondfactor
from huxiao.core.models import User


class Command(BaseCommand):
    help = "演示账号的动态口令：打印演示账号身份验证器当前显示的6位数字（生产环境不可用）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        code = sub.add_parser("code", help="打印演示账号当前的动态口令")
        code.add_argument("username")

    def handle(self, *args, action, username, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境不提供动态口令：请使用本人手机上的身份验证器。")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号不存在：{username}")
        if not user.is_demo:
            raise CommandError(f"{username} 不是演示账号：动态口令只能由本人的身份验证器给出。")
        if not (user.role and user.role.requires_second_factor):
            raise CommandError(f"{username} 的角色登录时无需动态口令。")
        if not secondfactor.enrolled(user):
            device = secondfactor.pending_device(user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        self.stdout.write(secondfactor.current_code(user))
