"""Factories build rows directly (test set-up, not business writes); behaviour under test goes through services."""

import datetime

import factory

from kaifaqu.accounts.models import User
from kaifaqu.org.models import (
    Establishment,
    Org,
    OrgKind,
    OrgState,
    Park,
    Plaque,
    PostKind,
    ReorgEvent,
    Secondment,
    SecondmentState,
    Staff,
    Zone,
)

PASSWORD = "Test@2026pass"


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    code = factory.Sequence(lambda n: f"zone{n}")
    name = factory.Sequence(lambda n: f"测试经济开发区{n}")
    city = "测试市"
    county = factory.Sequence(lambda n: f"测试县{n}")


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park

    zone = factory.SubFactory(ZoneFactory)
    code = factory.Sequence(lambda n: f"park{n}")
    name = factory.Sequence(lambda n: f"园区{n}")


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org

    zone = factory.SubFactory(ZoneFactory)
    kind = OrgKind.DEPARTMENT
    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"机构{n}")
    is_active = True
    state = factory.LazyAttribute(lambda o: OrgState.ACTIVE if o.is_active else OrgState.ABOLISHED)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    org = factory.SubFactory(OrgFactory)
    zone = factory.SelfAttribute("org.zone")
    kind = PostKind.ADMINISTRATIVE
    approved = 5


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    org = factory.SubFactory(OrgFactory)
    zone = factory.SelfAttribute("org.zone")
    staff_no = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Sequence(lambda n: f"张{n}")
    post_kind = PostKind.ADMINISTRATIVE
    grade_on_file = "四级主任科员"
    appointed_post = "项目经理"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class PlaqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plaque

    org = factory.SubFactory(OrgFactory)
    zone = factory.SelfAttribute("org.zone")
    name = factory.Sequence(lambda n: f"牌子{n}")


class ReorgEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReorgEvent

    zone = factory.SubFactory(ZoneFactory)
    date = datetime.date(2021, 3, 1)
    kind = "merge"
    title = factory.Sequence(lambda n: f"机构整合{n}")
    subject = "机构数"
    before_count = 2
    after_count = 1


class SecondmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Secondment

    staff = factory.SubFactory(StaffFactory)
    zone = factory.SelfAttribute("staff.zone")
    host_name = "省商务厅"
    post = "挂职"
    start = datetime.date(2024, 1, 1)
    end = datetime.date(2025, 12, 31)
    ended_early_on = None
    state = factory.LazyAttribute(
        lambda o: SecondmentState.RUNNING if o.ended_early_on is None else SecondmentState.ENDED_EARLY)
