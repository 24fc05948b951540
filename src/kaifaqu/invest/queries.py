"""Read-side figures of investment projects (INVEST-2), shared by pages, API, the cockpit and the demo.

Every figure is an aggregate over the project rows, in one query per figure (tiers per zone through a CASE).

- Signed projects of a year: ``signed_on`` in that year and not dropped afterwards.
- Tier: the first threshold (亿元, the zone's settings) the signed amount reaches — ``amount ≥ threshold``, so a
  project of exactly 10 亿 is in the ≥ 10 亿 tier; below the fourth threshold: 其他.
- Landing rate of a signing-year cohort: projects signed that year (dropped ones included: they did not land)
  that have started (开工率) / are producing (投产率), divided by the cohort's size.
- Stuck: an active project (线索 … 已开工) whose last stage date is more than the zone's ``stuck_days`` ago.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Substr

from .models import ACTIVE_STAGES, DEFAULT_STUCK_DAYS, YI, InvestSettings, Source, Stage

TIERS = ("tier1", "tier2", "tier3", "tier4", "other")
ZERO = Decimal(0)


def zone_settings(zone_ids) -> dict:
    """{zone_id: InvestSettings} (unsaved defaults for zones that kept them)."""
    found = {s.zone_id: s for s in InvestSettings.objects.filter(zone_id__in=list(zone_ids))}
    return {z: found.get(z) or InvestSettings(zone_id=z) for z in zone_ids}


def tier_labels(settings_list) -> dict:
    first = settings_list[0] if settings_list else InvestSettings()
    same = all(s.thresholds_yi == first.thresholds_yi for s in settings_list)
    labels = {}
    for i, key in enumerate(TIERS[:4]):
        labels[key] = f"{first.thresholds_yi[i].normalize():f}亿元及以上" if same else f"第{'一二三四'[i]}档"
    labels["other"] = f"{first.thresholds_yi[3].normalize():f}亿元以下" if same else "其他"
    return labels


def tier_case(settings_by_zone: dict) -> Case:
    """The tier of a row by its zone's thresholds. Zones sharing the same thresholds share the WHEN clauses (at
    province scale nearly every zone keeps the defaults: four clauses rather than four per zone), and the zone
    test is left out when every zone asked shares them."""
    groups: dict[tuple, list] = {}
    for zone_id, s in settings_by_zone.items():
        groups.setdefault(tuple(s.thresholds_yi), []).append(zone_id)
    whens = []
    for thresholds, zone_ids in groups.items():
        zone = Q() if len(groups) == 1 else Q(zone_id__in=sorted(zone_ids))
        for key, threshold in zip(TIERS[:4], thresholds, strict=True):
            whens.append(When(zone & Q(signed_amount__gte=threshold * YI), then=Value(key)))
    return Case(*whens, default=Value("other"), output_field=CharField())


def tier_of(amount, settings: InvestSettings) -> str:
    for key, threshold in zip(TIERS[:4], settings.thresholds_yi, strict=True):
        if amount is not None and amount >= threshold * YI:
            return key
    return "other"


def signed(queryset, year=None):
    qs = queryset.filter(signed_on__isnull=False).exclude(state=Stage.DROPPED)
    return qs.filter(signed_on__year=year) if year else qs


def zone_ids_of(queryset) -> list[int]:
    return sorted(set(queryset.order_by().values_list("zone_id", flat=True).distinct()))


@dataclass
class TierRow:
    tier: str
    label: str
    count: int
    amount: Decimal


def tiers(queryset, year=None, zone_ids=None) -> dict:
    """{"tiers": [TierRow × 5], "total": TierRow}: count and signed amount per tier (one query)."""
    zone_ids = zone_ids if zone_ids is not None else zone_ids_of(queryset)
    by_zone = zone_settings(zone_ids)
    labels = tier_labels(list(by_zone.values()))
    rows = {r["tier"]: r for r in signed(queryset, year).annotate(tier=tier_case(by_zone)).order_by()
            .values("tier").annotate(n=Count("id"), amount=Coalesce(Sum("signed_amount"), ZERO))}
    result = [TierRow(t, labels[t], rows.get(t, {}).get("n", 0), rows.get(t, {}).get("amount", ZERO) or ZERO)
              for t in TIERS]
    total = TierRow("total", "合计", sum(r.count for r in result), sum((r.amount for r in result), ZERO))
    return {"tiers": result, "total": total}


def by_year(queryset) -> list[dict]:
    return list(signed(queryset).annotate(year=ExtractYear("signed_on")).order_by("year").values("year")
                .annotate(count=Count("id"), amount=Coalesce(Sum("signed_amount"), ZERO),
                          invested=Coalesce(Sum("invested_amount"), ZERO)))


def by_park(queryset, year=None) -> list[dict]:
    return list(signed(queryset, year).order_by("park__sort", "park_id").values("park_id", "park__name")
                .annotate(count=Count("id"), amount=Coalesce(Sum("signed_amount"), ZERO)))


def by_source(queryset, year=None) -> list[dict]:
    rows = {r["source"]: r for r in signed(queryset, year).order_by().values("source")
            .annotate(count=Count("id"), amount=Coalesce(Sum("signed_amount"), ZERO))}
    return [{"source": value, "label": label, "count": rows.get(value, {}).get("count", 0),
             "amount": rows.get(value, {}).get("amount", ZERO)} for value, label in Source.choices]


def by_industry(queryset, year=None) -> list[dict]:
    """By GB/T 4754 division (大类), largest amount first."""
    from kaifaqu.economy import industry

    rows = (signed(queryset, year).annotate(division=Substr("industry_code", 1, 2)).order_by().values("division")
            .annotate(count=Count("id"), amount=Coalesce(Sum("signed_amount"), ZERO)))
    return sorted(({**r, "label": industry.division_label(r["division"])} for r in rows),
                  key=lambda r: (-r["amount"], r["division"]))


def by_stage(queryset) -> list[dict]:
    rows = dict(queryset.order_by().values("state").annotate(n=Count("id")).values_list("state", "n"))
    return [{"state": value, "label": label, "count": rows.get(value, 0)} for value, label in Stage.choices]


def landing(queryset) -> list[dict]:
    """Per signing-year cohort: size, started, producing and the two rates (None for an empty cohort)."""
    rows = (queryset.filter(signed_on__isnull=False).annotate(year=ExtractYear("signed_on")).order_by("year")
            .values("year").annotate(signed=Count("id"), started=Count("id", filter=Q(started_on__isnull=False)),
                                     producing=Count("id", filter=Q(producing_on__isnull=False))))
    return [{**r, "started_rate": r["started"] / r["signed"] if r["signed"] else None,
             "producing_rate": r["producing"] / r["signed"] if r["signed"] else None} for r in rows]


def stuck_condition(zone_ids, today: datetime.date) -> Q:
    """Active and the last stage date more than the zone's ``stuck_days`` ago; zones with the same days share one
    clause (the zone test left out when all asked share it)."""
    groups: dict[int, list] = {}
    for zone_id, s in zone_settings(zone_ids).items():
        groups.setdefault(s.stuck_days or DEFAULT_STUCK_DAYS, []).append(zone_id)
    condition = Q(pk__in=[])
    for days, ids in groups.items():
        since = Q(stage_on__lt=today - datetime.timedelta(days=days))
        condition |= since if len(groups) == 1 else Q(zone_id__in=sorted(ids)) & since
    return condition & Q(state__in=ACTIVE_STAGES)


def cohorts(queryset) -> tuple[list, list]:
    """``by_year`` and ``landing`` together, in one query over the signed projects grouped by signing year."""
    live = ~Q(state=Stage.DROPPED)
    rows = list(queryset.filter(signed_on__isnull=False).annotate(year=ExtractYear("signed_on")).order_by("year")
                .values("year").annotate(
                    count=Count("id", filter=live), amount=Coalesce(Sum("signed_amount", filter=live), ZERO),
                    invested=Coalesce(Sum("invested_amount", filter=live), ZERO), signed=Count("id"),
                    started=Count("id", filter=Q(started_on__isnull=False)),
                    producing=Count("id", filter=Q(producing_on__isnull=False))))
    years = [{k: r[k] for k in ("year", "count", "amount", "invested")} for r in rows if r["count"]]
    landed = [{k: r[k] for k in ("year", "signed", "started", "producing")}
              | {"started_rate": r["started"] / r["signed"], "producing_rate": r["producing"] / r["signed"]}
              for r in rows]
    return years, landed


def stages(queryset, zone_ids, today: datetime.date) -> tuple[list, int]:
    """``by_stage`` and the number of stuck projects among them, in one query (and one for the zones' settings)."""
    rows = {r["state"]: r for r in queryset.order_by().values("state").annotate(
        n=Count("id"), stuck=Count("id", filter=stuck_condition(zone_ids, today)))}
    return ([{"state": value, "label": label, "count": rows.get(value, {}).get("n", 0)}
             for value, label in Stage.choices], sum(r["stuck"] for r in rows.values()))


def stuck(queryset, today: datetime.date):
    return queryset.filter(stuck_condition(zone_ids_of(queryset), today))


def stuck_ids(projects, today: datetime.date) -> set:
    """Which of these (already read) projects are stuck: one query for the zones' settings."""
    by_zone = zone_settings({p.zone_id for p in projects})
    return {p.pk for p in projects if p.state in ACTIVE_STAGES
            and (today - p.stage_on).days > (by_zone[p.zone_id].stuck_days or DEFAULT_STUCK_DAYS)}


@dataclass(frozen=True)
class StuckProject:
    """One stuck project as other modules read it (the pairing meeting's agenda)."""

    id: int
    name: str
    stage: str  # Stage value: lead, negotiating, signed, land, started
    stage_label: str  # 线索, 洽谈, …
    stage_on: datetime.date  # the date of the last stage change
    days: int  # days since the last stage change, on ``today``
    responsible_org_id: int | None
    responsible_org: str  # the responsible unit's name ("" when none)
    responsible_person: str
    url: str  # the project's page


def stuck_projects(zone_id: int, today: datetime.date | None = None, park_id: int | None = None) -> list[StuckProject]:
    """The zone's stuck projects, longest without a stage change first (then by id): active (线索 … 已开工) with
    the last stage date more than the zone's ``stuck_days`` before ``today`` (default: the local date). Not
    scoped to a user: the caller (e.g. a pairing meeting of the zone) checks its own permission. Two queries."""
    from django.urls import reverse
    from django.utils import timezone

    from .models import Project

    today = today or timezone.localdate()
    qs = Project.objects.filter(zone_id=zone_id).filter(stuck_condition([zone_id], today))
    if park_id is not None:
        qs = qs.filter(park_id=park_id)
    labels = dict(Stage.choices)
    rows = qs.order_by("stage_on", "id").values_list("pk", "name", "state", "stage_on", "responsible_org_id",
                                                     "responsible_org__name", "responsible_person")
    return [StuckProject(pk, name, state, labels[state], stage_on, (today - stage_on).days, org_id, org_name or "",
                         person, reverse("invest:project-detail", args=[pk]))
            for pk, name, state, stage_on, org_id, org_name, person in rows]
