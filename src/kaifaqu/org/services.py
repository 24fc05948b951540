"""Writes on the zone's structure (ORG-1 … ORG-5). Callers: pages, API, importers, the demo loader.

Every function checks the actor's permission and that the zone is within the actor's scope (404 otherwise),
sets ``zone`` from the owning object, and records the change in the audit trail in the same transaction.
"""


from django.db import IntegrityError

from kaifaqu.core import audit, sensitive, writes
from kaifaqu.core.access import is_system, require
from kaifaqu.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.imports import bulk

from . import workflow
from .models import (
    Establishment,
    Org,
    OrgKind,
    Park,
    Plaque,
    PostKind,
    ReorgEvent,
    Secondment,
    Staff,
    StaffStatus,
    Zone,
)

ZONE_FIELDS = {"name", "short_name", "kind", "level", "province", "city", "county", "area_km2", "rank",
               "established_on", "description"}
PARK_FIELDS = {"name", "code", "area_km2", "leading_industries", "description", "sort"}
ORG_FIELDS = {"park", "parent", "home_department", "kind", "name", "short_name", "code", "comprehensive", "rank",
              "credit_code", "headcount_cap", "functions", "phone", "sort"}
STAFF_FIELDS = {"org", "staff_no", "name", "gender", "phone", "post_kind", "grade_on_file", "archive_salary",
                "appointed_post", "actual_pay", "joined_on", "status"}
REORG_FIELDS = {"date", "kind", "title", "subject", "before_count", "after_count", "document_no", "description"}
SECONDMENT_FIELDS = {"host_org", "host_name", "post", "start", "end", "note"}


def _in_scope(actor, zone_id, perm):
    scope = require(actor, perm)
    if not is_system(actor) and zone_id not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")


def _only(fields: dict, allowed: set) -> dict:
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput("包含不可修改的字段：" + "、".join(sorted(unknown)))
    return fields


def _same_zone(zone_id, **related):
    errors = {}
    for name, obj in related.items():
        if obj is not None and obj.zone_id != zone_id:
            errors[name] = ["必须属于同一开发区。"]
    if errors:
        raise InvalidInput("关联对象不属于本开发区。", fields=errors)


def _taken(queryset, exclude_pk=None, **checks):
    """Field-level messages for keys already used in the zone (the database constraint stays the last word)."""
    errors = {}
    for field, (value, message) in checks.items():
        if value in (None, ""):
            continue
        qs = queryset.filter(**{field: value})
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        if qs.exists():
            errors[field] = [message]
    if errors:
        raise Conflict("与已有记录重复。", fields=errors)


# Zones and parks ---------------------------------------------------------------------------------------------

def do_create_zone(actor, *, code, name, committee_name="", **fields) -> Zone:
    """System administrator or the platform: a new tenant, with its 党工委/管委会 so that its first users have an
    organisation to belong to (the zone's leaders build the rest). Records zone.create and org.create."""
    require(actor, "zone.manage")
    committee_name = (committee_name or "").strip() or f"{name}党工委（管委会）"
    if len(committee_name) > Org._meta.get_field("name").max_length:
        raise InvalidInput("管委会名称过长。", fields={"committee_name": ["管委会名称不能超过 150 个字符。"]})

    def add_committee(zone):
        committee = Org.objects.create(zone=zone, kind=OrgKind.COMMITTEE, code="committee", name=committee_name)
        audit.record(actor, "org.create", committee, after=audit.snapshot(committee))

    return writes.create(actor, Zone(code=code, name=name, **_only(fields, ZONE_FIELDS)), "zone.create",
                         after_save=add_committee)


def do_update_zone(actor, zone, *, version=None, **changes) -> Zone:
    _in_scope(actor, zone.pk, "org.change")
    return writes.update(actor, zone, _only(changes, ZONE_FIELDS), "zone.update", version=version)


def do_create_park(actor, zone, **fields) -> Park:
    _in_scope(actor, zone.pk, "org.change")
    _taken(Park.objects.filter(zone=zone), code=(fields.get("code"), "本开发区已有该代码的园区。"),
           name=(fields.get("name"), "本开发区已有同名园区。"))
    return writes.create(actor, Park(zone=zone, **_only(fields, PARK_FIELDS)), "park.create")


def do_update_park(actor, park, *, version=None, **changes) -> Park:
    _in_scope(actor, park.zone_id, "org.change")
    _taken(Park.objects.filter(zone_id=park.zone_id), park.pk, code=(changes.get("code"), "本开发区已有该代码的园区。"),
           name=(changes.get("name"), "本开发区已有同名园区。"))
    return writes.update(actor, park, _only(changes, PARK_FIELDS), "park.update", version=version)


