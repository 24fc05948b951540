"""Writes of the approvals module. Callers: pages, API, importers, the demo loader.

Every function checks the actor's permission and that the object's zone is within the actor's scope (404
otherwise), sets ``zone`` from the owning object, and records an audit event in the same transaction. Case actions
go through the workflow (``workflow.CASE``); ``at`` (the moment an act happened, never ahead of now) lets the demo
write histories with their real dates.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from kaifaqu.core import audit, writes
from kaifaqu.core.access import SYSTEM, get_visible_or_404, is_system, require
from kaifaqu.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation

from .models import (
    INDICATORS,
    OPEN_CASE_STATES,
    PROJECT_STAGES,
    Baseline,
    Case,
    CaseMaterial,
    CaseState,
    Material,
    Parcel,
    PostCheck,
    Project,
    ProjectAgent,
    ProjectItem,
    RegionalAssessment,
    ServiceItem,
    Stage,
    Window,
)

WINDOW_FIELDS = {"number", "name", "duties"}
ITEM_FIELDS = {"code", "name", "department", "window", "stage", "legal_limit", "promised_limit", "fee", "fee_basis",
               "handling", "power_code", "commitment", "commitment_text", "check_days", "conditions", "basis", "is_active"}
MATERIAL_FIELDS = {"name", "form", "count", "required", "may_follow", "note", "sort"}


def in_zone(actor, zone_id, perm):
    scope = require(actor, perm)
    if not is_system(actor) and zone_id not in scope.zone_ids:
        raise NotFound("未找到该对象，或您无权查看。")
    return scope


def _only(fields: dict, allowed: set) -> dict:
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput("包含不可修改的字段：" + "、".join(sorted(unknown)),
                           fields={f: ["不可修改该字段。"] for f in sorted(unknown)})
    return fields


def _same_zone(zone_id, **related):
    errors = {name: ["必须属于同一开发区。"] for name, obj in related.items()
              if obj is not None and obj.zone_id != zone_id}
    if errors:
        raise InvalidInput("关联对象不属于本开发区。", fields=errors)


def _check_days(fields):
    if "check_days" in fields and fields["check_days"] is None:  # an empty import cell: the default, or unchanged
        del fields["check_days"]
    days = fields.get("check_days")
    if days is not None and (type(days) is not int or not 1 <= days <= 120):
        raise InvalidInput("核查时限须为 1 到 120 个工作日。", fields={"check_days": ["核查时限须为 1 到 120 个工作日。"]})


def _limits(legal, promised):
    if legal is not None and promised is not None and promised > legal:
        raise InvalidInput("承诺时限不能长于法定时限。", fields={"promised_limit": ["承诺时限不能长于法定时限。"]})
    for name, value in (("legal_limit", legal), ("promised_limit", promised)):
        if value is not None and not 1 <= value <= 2500:
            raise InvalidInput("时限须为 1 到 2500 个工作日。", fields={name: ["时限须为 1 到 2500 个工作日。"]})


# Windows ---------------------------------------------------------------------------------------------------------

def do_create_window(actor, zone, **fields) -> Window:
    """Catalogue managers (approvals.manage): a window of the zone's service centre. Records window.create."""
    in_zone(actor, zone.pk, "approvals.manage")
    if Window.objects.filter(zone=zone, number=fields.get("number")).exists():
        raise InvalidInput("本开发区已有该编号的窗口。", fields={"number": ["本开发区已有该编号的窗口。"]})
    return writes.create(actor, Window(zone=zone, **_only(fields, WINDOW_FIELDS)), "approvals.window_create")


def do_update_window(actor, window, *, version=None, **changes) -> Window:
    in_zone(actor, window.zone_id, "approvals.manage")
    number = changes.get("number")
    if number is not None and Window.objects.filter(zone_id=window.zone_id, number=number).exclude(pk=window.pk).exists():
        raise InvalidInput("本开发区已有该编号的窗口。", fields={"number": ["本开发区已有该编号的窗口。"]})
    return writes.update(actor, window, _only(changes, WINDOW_FIELDS), "approvals.window_update", version=version)


