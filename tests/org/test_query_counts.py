"""ARCHITECTURE rule 9: each list runs the same number of SQL queries at page_size 5 and 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.org.models import OrgKind, Plaque, PostKind, ReorgEvent, Secondment
from tests.factories import EstablishmentFactory, OrgFactory, ParkFactory, StaffFactory

N = 60

# Expected counts (count + page + related prefetches + page-level figures); see the docstrings of api.py.
API_LISTS = {
    "zones": 2,
    "parks": 2,
    "orgs": 5,  # count, page, active plaques, approved totals, people in post
    "plaques": 2,
    "establishments": 4,  # count, page, approved and people in post per kind for the page's organisations
    "reorg-events": 3,  # count, page, involved organisations
    "staff": 2,
    "secondments": 2,
}


@pytest.fixture
def crowded(world):
    zone = world.zone
    parks = [ParkFactory(zone=zone) for _ in range(N)]
    orgs = []
    for i in range(N):
        org = OrgFactory(zone=zone, kind=OrgKind.DEPARTMENT, parent=world.committee, park=parks[i],
                         home_department=world.city_dept if i % 2 else None, headcount_cap=3)
        orgs.append(org)
        Plaque.objects.create(zone=zone, org=org, name=f"牌子{i}")
        EstablishmentFactory(org=org, kind=PostKind.ADMINISTRATIVE, approved=2)
        staff = StaffFactory(org=org)
        Secondment.objects.create(zone=zone, staff=staff, host_org=world.street_org, post="挂职",
                                  start=datetime.date(2024, 1, 1), end=datetime.date(2025, 1, 1))
        event = ReorgEvent.objects.create(zone=zone, date=datetime.date(2021, 1, 1), kind="merge", title=f"事件{i}",
                                          subject="机构数", before_count=2, after_count=1)
        event.orgs.set([org, world.committee])
    # more zones for the zone list, visible to a city leader with several zones
    return world


def count_queries(client, url, page_size):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("prefix", list(API_LISTS))
def test_api_list_query_count_does_not_grow_with_page_size(crowded, api_for, prefix):
    client = api_for(crowded.leader)
    url = f"/api/v1/{prefix}/"
    client.get(url)  # warm up: the user's scope is computed once per user
    small, r5 = count_queries(client, url, 5)
    large, r50 = count_queries(client, url, 50)
    assert len(r5.json()["results"]) == min(5, r5.json()["count"])
    if prefix != "zones":
        assert len(r50.json()["results"]) == 50
    assert small == large == API_LISTS[prefix], f"{prefix}: {small} queries at 5 rows, {large} at 50"


def test_org_api_list_query_count_with_filters(crowded, api_for, django_assert_num_queries):
    client = api_for(crowded.leader)
    client.get("/api/v1/orgs/")
    # each model-choice filter used validates its id with one query
    with django_assert_num_queries(API_LISTS["orgs"] + 2):
        client.get("/api/v1/orgs/", {"zone": crowded.zone.pk, "park": crowded.park.pk, "page_size": 50})


@pytest.mark.parametrize("name", ["org:org-list", "org:staff-list", "org:reorg-list", "org:secondment-list"])
def test_list_pages_query_count_does_not_grow_with_page_size(crowded, client_for, name):
    from django.urls import reverse

    client = client_for(crowded.leader)
    url = reverse(name)
    client.get(url)
    small, _ = count_queries(client, url, 5)
    large, _ = count_queries(client, url, 50)
    assert small == large, f"{name}: {small} queries at 5 rows, {large} at 50"


def test_zone_detail_query_count_does_not_grow_with_the_zone(crowded, client_for):
    from django.urls import reverse

    client = client_for(crowded.leader)
    url = reverse("org:zone-detail", args=[crowded.zone.pk])
    client.get(url)
    before, _ = count_queries(client, url, 5)
    for _ in range(10):
        OrgFactory(zone=crowded.zone, kind=OrgKind.INSTITUTION, parent=crowded.committee)
        OrgFactory(zone=crowded.zone, kind=OrgKind.ENTERPRISE)
    after, _ = count_queries(client, url, 5)
    assert before == after
