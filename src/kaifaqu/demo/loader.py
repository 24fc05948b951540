"""The demo zone, built from the seeds' figures (people and enterprise names invented).

Seed 000: two provincial zones (122.48 km² 开发区 + 35 km² 高新区) merged into one 开发委 (正科级) with a second
plaque; 经济发展处（挂平安监管处牌子）、招商处、建设处; six service centres; "一核一廊五园"; 核减正科级单位1个、股级内设机构3个、
股级事业单位3个、事业编制6名. Seed 001: sixteen city departments, stationed agencies, streets, a joint meeting.
Seed 002: stationed 税务、审计、市场监管、公安、生态环境、应急; 26→23 bodies, 15→6 industrial zones.
Seed 004: twelve windows, a platform company; seed 001: a 5 亿 fund.

Every row is written through the modules' services with a system actor, so the demo has a full audit trail.
"""

import datetime
import os
import random
from decimal import Decimal

from django.db import transaction

from kaifaqu.accounts import services as account_services
from kaifaqu.accounts import two_factor
from kaifaqu.accounts.models import User
from kaifaqu.accounts.roles import Role
from kaifaqu.core import registry
from kaifaqu.core.access import SystemActor
from kaifaqu.org import services as org
from kaifaqu.org.models import Org, OrgKind, PlaqueKind, PostKind, ReorgKind, Zone, ZoneKind, ZoneLevel

DEMO_ZONE = "demo"
NEIGHBOUR_ZONE = "neighbour"
DEFAULT_PASSWORD = "Kfq@2026demo"  # noqa: S105 — printed at demo start by design

ACTOR = SystemActor("demo")

PARKS = [
    ("anfang", "数智安防产业园", "数字安防、智能感知", Decimal("18.60")),
    ("huanbao", "现代环保装备产业园", "环保装备、节能环保服务", Decimal("35.00")),
    ("zhizao", "智能制造产业园", "高端装备、汽车零部件", Decimal("42.30")),
    ("shuzi", "数字经济产业园", "新零售、直播电商、软件", Decimal("21.50")),
    ("kechuang", "科创服务园", "研发设计、科技服务", Decimal("12.80")),
]

DEPARTMENTS = [
    # code, name, comprehensive, plaque
    ("dangzheng", "党政办公室", True, None),
    ("jingji", "经济发展处", False, "平安监管处"),
    ("zhaoshang", "招商处", False, None),
    ("jianshe", "建设处", False, None),
    ("guihua", "规划国土处", False, None),
    ("qiyefuwu", "企业服务处", False, None),
    ("caizheng", "财政金融处", False, None),
]

INSTITUTIONS = [
    ("touzi", "投资环境促进中心"),
    ("xinxing", "新兴产业发展服务中心"),
    ("zhizaozx", "智造产业发展服务中心"),
    ("shuzizx", "数字产业发展服务中心"),
    ("fuwuye", "服务业发展服务中心"),
    ("zhongda", "重大项目服务中心"),
]

CITY_DEPARTMENTS = [
    ("fgj", "XX市发展和改革局"),
    ("zrzy", "XX市自然资源和规划局"),
    ("zjj", "XX市住房和城乡建设局"),
    ("sthj", "XX市生态环境局"),
    ("yjj", "XX市应急管理局"),
    ("scjg", "XX市市场监督管理局"),
    ("swj", "国家税务总局XX市税务局"),
    ("spj", "XX市行政审批服务局"),
    ("swuj", "XX市商务局"),
    ("czj", "XX市财政局"),
    ("tjj", "XX市统计局"),
    ("rsj", "XX市人力资源和社会保障局"),
    ("kjj", "XX市科学技术局"),
    ("jxj", "XX市经济和信息化局"),
    ("sjj", "XX市审计局"),
    ("gaj", "XX市公安局"),
]

STATIONED = [
    # code, name, home department code
    ("shuiwu", "国家税务总局XX市税务局经济开发区税务分局", "swj"),
    ("shenji", "XX市审计局经济开发区审计分局", "sjj"),
    ("scjgs", "XX市市场监督管理局经济开发区市场监管所", "scjg"),
    ("paichusuo", "XX市公安局经济开发区派出所", "gaj"),
    ("huanbaofj", "XX市生态环境局经济开发区分局", "sthj"),
    ("yingji", "XX市应急管理局经济开发区应急管理站", "yjj"),
]

STREETS = [("chengxi", "城西街道"), ("xinqiao", "新桥镇"), ("donghu", "东湖街道")]

