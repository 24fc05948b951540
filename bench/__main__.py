"""`make bench`: seeded large data, timings printed as a table and compared with docs/performance.md budgets.

Runs on a throw-away SQLite file (or KAIFAQU_DATABASE_URL if set: use a scratch database, it is flushed).
The core figures run here; then each module's benchmark (`bench/<module>.py`, see MODULE_BENCHES) runs in its own
process on its own throw-away database (on KAIFAQU_DATABASE_URL, flushed before each). `BENCH_ONLY=core,whistle`
runs only those. The exit status is 1 when any figure is over its budget.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KAIFAQU_VAR_DIR", tempfile.mkdtemp(prefix="kaifaqu-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
os.environ.setdefault("KAIFAQU_FAST_PASSWORD_HASHER", "1")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("django.request").setLevel(logging.ERROR)  # the floor measurement's 404s are expected

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import budgets  # noqa: E402
from bench.seed import seed_orgs  # noqa: E402

ZONES = int(os.environ.get("BENCH_ZONES", "50"))
ORGS_PER_ZONE = int(os.environ.get("BENCH_ORGS_PER_ZONE", "200"))
AUDIT_EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "5000"))


def timed(fn, n):
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return {"median": statistics.median(samples), "p95": samples[int(0.95 * (len(samples) - 1))], "n": n}


def bench_org_list(user, zone_id):
    """The API against the very SQL it runs (captured from one request), replayed through a raw cursor."""
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)

    def api():
        r = client.get("/api/v1/orgs/", {"page_size": 50, "zone": zone_id, "page": 3})
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

    def floor():
        # the same stack (middleware, authentication, DRF, the error handler) for one indexed lookup that finds nothing
        assert client.get("/api/v1/orgs/999999999/").status_code == 404

    return timed(api, 100), timed(raw, 100), len(statements), timed(floor, 100)


def bench_audit(n):
    from django.db import transaction

    from kaifaqu.core import audit
    from kaifaqu.core.access import SYSTEM

    t0 = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            audit.record(SYSTEM, "bench.write", None, object_type="bench", object_id=str(i), object_label=f"b{i}",
                         after={"i": i})
    write = time.perf_counter() - t0
    t0 = time.perf_counter()
    count, broken, reason = audit.verify()
    verify = time.perf_counter() - t0
    assert broken is None and not reason, reason
    return n / write, count / verify


def bench_add_workdays():
    import datetime
    import timeit

    from kaifaqu.core import calendar

    start = datetime.date(2026, 2, 13)
    calendar.add_workdays(start, 10)
    n = 200_000
    seconds = timeit.timeit(lambda: calendar.add_workdays(start, 10), number=n)
    return n / seconds


def bench_tick(total, due):
    """`tick` over ``total`` running clocks of which ``due`` are overdue; the lower bound is a COUNT of the due ones.

    Every clock has a ladder step ahead (``next_step_at``): the due ones fire their "notice" step, the others wait
    for a reminder a day before their due time, so the ladder's idle tick must not read the waiting ones."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kaifaqu.core import clock
    from kaifaqu.core.clock.models import DeadlineClock
    from kaifaqu.org.models import Zone

    clock.register_kind("bench", "基准测试时限")
    clock.register_ladder("bench", steps=[clock.Step("remind", before=24, unit="hours"),
                                          clock.Step("notice", after=0, unit="hours"),
                                          clock.Step("report", after=24, unit="hours")])
    now = timezone.now()
    ct = ContentType.objects.get_for_model(Zone)
    later = now + datetime.timedelta(days=30)
    earlier = now - datetime.timedelta(hours=1)
    rows = [DeadlineClock(zone_id=1, content_type=ct, object_id=str(i), kind="bench", unit="hours", limit=1,
                          started_at=earlier, due_at=earlier if i < due else later, warn_at=later,
                          warned_at=earlier,
                          next_step_at=earlier if i < due else later - datetime.timedelta(hours=24))
            for i in range(total)]
    DeadlineClock.objects.bulk_create(rows, batch_size=5000)
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM core_deadlineclock WHERE state = 'running' AND due_at <= %s",
                  [connection.ops.adapt_datetimefield_value(now)])
        c.fetchone()
    lower = time.perf_counter() - t0
    t0 = time.perf_counter()
    counts = clock.run_due(now)
    took = time.perf_counter() - t0
    assert counts["overdue"] == due, counts
    t0 = time.perf_counter()
    ladder = clock.run_ladder(now)
    ladder_took = time.perf_counter() - t0
    assert ladder["steps"] == due, ladder
    t0 = time.perf_counter()
    again = clock.run_due(now)
    idle = time.perf_counter() - t0
    assert again["overdue"] == 0
    t0 = time.perf_counter()
    again = clock.run_ladder(now)
    ladder_idle = time.perf_counter() - t0
    assert again["steps"] == 0
    return took, lower, idle, ladder_took, ladder_idle


