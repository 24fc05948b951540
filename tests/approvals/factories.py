"""Catalogue rows for the approvals tests, written through the services."""

from kaifaqu.approvals import services
from kaifaqu.approvals.models import Window
from kaifaqu.core.access import SYSTEM


def window(zone, number=1, name="综合受理窗口", staff=()):
    found = Window.objects.filter(zone=zone, number=number).first()
    w = found or services.do_create_window(SYSTEM, zone, number=number, name=name)
    if staff:
        w = services.do_set_window_staff(SYSTEM, w, staff)
    return w


def item(zone, department, *, code="T01", name="建设工程规划许可证核发", window_=None, promised=5, legal=20,
         follow=True, stage="permit", **fields):
    it = services.do_create_item(SYSTEM, zone, code=code, name=name, department=department, window=window_,
                                 promised_limit=promised, legal_limit=legal, stage=stage, **fields)
    services.do_add_material(SYSTEM, it, name="申请表", form="original", count=1, sort=1)
    services.do_add_material(SYSTEM, it, name="设计方案", form="original", count=2, sort=2, may_follow=follow)
    services.do_add_material(SYSTEM, it, name="授权委托书", form="original", count=1, sort=3, required=False)
    return it
