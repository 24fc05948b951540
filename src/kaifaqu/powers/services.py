"""Writes of the power list (POWER-1, POWER-4). Callers: pages, API, importers, the demo loader.

Every function checks the actor's permission and that the zone is within the actor's scope (404 otherwise), sets
``zone`` from the owning object, and records the change in the audit trail in the same transaction. Items are
written only into a draft version (422 otherwise, naming the version's state).
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import Max

from kaifaqu.core import audit, writes
from kaifaqu.core.access import is_system, require
from kaifaqu.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.imports import bulk

from .models import (
    DELEGATED,
    Area,
    AreaKind,
    Assignment,
    Batch,
    Catalogue,
    Duty,
    FunctionItem,
    HandoverState,
    Holding,
    ListState,
    ListVersion,
    Matter,
    PowerItem,
    PowerKind,
    StandardItem,
)

# The standard fields of a claimed item: copied from the standard catalogue and never edited in the zone.
STANDARD_FIELDS = ("code", "name", "sub_name", "kind", "basis")
ZONE_FIELDS = {"implementing_body", "undertaking_unit", "exercise_basis", "duties", "accountability",
               "supervision_phone", "holding", "holding_doc_no", "holding_doc_date", "batch", "effective_on", "note",
               "legal_bases"}
ITEM_FIELDS = set(STANDARD_FIELDS) | ZONE_FIELDS
BATCH_FIELDS = {"name", "document_no", "document_date", "effective_on", "note"}
VERSION_FIELDS = {"title"}


def in_scope(actor, zone_id, perm):
    scope = require(actor, perm)
    if not is_system(actor) and zone_id not in scope.zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")


def _only(fields: dict, allowed: set) -> dict:
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput("包含不可修改的字段：" + "、".join(sorted(unknown)),
                           fields={f: ["不可修改该字段。"] for f in sorted(unknown)})
    return fields


# Legal bases ---------------------------------------------------------------------------------------------------

_NUM = "[0-9一二三四五六七八九十百千零〇两]+"
_BASIS = re.compile(rf"《(?P<law>[^》]+)》\s*(?P<article>第{_NUM}条)?\s*(?P<clause>第{_NUM}款)?\s*(?P<item>第{_NUM}项)?")


def parse_bases(text: str) -> list[dict]:
    """The structured legal bases named in free text: each 《法律》 with its article, clause and item if given."""
    bases = []
    for m in _BASIS.finditer(text or ""):
        bases.append({"law": m["law"].strip(), "article": m["article"] or "", "clause": m["clause"] or "",
                      "item": m["item"] or ""})
    return bases


def check_bases(bases) -> list[dict]:
    if not isinstance(bases, list):
        raise InvalidInput("设定依据格式有误。", fields={"legal_bases": ["应为列表。"]})
    clean = []
    for i, basis in enumerate(bases, 1):
        law = str((basis or {}).get("law", "")).strip() if isinstance(basis, dict) else ""
        if not law:
            raise InvalidInput("设定依据须写明法律法规名称。", fields={"legal_bases": [f"第 {i} 条依据缺少法律法规名称。"]})
        clean.append({"law": law, **{k: str(basis.get(k) or "").strip() for k in ("article", "clause", "item")}})
    return clean


# Standard catalogue ------------------------------------------------------------------------------------------

def do_import_standard(actor, zone_id, plan, progress=None) -> None:
    """Bulk service behind the standard catalogue import (system administrator, ``powers.catalogue``). New codes
    are added and changed rows updated; claimed items keep the fields they copied until the zone claims again."""
    in_scope(actor, zone_id, "powers.catalogue")
    try:
        created, changed = bulk.apply_plan(StandardItem, plan, zone_id=zone_id, key="code", progress=progress)
    except IntegrityError as exc:
        raise Conflict("与已有记录重复（事项编码已被使用）。") from exc
    bulk.record_import(actor, "powerstd.import", zone_id, plan, created, changed)


def do_create_standard(actor, zone, **fields) -> StandardItem:
    in_scope(actor, zone.pk, "powers.catalogue")
    _only(fields, set(STANDARD_FIELDS))
    if StandardItem.objects.filter(zone=zone, code=fields.get("code")).exists():
        raise Conflict(f"事项编码 {fields.get('code')} 已在标准目录中。", fields={"code": ["事项编码已被使用。"]})
    return writes.create(actor, StandardItem(zone=zone, **fields), "powerstd.create")


# Batches -----------------------------------------------------------------------------------------------------

def do_create_batch(actor, zone, **fields) -> Batch:
    in_scope(actor, zone.pk, "powers.change")
    _only(fields, BATCH_FIELDS)
    if Batch.objects.filter(zone=zone, name=fields.get("name")).exists():
        raise Conflict("本开发区已有同名批次。", fields={"name": ["本开发区已有同名批次。"]})
    return writes.create(actor, Batch(zone=zone, **fields), "powerbatch.create")


def do_update_batch(actor, batch, *, version=None, **changes) -> Batch:
    in_scope(actor, batch.zone_id, "powers.change")
    _only(changes, BATCH_FIELDS)
    if "name" in changes and Batch.objects.filter(zone_id=batch.zone_id, name=changes["name"]).exclude(
            pk=batch.pk).exists():
        raise Conflict("本开发区已有同名批次。", fields={"name": ["本开发区已有同名批次。"]})
    return writes.update(actor, batch, changes, "powerbatch.update", version=version)


# Versions ----------------------------------------------------------------------------------------------------

def open_version(zone_id):
    """The zone's version not yet published (at most one), or None."""
    return (ListVersion.objects.filter(zone_id=zone_id).exclude(state=ListState.PUBLISHED)
            .order_by("-seq").first())


