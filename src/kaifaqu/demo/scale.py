"""`kaifaqu seed-scale`: a large, deterministic province for benchmarks and load tests.

Rows are bulk-inserted (set-up data, like a migration's), not written through the services: the point is a
realistic volume in seconds, not an audit trail of it. The same arguments always give the same rows. Zones are
coded ``s0000`` … so a scaled data set is recognisable and is never mixed with a real zone's.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import transaction

from kaifaqu.org.models import Org, OrgKind, Park, PostKind, Staff, StaffStatus, Zone

PREFIX = "s"
INSTITUTION_KINDS = [OrgKind.DEPARTMENT, OrgKind.INSTITUTION, OrgKind.CITY_DEPARTMENT, OrgKind.STREET,
                     OrgKind.STATIONED]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
INDUSTRIES = ["智能制造", "新材料", "生物医药", "电子信息", "新能源", "高端装备", "现代物流", "数字经济"]


@dataclass
class ScaleReport:
    zones: int
    parks: int
    orgs: int
    enterprises: int
    staff: int
    seconds: float


class ScaleExists(Exception):
    pass


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def seed_scale(*, zones: int, orgs_per_zone: int = 40, enterprises: int = 0, staff: int = 0, seed: int = 2026,
               province: str = "基准省", batch: int = 5000) -> ScaleReport:
    """Insert ``zones`` zones of one province with 5 parks each, ``orgs_per_zone`` organisations of the zone's own
    kinds, ``enterprises`` enterprises and ``staff`` people spread evenly over the zones."""
    if zones < 1 or orgs_per_zone < 1 or enterprises < 0 or staff < 0:
        raise ValueError("zones and orgs_per_zone must be ≥ 1, enterprises and staff ≥ 0")
    if Zone.objects.filter(code__startswith=PREFIX, code__regex=r"^s[0-9]{4}$").exists():
        raise ScaleExists("数据库中已有 seed-scale 生成的开发区（代码 s0000…），请使用新的数据库。")
    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        Zone.objects.bulk_create([
            Zone(code=f"{PREFIX}{z:04d}", name=f"基准{z}号经济开发区", province=province, city=f"基准{z // 10}市",
                 county=f"基准{z}县") for z in range(zones)], batch_size=batch)
        zone_ids = list(Zone.objects.filter(code__regex=r"^s[0-9]{4}$").order_by("code").values_list("pk", flat=True))
        Park.objects.bulk_create([
            Park(zone_id=zid, code=f"p{i}", name=f"{INDUSTRIES[i % len(INDUSTRIES)]}园",
                 leading_industries=INDUSTRIES[(i + 3) % len(INDUSTRIES)])
            for zid in zone_ids for i in range(5)], batch_size=batch)
        parks: dict[int, list[int]] = {}
        for pid, zid in Park.objects.filter(zone_id__in=zone_ids).order_by("pk").values_list("pk", "zone_id"):
            parks.setdefault(zid, []).append(pid)
        orgs = [Org(zone_id=zid, kind=OrgKind.COMMITTEE, code="committee", name="党工委（管委会）", sort=0)
                for zid in zone_ids]
        for zid in zone_ids:
            for i in range(orgs_per_zone):
                orgs.append(Org(zone_id=zid, kind=rng.choice(INSTITUTION_KINDS), code=f"o{i}", name=f"机构{i}",
                                park_id=rng.choice(parks[zid]), sort=i + 1, headcount_cap=rng.randint(5, 40)))
        for zid, count in zip(zone_ids, _spread(enterprises, len(zone_ids)), strict=True):
            for i in range(count):
                orgs.append(Org(zone_id=zid, kind=OrgKind.ENTERPRISE, code=f"e{i}",
                                name=f"{rng.choice(INDUSTRIES)}企业{i}有限公司", park_id=rng.choice(parks[zid]),
                                sort=100000 + i))
        Org.objects.bulk_create(orgs, batch_size=batch)
        own: dict[int, list[int]] = {}
        for pk, zid in (Org.objects.filter(zone_id__in=zone_ids).exclude(kind=OrgKind.ENTERPRISE)
                        .exclude(kind=OrgKind.CITY_DEPARTMENT).order_by("pk").values_list("pk", "zone_id")):
            own.setdefault(zid, []).append(pk)
        people = []
        kinds = list(PostKind.values)
        first_day = datetime.date(2000, 1, 1).toordinal()
        for zid, count in zip(zone_ids, _spread(staff, len(zone_ids)), strict=True):
            for i in range(count):
                people.append(Staff(
                    zone_id=zid, org_id=rng.choice(own[zid]), staff_no=f"G{i:06d}",
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), post_kind=rng.choice(kinds),
                    status=StaffStatus.ACTIVE, joined_on=datetime.date.fromordinal(first_day + rng.randrange(9000))))
                if len(people) >= batch:
                    Staff.objects.bulk_create(people, batch_size=batch)
                    people = []
        Staff.objects.bulk_create(people, batch_size=batch)
    return ScaleReport(zones=len(zone_ids), parks=5 * len(zone_ids), orgs=len(zone_ids) * (orgs_per_zone + 1),
                       enterprises=enterprises, staff=staff, seconds=time.perf_counter() - started)
