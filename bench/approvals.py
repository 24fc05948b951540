"""`python -m bench.approvals`: approval cases at scale — a window's case list p95 against the same SQL run raw, a
project's timeline, and the bottleneck report of a zone's year.

Defaults are the issue's: 1 000 000 cases over 50 zones (BENCH_APPROVAL_CASES, BENCH_APPROVAL_ZONES to scale
down). Each accepted case has its working-day clock (finished when decided); one case in five has a 补正 pause.
Runs on a throw-away SQLite file (or KAIFAQU_DATABASE_URL: a scratch database).
Budgets (issue 15): window case list p95 150 ms, a project's timeline 100 ms, the bottleneck report of a zone's
year 1 s.
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

from bench.timing import p95_median  # noqa: E402

CASES = int(os.environ.get("BENCH_APPROVAL_CASES", "1000000"))
ZONES = int(os.environ.get("BENCH_APPROVAL_ZONES", "50"))
WINDOWS_PER_ZONE = 12
ITEMS_PER_WINDOW = 5
CASES_PER_PROJECT = 8
BUDGETS = {"window_p95_ms": 150, "timeline_ms": 100, "bottleneck_s": 1.0}


def seed():
    """Zones with their windows, items, projects and cases (and the cases' clocks and pauses), through bulk inserts:
    the services' per-row audit would take hours at this size and is not what is measured."""
    import datetime
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kaifaqu.accounts.models import User
    from kaifaqu.approvals.models import Case, Project, ProjectItem, ServiceItem, Stage, Window
    from kaifaqu.approvals.workflow import CASE_KIND
    from kaifaqu.core.clock.models import ClockPause, DeadlineClock
    from kaifaqu.org.models import Org, OrgKind, Zone

    rng = random.Random(15)
    now = timezone.now()
    year = timezone.localdate().year
    start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    span = max(int((now - start).total_seconds() // 60) - 60 * 24 * 30, 60 * 24)
    zones = Zone.objects.bulk_create([Zone(code=f"ab{i}", name=f"审批基准开发区{i}") for i in range(ZONES)])
    ct = ContentType.objects.get_for_model(Case)
    stages = [Stage.LAND, Stage.PERMIT, Stage.CONSTRUCTION, Stage.ACCEPTANCE, Stage.GENERAL]
    per_zone = CASES // ZONES
    first = None
    for zi, z in enumerate(zones):
        dept, ent = Org.objects.bulk_create([Org(zone=z, kind=OrgKind.DEPARTMENT, code="d", name="审批部门"),
                                             Org(zone=z, kind=OrgKind.ENTERPRISE, code="e", name="基准企业")])
        windows = Window.objects.bulk_create([Window(zone=z, number=n + 1, name=f"窗口{n + 1}")
                                              for n in range(WINDOWS_PER_ZONE)])
        items = ServiceItem.objects.bulk_create([
            ServiceItem(zone=z, code=f"I{w.number:02d}{k}", name=f"事项{w.number}-{k}", department=dept, window=w,
                        stage=stages[(w.number + k) % 5], legal_limit=20, promised_limit=10)
            for w in windows for k in range(ITEMS_PER_WINDOW)])
        projects = Project.objects.bulk_create([Project(zone=z, code=f"P{i:06d}", name=f"基准项目{i}", enterprise=ent)
                                                for i in range(per_zone // CASES_PER_PROJECT)])
        project_items = [i for i in items if i.stage != Stage.GENERAL]
        needs, cases = [], []
        for p in projects:
            chosen = rng.sample(project_items, CASES_PER_PROJECT)
            needs += [ProjectItem(zone=z, project=p, item=i) for i in chosen]
            for i in chosen:
                applied = start + datetime.timedelta(minutes=rng.randrange(span))
                cases.append((p, i, applied))
        while len(cases) < per_zone:
            cases.append((None, rng.choice(items), start + datetime.timedelta(minutes=rng.randrange(span))))
        ProjectItem.objects.bulk_create(needs, batch_size=5000)
        rows = []
        for n, (p, i, applied) in enumerate(cases):
            r = rng.random()
            state = "closed" if r < 0.8 else "reviewing" if r < 0.9 else "submitted" if r < 0.95 else "supplementing"
            accepted = applied + datetime.timedelta(hours=2) if state != "submitted" else None
            decided = applied + datetime.timedelta(days=rng.randrange(3, 25)) if state == "closed" else None
            if decided and decided > now:
                decided = now
            rows.append(Case(zone=z, number=f"SP{n:08d}", item=i, project=p, applicant=ent, title="基准办件",
                             state=state, query_code="0" * 64, applied_at=applied, accepted_at=accepted,
                             decided_at=decided, closed_at=decided))
        made = Case.objects.bulk_create(rows, batch_size=5000)
        clocks = [DeadlineClock(zone_id=z.pk, content_type=ct, object_id=str(c.pk), kind=CASE_KIND, unit="workdays",
                                limit=10, started_at=c.accepted_at, due_at=c.accepted_at + datetime.timedelta(days=14),
                                state="met" if c.decided_at else "paused" if c.state == "supplementing" else "running",
                                finished_at=c.decided_at, pause_count=1 if c.pk % 5 == 0 else 0,
                                paused_total=2 if c.pk % 5 == 0 and c.decided_at else 0)
                  for c in made if c.accepted_at]
        clocks = DeadlineClock.objects.bulk_create(clocks, batch_size=5000)
        ClockPause.objects.bulk_create([
            ClockPause(zone_id=z.pk, clock=k, reason="supplement", started_at=k.started_at + datetime.timedelta(days=1),
                       ended_at=None if k.state == "paused" else k.started_at + datetime.timedelta(days=3))
            for k in clocks if k.pause_count or k.state == "paused"], batch_size=5000)
        if zi == 0:
            officer = User.objects.create(username="approvals_bench", role="zone_staff", org=dept)
            windows[0].staff.add(officer)
            first = (z, windows[0], officer, projects[0])
        print(f"  zone {zi + 1}/{ZONES}: {len(made):,} cases", file=sys.stderr) if zi % 10 == 0 else None
    return first


timed = p95_median


def bench_window(officer, window):
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(officer)

    def api():
        r = client.get("/api/v1/approval-cases/", {"window": window.pk, "page_size": 20})
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


def bench_timeline(officer, project):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(officer)

    def api():
        r = client.get(f"/api/v1/approval-projects/{project.pk}/timeline/")
        assert r.status_code == 200, r.content[:200]

    api()
    return timed(api, 30)


def bench_bottleneck(zone):
    from django.utils import timezone

    from kaifaqu.approvals.queries import bottleneck

    bottleneck(zone, timezone.localdate().year)  # the working-day calendar is read once per process
    t0 = time.perf_counter()
    report = bottleneck(zone, timezone.localdate().year)
    return time.perf_counter() - t0, sum(r["cases"] for r in report["items"])


def main():
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    zone, window, officer, project = seed()
    print(f"seeded {CASES:,} cases over {ZONES} zones on {connection.vendor} in {time.perf_counter() - t0:.1f} s")
    (api95, api50), (raw95, raw50), n = bench_window(officer, window)
    print(f"window case list API p95 {api95 * 1000:.1f} ms (median {api50 * 1000:.1f}); its {n} statements raw p95 "
          f"{raw95 * 1000:.2f} ms; ratio {api95 / raw95:.1f}; budget {BUDGETS['window_p95_ms']} ms "
          f"{'ok' if api95 * 1000 <= BUDGETS['window_p95_ms'] else 'OVER'}")
    tl95, tl50 = bench_timeline(officer, project)
    print(f"project timeline API p95 {tl95 * 1000:.1f} ms (median {tl50 * 1000:.1f}); budget "
          f"{BUDGETS['timeline_ms']} ms {'ok' if tl95 * 1000 <= BUDGETS['timeline_ms'] else 'OVER'}")
    took, decided = bench_bottleneck(zone)
    print(f"bottleneck report of a zone's year ({decided:,} decided cases) {took:.2f} s; budget "
          f"{BUDGETS['bottleneck_s']} s {'ok' if took <= BUDGETS['bottleneck_s'] else 'OVER'}")
    over = (api95 * 1000 > BUDGETS["window_p95_ms"] or tl95 * 1000 > BUDGETS["timeline_ms"]
            or took > BUDGETS["bottleneck_s"])
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
