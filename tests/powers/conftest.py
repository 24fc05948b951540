import datetime

import pytest

from kaifaqu.core.access import SYSTEM
from kaifaqu.powers import services
from kaifaqu.powers.models import PowerKind


@pytest.fixture
def catalogue(world):
    """Five standard items of the demo zone and one of the other zone."""
    rows = [("370XK0001", "建设工程规划许可证核发", "建筑类", PowerKind.LICENSING, "《中华人民共和国城乡规划法》第四十条第一款"),
            ("370XK0002", "建筑工程施工许可证核发", "", PowerKind.LICENSING, "《中华人民共和国建筑法》第七条"),
            ("370CF0001", "对未取得施工许可证擅自施工的处罚", "", PowerKind.PENALTY, "《中华人民共和国建筑法》第六十四条"),
            ("370JC0001", "生产经营单位安全生产监督检查", "工贸行业", PowerKind.INSPECTION,
             "《中华人民共和国安全生产法》第六十五条第一款第二项"),
            ("370GG0001", "项目代办帮办服务", "", PowerKind.PUBLIC_SERVICE, "")]
    made = {code: services.do_create_standard(SYSTEM, world.zone, code=code, name=name, sub_name=sub, kind=kind,
                                              basis=basis)
            for code, name, sub, kind, basis in rows}
    made["other"] = services.do_create_standard(SYSTEM, world.other_zone, code="370XK0001", name="邻区事项",
                                                kind=PowerKind.LICENSING)
    return made


@pytest.fixture
def batch(world):
    return services.do_create_batch(SYSTEM, world.zone, name="第一批赋权事项", document_no="X政发〔2022〕12号",
                                    document_date=datetime.date(2022, 3, 15))


def claim(user, standard, **fields):
    fields.setdefault("implementing_body", "示范经济开发区管理委员会")
    return services.do_claim(user, standard, **fields)
