"""What the public may read: the zone's published power list, its published history and diffs, and the two function
catalogues. Everything here starts from a published version (``state = published``); drafts, versions in review,
authors and reviewers, internal notes (备注) and staff phones never leave this module. The public site and the
public API both read through it, so they show the same thing.

Reads are cached per zone for a short while (``CACHE_SECONDS``). The key carries the zone's latest published
version, so publishing a new version makes a new key at once (the old entries are never read again and expire);
the catalogues' key carries a fingerprint of their rows (count and sum of row versions: every hand-over step bumps
a row's version).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from kaifaqu.org.models import Zone
from kaifaqu.powers import queries as power_queries
from kaifaqu.powers.models import Batch, Catalogue, FunctionItem, Holding, ListState, ListVersion, PowerItem, PowerKind

CACHE_SECONDS = 60
VERSION_SECONDS = 3600  # what depends on one published version only
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# The item fields the public sees (never: note, standard, list_version, author, reviewer).
PUBLIC_FIELDS = ("code", "name", "sub_name", "kind", "basis", "legal_bases", "implementing_body", "undertaking_unit",
                 "exercise_basis", "duties", "accountability", "supervision_phone", "holding", "holding_doc_no",
                 "holding_doc_date", "batch_id", "effective_on")
# Fields a public diff never names (internal notes).
HIDDEN_DIFF_FIELDS = {"note"}


def zone_by_code(code):
    return Zone.objects.filter(code=code or "").first() if code else None


def published_versions(zone_id):
    return ListVersion.objects.filter(zone_id=zone_id, state=ListState.PUBLISHED).order_by("-seq")


def current_version(zone_id):
    """The zone's latest published version, or None."""
    return published_versions(zone_id).only("id", "seq", "title", "publish_no", "published_on", "zone_id").first()


def cached(zone_id, kind, parts, build, *, token=None):
    """``build()`` cached for ``CACHE_SECONDS`` under (zone, kind, token, parts); ``token`` defaults to the id of the
    zone's current published version, so a publish invalidates every entry of the zone."""
    if token is None:
        version = current_version(zone_id)
        token = version.pk if version else 0
    raw = repr((kind, token, sorted(parts.items()) if isinstance(parts, dict) else parts))
    key = f"portal:{zone_id}:{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


# The power list ------------------------------------------------------------------------------------------------

class Filters:
    """The public list's search and filters, parsed from a query dict; ``errors`` names the bad ones."""

    def __init__(self, data, version):
        self.q = (data.get("q") or "").strip()[:100]
        self.kind = data.get("kind") or ""
        self.batch = data.get("batch") or ""
        self.body = (data.get("body") or "").strip()[:150]
        self.errors = {}
        if self.kind and self.kind not in PowerKind.values:
            self.errors["kind"] = ["未知的事项类型。"]
        if self.batch:
            if not self.batch.isdigit() or not Batch.objects.filter(
                    pk=int(self.batch), zone_id=version.zone_id, items__list_version=version).exists():
                self.errors["batch"] = ["未知的赋权批次。"]

    def as_dict(self):
        return {"q": self.q, "kind": self.kind, "batch": self.batch, "body": self.body}

    def apply(self, qs):
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(code__icontains=self.q) | Q(sub_name__icontains=self.q)
                           | Q(implementing_body__icontains=self.q) | Q(undertaking_unit__icontains=self.q))
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.batch:
            qs = qs.filter(batch_id=int(self.batch))
        if self.body:
            qs = qs.filter(implementing_body=self.body)
        return qs


def items_of(version):
    """The published items of ``version`` as the public sees them (only public columns, batch name joined)."""
    return (PowerItem.objects.filter(zone_id=version.zone_id, list_version=version)
            .select_related("batch").only(*[f for f in PUBLIC_FIELDS if f != "batch_id"], "batch", "batch__name",
                                          "list_version_id", "zone_id")
            .order_by("code", "id"))


def facets(version):
    """The filters' choices: types, batches and implementing bodies present in the version (four queries), kept for
    an hour per version: a published version never changes (powers' workflow refuses every edit with 422)."""
    key = f"portal:facets:{version.zone_id}:{version.pk}"
    found = cache.get(key)
    if found is None:
        found = _facets(version)
        cache.set(key, found, VERSION_SECONDS)
    return found


def _facets(version):
    items = PowerItem.objects.filter(zone_id=version.zone_id, list_version=version)
    kinds = dict(items.exclude(kind="").values_list("kind").annotate(n=Count("id")).order_by())
    batches = list(Batch.objects.filter(zone_id=version.zone_id, items__list_version=version)
                   .annotate(n=Count("items")).order_by("document_date", "id").values_list("pk", "name", "n"))
    bodies = list(items.exclude(implementing_body="").values_list("implementing_body").annotate(n=Count("id"))
                  .order_by("implementing_body"))
    return {"kinds": [(c, label, kinds[c]) for c, label in PowerKind.choices if c in kinds],
            "batches": batches, "bodies": bodies, "total": sum(kinds.values()) + items.filter(kind="").count()}