def current_published(zone_id):
    return ListVersion.objects.filter(zone_id=zone_id, state=ListState.PUBLISHED).order_by("-seq").first()


def _copy_fields(item):
    return {f.attname: getattr(item, f.attname) for f in PowerItem._meta.concrete_fields
            if f.attname not in ("id", "list_version_id", "version")}


def do_start_draft(actor, zone, *, title="") -> ListVersion:
    """A new draft of the zone's list, holding a copy of the last published version's items (or none). Refused
    while another version is still being prepared or reviewed. Records list.start."""
    in_scope(actor, zone.pk, "powers.change")
    with transaction.atomic():
        ListVersion.objects.select_for_update().filter(zone=zone).exists()
        pending = open_version(zone.pk)
        if pending is not None:
            raise RuleViolation(f"{pending} 尚未发布（{pending.get_state_display()}），不能再新建草稿。",
                                code="open_version_exists")
        base = current_published(zone.pk)
        seq = (ListVersion.objects.filter(zone=zone).aggregate(m=Max("seq"))["m"] or 0) + 1
        draft = ListVersion.objects.create(
            zone=zone, seq=seq, title=(title or "").strip() or f"{zone.short_name or zone.name}权责清单",
            based_on=base, author=actor if getattr(actor, "is_authenticated", False) else None)
        if base is not None:
            PowerItem.objects.bulk_create(
                [PowerItem(list_version=draft, **_copy_fields(item)) for item in base.items.all()], batch_size=1000)
        audit.record(actor, "powerlist.start", draft, after={**audit.snapshot(draft), "items": draft.items.count()})
    return draft


def draft_for(actor, zone) -> ListVersion:
    """The zone's draft to write into: the open version when it is a draft (422 while it is in review), else a new
    one."""
    pending = open_version(zone.pk)
    if pending is None:
        return do_start_draft(actor, zone)
    _editable(pending)
    return pending


def _editable(version):
    version = ListVersion.objects.get(pk=version.pk)  # the state now, not as the caller read it
    if version.state != ListState.DRAFT:
        raise RuleViolation(f"{version} 当前为“{version.get_state_display()}”，只有草稿可以修改。",
                            code="not_editable", extra={"state": version.state})
    return version


def do_update_version(actor, version_obj, *, version=None, **changes) -> ListVersion:
    in_scope(actor, version_obj.zone_id, "powers.change")
    _editable(version_obj)
    return writes.update(actor, version_obj, _only(changes, VERSION_FIELDS), "powerlist.update", version=version)


# Items -------------------------------------------------------------------------------------------------------

def _label(fields, item=None):
    code = fields.get("code") or (item.code if item else "")
    name = fields.get("name") or (item.name if item else "")
    return f"事项“{code} {name}”".strip()


