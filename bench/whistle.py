"""`python -m bench.whistle`: whistles at scale — a unit's inbox p95 against the same SQL run raw, a year's unit
figures of one zone, and tick with 5 000 ladder steps due among the whistles' clocks.

Defaults are the issue's: 200 000 whistles and 600 000 assignments over 50 zones (BENCH_WHISTLES,
BENCH_WHISTLE_ZONES to scale down). Runs on a throw-away SQLite file (or KAIFAQU_DATABASE_URL: a scratch database).
Budgets (issue 14): inbox p95 150 ms, a year's figures of a zone 1 s, tick with 5 000 steps due 2 s.
"""

import os
import sys
import tempfile
import time

os.environ.setdefault("KAIFAQU_VAR_DIR", tempfile.mkdtemp(prefix="kaifaqu-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
os.environ.setdefault("KAIFAQU_FAST_PASSWORD_HASHER", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import budgets  # noqa: E402
from bench.timing import p95_median  # noqa: E402

WHISTLES = int(os.environ.get("BENCH_WHISTLES", "200000"))
ZONES = int(os.environ.get("BENCH_WHISTLE_ZONES", "50"))
UNITS_PER_ZONE = 12
STEPS_DUE = int(os.environ.get("BENCH_WHISTLE_STEPS_DUE", "5000"))


def seed():
    """Zones, units, whistles (3 assignments each, one report-in clock per assignment), through bulk inserts: the
    services' per-row audit would take hours at this size and is not what is measured."""
    import datetime
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kaifaqu.accounts.models import User
    from kaifaqu.core.clock.models import DeadlineClock
    from kaifaqu.org.models import Org, OrgKind, Zone
    from kaifaqu.whistle.models import Assignment, Whistle

    rng = random.Random(14)
    now = timezone.now()
    year_ago = now - datetime.timedelta(days=365)
    zones = Zone.objects.bulk_create([Zone(code=f"wb{i}", name=f"吹哨基准开发区{i}") for i in range(ZONES)])
    units = {}
    for z in zones:
        units[z.pk] = Org.objects.bulk_create([Org(zone=z, kind=OrgKind.STREET, code=f"u{j}", name=f"街道{j}")
                                               for j in range(UNITS_PER_ZONE)])
    per_zone = WHISTLES // ZONES
    ct = ContentType.objects.get_for_model(Assignment)
    for z in zones:
        whistles = Whistle.objects.bulk_create([
            Whistle(zone=z, number=f"CS{i:07d}", kind="key_task", title=f"基准吹哨{i}", description="d", matter="其他",
                    blown_at=year_ago + datetime.timedelta(minutes=rng.randrange(525600)),
                    state="closed" if rng.random() < 0.9 else "open", rating="satisfied")
            for i in range(per_zone)], batch_size=5000)
        rows = []
        for w in whistles:
            for k, org in enumerate(rng.sample(units[z.pk], 3)):
                solved = w.state == "closed"
                rows.append(Assignment(
                    zone=z, whistle=w, org=org, role="lead" if k == 0 else "support",
                    state="solved" if solved else "dispatched", dispatched_at=w.blown_at,
                    reported_at=w.blown_at if solved else None, reported_on_time=solved or None,
                    solved_at=w.blown_at + datetime.timedelta(days=2) if solved else None,
                    solved_on_time=solved or None))
        Assignment.objects.bulk_create(rows, batch_size=5000)
        open_rows = [a for a in rows if a.state == "dispatched"]
        clocks = DeadlineClock.objects.bulk_create([
            DeadlineClock(zone_id=z.pk, content_type=ct, object_id=str(a.pk), kind="whistle.key.report_in",
                          unit="workdays", limit=1, started_at=a.dispatched_at,
                          due_at=now + datetime.timedelta(days=3), warn_at=now + datetime.timedelta(days=1),
                          next_step_at=now + datetime.timedelta(days=3))
            for a in open_rows], batch_size=5000)
        for a, c in zip(open_rows, clocks, strict=True):
            a.report_clock_id = c.pk
        Assignment.objects.bulk_update(open_rows, ["report_clock"], batch_size=5000)
    zone = zones[0]
    unit = units[zone.pk][0]
    user = User.objects.create(username="whistle_bench", role="street_staff", org=unit)
    return zone, unit, user


timed = p95_median


def bench_inbox(user):
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)

    def api():
        r = client.get("/api/v1/whistle-assignments/", {"open": "true", "page_size": 20})
        assert r.status_code == 200, r.content[:200]

    api()
    with CaptureQueriesContext(connection) as captured:
        api()
    statements = [q["sql"] for q in captured.captured_queries]

    def raw():
        with connection.cursor() as c:
            for sql in statements:
                c.execute(sql)
                c.fetchall()

    return timed(api, 50), timed(raw, 50), len(statements)


def bench_figures(zone):
    from django.utils import timezone

    from kaifaqu.whistle.queries import unit_figures

    t0 = time.perf_counter()
    rows = unit_figures(zone.pk, str(timezone.localdate().year))
    return time.perf_counter() - t0, len(rows)


def bench_tick():
    """5 000 of the open report-in clocks fall due: tick claims them overdue and fires their urge step."""
    import datetime

    from django.utils import timezone

    from kaifaqu.core import clock
    from kaifaqu.core.clock.models import DeadlineClock

    now = timezone.now()
    due = list(DeadlineClock.objects.filter(kind="whistle.key.report_in").order_by("id")
               .values_list("id", flat=True)[:STEPS_DUE])
    past = now - datetime.timedelta(minutes=5)
    DeadlineClock.objects.filter(pk__in=due).update(due_at=past, warn_at=past, next_step_at=past)
    t0 = time.perf_counter()
    clock.run_due(now)
    counts = clock.run_ladder(now)
    return time.perf_counter() - t0, counts["steps"]


def main():
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    zone, unit, user = seed()
    print(f"seeded {WHISTLES:,} whistles, {WHISTLES * 3:,} assignments over {ZONES} zones on {connection.vendor} "
          f"in {time.perf_counter() - t0:.1f} s")
    verdicts = []

    def report(line, key, value):
        verdict = budgets.check(key, value)
        verdicts.append(verdict)
        print(f"{line}: {verdict}")

    (api95, api50), (raw95, raw50), n = bench_inbox(user)
    report(f"unit inbox API p95 {api95 * 1000:.1f} ms (median {api50 * 1000:.1f}); its {n} statements raw p95 "
           f"{raw95 * 1000:.2f} ms; ratio {api95 / raw95:.1f}", "whistle_inbox_p95_ms", api95 * 1000)
    took, units = bench_figures(zone)
    report(f"a year's figures for the {units} units of a zone {took:.2f} s", "whistle_figures_s", took)
    took, steps = bench_tick()
    report(f"tick with {steps:,} ladder steps due {took:.2f} s", "whistle_tick_s", took)
    return 1 if any(v.startswith("OVER") or v.startswith("no budget") for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
