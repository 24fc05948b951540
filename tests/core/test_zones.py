"""core.zones: the one answer to "which zone is this request for" (pages, the API, imports)."""

import pytest
from django.http import Http404

from kaifaqu.accounts.models import User
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.zones import (
    ZoneInvalid,
    ZoneNotChosen,
    resolve_zone,
    resolve_zone_object,
    user_zones,
    zone_for_page,
)


@pytest.fixture
def two_zone_clerk(world):
    # 组织人事 (who may import staff) seeing a second zone
    world.hr.extra_zones.add(world.other_zone)
    return User.objects.get(pk=world.hr.pk)  # a fresh scope


def test_the_only_zone_is_taken_when_none_is_asked(world):
    assert resolve_zone(world.leader) == world.zone.pk
    assert resolve_zone(world.leader, "") == world.zone.pk
    assert resolve_zone(world.leader, required=False) is None  # platform-wide, or nothing zoned


def test_a_zone_asked_for_must_be_the_users(world, two_zone_clerk):
    assert resolve_zone(two_zone_clerk, world.other_zone.pk) == world.other_zone.pk
    assert resolve_zone(two_zone_clerk, str(world.zone.pk)) == world.zone.pk
    for refused in (world.other_zone.pk, str(world.other_zone.pk), "abc", "²", "-1", True, 10 ** 30, 987654321):
        with pytest.raises(ZoneInvalid) as exc:
            resolve_zone(world.leader, refused, field="zone_id")
        assert exc.value.status == 400 and exc.value.fields == {"zone_id": ["开发区无效。"]}, refused


def test_a_user_of_several_zones_must_choose(world, two_zone_clerk):
    with pytest.raises(ZoneNotChosen) as exc:
        resolve_zone(two_zone_clerk)
    assert exc.value.status == 400 and exc.value.detail == "请选择开发区。"
    assert exc.value.fields == {"zone": ["请选择开发区。"]}
    with pytest.raises(ZoneNotChosen, match="请选择要导入的开发区"):
        resolve_zone(two_zone_clerk, choose_message="请选择要导入的开发区。")
    # where the caller allows it, the zone of the user's own organisation
    assert resolve_zone(two_zone_clerk, own_org_zone=True) == world.zone.pk


def test_the_platform_may_name_any_existing_zone(world):
    assert resolve_zone(SYSTEM, world.other_zone.pk) == world.other_zone.pk
    with pytest.raises(ZoneInvalid):
        resolve_zone(SYSTEM, 987654321)
    with pytest.raises(ZoneNotChosen):
        resolve_zone(SYSTEM)


def test_objects_and_choices(world, two_zone_clerk, django_assert_num_queries):
    assert resolve_zone_object(world.leader) == world.zone
    assert resolve_zone_object(world.leader, required=False) is None
    assert list(user_zones(two_zone_clerk)) == sorted([world.zone, world.other_zone], key=lambda z: z.code)
    assert list(user_zones(world.outsider)) == [world.other_zone]
    with django_assert_num_queries(1):
        resolve_zone_object(world.leader, world.zone.pk)


def test_pages_answer_404(world, two_zone_clerk):
    assert zone_for_page(world.leader) == world.zone
    assert zone_for_page(world.leader, str(world.zone.pk)) == world.zone
    with pytest.raises(Http404, match="未找到该对象"):
        zone_for_page(world.outsider, world.zone.pk)
    platform_admin = world.sysadmin  # every zone, no organisation of its own
    with pytest.raises(Http404, match="请先选择开发区"):
        zone_for_page(platform_admin)
    assert zone_for_page(two_zone_clerk) == world.zone  # the own organisation's


def test_the_api_and_imports_use_it(world, api_for, two_zone_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_for(two_zone_clerk).post("/api/v1/imports/", {
        "layout": "staff", "file": SimpleUploadedFile("a.csv", "工号,姓名\n".encode())}, format="multipart")
    assert response.status_code == 400 and response.json()["fields"] == {"zone": ["请选择开发区。"]}
    assert response.json()["detail"] == "请选择要导入的开发区。"
    day = api_for(world.leader).get("/api/v1/calendar/day", {"date": "2026-03-05", "zone": world.other_zone.pk})
    assert day.status_code == 400 and day.json()["fields"] == {"zone": ["开发区无效。"]}
