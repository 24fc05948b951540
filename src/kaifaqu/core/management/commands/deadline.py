import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kaifaqu.core import calendar, clock
from kaifaqu.core.calendar import CalendarYearUnknown
from kaifaqu.core.errors import InvalidInput
from kaifaqu.core.tenancy import tenant_model


def parse_dt(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"时间格式无效：{text}（应为 ISO 8601，如 2026-02-13T10:00）") from exc
    try:
        return clock.check_moment(value, "start")  # naive = Asia/Shanghai; 1990–2100
    except InvalidInput as exc:
        raise CommandError(f"{exc.detail}：{text}") from None


class Command(BaseCommand):
    help = ("计算时限到期时间（与平台同一算法） / print the due time of a limit, computed as the platform does, "
            "e.g. `kaifaqu deadline 2026-02-13T10:00 10 workdays`")

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算时间 ISO 8601（不带时区按北京时间）")
        parser.add_argument("limit", type=int, help="时限")
        parser.add_argument("unit", choices=["workdays", "days", "workhours", "hours", "minutes"],
                            help="单位：workdays 工作日、days 自然日、workhours 工作小时、hours 自然小时、minutes 分钟")
        parser.add_argument("--pause", action="append", default=[], metavar="FROM/TO",
                            help="暂停区间（半开），可多次 / a pause, FROM/TO as ISO datetimes; repeatable")
        parser.add_argument("--zone", help="开发区代码（采用该区的工作日调整与工作时间）")

    def handle(self, *args, start, limit, unit, pause, zone, **options):
        zone_id = None
        if zone:
            zone_obj = tenant_model().objects.filter(code=zone).first()
            if zone_obj is None:
                raise CommandError(f"没有代码为 {zone} 的开发区。")
            zone_id = zone_obj.pk
        started = parse_dt(start)
        pauses = []
        for item in pause:
            if "/" not in item:
                raise CommandError(f"暂停区间应写作 FROM/TO：{item}")
            lo, hi = (parse_dt(x) for x in item.split("/", 1))
            if hi < lo:
                raise CommandError(f"暂停结束早于开始：{item}")
            pauses.append((lo, hi))
        if limit <= 0 or limit > clock.MAX_LIMIT[unit]:
            raise CommandError(f"时限须为 1 到 {clock.MAX_LIMIT[unit]} 之间的整数。")
        try:
            due = clock.compute(unit, limit, started, pauses, 0, zone_id)
        except CalendarYearUnknown as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        line = timezone.localtime(due.due_at).isoformat()
        self.stdout.write(f"{line} {calendar.PROVISIONAL_NOTE}" if due.provisional else line)
