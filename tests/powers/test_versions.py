"""POWER-4: versions — draft, submit (frozen), four-eyes review, publish with number and date, immutable once
published; the diff between two versions (page and workbook); publication refused while items are incomplete."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.errors import Forbidden, RuleViolation
from kaifaqu.powers import queries, services
from kaifaqu.powers.models import ListState, PowerItem
from kaifaqu.powers.workflow import HANDOVER, LIST, publication_problems

from .conftest import claim

PUBLISH = {"publish_no": "示开发委〔2026〕3号", "date": "2026-06-01"}


def published_first(world, catalogue):
    for code in ("370XK0001", "370XK0002", "370CF0001"):
        claim(world.clerk, catalogue[code], duties=["受理"])
    version = services.open_version(world.zone.pk)
    version = LIST.perform(world.clerk, version, "submit")
    version = LIST.perform(world.leader, version, "approve")
    return LIST.perform(world.leader, version, "publish", payload=PUBLISH)


def test_draft_submit_approve_publish(world, catalogue):
    version = published_first(world, catalogue)
    assert version.state == ListState.PUBLISHED and version.publish_no == "示开发委〔2026〕3号"
    assert version.published_on == datetime.date(2026, 6, 1)
    assert version.author == world.clerk and version.reviewer == world.leader
    assert [e.action for e in LIST.events_of(version)] == ["submit", "approve", "publish"]


def test_the_author_may_not_review_or_publish(world, catalogue):
    claim(world.leader, catalogue["370XK0001"])
    version = LIST.perform(world.leader, services.open_version(world.zone.pk), "submit")
    with pytest.raises(Forbidden, match="四眼原则"):
        LIST.perform(world.leader, version, "approve")
    with pytest.raises(Forbidden):
        LIST.perform(world.clerk, version, "approve")  # no review permission
    assert services.open_version(world.zone.pk).state == ListState.SUBMITTED


def test_send_back_needs_a_reason_and_reopens_the_draft(world, catalogue):
    claim(world.clerk, catalogue["370XK0001"])
    version = LIST.perform(world.clerk, services.open_version(world.zone.pk), "submit")
    from kaifaqu.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        LIST.perform(world.leader, version, "send_back", note=" ")
    version = LIST.perform(world.leader, version, "send_back", note="请补充追责情形")
    assert version.state == ListState.DRAFT
    services.do_update_item(world.clerk, PowerItem.objects.get(), accountability=["不予受理的"])


def test_a_published_version_never_changes(world, catalogue):
    version = published_first(world, catalogue)
    item = version.items.first()
    with pytest.raises(RuleViolation, match="已发布.*只有草稿可以修改") as exc:
        services.do_update_item(world.clerk, item, note="改")
    assert exc.value.status == 422 and exc.value.extra["state"] == "published"
    with pytest.raises(RuleViolation, match="只有草稿"):
        services.do_update_version(world.clerk, version, title="新标题")
    with pytest.raises(RuleViolation) as exc:
        LIST.perform(world.leader, version, "send_back", note="再改")
    assert exc.value.code == "invalid_transition" and exc.value.extra["allowed_actions"] == []


def test_publication_is_refused_while_items_are_incomplete(world, catalogue):
    claim(world.clerk, catalogue["370XK0001"])
    services.do_claim(world.clerk, catalogue["370GG0001"])  # no basis in the catalogue, no implementing body
    services.do_create_item(world.clerk, world.zone, code="KFQ-1", name="无类型事项", basis="《某条例》第一条",
                            implementing_body="管委会")
    version = LIST.perform(world.clerk, services.open_version(world.zone.pk), "submit")
    version = LIST.perform(world.leader, version, "approve")
    with pytest.raises(RuleViolation) as exc:
        LIST.perform(world.leader, version, "publish", payload=PUBLISH)
    assert exc.value.status == 422 and exc.value.code == "not_publishable"
    assert exc.value.fields == {"缺少事项类型": ["KFQ-1 无类型事项"], "缺少设定依据": ["370GG0001 项目代办帮办服务"],
                                "缺少实施主体": ["370GG0001 项目代办帮办服务"]}
    assert "370GG0001" in exc.value.detail
    assert services.open_version(world.zone.pk).state == ListState.APPROVED  # nothing written


def test_new_draft_copies_the_published_list_and_only_one_is_open(world, catalogue):
    first = published_first(world, catalogue)
    draft = services.do_start_draft(world.clerk, world.zone)
    assert draft.based_on == first and draft.items.count() == 3 and draft.seq == 2
    with pytest.raises(RuleViolation, match="尚未发布"):
        services.do_start_draft(world.clerk, world.zone)


def test_diff_field_by_field(world, catalogue, client_for):
    first = published_first(world, catalogue)
    draft = services.do_start_draft(world.clerk, world.zone)
    items = {i.code: i for i in draft.items.all()}
    services.do_update_item(world.clerk, items["370XK0001"], undertaking_unit="规划国土处", holding="entrusted",
                            holding_doc_no="X政发〔2026〕5号")
    services.do_remove_item(world.clerk, items["370CF0001"])
    claim(world.clerk, catalogue["370JC0001"])
    result = queries.diff(first, draft)
    assert [i["code"] for i in result["added"]] == ["370JC0001"]
    assert [i["code"] for i in result["removed"]] == ["370CF0001"]
    assert [(c["code"], [(f["label"], f["before"], f["after"]) for f in c["changes"]]) for c in result["changed"]] == [
        ("370XK0001", [("承办机构", "", "规划国土处"), ("行使方式", "自有", "委托"), ("授权文号", "", "X政发〔2026〕5号")])]
    c = client_for(world.street)
    page = c.get(f"/powers/versions/{draft.pk}/diff/")
    assert page.status_code == 200 and "新增 1 项，移出 1 项，修改 1 项" in page.content.decode()
    book = c.get(f"/powers/versions/{draft.pk}/diff/?against={first.pk}&export=xlsx")
    ws = load_workbook(io.BytesIO(book.content)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    assert ["新增", "370JC0001"] == rows[0][:2] and ["移出", "370CF0001"] == rows[1][:2]
    assert rows[2][:4] == ["修改", "370XK0001", "建设工程规划许可证核发", "承办机构"]


def test_versions_through_the_api(world, catalogue, api_for):
    claim(world.clerk, catalogue["370XK0001"])
    version = services.open_version(world.zone.pk)
    url = f"/api/v1/power-versions/{version.pk}/"
    assert api_for(world.clerk).post(f"{url}submit/", {}, format="json").status_code == 200
    own = api_for(world.clerk).post(f"{url}approve/", {}, format="json")
    assert own.status_code == 403
    response = api_for(world.leader).post(f"{url}publish/", {"payload": PUBLISH}, format="json")
    assert response.status_code == 422 and response.json()["allowed_actions"] == ["approve", "send_back"]
    assert api_for(world.leader).post(f"{url}approve/", {}, format="json").status_code == 200
    bad = api_for(world.leader).post(f"{url}publish/", {"payload": {"date": "2026-06-01"}}, format="json")
    assert bad.status_code == 400
    done = api_for(world.leader).post(f"{url}publish/", {"payload": PUBLISH}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "published"
    item = version.items.get()
    frozen = api_for(world.clerk).patch(f"/api/v1/power-items/{item.pk}/", {"note": "x"}, format="json")
    assert frozen.status_code == 422 and "已发布" in frozen.json()["detail"]
    draft = api_for(world.clerk).post("/api/v1/power-versions/", {"zone": world.zone.pk}, format="json")
    assert draft.status_code == 201
    diff = api_for(world.clerk).get(f"/api/v1/power-versions/{draft.json()['id']}/diff/")
    assert diff.status_code == 200 and diff.json()["changed"] == []


def test_problems_listed_before_publishing(world, catalogue):
    services.do_claim(SYSTEM, catalogue["370GG0001"])
    problems = publication_problems(services.open_version(world.zone.pk))
    assert set(problems) == {"缺少设定依据", "缺少实施主体"}


def test_the_docs_show_the_state_tables():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs/modules/powers.md").read_text()
    assert LIST.mermaid().strip() in doc and HANDOVER.mermaid().strip() in doc