# Organisations -----------------------------------------------------------------------------------------------

def _check_org_links(zone_id, fields, org=None):
    _same_zone(zone_id, park=fields.get("park"), parent=fields.get("parent"),
               home_department=fields.get("home_department"))
    home = fields.get("home_department")
    if home is not None and home.kind != OrgKind.CITY_DEPARTMENT:
        raise InvalidInput("派出部门必须是市直部门。", fields={"home_department": ["派出部门必须是市直部门。"]})
    kind = fields.get("kind", org.kind if org else None)
    # The flag may already be set on the record while the change only touches the kind.
    comprehensive = fields.get("comprehensive", org.comprehensive if org else False)
    if comprehensive and kind != OrgKind.DEPARTMENT:
        raise InvalidInput("只有内设机构可以标记为综合性。", fields={"comprehensive": ["只有内设机构可以标记为综合性。"]})
    parent = fields.get("parent")
    if org is not None and parent is not None:
        node = parent
        while node is not None:
            if node.pk == org.pk:
                raise InvalidInput("上级机构不能是本机构或其下级。", fields={"parent": ["上级机构不能是本机构或其下级。"]})
            node = node.parent


def do_create_org(actor, zone, **fields) -> Org:
    _in_scope(actor, zone.pk, "org.change")
    _only(fields, ORG_FIELDS)
    _check_org_links(zone.pk, fields)
    _taken(Org.objects.filter(zone=zone), code=(fields.get("code"), "本开发区已有该代码的机构。"))
    return writes.create(actor, Org(zone=zone, **fields), "org.create")


def do_update_org(actor, org, *, version=None, **changes) -> Org:
    _in_scope(actor, org.zone_id, "org.change")
    _only(changes, ORG_FIELDS)
    if org.kind == OrgKind.COMMITTEE and not is_system(actor):
        moved = {f for f in ("kind", "parent", "home_department") if f in changes
                 and changes[f] != getattr(org, f)}
        if moved:
            raise RuleViolation("党工委/管委会是开发区的管理机构，不能改变其类型或调到其他机构之下。",
                                fields={f: ["不能修改。"] for f in sorted(moved)})
    _check_org_links(org.zone_id, changes, org)
    _taken(Org.objects.filter(zone_id=org.zone_id), org.pk, code=(changes.get("code"), "本开发区已有该代码的机构。"))
    return writes.update(actor, org, changes, "org.update", version=version)


def do_abolish_org(actor, org, *, date, reason, version=None) -> Org:
    """Abolition keeps the record (history, staff, cases refer to it); an abolished body takes no new staff.

    The ``abolish`` action of the org workflow (org/workflow.py: its rules, the event row, the audit event); here
    the permission comes first, as for every service, and date and reason are checked together."""
    _in_scope(actor, org.zone_id, "org.change")
    errors = {}
    if date is None:
        errors["date"] = [workflow.ABOLISH_DATE_REQUIRED]
    if not (reason or "").strip():
        errors["reason"] = ["请填写撤销原因。"]
    if errors:
        raise InvalidInput("请填写撤销日期和原因。", fields=errors)
    return workflow.ORG.perform(actor, org, "abolish", version=version, note=reason, payload={"date": date})


def do_add_plaque(actor, org, *, name, kind, since=None) -> Plaque:
    _in_scope(actor, org.zone_id, "org.change")
    if not org.is_active:
        raise RuleViolation("该机构已撤销，不能挂牌。")
    _taken(org.plaques.all(), name=(name, "该机构已有同名牌子。"))
    return writes.create(actor, Plaque(zone_id=org.zone_id, org=org, name=name, kind=kind, since=since), "plaque.create")


def do_remove_plaque(actor, plaque, *, reason="") -> Plaque:
    """摘牌: the plaque stays on record as no longer active."""
    _in_scope(actor, plaque.zone_id, "org.change")
    if not plaque.is_active:
        raise RuleViolation("该牌子已摘除。")
    return writes.update(actor, plaque, {"is_active": False}, "plaque.remove", reason=reason)


def do_set_head(actor, org, user) -> Org:
    """组织人事: names the account of the unit's head (or clears it): a user of that very unit, who then sees the
    unit's pay and personal phones (core.sensitive holder, queries.heads_staff_unit)."""
    _in_scope(actor, org.zone_id, "org.change")
    if user is not None and user.org_id != org.pk:
        raise InvalidInput("负责人必须是本单位的用户。", fields={"head": ["负责人必须是本单位的用户。"]})
    return writes.update(actor, org, {"head": user}, "org.set_head")


