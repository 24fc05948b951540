"""Demo rows of the approvals module (seed 004: 12 windows, "项目审批不出经开区", 87 → 25 working days; seed 003:
多评合一、多审合一、拿地即开工; seed 002: 帮办代办). Written through the services with the demo actor."""

from decimal import Decimal

from kaifaqu.core.access import SystemActor

from . import services
from .catalogue_data import COMMON, ITEMS, SPECIFIC, WINDOWS
from .models import ServiceItem, Window

ACTOR = SystemActor("demo")
USERNAMES = ["chuangkou", "shenpi"]


def _users(zone):
    from kaifaqu.accounts import services as account_services
    from kaifaqu.accounts.roles import Role
    from kaifaqu.demo.loader import demo_password
    from kaifaqu.org.models import Org

    centre = Org.objects.get(zone=zone, code="touzi")
    made = {}
    for username, name in (("chuangkou", "王晓敏"), ("shenpi", "赵文博")):
        made[username] = account_services.do_create_user(
            ACTOR, username=username, password=demo_password(), name=name, org=centre, role=Role.ZONE_STAFF,
            must_change_password=False)
    return made


def load_catalogue(zone):
    from kaifaqu.org.models import Org

    orgs = {o.code: o for o in Org.objects.filter(zone=zone)}
    windows = {n: services.do_create_window(ACTOR, zone, number=n, name=name, duties=duties)
               for n, name, duties in WINDOWS}
    count = 0
    for stage, rows in ITEMS.items():
        first, second = SPECIFIC[stage]
        for code, name, dept, window, promised, legal, fee, commitment, handling in rows:
            item = services.do_create_item(
                ACTOR, zone, code=f"KFQ-{code}", name=name, department=orgs[dept], window=windows[window],
                stage=stage, promised_limit=promised, legal_limit=legal, fee=Decimal(fee),
                fee_basis="不动产登记收费标准（发改价格规〔2016〕2559号）" if fee != "0" else "",
                handling=handling, commitment=commitment,
                power_code=f"3301{code}" if handling != "own" else "",
                conditions="申请人为依法设立的企业或项目单位，项目符合国土空间规划和产业政策。",
                basis="《中华人民共和国行政许可法》及相关法律法规")
            for sort, (mname, form, n, _, note) in enumerate(COMMON):
                services.do_add_material(ACTOR, item, name=mname, form=form, count=n, required=sort < 2,
                                         note=note, sort=sort)
            services.do_add_material(ACTOR, item, name=first[0], form=first[1], count=first[2], sort=10)
            # Every other item lets its second specific material follow later (容缺受理).
            services.do_add_material(ACTOR, item, name=second[0], form=second[1], count=second[2],
                                     may_follow=count % 2 == 0, sort=11,
                                     note="可容缺受理，承诺期限内补交" if count % 2 == 0 else "")
            count += 1
    return windows


def load(zone, neighbour):
    users = _users(zone)
    windows = load_catalogue(zone)
    from kaifaqu.accounts.models import User

    services.do_set_window_staff(ACTOR, windows[12], [users["chuangkou"]])
    services.do_set_window_staff(ACTOR, windows[1], [users["shenpi"], users["chuangkou"]])
    services.do_set_window_staff(ACTOR, windows[3], list(User.objects.filter(username="zrzy")))
    services.do_set_window_staff(ACTOR, windows[4], list(User.objects.filter(username="jianshe")))
    # The neighbour zone has a small catalogue of its own (the scoping of every page is tried against it).
    from kaifaqu.org.models import Org

    n_dept = Org.objects.filter(zone=neighbour).order_by("id").last()
    n_window = services.do_create_window(ACTOR, neighbour, number=1, name="综合受理窗口")
    services.do_create_item(ACTOR, neighbour, code="YY-G01", name="企业设立登记", department=n_dept,
                            window=n_window, promised_limit=1, legal_limit=3)


def figures(zone) -> dict:
    from kaifaqu.approvals.models import Material

    items = ServiceItem.objects.filter(zone=zone)
    return {
        "服务窗口": Window.objects.filter(zone=zone).count(),
        "政务服务事项": items.count(),
        "申请材料": Material.objects.filter(zone=zone).count(),
        "可容缺受理的事项": items.filter(materials__may_follow=True).distinct().count(),
        "告知承诺制事项": items.filter(commitment=True).count(),
    }
