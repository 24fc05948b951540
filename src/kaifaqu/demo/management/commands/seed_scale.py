from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成大规模基准数据（确定性） / insert a large deterministic province for benchmarks"

    def add_arguments(self, parser):
        parser.add_argument("--zones", type=int, default=50, help="开发区数 / zones")
        parser.add_argument("--orgs-per-zone", type=int, default=40, help="每区机构数 / organisations per zone")
        parser.add_argument("--enterprises", type=int, default=0, help="企业总数 / enterprises in all")
        parser.add_argument("--staff", type=int, default=0, help="人员总数 / staff in all")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子 / random seed")
        parser.add_argument("--province", default="基准省", help="省名 / province name")

    def handle(self, *args, zones, orgs_per_zone, enterprises, staff, seed, province, **options):
        if settings.PRODUCTION:
            raise CommandError("生产模式（KAIFAQU_MODE=production）下不能生成基准数据。")
        from kaifaqu.demo.scale import ScaleExists, seed_scale

        try:
            report = seed_scale(zones=zones, orgs_per_zone=orgs_per_zone, enterprises=enterprises, staff=staff,
                                seed=seed, province=province)
        except ScaleExists as exc:
            raise CommandError(str(exc)) from None
        except ValueError as exc:
            raise CommandError(f"参数无效：{exc}") from None
        self.stdout.write(f"已生成：开发区 {report.zones} 个，园区 {report.parks} 个，机构 {report.orgs} 个，"
                          f"企业 {report.enterprises} 家，人员 {report.staff} 人，用时 {report.seconds:.1f} 秒。")
