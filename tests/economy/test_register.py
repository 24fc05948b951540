"""The enterprise register: credit codes by their check character, industries from GB/T 4754, sealed contacts."""

from decimal import Decimal

import pytest

from kaifaqu.core import uscc
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from kaifaqu.economy import industry, queries, services
from kaifaqu.economy.models import Enterprise, Status
from tests.economy.helpers import check_char, code, corrupt, enterprise

# The example code of GB 32100-2015, with its published check character
PUBLISHED = ["91350100M000100Y43"]


@pytest.mark.parametrize("valid", PUBLISHED + [code(n) for n in (1, 42, 999999999)])
def test_valid_codes_pass_and_every_corrupted_check_character_fails(valid):
    assert uscc.is_valid(valid)
    assert check_char(valid[:17]) == valid[-1]
    for wrong in set(uscc.ALPHABET) - {valid[-1]}:
        assert uscc.error(valid[:-1] + wrong) == "统一社会信用代码校验位不正确。"


def test_a_wrong_check_character_is_400_naming_the_field(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_enterprise(world.clerk, world.zone, name="某公司", uscc=corrupt(code(7)),
                                      industry_code="3990")
    assert exc.value.status == 400 and exc.value.fields == {"uscc": ["统一社会信用代码校验位不正确。"]}
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("bad, field", [({"industry_code": "9999"}, "industry_code"),
                                        ({"employees": -1}, "employees"),
                                        ({"land_mu": Decimal("-2")}, "land_mu"),
                                        ({"uscc": "91330100ABC"}, "uscc"),
                                        ({"uscc": "9133010000000000IO"}, "uscc")])
def test_bad_input_names_its_field_and_writes_nothing(world, bad, field):
    data = {"name": "某公司", "uscc": code(3), "industry_code": "3990", **bad}
    audits = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.do_create_enterprise(world.clerk, world.zone, **data)
    assert field in exc.value.fields
    assert not Enterprise.objects.exists() and AuditEvent.objects.count() == audits


def test_a_credit_code_is_registered_once_per_zone(world):
    enterprise(world.zone, 5)
    with pytest.raises(Conflict):
        services.do_create_enterprise(world.clerk, world.zone, name="重复", uscc=code(5), industry_code="39")
    assert enterprise(world.other_zone, 5).zone_id == world.other_zone.pk  # another zone may register it


def test_above_size_needs_its_year(world):
    with pytest.raises(RuleViolation):
        services.do_create_enterprise(world.clerk, world.zone, name="规上", uscc=code(8), industry_code="39",
                                      above_size=True)
    e = services.do_create_enterprise(world.clerk, world.zone, name="规上", uscc=code(8), industry_code="39",
                                      above_size=True, above_size_year=2024)
    assert e.above_size_year == 2024


def test_contacts_are_sealed_at_rest_and_need_their_permission(world):
    e = services.do_create_enterprise(world.clerk, world.zone, name="联系", uscc=code(9), industry_code="39",
                                      contact_name="王经理", contact_phone="13912345678")
    row = Enterprise.objects.get(pk=e.pk)
    assert "13912345678" not in row.contact_phone_sealed and row.contact_phone == "13912345678"
    with pytest.raises(Forbidden):
        services.do_update_enterprise(world.stationed, e, contact_phone="13800000000")


def test_the_industry_table_has_every_section_and_division():
    sections = [c for c in industry.table() if len(c) == 1]
    divisions = [c for c in industry.table() if len(c) == 2]
    assert sections == list("ABCDEFGHIJKLMNOPQRST") and len(divisions) == 97
    assert industry.get("3990").name == "其他电子设备制造" and industry.get("39").section == "C"
    assert industry.division_label("3670") == "36 汽车制造业"


def test_bulk_register_checks_every_row_first_and_audits_once(world):
    rows = [{"name": f"批量{i}", "uscc": code(100 + i), "industry_code": "3670", "employees": 10} for i in range(5)]
    rows[3]["uscc"] = corrupt(rows[3]["uscc"])
    with pytest.raises(InvalidInput) as exc:
        services.do_bulk_register(SYSTEM, world.zone, [dict(r) for r in rows])
    assert "4.uscc" in exc.value.fields and not Enterprise.objects.exists()
    rows[3]["uscc"] = code(103)
    before = AuditEvent.objects.count()
    assert services.do_bulk_register(SYSTEM, world.zone, rows) == 5
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-seq").first().action == "enterprise.import"


def test_register_figures_by_status_and_size(world):
    enterprise(world.zone, 1, employees=100, above_size=True, above_size_year=2020)
    enterprise(world.zone, 2, employees=50, status=Status.BUILDING)
    enterprise(world.zone, 3, employees=7, status=Status.PRODUCING, park=world.park)
    fig = queries.register_figures(Enterprise.objects.filter(zone=world.zone))
    assert (fig["total"], fig["producing"], fig["building"], fig["above_size"], fig["employees"]) == (3, 2, 1, 1, 157)
    parks = {r["park__name"]: r["count"] for r in queries.by_park(Enterprise.objects.filter(zone=world.zone))}
    assert parks == {None: 2, world.park.name: 1}
