"""`python -m bench.cockpit`: the leaders' cockpit at province scale — the province cockpit's p95 and its query
count (the same at a tenth of the zones: constant), a zone's cockpit p95, and the investment summary endpoint
against the same aggregate run as raw SQL over the project table.

Defaults are the issue's: 100 000 enterprises over 200 zones, 36 months of 8 indicators (28.8 million values),
plus 100 investment projects per zone (BENCH_ENTERPRISES, BENCH_COCKPIT_ZONES, BENCH_MONTHS, BENCH_INDICATORS,
BENCH_PROJECTS_PER_ZONE to scale). PostgreSQL only (KAIFAQU_DATABASE_URL: a scratch database): the values are
seeded by INSERT … SELECT over generate_series with the value table's indexes dropped and rebuilt afterwards, and
the maintained roll-up (economy_indicatortotal) refreshed once from them, as the services do after each write.
Budgets (issue 16): province cockpit p95 300 ms, a zone's cockpit p95 100 ms, summary API / raw SQL ≤ 2.
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
from django.db import connection, transaction  # noqa: E402

from bench.timing import p95_median  # noqa: E402

ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "100000"))
ZONES = int(os.environ.get("BENCH_COCKPIT_ZONES", "200"))
MONTHS = int(os.environ.get("BENCH_MONTHS", "36"))
INDICATORS = int(os.environ.get("BENCH_INDICATORS", "8"))
PROJECTS_PER_ZONE = int(os.environ.get("BENCH_PROJECTS_PER_ZONE", "100"))
PARKS_PER_ZONE = 3
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
BUDGETS = {"province_p95_ms": 300, "zone_p95_ms": 100, "summary_ratio": 2.0}
NAMES = ["主营业务收入", "利润总额", "工业增加值", "税收", "固定资产投资", "进出口", "用电量", "从业人员"]


def sql(statement, params=None):
    with connection.cursor() as c:
        c.execute(statement, params)


def _drop_indexes(table):
    """Drop the table's secondary indexes and constraints (not the primary key) and return how to rebuild them."""
    with connection.cursor() as c:
        c.execute("SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                  "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", [table])
        constraints = c.fetchall()
        c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                  "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
        indexes = c.fetchall()
        for name, _definition, _kind in constraints:
            c.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            c.execute(f'DROP INDEX "{name}"')
    rebuild = [definition for _name, definition in indexes]
    for name, definition, kind in constraints:
        # Foreign keys come back NOT VALID: every row was just built from a join over the referenced rows.
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' + (" NOT VALID" if kind == "f" else ""))
    return rebuild


def seed(this_year):
    from kaifaqu.accounts.models import User
    from kaifaqu.accounts.roles import Role
    from kaifaqu.economy import rollup
    from kaifaqu.economy.models import Enterprise, Indicator, IndicatorValue
    from kaifaqu.invest.models import Project
    from kaifaqu.org.models import Org, OrgKind, Park, Zone

    zones = Zone.objects.bulk_create([Zone(code=f"cb{i:04d}", name=f"驾驶舱基准开发区{i}") for i in range(ZONES)])
    Park.objects.bulk_create([Park(zone=z, code=f"p{j}", name=f"园区{j}", sort=j)
                              for z in zones for j in range(1, PARKS_PER_ZONE + 1)])
    Indicator.objects.bulk_create([Indicator(zone=z, code=f"i{k}", name=NAMES[k % len(NAMES)], unit="万元",
                                             key=True, sort=k) for z in zones for k in range(INDICATORS)])
    committees = Org.objects.bulk_create([Org(zone=z, kind=OrgKind.COMMITTEE, code="committee", name="管委会")
                                          for z in zones[:1]])
    ent, val, ind, park, zone_t, proj = (Enterprise._meta.db_table, IndicatorValue._meta.db_table,
                                         Indicator._meta.db_table, Park._meta.db_table, Zone._meta.db_table,
                                         Project._meta.db_table)
    first_zone = min(z.pk for z in zones)
    sql("SET maintenance_work_mem = '512MB'")
    with transaction.atomic():
        # Enterprise g: zone g mod Z, park (g div Z) mod 4 (0: outside any park), status and size spread over the rows.
        sql(f"INSERT INTO {ent} (zone_id, name, uscc, park_id, industry_code, status, above_size, above_size_year, "  # noqa: S608
            f"employees, land_mu, contact_name, contact_phone_sealed, registered_on, version) "
            f"SELECT z.id, '基准企业' || g, lpad(g::text, 18, '0'), p.id, '3990', "
            f"(ARRAY['signed','building','producing','producing','producing','suspended','cancelled'])[1 + g %% 7], "
            f"g %% 3 = 0, CASE WHEN g %% 3 = 0 THEN 2020 END, 10 + g %% 200, 5, '', '', NULL, 1 "
            f"FROM generate_series(0, %s - 1) g JOIN {zone_t} z ON z.id = %s + g %% %s "
            f"LEFT JOIN {park} p ON p.zone_id = z.id AND p.sort = g / %s %% 4", [ENTERPRISES, first_zone, ZONES, ZONES])
    rebuild = _drop_indexes(val)
    t0 = time.perf_counter()
    with transaction.atomic():
        sql(f"INSERT INTO {val} (zone_id, indicator_id, enterprise_id, year, period, value) "  # noqa: S608
            f"SELECT e.zone_id, i.id, e.id, %s + k / 12, k %% 12 + 1, (e.id %% 997 + i.sort * 10 + k) * 1.5 "
            f"FROM {ent} e JOIN {ind} i ON i.zone_id = e.zone_id CROSS JOIN generate_series(0, %s - 1) k",
            [this_year - (MONTHS - 1) // 12, MONTHS])
    inserted = time.perf_counter() - t0
    t0 = time.perf_counter()
    for statement in rebuild:
        sql(statement)
    indexed = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        rollup.refresh(Indicator.objects.values_list("pk", flat=True))
    rolled = time.perf_counter() - t0
    # Projects: stage by g mod 10, signed over the years seeded, amounts from 0.6 亿 to 58 亿 (every tier).
    start = f"{this_year - (MONTHS - 1) // 12}-01-01"
    with transaction.atomic():
        sql(f"""
            INSERT INTO {proj} (zone_id, name, investor, park_id, industry_code, chain_tags, source, source_detail,
                responsible_org_id, responsible_person, paired_leader, enterprise_name, signed_amount, invested_amount,
                state, lead_on, negotiating_on, signed_on, land_on, started_on, producing_on, dropped_on, drop_reason,
                stage_on, description, version)
            SELECT zone_id, '基准项目' || g, '', NULL, '3670', '', 'own', '', NULL, '', '', '',
                CASE WHEN st >= 2 THEN (g %% 97 + 1)::numeric * 60000000 END, 0,
                (ARRAY['lead','negotiating','signed','signed','land','started','started','producing','producing',
                       'dropped'])[st + 1],
                d - 60, CASE WHEN st >= 1 THEN d - 30 END, CASE WHEN st >= 2 THEN d END,
                CASE WHEN st >= 4 AND st < 9 THEN d + 20 END, CASE WHEN st >= 5 AND st < 9 THEN d + 40 END,
                CASE WHEN st IN (7, 8) THEN d + 60 END, CASE WHEN st = 9 THEN d + 10 END,
                CASE WHEN st = 9 THEN '基准' ELSE '' END, d, '', 1
            FROM (SELECT g, %s + g %% %s AS zone_id, g / %s %% 10 AS st,
                         LEAST(DATE %s + (g * 37) %% 1000, CURRENT_DATE - 70) AS d
                  FROM generate_series(0, %s - 1) g) s""",  # noqa: S608
            [first_zone, ZONES, ZONES, start, ZONES * PROJECTS_PER_ZONE])
    sql(f"ANALYZE {ent}")
    sql(f"ANALYZE {val}")
    sql(f"ANALYZE {proj}")
    sql("ANALYZE economy_indicatortotal")
    province = User.objects.create(username="cockpit_province", role=Role.CITY_LEADER, org=committees[0])
    province.extra_zones.set(zones[1:])
    tenth = User.objects.create(username="cockpit_tenth", role=Role.CITY_LEADER, org=committees[0])
    tenth.extra_zones.set(zones[1:max(2, ZONES // 10)])
    leader = User.objects.create(username="cockpit_leader", role=Role.ZONE_LEADER, org=committees[0])
    return zones, province, tenth, leader, (inserted, indexed, rolled)


def reuse():
    from kaifaqu.accounts.models import User
    from kaifaqu.economy.models import Enterprise
    from kaifaqu.org.models import Zone

    zones = list(Zone.objects.filter(code__startswith="cb").order_by("pk"))
    if len(zones) != ZONES or Enterprise.objects.count() != ENTERPRISES:
        return None
    users = {u.username: u for u in User.objects.filter(username__startswith="cockpit_")}
    return zones, users["cockpit_province"], users["cockpit_tenth"], users["cockpit_leader"]


timed = p95_median


def count_queries(fn) -> int:
    n = 0

    def counter(execute, sql_, params, many, context):
        nonlocal n
        n += 1
        return execute(sql_, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return n


def page(user, params=None):
    from django.test import Client

    client = Client()
    client.force_login(user)

    def get():
        r = client.get("/cockpit/", params or {})
        assert r.status_code == 200, r.status_code

    get()
    return timed(get, RUNS), count_queries(get)


def summary(user, year, zone_ids):
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)

    def api():
        r = client.get("/api/v1/investment-projects/summary/", {"year": year})
        assert r.status_code == 200, r.content[:200]
        return r.json()

    body = api()
    with CaptureQueriesContext(connection) as captured:
        api()
    statements = [q["sql"] for q in captured.captured_queries]
    # The same aggregate written by hand over the base table: the zones' default thresholds (50/10/5/1 亿).
    marks = ", ".join(["%s"] * len(zone_ids))
    raw_sql = (f"SELECT CASE WHEN signed_amount >= 5000000000 THEN 'tier1' WHEN signed_amount >= 1000000000 "  # noqa: S608
               f"THEN 'tier2' WHEN signed_amount >= 500000000 THEN 'tier3' WHEN signed_amount >= 100000000 "
               f"THEN 'tier4' ELSE 'other' END AS tier, COUNT(*), SUM(signed_amount) FROM invest_project "
               f"WHERE zone_id IN ({marks}) AND signed_on >= %s AND signed_on < %s AND state <> 'dropped' "
               f"GROUP BY 1")
    params = [*zone_ids, f"{year}-01-01", f"{year + 1}-01-01"]

    def raw():
        with connection.cursor() as c:
            c.execute(raw_sql, params)
            return c.fetchall()

    counted = sum(n for _tier, n, _amount in raw())
    assert counted == body["total"]["count"], (counted, body["total"])

    def replay():
        with connection.cursor() as c:
            for statement in statements:
                c.execute(statement)
                c.fetchall()

    return timed(api, RUNS * 2), timed(raw, RUNS * 2), timed(replay, RUNS * 2), len(statements), counted


def main():
    from django.utils import timezone

    if connection.vendor != "postgresql":
        print("bench.cockpit needs PostgreSQL: set KAIFAQU_DATABASE_URL to a scratch database")
        return 2
    call_command("migrate", verbosity=0)
    year = timezone.localdate().year
    t0 = time.perf_counter()
    if os.environ.get("BENCH_REUSE") and reuse():  # measure again on the data of an earlier run of this size
        zones, province, tenth, leader = reuse()
        inserted = indexed = rolled = 0.0
    else:
        call_command("flush", interactive=False, verbosity=0)
        zones, province, tenth, leader, (inserted, indexed, rolled) = seed(year)
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM economy_indicatorvalue")
        values = c.fetchone()[0]
        c.execute("SELECT COUNT(*) FROM economy_indicatortotal")
        totals = c.fetchone()[0]
    print(f"seeded {ENTERPRISES:,} enterprises over {ZONES} zones, {values:,} values ({MONTHS} months × {INDICATORS} "
          f"indicators), {ZONES * PROJECTS_PER_ZONE:,} projects on {connection.vendor} in "
          f"{time.perf_counter() - t0:.0f} s (values {inserted:.0f} s, indexes {indexed:.0f} s, roll-up of "
          f"{totals:,} rows {rolled:.0f} s)")
    over = []
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs while measuring")
    (p95, p50), queries = page(province)
    (_t95, _t50), tenth_queries = page(tenth)
    ok = p95 * 1000 <= BUDGETS["province_p95_ms"] and queries == tenth_queries
    over += [] if ok else ["province"]
    print(f"province cockpit ({ZONES} zones) p95 {p95 * 1000:.1f} ms (median {p50 * 1000:.1f}); {queries} queries, "
          f"{tenth_queries} with {max(2, ZONES // 10)} zones; budget {BUDGETS['province_p95_ms']} ms, "
          f"constant query count {'ok' if ok else 'OVER'}")
    (z95, z50), zone_queries = page(leader)
    ok = z95 * 1000 <= BUDGETS["zone_p95_ms"]
    over += [] if ok else ["zone"]
    print(f"a zone's cockpit p95 {z95 * 1000:.1f} ms (median {z50 * 1000:.1f}); {zone_queries} queries; budget "
          f"{BUDGETS['zone_p95_ms']} ms {'ok' if ok else 'OVER'}")
    (a95, a50), (r95, r50), (s95, _s50), statements, counted = summary(province, year, [z.pk for z in zones])
    ratio = a95 / r95
    ok = ratio <= BUDGETS["summary_ratio"]
    over += [] if ok else ["summary"]
    print(f"summary API ({counted:,} projects signed in {year} over {ZONES} zones) p95 {a95 * 1000:.2f} ms "
          f"(median {a50 * 1000:.2f}); the aggregate as raw SQL over invest_project p95 {r95 * 1000:.2f} ms "
          f"(median {r50 * 1000:.2f}); its own {statements} statements replayed raw p95 {s95 * 1000:.2f} ms; "
          f"ratio {ratio:.2f}; budget ≤ {BUDGETS['summary_ratio']:g} {'ok' if ok else 'OVER'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