def do_set_window_staff(actor, window, users, *, version=None) -> Window:
    """Who staffs the window: users of the window's zone only. Records window.set_staff with before and after."""
    in_zone(actor, window.zone_id, "approvals.manage")
    users = list(users)
    strangers = [u.get_username() for u in users if getattr(getattr(u, "org", None), "zone_id", None) != window.zone_id]
    if strangers:
        raise InvalidInput("窗口工作人员须为本开发区的用户。", fields={"staff": [f"不是本开发区的用户：{'、'.join(strangers)}"]})
    with transaction.atomic():
        current = Window.objects.select_for_update().get(pk=window.pk)
        if version is not None and int(version) != current.version:
            from kaifaqu.core.errors import Conflict

            raise Conflict("该记录已被他人修改，请刷新后重试。", code="stale", extra={"version": current.version})
        before = sorted(current.staff.values_list("username", flat=True))
        current.staff.set(users)
        current.version += 1
        current.save(update_fields=["version"])
        audit.record(actor, "approvals.window_staff", current, before={"staff": before},
                     after={"staff": sorted(u.get_username() for u in users)})
    return current


# Catalogue -------------------------------------------------------------------------------------------------------

def do_create_item(actor, zone, **fields) -> ServiceItem:
    """Catalogue managers: a service item (事项) with its department, window, limits and fees. Records item.create."""
    in_zone(actor, zone.pk, "approvals.manage")
    _only(fields, ITEM_FIELDS)
    _same_zone(zone.pk, department=fields.get("department"), window=fields.get("window"))
    _limits(fields.get("legal_limit"), fields.get("promised_limit"))
    _check_days(fields)
    if ServiceItem.objects.filter(zone=zone, code=fields.get("code")).exists():
        from kaifaqu.core.errors import Conflict

        raise Conflict("本开发区已有该编码的事项。", fields={"code": ["本开发区已有该编码的事项。"]})
    return writes.create(actor, ServiceItem(zone=zone, **fields), "approvals.item_create")


def do_update_item(actor, item, *, version=None, **changes) -> ServiceItem:
    in_zone(actor, item.zone_id, "approvals.manage")
    _only(changes, ITEM_FIELDS)
    _same_zone(item.zone_id, department=changes.get("department"), window=changes.get("window"))
    _limits(changes.get("legal_limit", item.legal_limit), changes.get("promised_limit", item.promised_limit))
    _check_days(changes)
    code = changes.get("code")
    if code and ServiceItem.objects.filter(zone_id=item.zone_id, code=code).exclude(pk=item.pk).exists():
        from kaifaqu.core.errors import Conflict

        raise Conflict("本开发区已有该编码的事项。", fields={"code": ["本开发区已有该编码的事项。"]})
    return writes.update(actor, item, changes, "approvals.item_update", version=version)


def do_add_material(actor, item, **fields) -> Material:
    """One line of the item's one-time notice. Records material.create."""
    in_zone(actor, item.zone_id, "approvals.manage")
    _only(fields, MATERIAL_FIELDS)
    if fields.get("may_follow") and fields.get("required") is False:
        raise InvalidInput("非必须材料无需标注容缺后补。", fields={"may_follow": ["非必须材料无需标注容缺后补。"]})
    if Material.objects.filter(item=item, name=fields.get("name")).exists():
        raise InvalidInput("该事项已有同名材料。", fields={"name": ["该事项已有同名材料。"]})
    return writes.create(actor, Material(zone_id=item.zone_id, item=item, **fields), "approvals.material_create")


def do_set_checklist(actor, item, rows) -> list:
    """A new item's whole one-time checklist at once (the catalogue's first publication): ``rows`` are dicts of
    material fields. Refused when the item already has materials. One audit event lists them."""
    in_zone(actor, item.zone_id, "approvals.manage")
    rows = [_only(dict(r), MATERIAL_FIELDS) for r in rows]
    names = [r.get("name", "") for r in rows]
    if len(set(names)) != len(names) or not all(names):
        raise InvalidInput("材料名称不能为空或重复。", fields={"name": ["材料名称不能为空或重复。"]})
    for r in rows:
        if r.get("may_follow") and r.get("required") is False:
            raise InvalidInput("非必须材料无需标注容缺后补。", fields={"may_follow": ["非必须材料无需标注容缺后补。"]})
    with transaction.atomic():
        if Material.objects.filter(item=item).exists():
            raise RuleViolation("该事项已有申请材料，请逐项修改。")
        made = []
        for r in rows:
            m = Material(zone_id=item.zone_id, item=item, **r)
            m.full_clean(exclude=["item", "zone"], validate_unique=False)
            made.append(m)
        made = Material.objects.bulk_create(made)
        audit.record(actor, "approvals.checklist", item, after={"materials": names})
    return made


