"""标准地: committed indicators recorded at land transfer, actual values at completion acceptance, each shortfall
with its gap (computed by hand below)."""

import datetime
from decimal import Decimal

import pytest

from kaifaqu.approvals import services
from kaifaqu.approvals.queries import indicator_rows, shortfalls
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcel(world):
    project = services.do_create_project(SYSTEM, world.zone, code="P1", name="智能装备产业化项目",
                                         enterprise=world.users["enterprise"].org)
    return services.do_record_parcel(
        world.users["clerk"], project, code="KFQ-2026-07", location="创新大道北侧", area_mu=Decimal("50"),
        transferred_on=datetime.date(2026, 3, 2), committed_investment_intensity="300",
        committed_plot_ratio="1.20", committed_tax_per_mu="25", committed_energy_per_unit="0.50",
        committed_emission="12")


def test_shortfalls_and_gaps_by_hand(world, parcel):
    """Investment 280 < 300 → short by 20 (6.7 %); plot ratio 1.35 ≥ 1.20 → met; tax 18 < 25 → short by 7 (28 %);
    energy 0.62 > 0.50 (lower is better) → short by 0.12 (24 %); emission 10 ≤ 12 → met."""
    parcel = services.do_record_actuals(
        world.users["clerk"], parcel, accepted_on=datetime.date(2027, 9, 1), version=parcel.version,
        actual_investment_intensity="280", actual_plot_ratio="1.35", actual_tax_per_mu="18",
        actual_energy_per_unit="0.62", actual_emission="10")
    gaps = {r["indicator"]: (r["gap"], r["gap_pct"]) for r in shortfalls(parcel)}
    assert gaps == {"investment_intensity": (Decimal("20"), Decimal("6.7")),
                    "tax_per_mu": (Decimal("7"), Decimal("28.0")),
                    "energy_per_unit": (Decimal("0.12"), Decimal("24.0"))}
    assert parcel.shortfall_count == 3
    assert [r["short"] for r in indicator_rows(parcel)] == [True, False, True, True, False]


def test_meeting_every_commitment_has_no_shortfall(world, parcel):
    parcel = services.do_record_actuals(
        world.users["clerk"], parcel, accepted_on=datetime.date(2027, 9, 1), actual_investment_intensity="300",
        actual_plot_ratio="1.2", actual_tax_per_mu="30", actual_energy_per_unit="0.5", actual_emission="0")
    assert shortfalls(parcel) == [] and parcel.shortfall_count == 0


def test_bad_input(world, parcel):
    clerk = world.users["clerk"]
    with pytest.raises(InvalidInput) as exc:
        services.do_record_actuals(clerk, parcel, accepted_on=datetime.date(2027, 9, 1), actual_plot_ratio="1")
    assert "actual_investment_intensity" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.do_record_actuals(clerk, parcel, accepted_on=datetime.date(2026, 1, 1),
                                   **{f"actual_{s}": "1" for s in ("investment_intensity", "plot_ratio", "tax_per_mu",
                                                                   "energy_per_unit", "emission")})
    assert "accepted_on" in exc.value.fields
    with pytest.raises(InvalidInput):
        services.do_record_parcel(clerk, parcel.project, code="X", area_mu=Decimal("1"),
                                  transferred_on=datetime.date(2026, 1, 1))
    with pytest.raises(Conflict):
        services.do_record_actuals(clerk, parcel, accepted_on=datetime.date(2027, 1, 1), version=parcel.version + 1,
                                   **{f"actual_{s}": "1" for s in ("investment_intensity", "plot_ratio", "tax_per_mu",
                                                                   "energy_per_unit", "emission")})
    with pytest.raises(Forbidden):
        services.do_record_parcel(world.users["enterprise"], parcel.project, code="Y", area_mu=Decimal("1"),
                                  transferred_on=datetime.date(2026, 1, 1), committed_plot_ratio="1")


def test_api_and_pages(world, parcel, api_for, client_for):
    api = api_for(world.users["clerk"])
    response = api.post(f"/api/v1/approval-parcels/{parcel.pk}/actuals/", {
        "accepted_on": "2027-09-01", "version": parcel.version, "actual_investment_intensity": "250",
        "actual_plot_ratio": "1.2", "actual_tax_per_mu": "25", "actual_energy_per_unit": "0.5",
        "actual_emission": "12"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["shortfall_count"] == 1 and body["indicators"][0]["gap"] == "50.00"
    assert api.post(f"/api/v1/approval-parcels/{parcel.pk}/actuals/", {"accepted_on": "2027-09-01",
                                                                        "actual_plot_ratio": "-1"},
                    format="json").status_code == 400
    listed = api.get("/api/v1/approval-parcels/?shortfall=true").json()["results"]
    assert [row["code"] for row in listed] == ["KFQ-2026-07"]
    assert api.get("/api/v1/approval-parcels/?shortfall=false").json()["results"] == []
    enterprise = client_for(world.users["enterprise"])
    page = enterprise.get(f"/approvals/projects/{parcel.project_id}/").content.decode()
    assert "未达标，差 50.00万元/亩" in page
    assert "KFQ-2026-07" in enterprise.get("/approvals/parcels/?shortfall=true").content.decode()
