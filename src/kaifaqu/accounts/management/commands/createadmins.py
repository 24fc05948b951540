import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaifaqu.accounts import services
from kaifaqu.accounts.models import User
from kaifaqu.accounts.roles import Role
from kaifaqu.core.access import SystemActor
from kaifaqu.core.errors import ServiceError

ADMINS = [
    ("SYS", Role.SYS_ADMIN, "系统管理员"),
    ("SEC", Role.SEC_ADMIN, "安全管理员"),
    ("AUDIT", Role.AUDIT_ADMIN, "审计管理员"),
]


class Command(BaseCommand):
    help = ("创建三员：系统管理员、安全管理员、审计管理员 / create the three administrators "
            "(--noinput reads KAIFAQU_ADMIN_{SYS,SEC,AUDIT}_USER and _PASSWORD)")

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_true", dest="noinput")

    def handle(self, *args, noinput, **options):
        actor = SystemActor("createadmins")
        for key, role, label in ADMINS:
            if noinput:
                username = os.environ.get(f"KAIFAQU_ADMIN_{key}_USER", "")
                password = os.environ.get(f"KAIFAQU_ADMIN_{key}_PASSWORD", "")
                if not username or not password:
                    raise CommandError(f"缺少环境变量 KAIFAQU_ADMIN_{key}_USER / KAIFAQU_ADMIN_{key}_PASSWORD（{label}）。")
            else:
                username = input(f"{label}用户名 / {role.value} username: ").strip()
                password = getpass.getpass("密码 / password: ")
                if password != getpass.getpass("再次输入密码 / again: "):
                    raise CommandError("两次输入的密码不一致。")
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"{label} {username} 已存在，跳过 / exists, skipped")
                continue
            try:
                with transaction.atomic():
                    services.do_create_user(actor, username=username, password=password, name=label, role=role,
                                            must_change_password=True)
            except ServiceError as exc:
                details = "；".join(m for msgs in exc.fields.values() for m in msgs)
                raise CommandError(f"{label}：{exc.detail}{details}") from None
            self.stdout.write(f"已创建{label} {username}（首次登录须修改密码） / created")
