"""Indicator figures on hand-computed data: totals through a period, y/y growth, parks, rankings, trend."""

from decimal import Decimal

import pytest

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.errors import Conflict, InvalidInput, RuleViolation
from kaifaqu.economy import queries, services
from kaifaqu.economy.models import IndicatorValue
from tests.economy.helpers import enterprise, indicator

D = Decimal


@pytest.fixture
def data(world):
    a = enterprise(world.zone, 1, park=world.park, name="甲")
    b = enterprise(world.zone, 2, name="乙")
    rev = indicator(world.zone, "revenue", name="主营业务收入")
    rows = []
    # 2025: a = 10, 20, 30 ; b = 5, 5, 5 → Jan–Mar 75.   2026: a = 12, 24, 36 ; b = 6, 6, 6 → Jan–Mar 90 (+20 %)
    for year, (av, bv) in {2025: ((10, 20, 30), (5, 5, 5)), 2026: ((12, 24, 36), (6, 6, 6))}.items():
        for m in range(3):
            rows += [(a.pk, year, m + 1, D(av[m])), (b.pk, year, m + 1, D(bv[m]))]
    services.do_bulk_values(SYSTEM, rev, rows)
    return a, b, rev


def test_total_and_year_on_year_growth(data):
    a, b, rev = data
    values = IndicatorValue.objects.filter(indicator=rev)
    fig = queries.figure(values, rev, 2026, 3)
    assert (fig["current"], fig["previous"]) == (D(90), D(75)) and fig["growth"] == D("0.2")
    fig2 = queries.figure(values, rev, 2026, 2)
    assert (fig2["current"], fig2["previous"]) == (D(48), D(40)) and fig2["growth"] == D("0.2")
    assert queries.figure(values, rev, 2025, 3)["growth"] is None  # no 2024 data


def test_parks_and_ranking(data, world):
    a, b, rev = data
    values = IndicatorValue.objects.filter(indicator=rev)
    parks = {p["park"]: p for p in queries.park_totals(values, rev, 2026, 3)}
    assert parks[world.park.name]["current"] == D(72) and parks[world.park.name]["rank"] == 1
    assert parks["未定园区"]["current"] == D(18) and parks["未定园区"]["growth"] == D("0.2")
    ranking = queries.ranking(values, rev, 2026, 3)
    assert [(r["rank"], r["name"], r["total"]) for r in ranking] == [(1, "甲", D(72)), (2, "乙", D(18))]


def test_trend_is_each_years_running_total(data):
    _, _, rev = data
    lines = queries.trend(IndicatorValue.objects.filter(indicator=rev), rev, [2026, 2025])
    assert lines[2026][:4] == [D(18), D(48), D(90), None] and lines[2025][:3] == [D(15), D(40), D(75)]


def test_a_cumulative_indicator_takes_the_period_value(world):
    a = enterprise(world.zone, 1)
    ind = indicator(world.zone, "rev_cum", name="营业收入（累计）", cumulative=True)
    services.do_bulk_values(SYSTEM, ind, [(a.pk, 2025, 3, D(75)), (a.pk, 2026, 3, D(90)), (a.pk, 2026, 2, D(50))])
    fig = queries.figure(IndicatorValue.objects.filter(indicator=ind), ind, 2026, 3)
    assert (fig["current"], fig["previous"], fig["growth"]) == (D(90), D(75), D("0.2"))


def test_bulk_values_refuse_a_period_outside_the_kind_and_duplicates(world):
    a = enterprise(world.zone, 1)
    q = indicator(world.zone, "q", name="季度指标", period_kind="quarter")
    with pytest.raises(InvalidInput):
        services.do_bulk_values(SYSTEM, q, [(a.pk, 2026, 5, D(1))])
    with pytest.raises(Conflict):
        services.do_bulk_values(SYSTEM, q, [(a.pk, 2026, 1, D(1)), (a.pk, 2026, 1, D(2))])
    assert not IndicatorValue.objects.exists()


def test_ranking_period_must_suit_the_indicator(world):
    q = indicator(world.zone, "q", name="季度指标", period_kind="quarter")
    with pytest.raises(RuleViolation):
        services.do_record_ranking(world.leader, q, year=2026, period=7, scope="全市", rank=3)
    assert services.do_record_ranking(world.leader, q, year=2026, period=1, scope="全市", rank=3).rank == 3


def test_period_kind_is_fixed_once_there_are_values(data):
    _, _, rev = data
    with pytest.raises(RuleViolation):
        services.do_update_indicator(SYSTEM, rev, period_kind="quarter")


def test_the_roll_up_gives_the_same_figures_as_the_values_and_follows_a_move_to_another_park(world, data):
    from kaifaqu.economy.models import IndicatorTotal

    a, b, rev = data
    totals = IndicatorTotal.objects.filter(indicator=rev)
    values = IndicatorValue.objects.filter(indicator=rev)
    assert queries.figure(totals, rev, 2026, 3) == queries.figure(values, rev, 2026, 3)
    assert queries.figure(totals, rev, 2026, 3)["current"] == D(90)
    assert queries.trend(totals, rev, [2026, 2025]) == queries.trend(values, rev, [2026, 2025])
    assert queries.latest_period(totals, 2026) == 3
    in_park = totals.filter(park=world.park)
    assert queries.figure(in_park, rev, 2026, 3)["current"] == D(72)  # 甲 only: 12 + 24 + 36
    assert {(t.park_id, t.count) for t in totals.filter(year=2026, period=1)} == {(world.park.pk, 1), (None, 1)}
    services.do_update_enterprise(SYSTEM, b, park=world.park)
    assert queries.figure(in_park, rev, 2026, 3)["current"] == D(90)
    assert not totals.filter(park=None).exists()
