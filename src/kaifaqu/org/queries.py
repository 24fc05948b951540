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

    @property
    def vacancy(self) -> int:
        """Approved posts not filled (negative when over establishment)."""
        return self.approved - self.actual


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


def zone_establishment(zone_id) -> list[HeadcountRow]:
    """ORG-2 for a whole zone: approved posts vs people in post per post kind (two aggregate queries)."""
    approved = dict(Establishment.objects.filter(zone_id=zone_id, org__is_active=True).values("kind")
                    .annotate(n=Sum("approved")).values_list("kind", "n"))
    actual = dict(Staff.objects.filter(zone_id=zone_id).exclude(status=StaffStatus.LEFT).values("post_kind")
                  .annotate(n=Count("id")).values_list("post_kind", "n"))
    return [HeadcountRow(k, PostKind(k).label, approved.get(k, 0) or 0, actual.get(k, 0)) for k in PostKind.values]


# Headings of the zone's structure page, in the order the seeds describe a zone.
STRUCTURE_GROUPS = (
    ("department", "内设机构", (OrgKind.DEPARTMENT,)),
    ("institution", "事业单位", (OrgKind.INSTITUTION,)),
    ("stationed", "派驻机构", (OrgKind.STATIONED,)),
    ("street", "属地镇街", (OrgKind.STREET,)),
    ("city_department", "市直部门", (OrgKind.CITY_DEPARTMENT,)),
    ("city_government", "市人民政府", (OrgKind.CITY_GOVERNMENT,)),
    ("platform", "平台公司/基金", (OrgKind.PLATFORM_COMPANY, OrgKind.FUND)),
    ("intermediary", "中介", (OrgKind.INTERMEDIARY,)),
    ("enterprise", "企业", (OrgKind.ENTERPRISE,)),
)
# Kinds that can number in the thousands: counted (per park), never listed on the structure page.
COUNTED_KINDS = (OrgKind.ENTERPRISE, OrgKind.INTERMEDIARY)


@dataclass
class TreeNode:
    org: Org
    children: list


@dataclass
class StructureGroup:
    key: str
    label: str
    kinds: tuple
    nodes: list
    count: int = 0
    by_park: list | None = None  # [(park_id or None, park name, count)] for counted kinds


def zone_structure(zone: Zone) -> dict:
    """The zone → committee tree → bodies grouped by kind, in three queries whatever the size of the zone.

    Bodies under the committee (by ``parent``) are shown in its tree; the other active bodies are grouped by kind.
    Enterprises and intermediaries are only counted, per park.
    """
    orgs = list(Org.objects.filter(zone=zone, is_active=True).exclude(kind__in=COUNTED_KINDS)
                .select_related("home_department").order_by("sort", "id"))
    loaded = {org.pk for org in orgs}
    by_parent = defaultdict(list)
    for org in orgs:
        by_parent[org.parent_id].append(org)
    placed = set()

    def build(org, seen):
        placed.add(org.pk)
        seen = seen | {org.pk}
        return TreeNode(org, [build(child, seen) for child in by_parent.get(org.pk, []) if child.pk not in seen])

    roots = [build(org, frozenset()) for org in orgs if org.kind == OrgKind.COMMITTEE and org.parent_id is None]
    counted = defaultdict(lambda: defaultdict(int))
    for row in (Org.objects.filter(zone=zone, is_active=True, kind__in=COUNTED_KINDS)
                .values("kind", "park_id", "park__name").annotate(n=Count("id")).order_by("kind", "park_id")):
        counted[row["kind"]][(row["park_id"], row["park__name"] or "未入园")] += row["n"]
    groups = []
    for key, label, kinds in STRUCTURE_GROUPS:
        if set(kinds) & set(COUNTED_KINDS):
            parks = [(pid, name, n) for kind in kinds for (pid, name), n in counted[kind].items()]
            groups.append(StructureGroup(key, label, kinds, [], sum(n for _, _, n in parks), parks))
        else:
            # Tops of their own branch only; their children are shown under them.
            nodes = [build(org, frozenset()) for org in orgs
                     if org.kind in kinds and org.pk not in placed and org.parent_id not in loaded]
            groups.append(StructureGroup(key, label, kinds, nodes, len(nodes)))
    abolished = Org.objects.filter(zone=zone, is_active=False).count()
    return {"roots": roots, "groups": groups, "abolished": abolished}


def heads_a_unit(scope) -> bool:
    """Whether this user is the head of any unit (their unit's pay and phone columns stay in lists and exports)."""
    return scope.user_id is not None and Org.objects.filter(head_id=scope.user_id).exists()


def heads_staff_unit(scope, staff) -> bool:
    """A unit's head (Org.head) sees the pay and personal phone of their own unit's people (core.sensitive holder)."""
    return scope.user_id is not None and staff.org.head_id == scope.user_id
