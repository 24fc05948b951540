"""Reads of the power module that pages, API, the workbench and other modules share (the whistle module asks
``lead_units_for``). Each runs a fixed number of queries."""

from collections import defaultdict

from .models import Area, Assignment, Duty, Holding, ListState, ListVersion, Matter, PowerItem, PowerKind

DIFF_FIELDS = ("name", "sub_name", "kind", "basis", "implementing_body", "undertaking_unit", "exercise_basis",
               "duties", "accountability", "supervision_phone", "holding", "holding_doc_no", "holding_doc_date",
               "batch_id", "effective_on", "note")


def counts_by(items_qs, field, choices) -> list[tuple[str, str, int]]:
    """(code, label, count) for every choice, zero included: two lines of SQL-side grouping."""
    from django.db.models import Count

    found = dict(items_qs.values_list(field).annotate(n=Count("id")).order_by())
    return [(code, label, found.get(code, 0)) for code, label in choices]


def batch_counts(batch) -> dict:
    items = PowerItem.objects.filter(batch=batch, list_version=_latest_id(batch.zone_id))
    return {"total": items.count(), "by_kind": [c for c in counts_by(items, "kind", PowerKind.choices) if c[2]],
            "by_holding": counts_by(items, "holding", Holding.choices)}


def _latest_id(zone_id):
    """The version a figure is read from: the latest published one, else the draft."""
    version = (ListVersion.objects.filter(zone_id=zone_id, state=ListState.PUBLISHED).order_by("-seq").first()
               or ListVersion.objects.filter(zone_id=zone_id).order_by("-seq").first())
    return version.pk if version else None


def latest_version(zone_id):
    pk = _latest_id(zone_id)
    return ListVersion.objects.get(pk=pk) if pk else None


def diff(old, new) -> dict:
    """Items added, removed and changed field by field from version ``old`` to ``new`` (matched by 事项编码)."""
    fields = ("code", *DIFF_FIELDS)
    before = {row[0]: row for row in PowerItem.objects.filter(list_version=old).values_list(*fields)}
    after = {row[0]: row for row in PowerItem.objects.filter(list_version=new).values_list(*fields)}
    labels = {f: PowerItem._meta.get_field(f.removesuffix("_id")).verbose_name for f in DIFF_FIELDS}
    display = _displays()
    added = [_brief(after[c]) for c in sorted(after.keys() - before.keys())]
    removed = [_brief(before[c]) for c in sorted(before.keys() - after.keys())]
    changed = []
    for code in sorted(before.keys() & after.keys()):
        b, a = before[code], after[code]
        if b == a:
            continue
        fields_changed = [{"field": f.removesuffix("_id"), "label": labels[f], "before": display(f, b[i + 1]),
                           "after": display(f, a[i + 1])}
                          for i, f in enumerate(DIFF_FIELDS) if b[i + 1] != a[i + 1]]
        changed.append({"code": code, "name": a[1], "changes": fields_changed})
    return {"old": old, "new": new, "added": added, "removed": removed, "changed": changed,
            "counts": {"added": len(added), "removed": len(removed), "changed": len(changed)}}


def _brief(row):
    return {"code": row[0], "name": row[1], "sub_name": row[2], "kind": PowerKind(row[3]).label if row[3] else ""}


def _displays():
    from .models import Batch

    kinds, holdings = dict(PowerKind.choices), dict(Holding.choices)
    batches = {}

    def show(field, value):
        if value in (None, ""):
            return ""
        if field == "kind":
            return kinds.get(value, value)
        if field == "holding":
            return holdings.get(value, value)
        if field == "batch_id":
            if value not in batches:
                batches[value] = str(Batch.objects.filter(pk=value).first() or value)
            return batches[value]
        return str(value)

    return show


# The responsibility matrix -----------------------------------------------------------------------------------

def matrix(zone_id) -> dict:
    """Matters × areas with each cell's leads and supporters (four queries)."""
    matters = list(Matter.objects.filter(zone_id=zone_id).order_by("sort", "id"))
    areas = list(Area.objects.filter(zone_id=zone_id).order_by("sort", "id"))
    cells = defaultdict(lambda: {"lead": [], "support": []})
    for a in Assignment.objects.filter(zone_id=zone_id).select_related("org").order_by("duty", "id"):
        cells[(a.matter_id, a.area_id)][a.duty].append(a)
    rows = [(m, [(area, cells[(m.pk, area.pk)]) for area in areas]) for m in matters]
    return {"matters": matters, "areas": areas, "rows": rows}


def matrix_report(zone_id) -> dict:
    """Gaps (a cell without a lead) and conflicts (a cell with two or more leads)."""
    data = matrix(zone_id)
    gaps, conflicts = [], []
    for matter, row in data["rows"]:
        for area, cell in row:
            leads = cell["lead"]
            if not leads:
                gaps.append({"matter": matter.name, "area": area.name, "matter_id": matter.pk, "area_id": area.pk})
            elif len(leads) > 1:
                conflicts.append({"matter": matter.name, "area": area.name, "matter_id": matter.pk,
                                  "area_id": area.pk, "leads": [a.org.name for a in leads]})
    return {"gaps": gaps, "conflicts": conflicts, "cells": len(data["matters"]) * len(data["areas"])}


def lookup(zone_id, matter, area) -> dict:
    """Who leads and who supports ``matter`` in ``area`` (objects of the zone)."""
    rows = list(Assignment.objects.filter(zone_id=zone_id, matter=matter, area=area).select_related("org")
                .order_by("duty", "id"))
    return {"lead": [a.org for a in rows if a.duty == Duty.LEAD],
            "support": [a.org for a in rows if a.duty == Duty.SUPPORT]}


def lead_units_for(zone, matter, park=None) -> list:
    """The lead units (org.Org) of ``matter`` (a Matter or its name) in the zone — in the area of ``park`` (an
    org.Park or its id) when given, else in every area. Used by the whistle module to propose the lead unit."""
    from kaifaqu.org.models import Org

    zone_id = getattr(zone, "pk", zone)
    matters = Matter.objects.filter(zone_id=zone_id)
    matters = matters.filter(pk=matter.pk) if isinstance(matter, Matter) else matters.filter(name=matter)
    leads = Assignment.objects.filter(zone_id=zone_id, matter__in=matters, duty=Duty.LEAD)
    if park is not None:
        leads = leads.filter(area__park_id=getattr(park, "pk", park))
    return list(Org.objects.filter(pk__in=leads.values("org_id")).order_by("sort", "id"))


def function_counts(zone_id) -> dict:
    """Counts of the two catalogues by category and hand-over state (one query)."""
    from django.db.models import Count

    from .models import Catalogue, FunctionItem, HandoverState

    rows = (FunctionItem.objects.filter(zone_id=zone_id).values_list("catalogue", "category", "state")
            .annotate(n=Count("id")).order_by("catalogue", "category"))
    out = {c: {"label": label, "total": 0, "categories": {}, "states": dict.fromkeys(HandoverState.values, 0)}
           for c, label in Catalogue.choices}
    for catalogue, category, state, n in rows:
        block = out[catalogue]
        block["total"] += n
        block["states"][state] += n
        cat = block["categories"].setdefault(category, {"total": 0, **dict.fromkeys(HandoverState.values, 0)})
        cat["total"] += n
        cat[state] += n
    return out
