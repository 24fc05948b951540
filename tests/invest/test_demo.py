"""The demo's investment figures come out of the rows as seed 000 gives them."""

from decimal import Decimal

from kaifaqu.invest import demo
from kaifaqu.org.models import Zone


def test_demo_projects_match_seed_000(demo_db):
    figures = demo.figures(Zone.objects.get(code="demo"))
    assert figures["签约项目（个）"] == 34
    assert (figures["50亿元及以上（个）"], figures["10亿元及以上（个）"], figures["5亿元及以上（个）"],
            figures["1亿元及以上（个）"], figures["1亿元以下（个）"]) == (1, 6, 3, 4, 20)
    assert figures["签约金额（亿元）"] > Decimal(150)
    assert figures["在谈与线索（个）"] >= 10 and figures["停滞项目（个）"] >= 3