def do_update_material(actor, material, *, version=None, **changes) -> Material:
    in_zone(actor, material.zone_id, "approvals.manage")
    _only(changes, MATERIAL_FIELDS)
    name = changes.get("name")
    if name and Material.objects.filter(item_id=material.item_id, name=name).exclude(pk=material.pk).exists():
        raise InvalidInput("该事项已有同名材料。", fields={"name": ["该事项已有同名材料。"]})
    return writes.update(actor, material, changes, "approvals.material_update", version=version)


def _import(actor, zone_id, plan, progress, create, update, model, action):
    """Catalogues are a few hundred rows: each row goes through the per-object service (its rules and event), then
    one summary event for the file."""
    rows = [*plan.new, *plan.changed]
    created = []
    for done, row in enumerate(rows, 1):
        values = dict(row.values)
        values.pop("zone_id", None)
        fields = {}
        for attname, value in values.items():
            if attname.endswith("_id") and attname[:-3] in _FK_MODELS:
                fields[attname[:-3]] = _FK_MODELS[attname[:-3]]().objects.filter(pk=value).first() if value else None
            else:
                fields[attname] = value
        if row.pk is None:
            obj = create(fields)
            created.append(obj.pk)
        else:
            obj = model.objects.get(pk=row.pk)
            update(obj, {k: v for k, v in fields.items() if (k + "_id" if k in _FK_MODELS else k) in row.changes})
        if progress:
            progress(done, len(rows))
    audit.record(actor, action, None, object_type=model._meta.label_lower, object_id="", zone_id=zone_id,
                 object_label=plan.source.get("name", "")[:300] or model._meta.verbose_name,
                 after={"counts": plan.counts, "created": created[:200], "file": plan.source})


def _org():
    from kaifaqu.org.models import Org

    return Org


_FK_MODELS = {"department": _org, "window": lambda: Window, "item": lambda: ServiceItem}


def do_import_items(actor, zone_id, plan, progress=None) -> None:
    from kaifaqu.org.models import Zone

    zone = Zone.objects.get(pk=zone_id)
    _import(actor, zone_id, plan, progress, lambda f: do_create_item(actor, zone, **f),
            lambda obj, f: do_update_item(actor, obj, **f), ServiceItem, "approvals.item_import")


def do_import_materials(actor, zone_id, plan, progress=None) -> None:
    def create(fields):
        item = fields.pop("item")
        return do_add_material(actor, item, **fields)

    def update(obj, fields):
        fields.pop("item", None)
        return do_update_material(actor, obj, **fields)

    _import(actor, zone_id, plan, progress, create, update, Material, "approvals.material_import")


# Time of an act --------------------------------------------------------------------------------------------------