def do_set_establishment(actor, org, *, kind, approved, document_no="", note="") -> Establishment:
    """Sets the approved number of posts of one kind (a new row or a change of the existing one). Only the zone's
    组织人事 (establishment.change) may, citing the approving document (编办批文号)."""
    _in_scope(actor, org.zone_id, "establishment.change")
    try:
        approved = int(approved)
    except (TypeError, ValueError):
        raise InvalidInput("核定数必须是整数。", fields={"approved": ["核定数必须是整数。"]}) from None
    if approved < 0:
        raise InvalidInput("核定数不能为负。", fields={"approved": ["核定数不能为负。"]})
    if kind not in PostKind.values:
        raise InvalidInput("编制类型无效。", fields={"kind": ["编制类型无效。"]})
    document_no = (document_no or "").strip()
    if not document_no:
        raise InvalidInput("请填写编办批文号。", fields={"document_no": ["核定编制须依据机构编制部门的批复，请填写批文号。"]})
    existing = Establishment.objects.filter(org=org, kind=kind).first()
    if existing is None:
        return writes.create(actor, Establishment(zone_id=org.zone_id, org=org, kind=kind, approved=approved,
                                                  document_no=document_no, note=note), "establishment.create")
    return writes.update(actor, existing, {"approved": approved, "document_no": document_no, "note": note},
                         "establishment.update")


def do_record_reorg(actor, zone, *, orgs=(), **fields) -> ReorgEvent:
    _in_scope(actor, zone.pk, "org.change")
    _only(fields, REORG_FIELDS)
    for org in orgs:
        _same_zone(zone.pk, orgs=org)
    errors = {name: ["数量不能为负。"] for name in ("before_count", "after_count")
              if fields.get(name) is not None and fields[name] < 0}
    if errors:
        raise InvalidInput("调整前后数量不能为负。", fields=errors)
    return writes.create(actor, ReorgEvent(zone=zone, **fields), "reorg.create",
                         after_save=lambda ev: ev.orgs.set(orgs))


# Staff -------------------------------------------------------------------------------------------------------

def do_create_staff(actor, org, **fields) -> Staff:
    _in_scope(actor, org.zone_id, "staff.change")
    if not org.is_active:
        raise RuleViolation("该机构已撤销，不能新增人员。")
    fields.pop("org", None)
    sensitive.check_write(actor, Staff, fields)
    _taken(Staff.objects.filter(zone_id=org.zone_id), staff_no=(fields.get("staff_no"), "本开发区已有该工号。"))
    return writes.create(actor, Staff(zone_id=org.zone_id, org=org, **_only(fields, STAFF_FIELDS)), "staff.create")


def do_update_staff(actor, staff, *, version=None, **changes) -> Staff:
    _in_scope(actor, staff.zone_id, "staff.change")
    _only(changes, STAFF_FIELDS)
    sensitive.check_write(actor, Staff, changes)
    _taken(Staff.objects.filter(zone_id=staff.zone_id), staff.pk, staff_no=(changes.get("staff_no"), "本开发区已有该工号。"))
    new_org = changes.get("org")
    if new_org is not None:
        _same_zone(staff.zone_id, org=new_org)
        if not new_org.is_active and new_org.pk != staff.org_id:
            raise RuleViolation("不能调入已撤销的机构。")
    return writes.update(actor, staff, changes, "staff.update", version=version)


def do_create_secondment(actor, staff, **fields) -> Secondment:
    _in_scope(actor, staff.zone_id, "staff.change")
    _only(fields, SECONDMENT_FIELDS)
    _same_zone(staff.zone_id, host_org=fields.get("host_org"))
    start, end = fields.get("start"), fields.get("end")
    missing = {name: ["请填写该日期。"] for name, value in (("start", start), ("end", end)) if value is None}
    if missing:
        raise InvalidInput("请填写挂职起止日期。", fields=missing)
    if staff.status == StaffStatus.LEFT:
        raise RuleViolation("该人员已离岗，不能安排挂职。")
    if end <= start:
        raise InvalidInput("结束日期必须晚于开始日期。", fields={"end": ["结束日期必须晚于开始日期。"]})
    if not fields.get("host_org") and not fields.get("host_name"):
        raise InvalidInput("请选择挂职单位或填写区外单位名称。", fields={"host_org": ["请选择挂职单位或填写区外单位名称。"]})
    overlapping = Secondment.objects.filter(staff=staff, ended_early_on__isnull=True, start__lt=end, end__gt=start)
    if overlapping.exists():
        raise RuleViolation("该人员在此期间已有挂职安排。")
    return writes.create(actor, Secondment(zone_id=staff.zone_id, staff=staff, **fields), "secondment.create")


