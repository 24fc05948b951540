from django.core.management.base import BaseCommand, CommandError

from kaifaqu.accounts import two_factor
from kaifaqu.accounts.models import User
from kaifaqu.core.access import SystemActor
from kaifaqu.core.errors import ServiceError


class Command(BaseCommand):
    help = ("重置用户的双因素认证（如唯一的安全管理员丢失手机） / reset a user's second factor from the command line "
            "(e.g. the only security administrator lost their phone)")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="原因，记入审计日志 / reason, recorded in the audit trail")

    def handle(self, *args, username, reason, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在。")
        if not reason.strip():
            raise CommandError("请填写原因（--reason）。")
        try:
            two_factor.do_reset(SystemActor("resettwofactor"), user, reason=reason)
        except ServiceError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(f"已重置 {username} 的双因素认证；下次登录时须重新绑定（其角色要求时）。 / reset")
