"""Sample rows of the approvals module for the scoping walk (tests/samples.py), written through the services."""

from kaifaqu.approvals.models import Material, ServiceItem, Window
from tests.samples import sample

from . import factories


def _catalogue(world):
    found = ServiceItem.objects.filter(zone=world.zone, code="S01").first()
    if found:
        return
    w = factories.window(world.zone, staff=[world.users["clerk"]])
    factories.item(world.zone, world.department, code="S01", window_=w)
    factories.item(world.zone, world.city_dept, code="S02", name="建设用地规划许可证核发", stage="land")
    ow = factories.window(world.other_zone, name="邻区窗口")
    factories.item(world.other_zone, world.other_org, code="S01", window_=ow)


@sample(Window)
def windows(world):
    _catalogue(world)
    return list(Window.objects.filter(zone__in=[world.zone, world.other_zone]))


@sample(ServiceItem)
def items(world):
    _catalogue(world)
    return list(ServiceItem.objects.filter(zone__in=[world.zone, world.other_zone]))


@sample(Material)
def materials(world):
    _catalogue(world)
    return list(Material.objects.filter(zone__in=[world.zone, world.other_zone]))