def _check_item(fields, item=None):
    """Rules of one item: a known type, a document for a delegated power, a batch of the same zone."""
    label = _label(fields, item)
    kind = fields.get("kind", item.kind if item else "")
    if kind and kind not in PowerKind.values:
        raise InvalidInput(f"{label}的事项类型“{kind}”不在十类行政权力和公共服务之中。",
                           fields={"kind": ["未知的事项类型。"]})
    holding = fields.get("holding", item.holding if item else Holding.OWN)
    if holding not in Holding.values:
        raise InvalidInput(f"{label}的行使方式无效。", fields={"holding": ["未知的行使方式。"]})
    doc = fields.get("holding_doc_no", item.holding_doc_no if item else "")
    if holding in DELEGATED and not (doc or "").strip():
        raise InvalidInput(f"{label}为{Holding(holding).label}事项，须填写授权文号。",
                           fields={"holding_doc_no": ["授权、委托或下放的事项须填写授权文号。"]})
    if "legal_bases" in fields:
        fields["legal_bases"] = check_bases(fields["legal_bases"])
    elif "basis" in fields:
        fields["legal_bases"] = parse_bases(fields["basis"])
    for key in ("duties", "accountability"):
        if isinstance(fields.get(key), list):
            fields[key] = "\n".join(str(x).strip() for x in fields[key] if str(x).strip())


def _check_batch(zone_id, fields):
    batch = fields.get("batch")
    if batch is not None and batch.zone_id != zone_id:
        raise InvalidInput("赋权批次必须属于本开发区。", fields={"batch": ["必须属于本开发区。"]})


