"""The maintained roll-up of indicator values (``IndicatorTotal``): per indicator, zone, park, year and period, the
sum and count of the enterprises' values. Refreshed from the base table for the indicators (and years) a write
touched, inside the writing service's transaction, so a reader never sees the roll-up disagree with the values.

Callers: every service writing values (``do_bulk_values``, ``do_submit_values``), and ``do_update_enterprise``
when an enterprise moves to another park."""

from django.db import connection

from .models import Enterprise, IndicatorTotal, IndicatorValue


def refresh(indicator_ids, years=None) -> None:
    """Recompute the roll-up rows of these indicators (of these years only, when given) from the values."""
    ids = sorted({int(i) for i in indicator_ids})
    if not ids:
        return
    years = sorted({int(y) for y in years}) if years is not None else None
    total, value, enterprise = (IndicatorTotal._meta.db_table, IndicatorValue._meta.db_table,
                                Enterprise._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    where, params = f"indicator_id IN ({marks})", list(ids)
    if years:
        where += f" AND year IN ({', '.join(['%s'] * len(years))})"
        params += years
    # Only table names and placeholders are formatted in; every value is a parameter.
    scan = " AND ".join("v." + part for part in where.split(" AND "))
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {total} WHERE {where}", params)  # noqa: S608
        c.execute(f"INSERT INTO {total} (zone_id, indicator_id, park_id, year, period, value, count) "  # noqa: S608
                  f"SELECT v.zone_id, v.indicator_id, e.park_id, v.year, v.period, SUM(v.value), COUNT(*) "
                  f"FROM {value} v JOIN {enterprise} e ON e.id = v.enterprise_id WHERE {scan} "
                  f"GROUP BY v.zone_id, v.indicator_id, e.park_id, v.year, v.period", params)


def refresh_zone(zone_id) -> None:
    """Every indicator of the zone (an enterprise changed park)."""
    from .models import Indicator

    refresh(Indicator.objects.filter(zone_id=zone_id).values_list("pk", flat=True))
