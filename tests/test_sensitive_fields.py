"""Field-level least privilege: for every persona, the sensitive fields it may not see (core.sensitive: pay,
personal phones) are masked or absent in every list, detail, export and form that carries them."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaifaqu.core import sensitive
from kaifaqu.org.models import Staff
from tests.conftest import PERSONAS
from tests.factories import StaffFactory

RAW = {"phone": "13912345678", "archive_salary": "7777.77", "actual_pay": "333333.33"}


def test_the_registry_names_pay_and_phones():
    assert sensitive.fields_of(Staff) == {"archive_salary": "staff.view_pay", "actual_pay": "staff.view_pay",
                                          "phone": "staff.view_phone"}


def _export_values(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_persona_reads_a_sensitive_value_it_may_not_see(world, client_for, api_for, persona):
    staff = StaffFactory(org=world.department, name="敏感甲", phone=RAW["phone"],
                         archive_salary=Decimal(RAW["archive_salary"]), actual_pay=Decimal(RAW["actual_pay"]))
    user = getattr(world, persona)
    hidden = sensitive.hidden_fields(user, Staff)
    sees = Staff.objects.visible_to(user).filter(pk=staff.pk).exists()
    page, api = client_for(user), api_for(user)
    answers = {
        "detail page": page.get(f"/org/staff/{staff.pk}/").content.decode(),
        "list page": page.get("/org/staff/?q=敏感甲").content.decode(),
        "detail API": api.get(f"/api/v1/staff/{staff.pk}/").content.decode(),
        "list API": api.get("/api/v1/staff/?q=敏感甲").content.decode(),
        "edit form": page.get(f"/org/staff/{staff.pk}/edit/").content.decode(),
    }
    export = page.get("/org/staff/?export=xlsx")
    values = _export_values(export) if export.status_code == 200 else set()
    for field, raw in RAW.items():
        if field in hidden:
            for where, body in answers.items():
                assert raw not in body, (persona, field, where)
            assert not any(raw in v for v in values), (persona, field, "export")
        elif sees:
            assert raw in answers["detail API"], (persona, field)
            assert raw in answers["detail page"], (persona, field)
            assert any(raw in v for v in values), (persona, field, "export")
    if sees and "phone" in hidden:
        body = api.get(f"/api/v1/staff/{staff.pk}/").json()
        assert body["phone"] == "139****5678" and body["actual_pay"] is None and body["archive_salary"] is None
        assert "无权查看" in answers["detail page"]


def test_only_org_hr_holds_pay_and_phones_and_a_head_sees_their_own_unit(world):
    everything = {"archive_salary", "actual_pay", "phone"}
    assert not sensitive.hidden_fields(world.hr, Staff)
    for persona in PERSONAS:
        if persona not in ("hr", "outsider", "sysadmin", "secadmin", "auditadmin"):
            assert sensitive.hidden_fields(world.users[persona], Staff) == everything, persona
    # The committee's head sees the committee's people's pay and phones, not another unit's.
    from kaifaqu.core.access import SYSTEM
    from kaifaqu.org import services

    services.do_set_head(SYSTEM, world.committee, world.leader)
    own = Staff.objects.select_related("org").get(pk=StaffFactory(org=world.committee, name="委领导").pk)
    assert not sensitive.hidden_fields(world.leader, Staff, own)
    assert sensitive.hidden_fields(world.leader, Staff, world.staff) == everything
    assert sensitive.hidden_fields(world.clerk, Staff, own) == everything


def test_pay_and_phones_are_sealed_at_rest(world):
    from django.db import connection

    from kaifaqu.core import crypto

    staff = StaffFactory(org=world.department, name="密封甲", phone=RAW["phone"],
                         archive_salary=Decimal(RAW["archive_salary"]), actual_pay=Decimal(RAW["actual_pay"]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, archive_salary, actual_pay FROM org_staff WHERE id = %s",
                       [staff.pk])
        stored = cursor.fetchone()
    for value, raw in zip(stored, (RAW["phone"], RAW["archive_salary"], RAW["actual_pay"]), strict=True):
        assert value.startswith("v1:") and raw not in value
    assert crypto.unseal(stored[2], purpose="sealed-field/org.staff.actual_pay").decode() == RAW["actual_pay"]
    fresh = Staff.objects.get(pk=staff.pk)
    assert (fresh.phone, fresh.archive_salary, fresh.actual_pay) == (
        RAW["phone"], Decimal(RAW["archive_salary"]), Decimal(RAW["actual_pay"]))
    # sealed for its own field: the pay of one column does not open as another's
    with pytest.raises(ValueError):
        crypto.unseal(stored[2], purpose="sealed-field/org.staff.archive_salary")


def test_a_negative_pay_is_refused_by_the_service(world):
    from kaifaqu.core.errors import InvalidInput
    from kaifaqu.org import services

    with pytest.raises(InvalidInput) as exc:
        services.do_update_staff(world.hr, world.staff, actual_pay=Decimal("-1"))
    assert "actual_pay" in exc.value.fields


def test_the_migration_seals_values_written_before(world):
    from django.apps import apps as registry_apps
    from django.db import connection

    from kaifaqu.core.sensitive import reseal

    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_staff SET phone = %s, actual_pay = %s WHERE id = %s",
                       ["13800001111", "120000.00", world.staff.pk])
    assert Staff.objects.get(pk=world.staff.pk).phone == "13800001111"  # a plain value still reads
    reseal(registry_apps, None, "org.Staff", ("phone", "archive_salary", "actual_pay"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, actual_pay FROM org_staff WHERE id = %s", [world.staff.pk])
        assert all(v.startswith("v1:") for v in cursor.fetchone())
    assert Staff.objects.get(pk=world.staff.pk).actual_pay == Decimal("120000.00")


def test_a_units_head_sees_their_own_peoples_pay_row_by_row(world, client_for, api_for):
    from kaifaqu.core.access import SYSTEM
    from kaifaqu.org import services

    services.do_set_head(SYSTEM, world.committee, world.leader)
    own = StaffFactory(org=world.committee, name="委办甲", phone=RAW["phone"], actual_pay=Decimal(RAW["actual_pay"]))
    other = StaffFactory(org=world.department, name="处室乙", phone="13700001111", actual_pay=Decimal("123456.00"))
    api, page = api_for(world.leader), client_for(world.leader)
    rows = {r["id"]: r for r in api.get("/api/v1/staff/", {"page_size": 100}).json()["results"]}
    assert rows[own.pk]["actual_pay"] == RAW["actual_pay"] and rows[own.pk]["phone"] == RAW["phone"]
    assert rows[other.pk]["actual_pay"] is None and rows[other.pk]["phone"] == "137****1111"
    assert RAW["actual_pay"] in page.get(f"/org/staff/{own.pk}/").content.decode()
    assert "123456" not in page.get(f"/org/staff/{other.pk}/").content.decode()
    values = _export_values(page.get("/org/staff/?export=xlsx"))
    assert any(RAW["phone"] in v for v in values)  # the export keeps the columns for a head, filled row by row
    assert not any(v.startswith("123456") or "13700001111" in v for v in values), values
    # the head must be a user of that very unit
    from kaifaqu.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.do_set_head(world.hr, world.department, world.leader)
