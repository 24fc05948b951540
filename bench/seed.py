"""Deterministic large data for benchmarks (bulk inserts: set-up, not business writes)."""

import random

from kaifaqu.accounts.models import User
from kaifaqu.accounts.roles import Role
from kaifaqu.org.models import Org, OrgKind, Park, Zone

KINDS = [OrgKind.DEPARTMENT, OrgKind.INSTITUTION, OrgKind.CITY_DEPARTMENT, OrgKind.STREET, OrgKind.ENTERPRISE]


def seed_orgs(zones: int, orgs_per_zone: int):
    rng = random.Random(2026)
    Zone.objects.bulk_create([Zone(code=f"b{z:04d}", name=f"基准开发区{z}", city="基准市", county=f"县{z}")
                              for z in range(zones)], batch_size=500)
    zone_ids = list(Zone.objects.filter(code__startswith="b").values_list("pk", flat=True))
    Park.objects.bulk_create([Park(zone_id=zid, code=f"p{i}", name=f"园区{i}") for zid in zone_ids for i in range(5)],
                             batch_size=1000)
    parks = {}
    for pid, zid in Park.objects.values_list("pk", "zone_id"):
        parks.setdefault(zid, []).append(pid)
    orgs = []
    for zid in zone_ids:
        for i in range(orgs_per_zone):
            orgs.append(Org(zone_id=zid, kind=rng.choice(KINDS), code=f"o{i}", name=f"机构{zid}-{i}",
                            park_id=rng.choice(parks[zid]), sort=i))
    Org.objects.bulk_create(orgs, batch_size=2000)
    zone_id = zone_ids[len(zone_ids) // 2]
    committee = Org.objects.create(zone_id=zone_id, kind=OrgKind.COMMITTEE, code="committee", name="管委会")
    user = User.objects.create(username="bench_leader", role=Role.ZONE_LEADER, org=committee)
    return user, zone_id