def moment(at=None) -> datetime.datetime:
    """When an act happened: now, or an earlier time given by the caller (the demo's histories); never ahead."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + datetime.timedelta(minutes=5):
        raise InvalidInput("办理时间不能晚于当前时间。", fields={"at": ["办理时间不能晚于当前时间。"]})
    return at


# Cases -----------------------------------------------------------------------------------------------------------

def hash_code(code: str) -> str:
    from django.conf import settings

    from kaifaqu.core.crypto import hmac_digest, mac_key

    return hmac_digest(mac_key(settings.SECRET_KEY, "approvals-query-code"), code.encode()).hex()


def _next_number(zone, at) -> str:
    year = timezone.localtime(at).year
    prefix = f"SP{year}"
    last = (Case.objects.filter(zone=zone, number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def do_apply(actor, item, *, title, applicant=None, project=None, files=None, at=None) -> tuple:
    """An enterprise user (approvals.apply) applies for ``item`` for their own enterprise (the platform may name the
    applicant). ``files`` maps materials of the item to uploaded files (core attachments: type and size checked).
    Returns the case and its query code (查询码, shown once; stored as a keyed hash). Records approvals.apply."""
    from .workflow import acts_as_agent, agent_projects

    agent = acts_as_agent(actor)
    scope = in_zone(actor, item.zone_id, "approvals.agent" if agent else "approvals.apply")
    if not item.is_active:
        raise RuleViolation("该事项已停用，不能申请。")
    if agent:
        # A 帮办代办 agent applies for the enterprise of a project assigned to them, and for nothing else.
        if project is None:
            raise InvalidInput("帮办代办须选择所代办的项目。", fields={"project": ["请选择所代办的项目。"]})
        if not Project.objects.filter(pk=project.pk, pk__in=agent_projects(actor)).exists():
            raise NotFound("未找到该对象，或您无权查看。")
        applicant = project.enterprise
    elif not is_system(actor):
        applicant = actor.org
    if applicant is None or applicant.zone_id != item.zone_id:
        raise InvalidInput("申请单位无效。", fields={"applicant": ["申请单位须为本开发区的企业。"]})
    if project is not None and (project.zone_id != item.zone_id or project.enterprise_id != applicant.pk):
        raise InvalidInput("项目无效。", fields={"project": ["须为申请单位本开发区的项目。"]})
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写申请事由。", fields={"title": ["请填写申请事由。"]})
    if len(title) > 200:
        raise InvalidInput("申请事由过长。", fields={"title": ["不能超过 200 字。"]})
    files = files or {}
    wrong = [m for m in files if m.item_id != item.pk]
    if wrong:
        raise InvalidInput("材料不属于该事项。", fields={"materials": ["材料不属于该事项。"]})
    del scope
    at = moment(at)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic(), _on_behalf(agent, applicant):
        case = Case.objects.create(zone_id=item.zone_id, number=_next_number(item.zone, at), item=item,
                                   project=project, applicant=applicant, title=title, applied_at=at,
                                   applied_by=actor if getattr(actor, "is_authenticated", False) else None,
                                   query_code=hash_code(code))
        provided = [_provide(actor, case, material, uploaded, at, record=False).material.name
                    for material, uploaded in files.items()]
        audit.record(actor, "approvals.apply", case, after={**audit.snapshot(case), "materials": provided},
                     zone_id=case.zone_id)
    return case, code


def _provide(actor, case, material, uploaded, at, record=True):
    from kaifaqu.core import files

    attachment = files.attach(SYSTEM if is_system(actor) else actor, case, uploaded, note=material.name[:200])
    row, _ = CaseMaterial.objects.update_or_create(
        case=case, material=material,
        defaults={"zone_id": case.zone_id, "attachment": attachment, "provided_at": at})
    if record:
        audit.record(actor, "approvals.material_provide", case, after={"material": material.name,
                                                                       "attachment": attachment.pk})
    return row


def do_provide_material(actor, case, material, uploaded, *, at=None) -> CaseMaterial:
    """The applicant hands in (or replaces) one material of an open case (补正, 容缺后补). Records
    approvals.material_provide; the file is a core attachment (type and size checked, 415/413)."""
    from .workflow import acts_as_agent, agent_cases

    agent = acts_as_agent(actor)
    if agent:
        # The agent's cases only (the enterprise's scope, narrowed to the assigned projects): 404 for any other.
        case = agent_cases(actor).select_related("applicant", "item").filter(pk=case.pk).first()
        if case is None:
            raise NotFound("未找到该对象，或您无权查看。")
    elif not is_system(actor):
        case = get_visible_or_404(Case.objects.all(), actor, pk=case.pk)
        require(actor, "approvals.apply")
        if actor.org_id != case.applicant_id:
            raise Forbidden("仅申请单位可以提交材料。")
    if case.state not in OPEN_CASE_STATES:
        raise RuleViolation(f"办件当前状态为「{case.get_state_display()}」，不能再提交材料。", code="invalid_transition",
                            extra={"state": case.state, "allowed_actions": []})
    if material.item_id != case.item_id:
        raise InvalidInput("材料不属于该事项。", fields={"material": ["材料不属于该事项。"]})
    with transaction.atomic(), _on_behalf(agent, case.applicant):
        return _provide(actor, case, material, uploaded, moment(at))


def _on_behalf(agent, enterprise):
    """An agent's act is recorded with the enterprise as its principal."""
    import contextlib

    return audit.acting_for(audit.principal_of(enterprise)) if agent else contextlib.nullcontext()


