"""Spreadsheet imports of the catalogue: items matched by 事项编码, materials by (事项编码, 材料名称)."""

from kaifaqu.core.imports.engine import FkSpec, Importer

from . import services
from .layouts import ITEM_LAYOUT, MATERIAL_LAYOUT
from .models import Material, ServiceItem, Window


def _orgs(user, zone_id):
    from kaifaqu.org.models import Org

    return Org.objects.visible_to(user).filter(zone_id=zone_id, is_active=True)


ITEM_IMPORTER = Importer(
    layout=ITEM_LAYOUT, model=ServiceItem, key=("code",), perm="approvals.manage", list_url="approvals:item-list",
    existing=lambda user, zone_id: ServiceItem.objects.filter(zone_id=zone_id),
    apply=services.do_import_items,
    fks={"department": FkSpec(_orgs),
         "window": FkSpec(lambda user, zone_id: Window.objects.visible_to(user).filter(zone_id=zone_id),
                          keys=("name",))},
)

MATERIAL_IMPORTER = Importer(
    layout=MATERIAL_LAYOUT, model=Material, key=("item_id", "name"), perm="approvals.manage",
    list_url="approvals:item-list",
    existing=lambda user, zone_id: Material.objects.filter(zone_id=zone_id),
    apply=services.do_import_materials,
    fks={"item": FkSpec(lambda user, zone_id: ServiceItem.objects.visible_to(user).filter(zone_id=zone_id),
                        keys=("code",))},
)
