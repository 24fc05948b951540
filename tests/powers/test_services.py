"""POWER-1: the standard catalogue, claiming into the zone's draft, the zone's own items, batches."""

import datetime

import pytest

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.powers import queries, services
from kaifaqu.powers.models import Holding, ListState, PowerItem, PowerKind
from kaifaqu.powers.workflow import LIST

from .conftest import claim


def test_claim_copies_the_standard_fields_and_adds_the_zone_fields(world, catalogue, batch):
    item = claim(world.clerk, catalogue["370XK0001"], undertaking_unit="规划国土处", duties=["受理", "审查", "决定"],
                 accountability=["不予受理的"], supervision_phone="0571-88881234", holding=Holding.AUTHORISED,
                 holding_doc_no=batch.document_no, holding_doc_date=batch.document_date, batch=batch,
                 effective_on=datetime.date(2022, 4, 1))
    assert (item.code, item.name, item.sub_name, item.kind) == ("370XK0001", "建设工程规划许可证核发", "建筑类",
                                                                PowerKind.LICENSING)
    assert item.legal_bases == [{"law": "中华人民共和国城乡规划法", "article": "第四十条", "clause": "第一款", "item": ""}]
    assert item.duty_list == ["受理", "审查", "决定"] and item.accountability_list == ["不予受理的"]
    assert not item.is_custom and item.zone == world.zone
    assert item.list_version.state == ListState.DRAFT  # a draft was started for the first claim
    event = AuditEvent.objects.get(action="poweritem.claim")
    assert event.actor == world.clerk and event.zone_id == world.zone.pk
    assert AuditEvent.objects.filter(action="powerlist.start").count() == 1


def test_claiming_twice_is_refused(world, catalogue):
    claim(world.clerk, catalogue["370XK0001"])
    with pytest.raises(Conflict, match="已认领"):
        claim(world.clerk, catalogue["370XK0001"])
    assert PowerItem.objects.count() == 1


def test_a_delegated_power_needs_its_document(world, catalogue):
    with pytest.raises(InvalidInput, match="370XK0002.*须填写授权文号") as exc:
        claim(world.clerk, catalogue["370XK0002"], holding=Holding.ENTRUSTED)
    assert "holding_doc_no" in exc.value.fields
    assert not PowerItem.objects.exists()


def test_standard_fields_of_a_claimed_item_cannot_be_edited(world, catalogue):
    item = claim(world.clerk, catalogue["370XK0001"])
    with pytest.raises(RuleViolation, match="370XK0001.*事项名称以标准目录为准") as exc:
        services.do_update_item(world.clerk, item, name="改过的名称")
    assert set(exc.value.fields) == {"name"}
    item.refresh_from_db()
    assert item.name == "建设工程规划许可证核发"
    # The same value is no edit; zone fields change.
    item = services.do_update_item(world.clerk, item, name=item.name, undertaking_unit="规划国土处",
                                   version=item.version)
    assert item.undertaking_unit == "规划国土处" and item.version == 2


def test_claim_refuses_standard_fields(world, catalogue):
    with pytest.raises(InvalidInput, match="不可修改的字段"):
        services.do_claim(world.clerk, catalogue["370XK0001"], name="别的名称")


def test_own_items_are_marked_and_keep_codes_unique(world, catalogue):
    own = services.do_create_item(world.clerk, world.zone, code="KFQ-001", name="企业服务专员联系",
                                  kind=PowerKind.PUBLIC_SERVICE, implementing_body="管委会")
    assert own.is_custom
    with pytest.raises(Conflict, match="KFQ-001"):
        services.do_create_item(world.clerk, world.zone, code="KFQ-001", name="另一个")
    with pytest.raises(Conflict, match="请从标准目录认领"):
        services.do_create_item(world.clerk, world.zone, code="370XK0001", name="冒用编码")
    with pytest.raises(InvalidInput, match="不在十类行政权力和公共服务之中"):
        services.do_create_item(world.clerk, world.zone, code="KFQ-002", name="未知类型", kind="行政指导")
    assert PowerItem.objects.count() == 1


def test_structured_legal_bases(world, catalogue):
    item = claim(world.clerk, catalogue["370JC0001"])
    assert item.legal_bases == [{"law": "中华人民共和国安全生产法", "article": "第六十五条", "clause": "第一款",
                                 "item": "第二项"}]
    item = services.do_update_item(world.clerk, item, legal_bases=[{"law": "安全生产法", "article": "第六十五条"}])
    assert item.legal_bases == [{"law": "安全生产法", "article": "第六十五条", "clause": "", "item": ""}]
    with pytest.raises(InvalidInput, match="法律法规名称"):
        services.do_update_item(world.clerk, item, legal_bases=[{"article": "第一条"}])


def test_permissions_and_scope(world, catalogue):
    with pytest.raises(Forbidden):
        claim(world.street, catalogue["370XK0001"])  # may read the list, not edit it
    with pytest.raises(NotFound):
        claim(world.outsider, catalogue["370XK0001"])
    with pytest.raises(Forbidden):
        services.do_create_standard(world.clerk, world.zone, code="X", name="x", kind=PowerKind.OTHER)
    services.do_create_standard(world.sysadmin, world.zone, code="X", name="x", kind=PowerKind.OTHER)


def test_batch_counts_by_type_and_mode(world, catalogue, batch):
    for code, holding in (("370XK0001", Holding.AUTHORISED), ("370XK0002", Holding.ENTRUSTED),
                          ("370CF0001", Holding.AUTHORISED)):
        claim(world.clerk, catalogue[code], holding=holding, holding_doc_no=batch.document_no, batch=batch)
    claim(world.clerk, catalogue["370JC0001"])  # not in the batch
    counts = queries.batch_counts(batch)
    assert counts["total"] == 3
    assert [(c, n) for c, _, n in counts["by_kind"]] == [("licensing", 2), ("penalty", 1)]
    assert dict((c, n) for c, _, n in counts["by_holding"]) == {"own": 0, "authorised": 2, "entrusted": 1,
                                                                 "devolved": 0}
    with pytest.raises(Conflict, match="同名批次"):
        services.do_create_batch(world.clerk, world.zone, name="第一批赋权事项")


def test_items_of_a_version_under_review_cannot_change(world, catalogue):
    item = claim(world.clerk, catalogue["370XK0001"])
    LIST.perform(world.clerk, item.list_version, "submit")
    with pytest.raises(RuleViolation, match="待审核.*只有草稿可以修改"):
        services.do_update_item(world.clerk, item, note="改")
    with pytest.raises(RuleViolation, match="只有草稿可以修改"):
        claim(world.clerk, catalogue["370XK0002"])
    with pytest.raises(RuleViolation, match="只有草稿"):
        services.do_remove_item(world.clerk, item)


def test_remove_item_from_draft(world, catalogue):
    item = claim(world.clerk, catalogue["370XK0001"])
    services.do_remove_item(world.clerk, item, reason="重复")
    assert not PowerItem.objects.exists()
    assert AuditEvent.objects.get(action="poweritem.remove").reason == "重复"


def test_system_actor_writes(world, catalogue):
    item = services.do_claim(SYSTEM, catalogue["370GG0001"], implementing_body="管委会")
    assert item.list_version.author is None
