"""The demo's register and indicators come out of the rows at seed 004's figures."""

from decimal import Decimal

from django.utils import timezone

from kaifaqu.economy import demo
from kaifaqu.economy.models import Enterprise, SubmissionTask
from kaifaqu.org.models import Zone


def test_demo_register_and_revenue_match_seed_004(demo_db):
    zone = Zone.objects.get(code="demo")
    figures = demo.figures(zone)
    assert figures["企业（家）"] == 370 and figures["投产企业（家）"] == 260 and figures["规上企业（家）"] == 128
    assert figures["从业人员（人）"] == 35000
    assert figures["一季度主营业务收入（亿元）"] == Decimal("90.10") and figures["一季度主营业务收入同比"] == "14.4%"
    tasks = SubmissionTask.objects.filter(zone=zone, org__code="shuiwu")
    assert tasks.filter(state="open").count() >= 1
    if timezone.localdate().month > 2:
        assert tasks.filter(due_on__lt=timezone.localdate(), state="open").count() == 1  # one late
    assert Enterprise.objects.filter(zone__code="neighbour").count() == 5
