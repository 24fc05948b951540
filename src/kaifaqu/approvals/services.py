"""Writes of the approvals module. Callers: pages, API, importers, the demo loader.

Every function checks the actor's permission and that the object's zone is within the actor's scope (404
otherwise), sets ``zone`` from the owning object, and records an audit event in the same transaction. Case actions
go through the workflow (``workflow.CASE``); ``at`` (the moment an act happened, never ahead of now) lets the demo
write histories with their real dates.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from kaifaqu.core import audit, writes
from kaifaqu.core.access import is_system, require
from kaifaqu.core.errors import InvalidInput, NotFound, RuleViolation

from .models import Material, ServiceItem, Window

WINDOW_FIELDS = {"number", "name", "duties"}
ITEM_FIELDS = {"code", "name", "department", "window", "stage", "legal_limit", "promised_limit", "fee", "fee_basis",
               "handling", "power_code", "commitment", "conditions", "basis", "is_active"}
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
    if ServiceItem.objects.filter(zone=zone, code=fields.get("code")).exists():
        from kaifaqu.core.errors import Conflict

        raise Conflict("本开发区已有该编码的事项。", fields={"code": ["本开发区已有该编码的事项。"]})
    return writes.create(actor, ServiceItem(zone=zone, **fields), "approvals.item_create")


def do_update_item(actor, item, *, version=None, **changes) -> ServiceItem:
    in_zone(actor, item.zone_id, "approvals.manage")
    _only(changes, ITEM_FIELDS)
    _same_zone(item.zone_id, department=changes.get("department"), window=changes.get("window"))
    _limits(changes.get("legal_limit", item.legal_limit), changes.get("promised_limit", item.promised_limit))
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


__all__ = ["RuleViolation"]
