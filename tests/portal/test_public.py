"""PORTAL: the public site and API show the zone's current published list (search, filters, export), each item,
the two catalogues and the published history with diffs, to anyone, without login; throttled and cached."""

import io

import openpyxl
import pytest
from django.test import Client
from rest_framework.test import APIClient

from kaifaqu.powers.models import Batch
from tests.portal.conftest import publish_draft

ZONE = "zone=demo"


@pytest.fixture
def web():
    return Client()


def page(web, url, status=200):
    response = web.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_home_links_the_list_catalogues_and_the_approvals_services(world, published, web):
    body = page(web, f"/gongkai/?{ZONE}")
    assert "示范经济开发区权责清单（第 1 版，示开发委〔2026〕3号" in body and "共 3 项" in body
    assert "行政许可 1 项" in body and "行政处罚 1 项" in body and "公共服务 1 项" in body
    assert f'href="/approvals/public/?{ZONE}">办事指南' in body and 'href="/approvals/public/progress/">办件进度查询' in body
    assert "示范经济开发区" in page(web, "/gongkai/")  # without a zone: the zones to choose from
    page(web, "/gongkai/?zone=nowhere", 404)


def test_list_search_filters_and_pages(world, published, web):
    body = page(web, f"/gongkai/powers/?{ZONE}")
    assert "共 3 项" in body and "建设工程规划许可证核发（建筑类）" in body and "邻区专有事项" not in body
    body = page(web, f"/gongkai/powers/?{ZONE}&q=施工许可")
    assert "共 1 项" in body and "对未取得施工许可证擅自施工的处罚" in body and "建设工程规划" not in body
    assert "共 1 项" in page(web, f"/gongkai/powers/?{ZONE}&kind=public_service")
    batch = Batch.objects.get(zone=world.zone)
    assert "共 2 项" in page(web, f"/gongkai/powers/?{ZONE}&batch={batch.pk}")
    assert "共 1 项" in page(web, f"/gongkai/powers/?{ZONE}&body=示范市综合行政执法局")
    assert "未知的事项类型" in page(web, f"/gongkai/powers/?{ZONE}&kind=bogus", 400)
    other_batch = Batch.objects.create(zone=world.other_zone, name="邻区批次")
    assert "未知的赋权批次" in page(web, f"/gongkai/powers/?{ZONE}&batch={other_batch.pk}", 400)
    body = page(web, f"/gongkai/powers/?{ZONE}&page_size=1&page=2")
    assert "第 2 / 3 页" in body and "上一页" in body and "下一页" in body
    page(web, f"/gongkai/powers/?{ZONE}&page=9", 404)


def test_item_page(world, published, web):
    body = page(web, f"/gongkai/powers/item/?{ZONE}&code=KFQ-XK-001")
    assert "建设工程规划许可证核发（建筑类）" in body and "《中华人民共和国行政许可法》第十二条" in body
    assert "<li>审查</li>" in body and "0571-88881200" in body and "授权（X政发〔2022〕12号" in body
    assert "内部备注" not in body
    page(web, f"/gongkai/powers/item/?{ZONE}&code=LQ-XK-001", 404)  # the other zone's item