def do_end_secondment(actor, secondment, *, date, reason="", version=None) -> Secondment:
    """The ``end`` action of the secondment workflow (org/workflow.py): the date must fall within the period."""
    _in_scope(actor, secondment.zone_id, "staff.change")
    if date is None:
        raise InvalidInput(workflow.END_DATE_REQUIRED, fields={"date": [workflow.END_DATE_REQUIRED]})
    return workflow.SECONDMENT.perform(actor, secondment, "end", version=version, note=reason or "",
                                       payload={"date": date})


# Spreadsheet imports (org.importers) --------------------------------------------------------------------------

def do_import_staff(actor, zone_id, plan, progress=None) -> None:
    """Bulk service behind the staff import (callers: core.imports inside its transaction). Same permission and
    scope as ``do_create_staff``; the plan is already validated (types, choices, organisations in the zone and
    visible to the actor, 工号 unique in the file). Writes with bulk insert/update in batches, one audit event."""
    _in_scope(actor, zone_id, "staff.change")
    given = {f: next((row.cells[i] for row in (*plan.new, *plan.changed) if row.cells[i] not in (None, "")), None)
             for i, f in enumerate(plan.fields) if f in sensitive.fields_of(Staff)}
    sensitive.check_write(actor, Staff, given)
    try:
        created, changed = bulk.apply_plan(Staff, plan, zone_id=zone_id, key="staff_no", progress=progress)
    except IntegrityError as exc:
        raise Conflict("与已有记录重复（工号已被使用）。") from exc
    bulk.record_import(actor, "staff.import", zone_id, plan, created, changed)


def do_import_orgs(actor, zone_id, plan, progress=None) -> None:
    """Organisations are few per zone: each row goes through ``do_create_org``/``do_update_org`` (their rules and
    per-object audit events), then one summary event. Parents named in the same file are created first."""
    from kaifaqu.core.imports.engine import PendingRef

    zone = Zone.objects.get(pk=zone_id)
    links = ("park_id", "parent_id", "home_department_id")
    ids = {row.values.get(a) for row in (*plan.new, *plan.changed) for a in ("parent_id", "home_department_id")}
    orgs = {o.pk: o for o in Org.objects.filter(pk__in={i for i in ids if isinstance(i, int)})}
    parks = {p.pk: p for p in Park.objects.filter(zone_id=zone_id)}
    by_key = {}

    def fields_of(values, only=None):
        out = {}
        for attname, value in values.items():
            if attname == "zone_id" or (only is not None and attname not in only):
                continue
            if attname in links:
                name = attname[:-3]
                if isinstance(value, PendingRef):
                    value = by_key.get(value.text)
                    if value is None:
                        return None
                    out[name] = value
                else:
                    out[name] = parks.get(value) if name == "park" else orgs.get(value) if value else None
            else:
                out[attname] = value
        return out

    pending = list(plan.new)
    done, total = 0, len(plan.new) + len(plan.changed)
    while pending:
        waiting = []
        for row in pending:
            fields = fields_of(row.values)
            if fields is None:
                waiting.append(row)
                continue
            org = do_create_org(actor, zone, **fields)
            by_key[org.code] = by_key[org.name] = org
            orgs[org.pk] = org
            done += 1
            if progress:
                progress(done, total)
        if len(waiting) == len(pending):
            raise InvalidInput("上级机构或派出部门存在循环引用。")
        pending = waiting
    current = {o.pk: o for o in Org.objects.filter(pk__in=[row.pk for row in plan.changed])}
    for row in plan.changed:
        fields = fields_of(row.changes)
        if fields is None:
            raise InvalidInput(f"第 {row.number} 行的上级机构无法确定。")
        do_update_org(actor, current[row.pk], **fields)
        done += 1
        if progress:
            progress(done, total)
    bulk.record_import(actor, "org.import", zone_id, plan, [row.values["code"] for row in plan.new],
                  [(row.values["code"], {"code": row.values["code"], **row.before},
                    {"code": row.values["code"], **row.changes}) for row in plan.changed])
