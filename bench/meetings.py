"""`python -m bench.meetings`: joint-meeting decisions at scale — a unit's open decisions (API) p95 against the same
SQL run raw, the zone's open decisions by unit with their clocks, and tick with 5 000 decision ladder steps due.

Defaults: 100 000 decisions over 50 zones (BENCH_DECISIONS, BENCH_DECISION_ZONES to scale down). Runs on a
throw-away SQLite file (or KAIFAQU_DATABASE_URL: a scratch database). Issue 14 sets no budget for the meetings
module; the figures are printed beside the whistle budgets of the same issue (a unit's inbox p95 150 ms, tick with
5 000 steps due 2 s) as the yardstick, and the zone page beside 1 s.
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

DECISIONS = int(os.environ.get("BENCH_DECISIONS", "100000"))
ZONES = int(os.environ.get("BENCH_DECISION_ZONES", "50"))
UNITS_PER_ZONE = 12
PER_MEETING = 10
STEPS_DUE = int(os.environ.get("BENCH_DECISION_STEPS_DUE", "5000"))
YARDSTICKS = {"inbox_p95_ms": 150, "zone_page_s": 1.0, "tick_s": 2.0}


def seed():
    """Zones, units, meetings and decisions (one clock each, a fifth of them open), through bulk inserts: the
    services' per-row audit is not what is measured."""
    import datetime
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kaifaqu.accounts.models import User
    from kaifaqu.core.clock.models import DeadlineClock
    from kaifaqu.meetings.models import Decision, Meeting
    from kaifaqu.org.models import Org, OrgKind, Zone

    rng = random.Random(14)
    now = timezone.now()
    zones = Zone.objects.bulk_create([Zone(code=f"mb{i}", name=f"会议基准开发区{i}") for i in range(ZONES)])
    ct = ContentType.objects.get_for_model(Decision)
    per_zone = DECISIONS // ZONES
    units = {}
    for z in zones:
        units[z.pk] = Org.objects.bulk_create([Org(zone=z, kind=OrgKind.STREET, code=f"u{j}", name=f"街道{j}")
                                               for j in range(UNITS_PER_ZONE)])
        meetings = Meeting.objects.bulk_create([
            Meeting(zone=z, number=f"LX{i:07d}", kind="joint", title=f"基准会议{i}", place="会议室",
                    convener_name="召集人", state="minuted",
                    starts_at=now - datetime.timedelta(days=rng.randrange(365)))
            for i in range(per_zone // PER_MEETING)], batch_size=5000)
        rows = []
        for m in meetings:
            for k in range(PER_MEETING):
                state = "open" if rng.random() < 0.2 else "accepted"
                rows.append(Decision(zone=z, meeting=m, seq=k + 1, content="基准议定事项", owner=rng.choice(units[z.pk]),
                                     due_date=(m.starts_at + datetime.timedelta(days=20)).date(), state=state,
                                     created_at=m.starts_at))
        Decision.objects.bulk_create(rows, batch_size=5000)
        open_rows = [d for d in rows if d.state == "open"]
        clocks = DeadlineClock.objects.bulk_create([
            DeadlineClock(zone_id=z.pk, content_type=ct, object_id=str(d.pk), kind="meetings.decision",
                          unit="workdays", limit=10, started_at=d.created_at,
                          due_at=now + datetime.timedelta(days=rng.choice((-3, 1, 5))),
                          warn_at=now - datetime.timedelta(days=1), next_step_at=now + datetime.timedelta(days=3))
            for d in open_rows], batch_size=5000)
        for d, c in zip(open_rows, clocks, strict=True):
            d.clock_id = c.pk
        Decision.objects.bulk_update(open_rows, ["clock"], batch_size=5000)
    zone = zones[0]
    unit_user = User.objects.create(username="meetings_bench", role="street_staff", org=units[zone.pk][0])
    committee = Org.objects.create(zone=zone, kind=OrgKind.COMMITTEE, code="committee", name="管委会")
    leader = User.objects.create(username="meetings_bench_leader", role="zone_leader", org=committee)
    return unit_user, leader


timed = p95_median


def bench_inbox(user):
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)

    def api():
        r = client.get("/api/v1/meeting-decisions/", {"state": "open", "page_size": 20})
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


def bench_zone_page(leader):
    from kaifaqu.meetings.queries import by_unit

    by_unit(leader)
    t0 = time.perf_counter()
    groups = by_unit(leader)
    return time.perf_counter() - t0, sum(len(g.decisions) for g in groups)


def bench_tick():
    """5 000 of the open decisions' clocks reach their 催办: tick claims them overdue and fires the step."""
    import datetime

    from django.utils import timezone

    from kaifaqu.core import clock
    from kaifaqu.core.clock.models import DeadlineClock

    now = timezone.now()
    due = list(DeadlineClock.objects.filter(kind="meetings.decision").order_by("id")
               .values_list("id", flat=True)[:STEPS_DUE])
    past = now - datetime.timedelta(minutes=5)
    DeadlineClock.objects.filter(pk__in=due).update(due_at=past, warn_at=past, next_step_at=past)
    t0 = time.perf_counter()
    clock.run_due(now)
    counts = clock.run_ladder(now)
    return time.perf_counter() - t0, counts["steps"]


def verdict(value, limit):
    return "within" if value <= limit else "beyond"


def main():
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    unit_user, leader = seed()
    print(f"seeded {DECISIONS:,} decisions over {ZONES} zones on {connection.vendor} in {time.perf_counter() - t0:.1f} s")
    (api95, api50), (raw95, raw50), n = bench_inbox(unit_user)
    print(f"a unit's open decisions API p95 {api95 * 1000:.1f} ms (median {api50 * 1000:.1f}); its {n} statements raw "
          f"p95 {raw95 * 1000:.2f} ms; ratio {api95 / raw95:.1f}; {verdict(api95 * 1000, YARDSTICKS['inbox_p95_ms'])} "
          f"the whistle inbox budget of {YARDSTICKS['inbox_p95_ms']} ms (no meetings budget in issue 14)")
    took, shown = bench_zone_page(leader)
    print(f"the zone's open decisions by unit ({shown:,} decisions with their clocks) {took:.2f} s; "
          f"{verdict(took, YARDSTICKS['zone_page_s'])} {YARDSTICKS['zone_page_s']} s")
    took, steps = bench_tick()
    print(f"tick with {steps:,} decision ladder steps due {took:.2f} s; {verdict(took, YARDSTICKS['tick_s'])} the "
          f"whistle tick budget of {YARDSTICKS['tick_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