def do_upload_decision(actor, case, uploaded):
    """The window or department uploads the signed decision (审批决定书) before deciding."""
    from kaifaqu.core import files

    from .workflow import DECISION_NOTE, on_window_or_department

    case = get_visible_or_404(Case.objects.all(), actor, pk=case.pk) if not is_system(actor) else case
    if not is_system(actor):
        require(actor, "approvals.decide")
        verdict = on_window_or_department(actor, case)
        if verdict is not True:
            raise Forbidden(verdict)
    if case.state != CaseState.REVIEWING:
        raise RuleViolation(f"办件当前状态为「{case.get_state_display()}」，不能上传决定书。")
    return files.attach(SYSTEM if is_system(actor) else actor, case, uploaded, note=DECISION_NOTE)


def act(actor, case, action, *, version=None, note="", payload=None, at=None):
    """Performs a case action (workflow.CASE) at the moment ``at`` (default now, never ahead)."""
    from .workflow import _AT, CASE

    token = _AT.set(moment(at))
    try:
        return CASE.perform(actor, case, action, version=version, note=note, payload=payload)
    finally:
        _AT.reset(token)


def lookup_progress(number: str, code: str, zone=None):
    """The public progress lookup: the case with this number whose query code matches, else None."""
    qs = Case.objects.filter(number=(number or "").strip()[:32])
    if zone is not None:
        qs = qs.filter(zone=zone)
    case = qs.first()
    if case is None or not secrets.compare_digest(case.query_code, hash_code((code or "").strip()[:20])):
        return None
    return case


# Projects (APPROVE-3) --------------------------------------------------------------------------------------------

PROJECT_FIELDS = {"code", "name", "enterprise", "park", "kind", "investment", "land_transferred_on", "fast_start"}


def do_create_project(actor, zone, **fields) -> Project:
    """Zone staff (approvals.manage) register an enterprise's construction project. Records approvals.project_create."""
    in_zone(actor, zone.pk, "approvals.manage")
    _only(fields, PROJECT_FIELDS)
    _same_zone(zone.pk, enterprise=fields.get("enterprise"), park=fields.get("park"))
    if Project.objects.filter(zone=zone, code=fields.get("code")).exists():
        raise InvalidInput("本开发区已有该代码的项目。", fields={"code": ["本开发区已有该代码的项目。"]})
    return writes.create(actor, Project(zone=zone, **fields), "approvals.project_create")


def do_add_project_item(actor, project, item, *, required=True, early_start=False) -> ProjectItem:
    """The items a project needs, by stage (run in parallel within a stage). ``early_start`` (拿地即开工): an item of
    the 工程建设许可 or 施工许可 stage that may start at land transfer; only for a project marked 拿地即开工."""
    in_zone(actor, project.zone_id, "approvals.manage")
    _same_zone(project.zone_id, item=item)
    if item.stage not in PROJECT_STAGES:
        raise InvalidInput("该事项不属于工程建设项目审批的四个阶段。", fields={"item": ["须为四个阶段之一的事项。"]})
    if early_start and (not project.fast_start or item.stage not in (Stage.PERMIT, Stage.CONSTRUCTION)):
        raise RuleViolation("只有“拿地即开工”项目的工程建设许可、施工许可阶段事项可以提前办理。")
    if ProjectItem.objects.filter(project=project, item=item).exists():
        raise InvalidInput("项目已包含该事项。", fields={"item": ["项目已包含该事项。"]})
    return writes.create(actor, ProjectItem(zone_id=project.zone_id, project=project, item=item, required=required,
                                            early_start=early_start), "approvals.project_item")


