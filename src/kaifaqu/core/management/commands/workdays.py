import datetime

from django.core.management.base import BaseCommand, CommandError

from kaifaqu.core import calendar
from kaifaqu.core.tenancy import tenant_model


def parse_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式无效：{text}（应为 YYYY-MM-DD）") from exc


class Command(BaseCommand):
    help = "工作日计算 / working days: add DATE N | between A B | is DATE  [--zone CODE]"

    def add_arguments(self, parser):
        parser.add_argument("--zone", help="开发区代码（采用该区的调整）")
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="DATE 之后第 N 个工作日 / the N-th working day after DATE")
        add.add_argument("date")
        add.add_argument("days", type=int)
        between = sub.add_parser("between", help="(A, B] 中的工作日数 / working days in (A, B]")
        between.add_argument("start")
        between.add_argument("end")
        is_ = sub.add_parser("is", help="是否工作日及原因 / working day or not, and why")
        is_.add_argument("date")

    def handle(self, *args, action, zone, **options):
        zone_id = None
        if zone:
            found = tenant_model().objects.filter(code=zone).first()
            if found is None:
                raise CommandError(f"没有代码为 {zone} 的开发区。")
            zone_id = found.pk
        try:
            if action == "add":
                if options["days"] < 0:
                    raise CommandError("工作日数不能为负。")
                d = parse_date(options["date"])
                result = calendar.add_workdays(d, options["days"], zone_id)
                note = f" {calendar.PROVISIONAL_NOTE}" if calendar.touches_provisional(d, result) else ""
                self.stdout.write(result.isoformat() + note)
            elif action == "between":
                a, b = parse_date(options["start"]), parse_date(options["end"])
                note = f" {calendar.PROVISIONAL_NOTE}" if calendar.touches_provisional(a, b) else ""
                self.stdout.write(str(calendar.workdays_between(a, b, zone_id)) + note)
            else:
                d = parse_date(options["date"])
                kind = "工作日" if calendar.is_workday(d, zone_id) else "休息日"
                note = f" {calendar.PROVISIONAL_NOTE}" if calendar.is_provisional(d.year) else ""
                self.stdout.write(f"{kind}（{calendar.day_reason(d, zone_id)}）{note}")
        except calendar.CalendarYearUnknown as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