def test_export_is_the_filtered_list_and_formula_safe(world, published, web):
    response = web.get(f"/gongkai/powers/export.xlsx?{ZONE}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "事项编码", "事项名称", "子项名称") and "备注" not in rows[0]
    assert [r[1] for r in rows[1:]] == ["KFQ-CF-001", "KFQ-GG-001", "KFQ-XK-001"]
    formula = next(c for c in sheet["C"] if c.value and str(c.value).startswith("="))
    assert formula.data_type == "s" and formula.quotePrefix  # stored as text, never evaluated, nor on editing
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert not any("内部备注" in str(v) for r in rows for v in r if v)
    response = web.get(f"/gongkai/powers/export.xlsx?{ZONE}&kind=penalty")
    assert len(list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 2


def test_catalogues_and_history_with_diff(world, published, draft, web):
    body = page(web, f"/gongkai/catalogues/?{ZONE}")
    assert "招商引资统筹" in body and "社会治安综合治理" in body and world.street_org.name in body
    publish_draft(world, draft)
    body = page(web, f"/gongkai/versions/?{ZONE}")
    assert "第 2 版" in body and "示开发委〔2026〕9号" in body and "查看第 2 版的变化" in body
    body = page(web, f"/gongkai/versions/diff/?{ZONE}&seq=2")
    assert "新增 1 项，移出 0 项，调整 1 项" in body and "草稿里改过的实施主体" in body
    response = web.get(f"/gongkai/versions/diff/?{ZONE}&seq=2&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("修改", "KFQ-XK-001", "建设工程规划许可证核发", "实施主体", "示范经济开发区管理委员会", "草稿里改过的实施主体") in rows
    page(web, f"/gongkai/versions/diff/?{ZONE}&seq=7", 404)


def test_public_api(world, published):
    api = APIClient()
    r = api.get("/api/v1/public/powers/", {"zone": "demo", "q": "规划"})
    assert r.status_code == 200, r.json()
    data = r.json()
    assert data["version"]["seq"] == 1 and data["count"] == 1
    item = data["results"][0]
    assert item["code"] == "KFQ-XK-001" and item["duties"] == ["受理", "审查", "决定"]
    assert item["batch_name"] == "第一批赋权事项" and item["holding_label"] == "授权"
    assert not {"note", "id", "list_version", "author", "reviewer", "standard"} & set(item)
    r = api.get("/api/v1/public/powers/", {"zone": "demo", "page_size": 2})
    assert r.json()["count"] == 3 and len(r.json()["results"]) == 2 and "page=2" in r.json()["next"]
    assert api.get("/api/v1/public/powers/", {"zone": "demo", "kind": "bogus"}).status_code == 400
    assert api.get("/api/v1/public/powers/", {"zone": "demo", "page": 5}).status_code == 404
    assert api.get("/api/v1/public/powers/", {"zone": "nowhere"}).status_code == 404
    assert api.get("/api/v1/public/powers/").json()["fields"].keys() == {"zone"}
    r = api.get("/api/v1/public/catalogues/", {"zone": "demo"})
    cats = {c["catalogue"]: c for c in r.json()["catalogues"]}
    assert cats["stripped"]["categories"][0]["items"][0]["receiver"] == world.street_org.name
    assert cats["retained"]["total"] == 1


def test_api_is_in_the_openapi_schema_without_login():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/v1/public/powers/", "/api/v1/public/catalogues/"):
        op = schema["paths"][path]["get"]
        assert {} in op["security"] and "429" in op["responses"] and "200" in op["responses"], path


def test_anonymous_pages_and_api_are_throttled(world, published, settings):
    settings.PUBLIC_RATE = "3/min"
    web, api = Client(), APIClient()
    for _ in range(2):
        assert web.get(f"/gongkai/powers/?{ZONE}").status_code == 200
    assert api.get("/api/v1/public/powers/", {"zone": "demo"}).status_code == 200
    refused = web.get(f"/gongkai/powers/?{ZONE}")  # the pages and the API share the rate
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0 and "访问过于频繁" in refused.content.decode()
    r = api.get("/api/v1/public/catalogues/", {"zone": "demo"})
    assert r.status_code == 429 and r.json()["detail"].startswith("访问过于频繁")
    signed_in = Client()
    signed_in.force_login(world.clerk)
    assert signed_in.get(f"/gongkai/powers/?{ZONE}").status_code == 200  # staff are not throttled here


def test_pages_are_cached_per_zone_until_the_next_publish(world, published, draft, web,
                                                          django_assert_max_num_queries):
    url = f"/gongkai/powers/?{ZONE}"
    first = page(web, url)
    assert "共 3 项" in first
    with django_assert_max_num_queries(3):  # zone, current version, throttle-free cache hit
        assert page(web, url) == first
    publish_draft(world, draft)  # a new published version: the cached page is not served again
    assert "草稿新增的保密事项" not in first
    assert "共 4 项" in page(web, url) and "草稿新增的保密事项" in page(web, url)