def do_record_assessment(actor, zone, *, park, item, title, done_on, document_no="") -> RegionalAssessment:
    """区域评估 done by the zone for a park: it satisfies ``item`` for every project in that park."""
    in_zone(actor, zone.pk, "approvals.manage")
    _same_zone(zone.pk, park=park, item=item)
    if RegionalAssessment.objects.filter(park=park, item=item).exists():
        raise InvalidInput("该园区已有该事项的区域评估。", fields={"item": ["该园区已有该事项的区域评估。"]})
    return writes.create(actor, RegionalAssessment(zone=zone, park=park, item=item, title=title, done_on=done_on,
                                                   document_no=document_no), "approvals.assessment")


def do_record_baseline(actor, zone, *, kind, working_days, source="") -> Baseline:
    """The recorded pre-reform approval time of a kind of project (the "before" of the before/after figure)."""
    in_zone(actor, zone.pk, "approvals.manage")
    if type(working_days) is not int or not 1 <= working_days <= 2500:
        raise InvalidInput("基准须为 1 到 2500 个工作日。", fields={"working_days": ["基准须为 1 到 2500 个工作日。"]})
    found = Baseline.objects.filter(zone=zone, kind=kind).first()
    if found:
        return writes.update(actor, found, {"working_days": working_days, "source": source}, "approvals.baseline")
    return writes.create(actor, Baseline(zone=zone, kind=kind, working_days=working_days, source=source),
                         "approvals.baseline")


def do_combine(actor, case, items) -> Case:
    """多评合一 / 多审合一: one case satisfies several items of its project (the window or department decides this
    when accepting). Records approvals.combine."""
    from .workflow import on_window_or_department

    if not is_system(actor):
        case = get_visible_or_404(Case.objects.all(), actor, pk=case.pk)
        require(actor, "approvals.handle")
        verdict = on_window_or_department(actor, case)
        if verdict is not True:
            raise Forbidden(verdict)
    items = list(items)
    needed = set(ProjectItem.objects.filter(project_id=case.project_id).values_list("item_id", flat=True))
    wrong = [i.name for i in items if i.pk not in needed or i.pk == case.item_id]
    if case.project_id is None or wrong:
        raise InvalidInput("合并办理的事项须为本项目的其他事项。", fields={"covers": ["合并办理的事项须为本项目的其他事项。"]})
    with transaction.atomic():
        case.covers.set(items)
        audit.record(actor, "approvals.combine", case, after={"covers": [i.code for i in items]})
    return case



# 告知承诺制 post-checks -------------------------------------------------------------------------------------------

def act_check(actor, check, action, *, version=None, note="", payload=None, at=None) -> PostCheck:
    """Records a post-check's result (workflow.CHECK: pass_check, fail_check with its consequence) at ``at``."""
    from .workflow import _AT, CHECK

    token = _AT.set(moment(at))
    try:
        return CHECK.perform(actor, check, action, version=version, note=note, payload=payload)
    finally:
        _AT.reset(token)


# 标准地 ----------------------------------------------------------------------------------------------------------

COMMITTED_FIELDS = tuple(f"committed_{stem}" for stem, *_ in INDICATORS)
ACTUAL_FIELDS = tuple(f"actual_{stem}" for stem, *_ in INDICATORS)
PARCEL_FIELDS = {"code", "location", "area_mu", "transferred_on", *COMMITTED_FIELDS}


def _indicator_values(fields, names):
    import decimal

    errors = {}
    for name in names:
        value = fields.get(name)
        if value is None:
            continue
        try:
            value = decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            errors[name] = ["须为数字。"]
            continue
        if not value.is_finite() or value < 0 or value >= 10**10:
            errors[name] = ["须为不小于 0 的数值。"]
        fields[name] = value
    if errors:
        raise InvalidInput("指标数值有误。", fields=errors)
    return fields


