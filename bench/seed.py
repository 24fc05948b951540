"""The benchmarks' data: `kaifaqu seed-scale`'s province plus a zone leader to read it as."""

from kaifaqu.accounts.models import User
from kaifaqu.accounts.roles import Role
from kaifaqu.demo.scale import seed_scale
from kaifaqu.org.models import Org, OrgKind, Zone


def seed_orgs(zones: int, orgs_per_zone: int):
    seed_scale(zones=zones, orgs_per_zone=orgs_per_zone)
    zone = Zone.objects.get(code=f"s{zones // 2:04d}")
    committee = Org.objects.get(zone=zone, kind=OrgKind.COMMITTEE)
    user = User.objects.create(username="bench_leader", role=Role.ZONE_LEADER, org=committee)
    return user, zone.pk
