"""Sample rows of the economy module for the scoping walk (see tests/samples.py); written through the services."""

import datetime
from decimal import Decimal

from kaifaqu.core.access import SYSTEM
from kaifaqu.economy import services
from kaifaqu.economy.models import Enterprise, ExternalRanking, Indicator, IndicatorValue, Submission, SubmissionTask
from tests.economy.helpers import enterprise, indicator, task
from tests.samples import sample


@sample(Enterprise)
def enterprises(world):
    return [enterprise(world.zone, 1, park=world.park), enterprise(world.other_zone, 2)]


@sample(Indicator)
def indicators(world):
    return [indicator(world.zone), indicator(world.other_zone)]


@sample(IndicatorValue)
def values(world):
    rows = []
    for zone, n in ((world.zone, 1), (world.other_zone, 2)):
        ind, ent = indicator(zone), enterprise(zone, n)
        found = IndicatorValue.objects.filter(indicator=ind, enterprise=ent, year=2025, period=1).first()
        if found is None:
            services.do_bulk_values(SYSTEM, ind, [(ent.pk, 2025, 1, Decimal("12.5"))])
            found = IndicatorValue.objects.get(indicator=ind, enterprise=ent, year=2025, period=1)
        rows.append(found)
    return rows


@sample(ExternalRanking)
def rankings(world):
    return [services.do_record_ranking(SYSTEM, indicator(zone), year=2025, period=3, scope="全市", rank=3)
            for zone in (world.zone, world.other_zone)]


@sample(SubmissionTask)
def tasks(world):
    """Addressed to the stationed tax office and to the department (a leak between the two units shows)."""
    return [task(indicator(world.zone), world.stationed_org), task(indicator(world.zone), world.department),
            task(indicator(world.other_zone), world.other_org)]


@sample(Submission)
def submissions(world):
    rows = []
    for t in tasks(world):
        found = Submission.objects.filter(task=t).first()
        rows.append(found or Submission.objects.create(zone_id=t.zone_id, task=t, submitted_at=datetime.datetime(
            2026, 11, 5, 10, tzinfo=datetime.UTC), by_name="样例", created=1))
    return rows
