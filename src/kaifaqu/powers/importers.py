"""Spreadsheet imports of the powers module: the provincial standard catalogue (system administrator) and the
zone's items into its draft (department clerks), both on core.imports.

Items are matched by 事项编码 within the zone's draft (or, before there is one, the published version it will
copy). A row whose code is in the standard catalogue must keep the catalogue's name, sub-item, type and basis.
"""

from kaifaqu.core.imports.engine import Importer

from . import services
from .layouts import ITEM_LAYOUT, STANDARD_LAYOUT
from .models import ListState, PowerItem, StandardItem

STANDARD_CHECKED = ("name", "sub_name", "kind", "basis")


def _existing_items(user, zone_id):
    version = services.open_version(zone_id) or services.current_published(zone_id)
    return PowerItem.objects.filter(list_version=version) if version else PowerItem.objects.none()


def check_items(user, zone_id, plan):
    """A draft under review takes no import; claimed items keep their standard fields."""
    pending = services.open_version(zone_id)
    if pending is not None and pending.state != ListState.DRAFT:
        plan.error(plan.headers_row, "", "", f"{pending} 当前为“{pending.get_state_display()}”，只有草稿可以导入。")
        plan.new[:], plan.changed[:] = [], []
        return
    headers = {a: c.header for _, c, a in plan.columns}
    codes = [r.values["code"] for r in (*plan.new, *plan.changed)]
    standards = {s.code: s for s in StandardItem.objects.filter(zone_id=zone_id, code__in=codes)}
    claimed = set(_existing_items(user, zone_id).filter(standard__isnull=False).values_list("code", flat=True))
    refused = set()
    for row in plan.new:
        standard = standards.get(row.values["code"])
        if standard is None:
            continue
        for field in STANDARD_CHECKED:
            if field in row.values and (row.values[field] or "") != getattr(standard, field):
                plan.error(row.number, headers[field], row.values[field],
                           f"事项“{standard.code} {standard.name}”是标准事项，{headers[field]}须与标准目录一致。")
                refused.add(row.number)
    for row in plan.changed:
        if row.values["code"] not in claimed:
            continue
        for field in STANDARD_CHECKED:
            if field in row.changes:
                plan.error(row.number, headers[field], row.changes[field],
                           f"事项“{row.values['code']}”是认领的标准事项，{headers[field]}不能修改。")
                refused.add(row.number)
    if refused:
        plan.new[:] = [r for r in plan.new if r.number not in refused]
        plan.changed[:] = [r for r in plan.changed if r.number not in refused]


STANDARD_IMPORTER = Importer(
    layout=STANDARD_LAYOUT, model=StandardItem, key=("code",), perm="powers.catalogue",
    list_url="powers:standard-list",
    existing=lambda user, zone_id: StandardItem.objects.filter(zone_id=zone_id),
    apply=services.do_import_standard,
)

ITEM_IMPORTER = Importer(
    layout=ITEM_LAYOUT, model=PowerItem, key=("code",), perm="powers.change", list_url="powers:item-list",
    existing=_existing_items, apply=services.do_import_items, check=check_items,
)