def do_record_parcel(actor, project, **fields) -> Parcel:
    """标准地 at land transfer: the parcel of ``project`` with its committed indicators (at least one). Records
    approvals.parcel_create."""
    in_zone(actor, project.zone_id, "approvals.manage")
    _only(fields, PARCEL_FIELDS)
    _indicator_values(fields, COMMITTED_FIELDS)
    if not any(fields.get(name) is not None for name in COMMITTED_FIELDS):
        raise InvalidInput("请至少填写一项承诺指标。", fields={name: ["请至少填写一项承诺指标。"]
                                                           for name in COMMITTED_FIELDS})
    if fields.get("area_mu") is None or fields["area_mu"] <= 0:
        raise InvalidInput("面积须大于 0。", fields={"area_mu": ["面积须大于 0。"]})
    if Parcel.objects.filter(zone_id=project.zone_id, code=fields.get("code")).exists():
        raise InvalidInput("本开发区已有该编号的地块。", fields={"code": ["本开发区已有该编号的地块。"]})
    return writes.create(actor, Parcel(zone_id=project.zone_id, project=project, **fields), "approvals.parcel_create")


def do_record_actuals(actor, parcel, *, accepted_on, version=None, **actuals) -> Parcel:
    """At completion acceptance (竣工验收): the actual values of the committed indicators; the shortfalls are
    counted (queries.shortfalls gives each with its gap). Records approvals.parcel_actuals."""
    from .queries import shortfalls

    in_zone(actor, parcel.zone_id, "approvals.manage")
    _only(actuals, set(ACTUAL_FIELDS))
    _indicator_values(actuals, ACTUAL_FIELDS)
    missing = [f"actual_{stem}" for stem, *_ in INDICATORS
               if getattr(parcel, f"committed_{stem}") is not None and actuals.get(f"actual_{stem}") is None]
    if missing:
        raise InvalidInput("请填写每项承诺指标的实际值。", fields={name: ["已承诺的指标须填写实际值。"] for name in missing})
    if accepted_on is None:
        raise InvalidInput("请填写竣工验收日期。", fields={"accepted_on": ["请填写竣工验收日期。"]})
    if accepted_on < parcel.transferred_on:
        raise InvalidInput("竣工验收日期不能早于出让日期。", fields={"accepted_on": ["不能早于出让日期。"]})
    probe = Parcel(**{f.attname: getattr(parcel, f.attname) for f in Parcel._meta.concrete_fields})
    for name, value in actuals.items():
        setattr(probe, name, value)
    changes = {**actuals, "accepted_on": accepted_on, "shortfall_count": len(shortfalls(probe))}
    return writes.update(actor, parcel, changes, "approvals.parcel_actuals", version=version)


# 帮办代办 agents ---------------------------------------------------------------------------------------------------

def do_assign_agent(actor, project, agent) -> ProjectAgent:
    """Zone staff (approvals.manage) name a 帮办代办 agent for a project: a user of the zone holding approvals.agent.
    Records approvals.agent_assign."""
    from kaifaqu.core.access import scope_of

    in_zone(actor, project.zone_id, "approvals.manage")
    org = getattr(agent, "org", None)
    if org is None or org.zone_id != project.zone_id or not scope_of(agent).has("approvals.agent"):
        raise InvalidInput("帮办代办员须为本开发区具有帮办代办权限的工作人员。",
                           fields={"agent": ["须为本开发区具有帮办代办权限的工作人员。"]})
    if ProjectAgent.objects.filter(project=project, agent=agent, ended_at__isnull=True).exists():
        raise InvalidInput("该工作人员已是本项目的帮办代办员。", fields={"agent": ["已是本项目的帮办代办员。"]})
    with transaction.atomic():
        row = ProjectAgent.objects.create(zone_id=project.zone_id, project=project, agent=agent,
                                          assigned_at=timezone.now(),
                                          assigned_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record(actor, "approvals.agent_assign", row, after={"project": project.code,
                                                                  "agent": agent.get_username()})
    return row


def do_end_agent(actor, assignment) -> ProjectAgent:
    """The agent's assignment ends (the agent can no longer act for the project). Records approvals.agent_end."""
    in_zone(actor, assignment.zone_id, "approvals.manage")
    with transaction.atomic():
        row = ProjectAgent.objects.select_for_update().get(pk=assignment.pk)
        if row.ended_at is not None:
            raise RuleViolation("该帮办代办指派已结束。")
        row.ended_at = timezone.now()
        row.save(update_fields=["ended_at"])
        audit.record(actor, "approvals.agent_end", row, after={"ended_at": row.ended_at})
    return row