ENTERPRISES = [
    ("ent-anshi", "XX安视智能科技有限公司", "anfang"),
    ("ent-lvyuan", "XX绿源环保装备股份有限公司", "huanbao"),
    ("ent-hengtai", "XX恒泰精密机械有限公司", "zhizao"),
    ("ent-yunshang", "XX云尚新零售有限公司", "shuzi"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂英华建国志红玲云飞鹏宇婷琳晨浩然思远嘉怡子轩雨欣"

# Grade kept on file (档案职级) and its monthly archive salary, by the post a person holds. The committee is 正科级 and
# its departments and institutions 股级 (seed 000), so leaders hold 主任科员 ranks, department heads 四级主任科员,
# institution heads 管理八级; appointed (聘任) and contract staff have no grade on file.
GRADES = {
    "党工委书记、管委会主任": ("一级主任科员", Decimal("8600")),
    "党工委副书记、管委会副主任": ("二级主任科员", Decimal("7900")),
    "管委会副主任": ("三级主任科员", Decimal("7300")),
    "党工委委员": ("三级主任科员", Decimal("7200")),
    "处长": ("四级主任科员", Decimal("6800")), "负责人": ("四级主任科员", Decimal("6800")),
    "局长": ("四级主任科员", Decimal("6800")), "所长": ("四级主任科员", Decimal("6700")),
    "副处长": ("一级科员", Decimal("5900")), "副职": ("一级科员", Decimal("5900")),
    "副局长": ("一级科员", Decimal("5900")), "副所长": ("一级科员", Decimal("5800")),
    "主任": ("管理八级", Decimal("6600")), "副主任": ("管理九级", Decimal("6000")),
    "项目服务专员": ("专业技术十一级", Decimal("5600")),
    "科长": ("四级主任科员", Decimal("6800")), "副科长": ("一级科员", Decimal("5900")),
    "街道办事处副主任": ("四级主任科员", Decimal("6900")), "副镇长": ("四级主任科员", Decimal("6900")),
}
DEFAULT_GRADE = ("二级科员", Decimal("5100"))  # 科员、专员、工作人员
UNGRADED = {PostKind.APPOINTED, PostKind.CONTRACT}


def demo_password():
    return os.environ.get("KAIFAQU_DEMO_PASSWORD", DEFAULT_PASSWORD)


def is_loaded():
    return Zone.objects.filter(code=DEMO_ZONE).exists()


def _person(rng, used):
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        if name not in used:
            used.add(name)
            return name


class _Builder:
    def __init__(self):
        self.rng = random.Random(2021)
        self.names = set()
        self.staff_no = 0
        self.orgs = {}

    def org(self, zone, code, name, kind, **fields):
        obj = org.do_create_org(ACTOR, zone, code=code, name=name, kind=kind, **fields)
        self.orgs[code] = obj
        return obj

    def staff(self, body, n, post_kind, posts, pay_range):
        people = []
        for i in range(n):
            self.staff_no += 1
            post = posts[i] if i < len(posts) else posts[-1]
            grade, salary = ("", None) if post_kind in UNGRADED else GRADES.get(post, DEFAULT_GRADE)
            low, high = pay_range
            people.append(org.do_create_staff(
                ACTOR, body,
                staff_no=f"KFQ{self.staff_no:04d}",
                name=_person(self.rng, self.names),
                gender=self.rng.choice(["male", "female"]),
                phone=f"139{self.rng.randint(10000000, 99999999)}",
                post_kind=post_kind,
                grade_on_file=grade,
                archive_salary=salary,
                appointed_post=post,
                actual_pay=Decimal(self.rng.randrange(low, high, 1000)),
                joined_on=datetime.date(2021, 11, 1) if i % 3 else datetime.date(2019, 3, 1),
            ))
        return people


def _establish(body, **numbers):
    for kind, approved in numbers.items():
        org.do_set_establishment(ACTOR, body, kind=kind, approved=approved, document_no="X编〔2021〕18号")


def load_demo():
    """Load the demo zone and its neighbour; does nothing when already loaded. Returns a summary dict."""
    if is_loaded():
        return summary()
    with transaction.atomic():
        _load()
    return summary()


def _load():
    b = _Builder()
    zone = org.do_create_zone(
        ACTOR, code=DEMO_ZONE, name="浙江省XX经济开发区", short_name="XX开发区", kind=ZoneKind.ECONOMIC,
        level=ZoneLevel.PROVINCIAL, province="浙江省", city="杭州市", county="XX市", area_km2=Decimal("157.48"),
        rank="正科级", established_on=datetime.date(2021, 11, 1),
        description="由省级XX经济开发区（122.48平方公里）与省级XX现代环保装备高新技术产业园区（35平方公里）整合而成，"
                    "“一个平台、一个主体、一套班子”，开发区党工委、管委会为市委、市政府派出机构，合署办公。",
        committee_name="中共浙江省XX经济开发区工作委员会、浙江省XX经济开发区管理委员会",
    )
    parks = {code: org.do_create_park(ACTOR, zone, code=code, name=name, leading_industries=ind, area_km2=area,
                                      sort=i + 1)
             for i, (code, name, ind, area) in enumerate(PARKS)}

    # do_create_zone made the committee; the zone's leaders fill in the rest of it.
    committee = org.do_update_org(
        ACTOR, Org.objects.get(zone=zone, kind=OrgKind.COMMITTEE), short_name="开发委", rank="正科级",
        headcount_cap=95, functions="负责所辖区域内的规划、招商、融资、重大基础设施建设和监管，项目招商、审批和建设期间的企业管理服务。")
    b.orgs["committee"] = committee
    org.do_add_plaque(ACTOR, committee, name="XX现代环保装备高新技术产业园区管理委员会", kind=PlaqueKind.ADDED,
                      since=datetime.date(2021, 11, 1))
    org.do_add_plaque(ACTOR, committee, name="XX市城西工业新城建设管理委员会办公室", kind=PlaqueKind.ATTACHED,
                      since=datetime.date(2016, 6, 1))
    _establish(committee, administrative=8)
    b.staff(committee, 5, PostKind.ADMINISTRATIVE, ["党工委书记、管委会主任", "党工委副书记、管委会副主任", "管委会副主任",
                                                    "管委会副主任", "党工委委员"], (260000, 320000))

    for i, (code, name, comprehensive, plaque) in enumerate(DEPARTMENTS):
        dept = b.org(zone, code, name, OrgKind.DEPARTMENT, parent=committee, comprehensive=comprehensive,
                     rank="股级", sort=10 + i, headcount_cap=9)
        if plaque:
            org.do_add_plaque(ACTOR, dept, name=plaque, kind=PlaqueKind.ATTACHED, since=datetime.date(2021, 11, 1))
        _establish(dept, administrative=5, appointed=2)
        posts = ["处长", "副处长", "招商专员" if code == "zhaoshang" else "项目专员", "科员", "科员"]
        b.staff(dept, 5, PostKind.ADMINISTRATIVE, posts, (150000, 230000))
        b.staff(dept, 1 if code != "zhaoshang" else 3, PostKind.APPOINTED,
                ["招商经理", "招商经理", "招商经理"] if code == "zhaoshang" else ["聘任专员"], (160000, 260000))

    for i, (code, name) in enumerate(INSTITUTIONS):
        inst = b.org(zone, code, name, OrgKind.INSTITUTION, parent=committee, rank="股级", sort=30 + i,
                     headcount_cap=8)
        _establish(inst, public_service=5, contract=2)
        b.staff(inst, 4, PostKind.PUBLIC_SERVICE, ["主任", "副主任", "项目服务专员", "项目服务专员"], (130000, 200000))
        b.staff(inst, 1, PostKind.CONTRACT, ["辅助岗"], (70000, 90000))

    city_government = b.org(zone, "city-gov", "XX市人民政府", OrgKind.CITY_GOVERNMENT, sort=40,
                            functions="市政府分管领导担任开发区联席会议召集人。")
    for i, (code, name) in enumerate(CITY_DEPARTMENTS):
        b.org(zone, code, name, OrgKind.CITY_DEPARTMENT, sort=50 + i)
    # The people of the city departments the zone works with most (approvals, land) are on the platform too.
    b.staff(b.orgs["zrzy"], 3, PostKind.ADMINISTRATIVE, ["科长", "副科长", "工作人员"], (150000, 210000))
    b.staff(b.orgs["spj"], 3, PostKind.ADMINISTRATIVE, ["科长", "副科长", "工作人员"], (150000, 210000))

    for i, (code, name, home) in enumerate(STATIONED):
        agency = b.org(zone, code, name, OrgKind.STATIONED, home_department=b.orgs[home], sort=70 + i,
                       functions="派驻开发区，实行双重管理；开发区享有考核评价权、主要负责人人事考核权和征得同意权。")
        _establish(agency, administrative=4)
        b.staff(agency, 3, PostKind.ADMINISTRATIVE, ["负责人", "副职", "工作人员"], (140000, 200000))

    for i, (code, name) in enumerate(STREETS):
        street = b.org(zone, code, name, OrgKind.STREET, sort=80 + i,
                       functions="负责区域内安全生产、社会管理、民生保障、环境卫生及项目征地、拆迁、交地等工作。")
        b.staff(street, 3, PostKind.ADMINISTRATIVE, ["街道办事处副主任", "科员", "科员"] if code != "xinqiao"
                else ["副镇长", "科员", "科员"], (140000, 200000))

    platform = b.org(zone, "pingtai", "XX经济开发区开发建设集团有限公司", OrgKind.PLATFORM_COMPANY, sort=90,
                     functions="开发区平台公司：基础设施投资建设、资产运营、过桥资金。")
    b.staff(platform, 4, PostKind.CONTRACT, ["董事长", "总经理", "投资部经理", "财务部经理"], (180000, 300000))
    b.org(zone, "fund", "XX经济开发区产业发展基金", OrgKind.FUND, sort=91,
          functions="基金规模 5 亿元，投向开发区主导产业项目。")

    for code, name, park in ENTERPRISES:
        b.org(zone, code, name, OrgKind.ENTERPRISE, park=parks[park], sort=100)
    b.org(zone, "zhongjie", "XX正衡工程咨询有限公司", OrgKind.INTERMEDIARY, sort=120,
          functions="环评、安评、工程咨询服务。")

    # Secondments (挂职 1–2 years).
    zhaoshang_staff = list(b.orgs["zhaoshang"].staff.order_by("staff_no"))
    jingji_staff = list(b.orgs["jingji"].staff.order_by("staff_no"))
    org.do_create_secondment(ACTOR, zhaoshang_staff[2], host_name="上海驻点招商联络处", post="驻沪招商专员",
                             start=datetime.date(2026, 3, 1), end=datetime.date(2027, 2, 28),
                             note="异地挂职招商")
    org.do_create_secondment(ACTOR, jingji_staff[3], host_org=b.orgs["swuj"], post="外资科副科长（挂职）",
                             start=datetime.date(2025, 9, 1), end=datetime.date(2027, 8, 31))
    org.do_create_secondment(ACTOR, list(b.orgs["jianshe"].staff.order_by("staff_no"))[3], host_org=b.orgs["chengxi"],
                             post="城建办副主任（挂职）", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))

    # Reorganisation history (ORG-4).
    merged = datetime.date(2021, 11, 1)
    reorgs = [
        (merged, ReorgKind.MERGE, "整合XX经济开发区与XX现代环保装备高新技术产业园区管理机构", "开发区管理机构", 2, 1,
         "按一个平台、一个主体、一套班子整合两套班子，设立开发区党工委、管委会，增挂高新区管委会牌子。", [committee]),
        (merged, ReorgKind.ABOLISH, "核减正科级单位", "正科级单位", 2, 1, "两区管理机构实质性整合后核减正科级单位1个。",
         [committee]),
        (merged, ReorgKind.RESTRUCTURE, "核减股级内设机构", "股级内设机构", 10, 7, "核减股级内设机构3个。",
         [b.orgs[c] for c, *_ in DEPARTMENTS]),
        (merged, ReorgKind.RESTRUCTURE, "核减股级事业单位", "股级事业单位", 9, 6,
         "核减股级事业单位3个，设立投资环境促进中心等6个事业单位。", [b.orgs[c] for c, _ in INSTITUTIONS]),
        (merged, ReorgKind.ESTABLISHMENT, "核减事业编制", "事业编制（名）", 36, 30, "核减事业编制6名。",
         [b.orgs[c] for c, _ in INSTITUTIONS]),
        (datetime.date(2021, 3, 1), ReorgKind.RESTRUCTURE, "全市开发区（园区）整合提升", "工业园区（个）", 15, 6,
         "根据《XX市开发区（园区）整合提升工作方案》，全市15个工业园区整合为6个，本区整合原XX工业功能区。", []),
        (datetime.date(2021, 3, 1), ReorgKind.RESTRUCTURE, "全市开发区（园区）管理机构精简", "管理机构（个）", 26, 23,
         "根据《XX市开发区（园区）整合提升工作方案》，全市开发区（园区）管理机构由26个精简为23个。", []),
    ]
    for date, kind, title, subject, before, after, description, involved in reorgs:
        org.do_record_reorg(ACTOR, zone, orgs=involved, date=date, kind=kind, title=title, subject=subject,
                            before_count=before, after_count=after, description=description,
                            document_no="X编〔2021〕18号" if date == merged else "X委办发〔2021〕9号")

    # The neighbouring zone: same city, another county, so scoping across zones is real.
    neighbour = org.do_create_zone(
        ACTOR, code=NEIGHBOUR_ZONE, name="杭州市YY高新技术产业园区", short_name="YY高新区", kind=ZoneKind.HIGH_TECH,
        level=ZoneLevel.PROVINCIAL, province="浙江省", city="杭州市", county="YY县", area_km2=Decimal("28.00"),
        rank="正科级", committee_name="杭州市YY高新技术产业园区管理委员会",
    )
    n_park = org.do_create_park(ACTOR, neighbour, code="yy-core", name="YY核心园", leading_industries="生物医药")
    n_committee = org.do_update_org(ACTOR, Org.objects.get(zone=neighbour, kind=OrgKind.COMMITTEE), rank="正科级")
    n_dept = org.do_create_org(ACTOR, neighbour, code="yy-jingji", name="YY高新区经济发展局", kind=OrgKind.DEPARTMENT,
                               parent=n_committee, park=n_park)
    _establish(n_dept, administrative=4)
    b.staff(n_dept, 3, PostKind.ADMINISTRATIVE, ["局长", "副局长", "科员"], (150000, 220000))

    # Demo users, one for every kind of user.
    password = demo_password()
    users = [
        ("admin_sys", "系统管理员", Role.SYS_ADMIN, None),
        ("admin_sec", "安全管理员", Role.SEC_ADMIN, None),
        ("admin_audit", "审计管理员", Role.AUDIT_ADMIN, None),
        ("leader", "周建国", Role.ZONE_LEADER, committee),
        ("dangzheng", "吴秀芳", Role.ORG_HR, b.orgs["dangzheng"]),
        ("jingji", "陈思远", Role.ZONE_STAFF, b.orgs["jingji"]),
        ("zhaoshang", "林嘉怡", Role.ZONE_STAFF, b.orgs["zhaoshang"]),
        ("jianshe", "郑浩然", Role.ZONE_STAFF, b.orgs["jianshe"]),
        ("zrzy", "许晨", Role.CITY_DEPT_STAFF, b.orgs["zrzy"]),
        ("shuiwu", "何丽", Role.STATIONED_STAFF, b.orgs["shuiwu"]),
        ("street1", "唐秀英", Role.STREET_STAFF, b.orgs["chengxi"]),
        ("pingtai", "曹宇", Role.PLATFORM_STAFF, platform),
        ("qiye", "罗子轩", Role.ENTERPRISE_USER, b.orgs["ent-anshi"]),
        ("zhongjie", "宋雨欣", Role.INTERMEDIARY_USER, b.orgs["zhongjie"]),
        ("cityleader", "韩志红", Role.CITY_LEADER, city_government),
        ("outsider", "邻区工作人员", Role.ZONE_STAFF, n_dept),
    ]
    for username, name, role, body in users:
        extra = [neighbour] if username == "cityleader" else ()
        account_services.do_create_user(ACTOR, username=username, password=password, name=name, org=body, role=role,
                                        must_change_password=False, extra_zones=extra)
    # The committee's head sees the committee's own pay and phones (组织人事 sees the zone's).
    org.do_set_head(ACTOR, committee, User.objects.get(username="leader"))
    # So the demo stays easy to try: no role must use a second factor here (printed at demo start). Production keeps
    # the default (三员 and leaders required); anyone can still enrol from 账号安全 to try it.
    two_factor.do_set_policy(ACTOR, {role: False for role in Role})
    for module in registry.demo_modules():
        module.load(zone, neighbour)


DEMO_USERNAMES = ["admin_sys", "admin_sec", "admin_audit", "leader", "dangzheng", "jingji", "zhaoshang", "jianshe", "zrzy",
                  "shuiwu", "street1", "pingtai", "qiye", "zhongjie", "cityleader", "outsider"]


def demo_usernames() -> list[str]:
    """The core demo users, then those a module's demo adds (its ``USERNAMES``), in the order printed."""
    extra = [name for module in registry.demo_modules() for name in getattr(module, "USERNAMES", ())]
    return DEMO_USERNAMES + [name for name in extra if name not in DEMO_USERNAMES]


def summary():
    from django.db.models import Count

    from kaifaqu.org.models import Park, Staff

    zone = Zone.objects.get(code=DEMO_ZONE)
    by_kind = dict(Org.objects.filter(zone=zone).values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {
        "zones": Zone.objects.count(),
        "parks": Park.objects.filter(zone=zone).count(),
        "orgs_by_kind": {OrgKind(k).label: v for k, v in by_kind.items()},
        "staff": Staff.objects.filter(zone=zone).count(),
        "two_factor_required": [role for role, required in two_factor.policy_table().items() if required],
        "modules": {label: value for module in registry.demo_modules() for label, value in module.figures(zone).items()},
        "users": list(User.objects.filter(username__in=demo_usernames()).select_related("org")
                      .order_by("pk").values_list("username", "role", "org__name")),
    }
