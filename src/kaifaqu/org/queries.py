"""Reads other modules and the cockpit use: zone ids, head-counts against establishment, ORG-3 rule warnings."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from .models import Establishment, Org, OrgKind, PostKind, Staff, StaffStatus, Zone

COMPREHENSIVE_SHARE_LIMIT = 0.30


def all_zone_ids() -> list[int]:
    return list(Zone.objects.values_list("pk", flat=True))


@dataclass(frozen=True)
class HeadcountRow:
    kind: str
    label: str
    approved: int
    actual: int

    @property
    def over(self) -> bool:
        return self.actual > self.approved


def headcount(org_ids) -> dict[int, list[HeadcountRow]]:
    """Approved posts vs people in post, per organisation and post kind (two aggregate queries)."""
    approved = defaultdict(dict)
    for row in Establishment.objects.filter(org_id__in=org_ids).values("org_id", "kind", "approved"):
        approved[row["org_id"]][row["kind"]] = row["approved"]
    actual = defaultdict(dict)
    for row in (Staff.objects.filter(org_id__in=org_ids).exclude(status=StaffStatus.LEFT)
                .values("org_id", "post_kind").annotate(n=Count("id"))):
        actual[row["org_id"]][row["post_kind"]] = row["n"]
    result = {}
    for org_id in org_ids:
        kinds = [k for k in PostKind.values if k in approved[org_id] or k in actual[org_id]]
        result[org_id] = [HeadcountRow(k, PostKind(k).label, approved[org_id].get(k, 0), actual[org_id].get(k, 0))
                          for k in kinds]
    return result


def org_totals(org_ids) -> dict[int, dict]:
    """Per organisation: approved posts, people in post, head-count cap, in two queries."""
    approved = dict(Establishment.objects.filter(org_id__in=org_ids).values("org_id")
                    .annotate(n=Sum("approved")).values_list("org_id", "n"))
    actual = dict(Staff.objects.filter(org_id__in=org_ids).exclude(status=StaffStatus.LEFT).values("org_id")
                  .annotate(n=Count("id")).values_list("org_id", "n"))
    return {oid: {"approved": approved.get(oid, 0) or 0, "actual": actual.get(oid, 0)} for oid in org_ids}


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def rule_warnings(zone: Zone) -> list[Warning]:
    """ORG-3: rules the seeds state, reported as warnings (never blocking)."""
    warnings = []
    counts = Org.objects.filter(zone=zone, kind=OrgKind.DEPARTMENT, is_active=True).aggregate(
        total=Count("id"), comprehensive=Count("id", filter=Q(comprehensive=True)))
    if counts["total"]:
        share = counts["comprehensive"] / counts["total"]
        if share > COMPREHENSIVE_SHARE_LIMIT:
            warnings.append(Warning(
                "comprehensive_share",
                f"综合性内设机构 {counts['comprehensive']} 个，占内设机构总数 {counts['total']} 个的 {share:.0%}，"
                f"超过 30% 的上限。",
            ))
    if zone.county:
        others = Zone.objects.filter(province=zone.province, city=zone.city, county=zone.county).exclude(pk=zone.pk)
        # Only a count: the other zones may be outside the reader's scope.
        n = others.count()
        if n:
            warnings.append(Warning(
                "one_per_county",
                f"{zone.county}内另有 {n} 个开发区管理机构。一个县域内只设置一个类型的开发区管理机构。",
            ))
    over = []
    caps = Org.objects.filter(zone=zone, headcount_cap__isnull=False).values_list("pk", "name", "headcount_cap")
    totals = org_totals([pk for pk, _, _ in caps])
    for pk, name, cap in caps:
        if totals[pk]["actual"] > cap:
            over.append(f"{name}（{totals[pk]['actual']}/{cap}）")
    if over:
        warnings.append(Warning("headcount_cap", "实有人数超过员额上限：" + "、".join(over)))
    return warnings
