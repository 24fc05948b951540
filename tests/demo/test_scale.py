"""`kaifaqu seed-scale`: the same arguments give the same rows; a second run on the same database is refused."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.demo.scale import seed_scale
from kaifaqu.org.models import Org, OrgKind, Park, Staff, Zone


def snapshot():
    orgs = list(Org.objects.order_by("zone__code", "code").values_list("zone__code", "code", "kind", "name",
                                                                      "park__code", "headcount_cap"))
    staff = list(Staff.objects.order_by("zone__code", "staff_no").values_list("zone__code", "staff_no", "name",
                                                                               "org__code", "post_kind", "joined_on"))
    return orgs, staff


def wipe():
    Staff.objects.all().delete()
    Org.objects.all().delete()
    Park.objects.all().delete()
    Zone.objects.all().delete()


@pytest.mark.django_db
def test_seed_scale_is_deterministic_and_counts_what_it_made(capsys):
    call_command("seed_scale", zones=3, orgs_per_zone=4, enterprises=10, staff=25)
    out = capsys.readouterr().out
    assert "开发区 3 个" in out and "企业 10 家" in out and "人员 25 人" in out
    assert Zone.objects.count() == 3 and Park.objects.count() == 15
    assert Org.objects.filter(kind=OrgKind.ENTERPRISE).count() == 10
    assert Org.objects.filter(kind=OrgKind.COMMITTEE).count() == 3
    assert Org.objects.exclude(kind=OrgKind.ENTERPRISE).count() == 3 * 5
    assert Staff.objects.count() == 25
    assert list(Staff.objects.order_by("zone__code").values_list("zone__code", flat=True).distinct()) == [
        "s0000", "s0001", "s0002"]
    assert not Staff.objects.filter(org__kind__in=[OrgKind.ENTERPRISE, OrgKind.CITY_DEPARTMENT]).exists()
    first = snapshot()
    with pytest.raises(CommandError, match="已有 seed-scale"):
        call_command("seed_scale", zones=1)
    wipe()
    seed_scale(zones=3, orgs_per_zone=4, enterprises=10, staff=25)
    assert snapshot() == first
    wipe()
    seed_scale(zones=3, orgs_per_zone=4, enterprises=10, staff=25, seed=7)
    assert snapshot() != first


@pytest.mark.django_db
def test_seed_scale_refuses_bad_arguments():
    with pytest.raises(CommandError, match="参数无效"):
        call_command("seed_scale", zones=0)
