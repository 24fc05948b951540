import datetime

import pytest
from django.core.cache import cache

from kaifaqu.core.access import SYSTEM
from kaifaqu.powers import services
from kaifaqu.powers.models import Catalogue, Holding, PowerKind
from kaifaqu.powers.workflow import LIST

PUBLISH = {"publish_no": "示开发委〔2026〕3号", "date": datetime.date(2026, 6, 1)}
# What only the draft holds, and what is internal to the published version: none of it may ever be public.
DRAFT_MARKERS = ("草稿新增的保密事项", "KFQ-DRAFT-009", "草稿里改过的实施主体")
INTERNAL_MARKERS = ("内部备注：待法制审核", "t_clerk", "t_leader", "13900001111")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters and the portal's cached pages live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def own_item(actor, zone, code, name, **fields):
    fields.setdefault("kind", PowerKind.LICENSING)
    fields.setdefault("basis", "《中华人民共和国行政许可法》第十二条")
    fields.setdefault("implementing_body", "示范经济开发区管理委员会")
    return services.do_create_item(actor, zone, code=code, name=name, **fields)


@pytest.fixture
def published(world):
    """The demo zone's first published list (3 items, one batch) with an internal note on one item, plus the two
    catalogues; the clerk drafted it and the leader published it (four eyes)."""
    world.department.phone = "13900001111"  # a staff phone in the organisation record (never public)
    world.department.save()
    batch = services.do_create_batch(SYSTEM, world.zone, name="第一批赋权事项", document_no="X政发〔2022〕12号",
                                     document_date=datetime.date(2022, 3, 15))
    own_item(world.clerk, world.zone, "KFQ-XK-001", "建设工程规划许可证核发", sub_name="建筑类",
             holding=Holding.AUTHORISED, holding_doc_no=batch.document_no, batch=batch,
             duties=["受理", "审查", "决定"], supervision_phone="0571-88881200", note="内部备注：待法制审核")
    own_item(world.clerk, world.zone, "KFQ-CF-001", "对未取得施工许可证擅自施工的处罚", kind=PowerKind.PENALTY,
             implementing_body="示范市综合行政执法局", holding=Holding.ENTRUSTED, holding_doc_no=batch.document_no,
             batch=batch)
    own_item(world.clerk, world.zone, "KFQ-GG-001", "=项目全程代办", kind=PowerKind.PUBLIC_SERVICE)
    version = services.open_version(world.zone.pk)
    version = services.do_update_version(world.clerk, version, title="示范经济开发区权责清单")
    version = LIST.perform(world.clerk, version, "submit")
    version = LIST.perform(world.leader, version, "approve")
    version = LIST.perform(world.leader, version, "publish", payload=PUBLISH)
    services.do_create_function(SYSTEM, world.zone, catalogue=Catalogue.RETAINED, category="招商引资",
                                name="招商引资统筹")
    services.do_create_function(SYSTEM, world.zone, catalogue=Catalogue.STRIPPED, category="社会治安",
                                name="社会治安综合治理", receiver=world.street_org,
                                handover_on=datetime.date(2022, 1, 1))
    # The other zone publishes too: its list never shows on the demo zone's pages.
    own_item(world.outsider, world.other_zone, "LQ-XK-001", "邻区专有事项")
    other = services.open_version(world.other_zone.pk)
    other = LIST.perform(SYSTEM, other, "submit")
    LIST.perform(SYSTEM, LIST.perform(SYSTEM, other, "approve"), "publish", payload=PUBLISH)
    return version


@pytest.fixture
def draft(world, published):
    """A second version in draft: one item's implementing body changed, one new item added."""
    from kaifaqu.powers.models import PowerItem

    version = services.do_start_draft(world.clerk, world.zone, title="示范经济开发区权责清单（调整稿）")
    item = PowerItem.objects.get(list_version=version, code="KFQ-XK-001")
    services.do_update_item(world.clerk, item, implementing_body="草稿里改过的实施主体")
    own_item(world.clerk, world.zone, "KFQ-DRAFT-009", "草稿新增的保密事项")
    return version


def publish_draft(world, version):
    version = LIST.perform(world.clerk, version, "submit")
    version = LIST.perform(world.leader, version, "approve")
    return LIST.perform(world.leader, version, "publish", payload={"publish_no": "示开发委〔2026〕9号",
                                                                 "date": datetime.date(2026, 9, 1)})