def _code_free(version, code, exclude_pk=None, label=""):
    qs = PowerItem.objects.filter(list_version=version, code=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise Conflict(f"{label or '事项'}：事项编码 {code} 在本版清单中已存在。", fields={"code": ["事项编码重复。"]})


def do_claim(actor, standard, **fields) -> PowerItem:
    """认领: a zone department copies a standard item into the zone's draft (started when there is none) and adds
    the zone's fields. The standard fields stay those of the catalogue. Records item.claim."""
    in_scope(actor, standard.zone_id, "powers.change")
    _only(fields, ZONE_FIELDS)
    from kaifaqu.org.models import Zone

    draft = draft_for(actor, Zone.objects.get(pk=standard.zone_id))
    values = {f: getattr(standard, f) for f in STANDARD_FIELDS}
    fields = {**values, **fields}
    _check_item(fields)
    if "legal_bases" not in fields or not fields["legal_bases"]:
        fields["legal_bases"] = parse_bases(standard.basis)
    _check_batch(standard.zone_id, fields)
    if PowerItem.objects.filter(list_version=draft, standard=standard).exists():
        raise Conflict(f"标准事项“{standard}”已认领到本版清单。", fields={"standard": ["已认领。"]})
    _code_free(draft, standard.code, label=_label(values))
    return writes.create(actor, PowerItem(zone_id=standard.zone_id, list_version=draft, standard=standard,
                                          **fields), "poweritem.claim")


def do_create_item(actor, zone, **fields) -> PowerItem:
    """An item of the zone's own (no standard item): every field is the zone's. Records item.create."""
    in_scope(actor, zone.pk, "powers.change")
    _only(fields, ITEM_FIELDS)
    if not (fields.get("code") or "").strip() or not (fields.get("name") or "").strip():
        raise InvalidInput("请填写事项编码和事项名称。", fields={
            k: ["必填。"] for k in ("code", "name") if not (fields.get(k) or "").strip()})
    if StandardItem.objects.filter(zone=zone, code=fields["code"]).exists():
        raise Conflict(f"事项编码 {fields['code']} 属于标准目录，请从标准目录认领。", fields={"code": ["请认领标准事项。"]})
    draft = draft_for(actor, zone)
    _check_item(fields)
    _check_batch(zone.pk, fields)
    _code_free(draft, fields["code"], label=_label(fields))
    return writes.create(actor, PowerItem(zone=zone, list_version=draft, **fields), "poweritem.create")


def _standard_edits(item, changes) -> list[str]:
    if item.standard_id is None:
        return []
    return [f for f in STANDARD_FIELDS if f in changes and changes[f] != getattr(item, f)]


def do_update_item(actor, item, *, version=None, **changes) -> PowerItem:
    """Zone fields of an item of a draft; a claimed item's standard fields are refused (422, naming the item)."""
    in_scope(actor, item.zone_id, "powers.change")
    _only(changes, ITEM_FIELDS)
    _editable(item.list_version)
    edited = _standard_edits(item, changes)
    if edited:
        names = "、".join(PowerItem._meta.get_field(f).verbose_name for f in edited)
        raise RuleViolation(f"{_label({}, item)}是认领的标准事项，{names}以标准目录为准，不能修改。",
                            fields={f: ["标准事项的字段不能修改。"] for f in edited}, code="standard_field")
    _check_item(changes, item)
    _check_batch(item.zone_id, changes)
    if "code" in changes:
        _code_free(item.list_version, changes["code"], item.pk, _label(changes, item))
    return writes.update(actor, item, changes, "poweritem.update", version=version)


def do_remove_item(actor, item, *, reason="") -> None:
    """Takes an item out of a draft (the published versions keep theirs). Records item.remove with the item."""
    in_scope(actor, item.zone_id, "powers.change")
    _editable(item.list_version)
    with transaction.atomic():
        audit.record(actor, "poweritem.remove", item, before=audit.snapshot(item), reason=reason)
        item.delete()


def do_import_items(actor, zone_id, plan, progress=None) -> None:
    """Bulk service behind the item import into the zone's draft (``powers.change``). The plan is validated (types,
    codes unique in the file, standard fields of claimed items unchanged: importers.check_items). New rows are
    claimed when their code is in the standard catalogue, else the zone's own. One audit event."""
    in_scope(actor, zone_id, "powers.change")
    from kaifaqu.org.models import Zone

    draft = draft_for(actor, Zone.objects.get(pk=zone_id))
    standards = dict(StandardItem.objects.filter(zone_id=zone_id).values_list("code", "pk"))
    new = []
    for row in plan.new:
        values = dict(row.values)
        _check_item(values)
        new.append(PowerItem(zone_id=zone_id, list_version=draft, standard_id=standards.get(values["code"]),
                             **values))
    try:
        PowerItem.objects.bulk_create(new, batch_size=1000)
        changed = []
        if plan.changed:
            # By code in the draft: the plan may have been compared with the published version the draft copies.
            items = {i.code: i for i in PowerItem.objects.filter(
                list_version=draft, code__in=[r.values["code"] for r in plan.changed])}
            fields = sorted({f for r in plan.changed for f in r.changes} | {"version"})
            if "basis" in fields:
                fields.append("legal_bases")
            for row in plan.changed:
                item = items[row.values["code"]]
                for key, value in row.changes.items():
                    setattr(item, key, value)
                if "basis" in row.changes:
                    item.legal_bases = parse_bases(item.basis)
                item.version += 1
                changed.append((item.code, {"code": item.code, **row.before}, {"code": item.code, **row.changes}))
            PowerItem.objects.bulk_update(list(items.values()), fields, batch_size=1000)
    except IntegrityError as exc:
        raise Conflict("与已有记录重复（事项编码已被使用）。") from exc
    bulk.record_import(actor, "poweritem.import", zone_id, plan, [i.code for i in new[:bulk.AUDIT_DETAIL_ROWS]],
                       changed[:bulk.AUDIT_DETAIL_ROWS])


# The responsibility matrix (POWER-3) -------------------------------------------------------------------------

AREA_FIELDS = {"kind", "name", "park", "street", "sort"}
MATTER_FIELDS = {"name", "sort"}


def do_create_area(actor, zone, **fields) -> Area:
    """A column of the matrix: a park (linked to org.Park), a newly added area or a street (an org.Org street)."""
    from kaifaqu.org.models import OrgKind

    in_scope(actor, zone.pk, "powers.change")
    _only(fields, AREA_FIELDS)
    park, street = fields.get("park"), fields.get("street")
    if park is not None and park.zone_id != zone.pk or street is not None and street.zone_id != zone.pk:
        raise InvalidInput("园区或镇街必须属于本开发区。", fields={"park" if park else "street": ["必须属于本开发区。"]})
    if street is not None and street.kind != OrgKind.STREET:
        raise InvalidInput("属地镇街须为镇街机构。", fields={"street": ["须为镇街机构。"]})
    kind = fields.get("kind")
    if kind == AreaKind.PARK and park is None or kind == AreaKind.STREET and street is None:
        raise InvalidInput("园区区域须选择园区，镇街区域须选择镇街。", fields={"park" if kind == AreaKind.PARK else "street": ["必填。"]})
    if Area.objects.filter(zone=zone, name=fields.get("name")).exists():
        raise Conflict("本开发区已有同名区域。", fields={"name": ["已有同名区域。"]})
    return writes.create(actor, Area(zone=zone, **fields), "powermatrix.area_create")


def do_create_matter(actor, zone, **fields) -> Matter:
    in_scope(actor, zone.pk, "powers.change")
    _only(fields, MATTER_FIELDS)
    if Matter.objects.filter(zone=zone, name=fields.get("name")).exists():
        raise Conflict("本开发区已有该事项。", fields={"name": ["已有该事项。"]})
    return writes.create(actor, Matter(zone=zone, **fields), "powermatrix.matter_create")


def do_assign(actor, matter, area, org, *, duty, note="") -> Assignment:
    """Names a unit lead (主责) or supporter (配合) of one cell. A cell has exactly one lead: a second is refused
    (422, naming the cell and the lead it has). Records powermatrix.assign."""
    in_scope(actor, matter.zone_id, "powers.change")
    if area.zone_id != matter.zone_id or org.zone_id != matter.zone_id:
        raise InvalidInput("区域和责任单位必须属于本开发区。", fields={"org": ["必须属于本开发区。"]})
    if duty not in Duty.values:
        raise InvalidInput("职责须为主责或配合。", fields={"duty": ["职责须为主责或配合。"]})
    cell = f"“{matter.name} × {area.name}”"
    with transaction.atomic():
        Matter.objects.select_for_update().filter(pk=matter.pk).exists()  # one writer per matter row at a time
        if Assignment.objects.filter(matter=matter, area=area, org=org).exists():
            raise Conflict(f"{org.name}已在{cell}中。", fields={"org": ["该单位已在此格中。"]})
        lead = Assignment.objects.filter(matter=matter, area=area, duty=Duty.LEAD).select_related("org").first()
        if duty == Duty.LEAD and lead is not None:
            raise RuleViolation(f"{cell}已有主责单位{lead.org.name}，一格只能有一个主责单位。",
                                fields={"duty": ["此格已有主责单位。"]}, code="two_leads")
        return writes.create(actor, Assignment(zone_id=matter.zone_id, matter=matter, area=area, org=org, duty=duty,
                                               note=note), "powermatrix.assign")


def do_unassign(actor, assignment, *, reason="") -> None:
    in_scope(actor, assignment.zone_id, "powers.change")
    with transaction.atomic():
        audit.record(actor, "powermatrix.unassign", assignment, before=audit.snapshot(assignment), reason=reason)
        assignment.delete()


# The two function catalogues (POWER-2) -----------------------------------------------------------------------

FUNCTION_FIELDS = {"catalogue", "category", "name", "description", "receiver", "handover_on", "sort"}


def do_create_function(actor, zone, **fields) -> FunctionItem:
    """A retained function, or a stripped one with its receiving street or department (pending until the receiver
    confirms in its inbox). Records powerfn.create."""
    from kaifaqu.org.models import OrgKind

    in_scope(actor, zone.pk, "powers.change")
    _only(fields, FUNCTION_FIELDS)
    catalogue, receiver = fields.get("catalogue"), fields.get("receiver")
    label = f"职能“{fields.get('category', '')}：{fields.get('name', '')}”"
    if catalogue not in Catalogue.values:
        raise InvalidInput("目录须为保留经济管理职能或剥离社会事务管理职能。", fields={"catalogue": ["未知的目录。"]})
    if catalogue == Catalogue.STRIPPED:
        if receiver is None:
            raise InvalidInput(f"{label}是剥离的职能，须写明承接单位。", fields={"receiver": ["请选择承接单位。"]})
        if receiver.zone_id != zone.pk or not receiver.is_active:
            raise InvalidInput("承接单位须为本开发区存续的机构。", fields={"receiver": ["承接单位无效。"]})
        if receiver.kind in (OrgKind.ENTERPRISE, OrgKind.INTERMEDIARY):
            raise InvalidInput("承接单位须为镇街或部门。", fields={"receiver": ["承接单位须为镇街或部门。"]})
        state = HandoverState.PENDING
    else:
        if receiver is not None:
            raise InvalidInput(f"{label}由开发区保留，不能有承接单位。", fields={"receiver": ["保留的职能没有承接单位。"]})
        state = HandoverState.RETAINED
    if FunctionItem.objects.filter(zone=zone, catalogue=catalogue, category=fields.get("category"),
                                   name=fields.get("name")).exists():
        raise Conflict(f"{label}已在目录中。", fields={"name": ["已在目录中。"]})
    return writes.create(actor, FunctionItem(zone=zone, state=state, **fields), "powerfn.create")


# POWER-5: stationed agencies (派驻机构) -----------------------------------------------------------------------

HEAD_CHANGE_FIELDS = {"kind", "nominee", "person_name", "post", "reason", "limit_days"}
ASSESSMENT_FIELDS = {"scheme", "period", "since", "note"}
MAX_CONSENT_DAYS = 30


def _stationed(agency):
    from kaifaqu.org.models import OrgKind

    if agency.kind != OrgKind.STATIONED or not agency.is_active:
        raise InvalidInput(f"{agency} 不是存续的派驻机构。", fields={"agency": ["请选择派驻机构。"]})


def do_request_head_change(actor, agency, **fields):
    """The parent department (派出部门) asks the zone's opinion on a head change of its stationed agency; the zone
    has ``limit_days`` working days to answer (a core clock, urged by the ladder). Records headchange.request."""
    from django.utils import timezone

    from kaifaqu.core import clock, notify
    from kaifaqu.core.clock.models import ClockUnit
    from kaifaqu.core.errors import Forbidden

    from .models import HeadChange, HeadChangeKind, HeadChangeState
    from .workflow import KIND_CONSENT

    in_scope(actor, agency.zone_id, "powers.head_request")
    _only(fields, HEAD_CHANGE_FIELDS)
    _stationed(agency)
    if agency.home_department_id is None:
        raise InvalidInput(f"{agency} 未登记派出部门，无法提出任免。", fields={"agency": ["未登记派出部门。"]})
    if not is_system(actor) and actor.scope.org_id != agency.home_department_id:
        raise Forbidden(f"只有派出部门（{agency.home_department}）可以提出 {agency} 的负责人任免。")
    kind, nominee = fields.get("kind"), fields.get("nominee")
    errors = {}
    if kind not in HeadChangeKind.values:
        errors["kind"] = ["任免类型须为任职或免职。"]
    for name, label in (("person_name", "拟任免人员"), ("post", "职务"), ("reason", "任免理由")):
        if not str(fields.get(name) or "").strip():
            errors[name] = [f"请填写{label}。"]
    if kind == HeadChangeKind.APPOINT and nominee is None:
        errors["nominee"] = ["任职须选择拟任负责人的账号（派驻机构的用户）。"]
    if nominee is not None and nominee.org_id != agency.pk:
        errors["nominee"] = [f"拟任免人员须为 {agency} 的用户。"]
    limit = fields.get("limit_days", 5)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_CONSENT_DAYS:
        errors["limit_days"] = [f"答复时限须为 1–{MAX_CONSENT_DAYS} 个工作日。"]
    if errors:
        raise InvalidInput(f"{agency} 的负责人任免申请有误：" + "；".join(m for ms in errors.values() for m in ms),
                           fields=errors)
    open_ = HeadChange.objects.filter(agency=agency, state__in=(HeadChangeState.REQUESTED, HeadChangeState.CONSENTED))
    with transaction.atomic():
        if open_.select_for_update().exists():
            raise Conflict(f"{agency} 已有未办结的负责人任免，请先办结。", fields={"agency": ["已有未办结的任免。"]})
        change = HeadChange(zone_id=agency.zone_id, agency=agency, department_id=agency.home_department_id,
                            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                            requested_at=timezone.now(), limit_days=limit,
                            **{k: v for k, v in fields.items() if k != "limit_days"})
        writes.create(actor, change, "headchange.request")
        clock.start(actor, change, kind=KIND_CONSENT, unit=ClockUnit.WORKDAYS, limit=limit)
        notify.send("powers.head_request", f"请对 {change} 提出意见", users=_zone_leaders(agency.zone_id),
                    body=change.reason, url=change.get_absolute_url(), obj=change)
    return change


def nominee_of(agency, user_id):
    """The account named by id among the agency's own users (400 otherwise, the same for any other id)."""
    from kaifaqu.accounts.models import User

    if not user_id:
        return None
    user = User.objects.filter(pk=user_id, org_id=agency.pk, is_active=True).first()
    if user is None:
        raise InvalidInput(f"拟任免人员须为 {agency} 的用户。", fields={"nominee": [f"须为 {agency} 的用户。"]})
    return user


def _zone_leaders(zone_id):
    from kaifaqu.accounts.models import User
    from kaifaqu.accounts.roles import Role

    return list(User.objects.filter(org__zone_id=zone_id, role=Role.ZONE_LEADER, is_active=True))


def do_record_assessment(actor, agency, **fields):
    """The zone's assessment right over a stationed agency: the scheme and its period. Records powerassess.create."""
    from .models import AssessmentPeriod, AssessmentRight

    in_scope(actor, agency.zone_id, "powers.change")
    _only(fields, ASSESSMENT_FIELDS)
    _stationed(agency)
    errors = {}
    if not str(fields.get("scheme") or "").strip():
        errors["scheme"] = ["请填写考核方案名称。"]
    if fields.get("period") not in AssessmentPeriod.values:
        errors["period"] = ["考核周期须为年度、半年、季度或月度。"]
    if fields.get("since") is None:
        errors["since"] = ["请填写起始日期。"]
    if errors:
        raise InvalidInput(f"{agency} 的考核权登记有误。", fields=errors)
    if AssessmentRight.objects.filter(agency=agency, scheme=fields["scheme"]).exists():
        raise Conflict(f"{agency} 已登记考核方案“{fields['scheme']}”。", fields={"scheme": ["已登记。"]})
    return writes.create(actor, AssessmentRight(zone_id=agency.zone_id, agency=agency, **fields), "powerassess.create")


def do_update_assessment(actor, right, *, version=None, **changes):
    from .models import AssessmentPeriod

    in_scope(actor, right.zone_id, "powers.change")
    _only(changes, ASSESSMENT_FIELDS)
    if "period" in changes and changes["period"] not in AssessmentPeriod.values:
        raise InvalidInput("考核周期须为年度、半年、季度或月度。", fields={"period": ["未知的考核周期。"]})
    return writes.update(actor, right, changes, "powerassess.update", version=version)


def _consent_urge(c, step):
    """The ladder: the day after the limit ran out the zone's leaders are urged once more (催办)."""
    from kaifaqu.core import notify

    from .models import HeadChange, HeadChangeState

    change = HeadChange.objects.filter(pk=c.object_id, state=HeadChangeState.REQUESTED).first()
    if change is not None:
        notify.send("powers.head_urge", f"催办：{change} 的意见已超过 {change.limit_days} 个工作日",
                    users=_zone_leaders(change.zone_id), url=change.get_absolute_url(), obj=change)


def _consent_recipients(c, owner):
    return _zone_leaders(owner.zone_id), []


def register_clocks():
    """The consent clock's kind, its warning/overdue notices (the zone's leaders) and its ladder (called from the
    AppConfig)."""
    from kaifaqu.core import clock, notify
    from kaifaqu.core.clock import Step

    from .workflow import CLOCK_KINDS, KIND_CONSENT, NOTIFY_KINDS

    for kind, label in CLOCK_KINDS.items():
        clock.register_kind(kind, label)
    clock.register_handlers(KIND_CONSENT, recipients=_consent_recipients)
    clock.register_ladder(KIND_CONSENT, steps=[Step("urge", after=1)], handlers={"urge": _consent_urge})
    for kind, label in NOTIFY_KINDS.items():
        notify.register_kind(kind, label)
