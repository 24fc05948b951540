"""Spreadsheet imports of the org module (organisations, staff), built on core.tabular_import.

Staff are matched by 工号 within the zone, organisations by 代码; a foreign key (所在单位, 上级机构, 所在园区 …) is
found by name or code among what the importing user may see in the zone being imported into.
"""

from kaifaqu.core.imports.engine import FkSpec, Importer

from . import services
from .layouts import ORG_LAYOUT, STAFF_LAYOUT
from .models import Org, Park, Staff, Zone


def _orgs(user, zone_id):
    return Org.objects.visible_to(user).filter(zone_id=zone_id)


def _staff_check(user, zone_id, plan):
    """New people only into organisations that still exist; a move only into one that exists."""
    inactive = set(Org.objects.filter(zone_id=zone_id, is_active=False).values_list("pk", flat=True))
    if not inactive:
        return
    header = next((c.header for _, c, a in plan.columns if a == "org_id"), "所在单位")
    refused = set()
    for row in plan.new:
        if row.values.get("org_id") in inactive:
            plan.error(row.number, header, "", "该机构已撤销，不能新增人员。")
            refused.add(row.number)
    for row in plan.changed:
        if "org_id" in row.changes and row.changes["org_id"] in inactive:
            plan.error(row.number, header, "", "不能调入已撤销的机构。")
            refused.add(row.number)
    if refused:
        plan.new[:] = [r for r in plan.new if r.number not in refused]
        plan.changed[:] = [r for r in plan.changed if r.number not in refused]


STAFF_IMPORTER = Importer(
    layout=STAFF_LAYOUT, model=Staff, key=("staff_no",), perm="staff.change", list_url="org:staff-list",
    existing=lambda user, zone_id: Staff.objects.filter(zone_id=zone_id),
    apply=services.do_import_staff,
    fks={"org": FkSpec(_orgs)},
    check=_staff_check,
)

ORG_IMPORTER = Importer(
    layout=ORG_LAYOUT, model=Org, key=("code",), perm="org.change", list_url="org:org-list",
    existing=lambda user, zone_id: Org.objects.filter(zone_id=zone_id),
    apply=services.do_import_orgs,
    fks={
        "zone": FkSpec(lambda user, zone_id: Zone.objects.visible_to(user).filter(pk=zone_id), keys=("name", "code")),
        "park": FkSpec(lambda user, zone_id: Park.objects.visible_to(user).filter(zone_id=zone_id)),
        "parent": FkSpec(_orgs, self_ref=True),
        "home_department": FkSpec(_orgs, self_ref=True),
    },
)