def public_item(item) -> dict:
    """One item as the public API and the export show it."""
    return {
        "code": item.code, "name": item.name, "sub_name": item.sub_name, "power_type": item.kind,
        "power_type_label": item.get_kind_display() if item.kind else "", "basis": item.basis,
        "legal_bases": item.legal_bases or [], "implementing_body": item.implementing_body,
        "undertaking_unit": item.undertaking_unit, "exercise_basis": item.exercise_basis,
        "duties": item.duty_list, "accountability": item.accountability_list,
        "supervision_phone": item.supervision_phone, "holding": item.holding,
        "holding_label": Holding(item.holding).label, "holding_doc_no": item.holding_doc_no,
        "holding_doc_date": item.holding_doc_date.isoformat() if item.holding_doc_date else None,
        "batch_name": item.batch.name if item.batch_id else "",
        "effective_on": item.effective_on.isoformat() if item.effective_on else None,
    }


EXPORT_FIELDS = ("code", "name", "sub_name", "kind", "basis", "implementing_body", "undertaking_unit", "duties",
                 "accountability", "supervision_phone", "holding", "batch__name")


def export_rows(items):
    """Rows of the public export (layouts.PUBLIC_LAYOUT's columns) straight from the database: one query, read in
    chunks, no model instances."""
    kinds, holdings = dict(PowerKind.choices), dict(Holding.choices)
    rows = items.values_list(*EXPORT_FIELDS).iterator(chunk_size=2000)
    for n, (code, name, sub, kind, basis, body, unit, duties, acc, phone, holding, batch) in enumerate(rows, 1):
        yield (n, code, name, sub, kinds.get(kind, ""), basis, body, unit, duties, acc, phone,
               holdings.get(holding, holding), batch or "")


def item_by_code(version, code):
    return items_of(version).filter(code=code or "").first()


# History and diffs -----------------------------------------------------------------------------------------------

def history(zone_id):
    """Published versions, newest first, with their item counts (one query)."""
    return list(published_versions(zone_id).annotate(n_items=Count("items"))
                .only("id", "seq", "title", "publish_no", "published_on", "zone_id"))


def public_diff(zone_id, seq):
    """The diff of published version ``seq`` against the published version before it, without internal fields;
    None when ``seq`` is not a published version of the zone (or the first one: nothing to compare with)."""
    versions = published_versions(zone_id)
    new = versions.filter(seq=seq).first()
    if new is None:
        return None
    old = versions.filter(seq__lt=seq).first()
    if old is None:
        return {"old": None, "new": _version_info(new), "added": [], "removed": [], "changed": [],
                "counts": {"added": 0, "removed": 0, "changed": 0}}
    result = power_queries.diff(old, new)
    changed = []
    for item in result["changed"]:
        changes = [c for c in item["changes"] if c["field"] not in HIDDEN_DIFF_FIELDS]
        if changes:
            changed.append({**item, "changes": changes})
    return {"old": _version_info(old), "new": _version_info(new), "added": result["added"],
            "removed": result["removed"], "changed": changed,
            "counts": {"added": len(result["added"]), "removed": len(result["removed"]), "changed": len(changed)}}


def _version_info(v):
    return {"seq": v.seq, "title": v.title, "publish_no": v.publish_no,
            "published_on": v.published_on.isoformat() if v.published_on else None}


# The two catalogues ----------------------------------------------------------------------------------------------

def catalogues_token(zone_id):
    row = FunctionItem.objects.filter(zone_id=zone_id).aggregate(n=Count("id"), v=Sum("version"), m=Max("id"))
    return f"{row['n']}-{row['v']}-{row['m']}"


def catalogues(zone_id) -> list[dict]:
    """Both catalogues by category: retained functions, and stripped ones with their receiving unit and date (one
    query). Hand-over states (a dispute in progress) are the zone's internal business and stay out."""
    rows = (FunctionItem.objects.filter(zone_id=zone_id).select_related("receiver")
            .only("catalogue", "category", "name", "description", "handover_on", "sort", "receiver__name")
            .order_by("catalogue", "sort", "id"))
    out = {c: {"catalogue": c, "label": label, "total": 0, "categories": {}} for c, label in Catalogue.choices}
    for f in rows:
        block = out[f.catalogue]
        block["total"] += 1
        block["categories"].setdefault(f.category, []).append({
            "name": f.name, "description": f.description,
            "receiver": f.receiver.name if f.receiver_id else "",
            "handover_on": f.handover_on.isoformat() if f.handover_on else None})
    return [{**b, "categories": [{"category": k, "items": v} for k, v in b["categories"].items()]}
            for b in out.values()]