MODULE_BENCHES = ("whistle", "powers", "approvals", "meetings", "cockpit")


def selected(name) -> bool:
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    return not only or name in only


def run_module_benches() -> list[str]:
    """Each module's benchmark in a process of its own; the names of those that failed or broke a budget."""
    failed = []
    for name in MODULE_BENCHES:
        if not selected(name) or not (Path(__file__).resolve().parent / f"{name}.py").exists():
            continue
        env = dict(os.environ, KAIFAQU_VAR_DIR=tempfile.mkdtemp(prefix=f"kaifaqu-bench-{name}-"))
        if os.environ.get("KAIFAQU_DATABASE_URL"):
            for command in (["migrate", "-v0"], ["flush", "--no-input"]):
                subprocess.run([sys.executable, "-m", "django", *command], env=env, check=True)
        print(f"\n=== bench.{name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"bench.{name}"], env=env) != 0:
            failed.append(name)
    return failed


def main():
    status = main_core() if selected("core") else 0
    failed = run_module_benches()
    if failed:
        print(f"\nover budget or failed: {', '.join(failed)}")
    return 1 if status or failed else 0


def main_core():
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    user, zone_id = seed_orgs(ZONES, ORGS_PER_ZONE)
    seeded = time.perf_counter() - t0
    print(f"seeded {ZONES} zones × {ORGS_PER_ZONE} orgs on {connection.vendor} in {seeded:.1f} s")
    rows = []
    api, raw, statements, floor = bench_org_list(user, zone_id)
    ratio = api["p95"] / raw["p95"]
    rows.append(("org list API p95 (page_size 50)", f"{api['p95'] * 1000:.1f} ms",
                 f"its {statements} SQL statements raw p95 {raw['p95'] * 1000:.2f} ms", f"ratio {ratio:.1f}",
                 budgets.check(f"org_list_ratio_{connection.vendor}", ratio)))
    rows.append(("org list API median", f"{api['median'] * 1000:.1f} ms",
                 f"404 through the same stack p95 {floor['p95'] * 1000:.2f} ms", "",
                 budgets.check("org_list_p95_ms", api["p95"] * 1000)))
    write_rate, verify_rate = bench_audit(AUDIT_EVENTS)
    rows.append(("audit.record (chained, own transaction)", f"{write_rate:,.0f} events/s", "", "",
                 budgets.check("audit_write_per_s", write_rate)))
    rows.append(("audit verify", f"{verify_rate:,.0f} events/s", "", "",
                 budgets.check("audit_verify_per_s", verify_rate)))
    rate = bench_add_workdays()
    rows.append(("add_workdays(d, 10)", f"{rate:,.0f} calls/s", "", "", budgets.check("add_workdays_per_s", rate)))
    took, lower, idle, ladder, ladder_idle = bench_tick(int(os.environ.get("BENCH_CLOCKS", "500000")), 5000)
    rows.append(("tick: 500 000 running clocks, 5 000 due", f"{took:.2f} s", f"COUNT of due {lower * 1000:.1f} ms",
                 f"idle tick {idle * 1000:.1f} ms", budgets.check("tick_s", took)))
    rows.append(("tick ladder: 5 000 steps due among 500 000", f"{ladder:.2f} s", "",
                 f"idle ladder {ladder_idle * 1000:.1f} ms", budgets.check("tick_ladder_s", ladder)))
    from bench.imports import bench_import

    result = bench_import(int(os.environ.get("BENCH_IMPORT_ROWS", "100000")))
    n = result["rows"]
    rate, read_rate = n / result["import_s"], n / result["read_s"]
    ratio = result["read_s"] / result["import_s"]
    key = "import_read_ratio_pg" if connection.vendor == "postgresql" else "import_read_ratio"
    rows.append((f"import {n:,} staff rows (.xlsx, validate + apply)", f"{rate:,.0f} rows/s",
                 f"calamine read only {read_rate:,.0f} rows/s", f"ratio {ratio:.2f}", budgets.check(key, ratio)))
    rows.append(("import rows/s", f"{result['import_s']:.2f} s", f"re-import (all unchanged) {result['again_s']:.2f} s",
                 f"every name changed {result['changed_s']:.2f} s", budgets.check("import_rows_per_s", rate)))
    width = [max(len(str(r[i])) for r in rows) for i in range(5)]
    print()
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, width, strict=True)))
    failed = [r for r in rows if r[4].startswith("OVER")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
