"""Economy pages: the register (contacts by role), an indicator's figures with downloads, the task list."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from kaifaqu.core.access import SYSTEM
from kaifaqu.economy import services
from kaifaqu.economy.models import Enterprise
from tests.economy.helpers import code, corrupt, enterprise, indicator, task


def test_register_pages_and_contacts_by_role(world, client_for):
    e = services.do_create_enterprise(SYSTEM, world.zone, name="页面企业", uscc=code(3), industry_code="3990",
                                      contact_name="王经理", contact_phone="13912345678")
    assert "页面企业" in client_for(world.clerk).get("/economy/enterprises/").content.decode()
    assert "13912345678" in client_for(world.clerk).get(e.get_absolute_url()).content.decode()
    page = client_for(world.cityleader).get(e.get_absolute_url()).content.decode()
    assert "13912345678" not in page and "无权查看" in page


def test_registering_by_the_page_names_a_wrong_check_character(world, client_for):
    client = client_for(world.clerk)
    data = {"name": "新企业", "uscc": corrupt(code(4)), "industry_code": "3670", "status": "producing",
            "employees": "10", "land_mu": "0"}
    r = client.post("/economy/enterprises/new/", data)
    assert r.status_code == 400 and "校验位不正确" in r.content.decode()
    r = client.post("/economy/enterprises/new/", {**data, "uscc": code(4)})
    assert r.status_code == 302 and Enterprise.objects.filter(uscc=code(4)).exists()


def test_indicator_page_shows_total_growth_and_downloads(world, client_for):
    ind = indicator(world.zone, "revenue", name="主营业务收入")
    a = enterprise(world.zone, 1, park=world.park)
    services.do_bulk_values(SYSTEM, ind, [(a.pk, 2025, 1, Decimal(100)), (a.pk, 2026, 1, Decimal(114.4))])
    client = client_for(world.leader)
    body = client.get(ind.get_absolute_url(), {"year": 2026}).content.decode()
    assert "114.40" in body and "14.4%" in body
    for key in ("parks", "ranking", "trend"):
        r = client.get(ind.get_absolute_url(), {"year": 2026, "export": key})
        assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(client.get(ind.get_absolute_url(), {"year": 2026, "export": "parks"})
                                         .content)).active.values)
    assert rows[1][1] == world.park.name and rows[1][4] == "14.4%"


def test_task_list_flags_late_tasks_and_offers_the_upload(world, client_for):
    import datetime

    task(indicator(world.zone), world.stationed_org, period=1, issued_on=datetime.date(2026, 1, 5))
    body = client_for(world.stationed).get("/economy/tasks/").content.decode()
    assert 'data-testid="late"' in body and 'data-testid="import"' in body
