"""Rule 1, checked for every route: walk every API route and page URL with every persona.

- A detail/action route of an object in the demo zone answers the outsider (another zone's staff) exactly as it
  answers for an object that does not exist (404; 403 where the role may not use that kind of object at all).
- No list shows a persona an object outside its zones.
- Nothing answers 500.
A route the walker cannot classify fails the test, so new routes must be covered (declare `model` on views).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS

# Routes without objects: (regex of the full route, reason)
NON_OBJECT_ROUTES = [
    r"^$", r"^healthz$", r"^accounts/login/$", r"^accounts/logout/$", r"^accounts/password/change/$",
    r"^api/schema/$", r"^api/docs/$", r"^api/redoc/$", r"^api/v1/auth/token$", r"^api/v1/auth/token/revoke$",
    r"^api/v1/auth/me$", r"^static/", r"^accounts/security/roles/$",
    r"^core/notifications/read-all/$", r"^core/notifications/preferences/$",  # the user's own inbox settings
    r"^api/v1/\^\$$", r"^api/v1/\.\(\?P<format>",
    r"^api/v1/calendar/",  # calendar arithmetic: no objects
    r"^api/v1/workbench/$",  # the user's own to-dos, each entry scoped by its module
    r"^accounts/login/verify/$", r"^accounts/me/",  # the second login step and the user's own 账号安全 pages
    r"^accounts/security/two-factor/$",  # the per-role policy table
    r"^core/imports/new/", r"^core/imports/templates/", r"^api/v1/\^imports/templates/",  # per layout, not objects
]


def walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p, route, ns)
        elif isinstance(p, URLPattern):
            p.full_name = f"{namespace}{p.name}" if p.name else None
            yield route, p


def model_of(callback):
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return getattr(callback, "model", None)  # function views declare it as an attribute
    model = getattr(cls, "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    return model


def zone_of(obj):
    if obj._meta.label_lower == "org.zone":
        return obj.pk
    if hasattr(obj, "zone_id"):
        return obj.zone_id
    if obj._meta.label_lower == "accounts.user":
        return obj.org.zone_id if obj.org_id else None
    return None


def concrete(pattern, pk=None):
    assert pattern.full_name, f"unnamed route {pattern}"
    return reverse(pattern.full_name, kwargs={"pk": pk} if pk is not None else {})


def classified_routes():
    details, lists, unknown = [], [], []
    for route, pattern in walk():
        if any(re.search(rx, route) for rx in NON_OBJECT_ROUTES):
            continue
        if "format" in route:
            continue
        model = model_of(pattern.callback)
        has_pk = "pk>" in route
        if model is None:
            unknown.append(route)
        elif has_pk:
            details.append((route, model, pattern))
        else:
            lists.append((route, model, pattern))
    return details, lists, unknown


def test_every_route_is_classified(db):
    _, _, unknown = classified_routes()
    assert not unknown, f"routes the scoping walk cannot classify (declare `model`): {unknown}"


def sample_in_zone(model, zone_id):
    for obj in model._base_manager.all().order_by("pk")[:500]:
        if zone_of(obj) == zone_id:
            return obj
    return None


@pytest.fixture
def inbox(world):
    from kaifaqu.core import notify

    return notify.send("system.message", "演示通知", users=[world.leader], zone_id=world.zone.pk)


@pytest.fixture
def calendar_row(world):
    """A demo-zone day override, so the calendar override routes are walked too."""
    import datetime

    from kaifaqu.core.access import SYSTEM
    from kaifaqu.core.calendar.services import do_set_override

    return do_set_override(SYSTEM, date=datetime.date(2026, 3, 5), is_workday=False, reason="本区防汛停工",
                           zone=world.zone)


@pytest.mark.django_db
def test_outsider_gets_404_on_every_object_route(world, inbox, calendar_row, client_for, api_for):
    details, _, _ = classified_routes()
    assert details, "no detail routes found"
    web = client_for(world.outsider)
    api = api_for(world.outsider)
    checked = 0
    for _route, model, pattern in details:
        obj = sample_in_zone(model, world.zone.pk)
        if obj is None:
            continue
        url = concrete(pattern, obj.pk)
        missing = concrete(pattern, 987654321)
        client = api if url.startswith("/api/") else web
        for method in ("get", "post"):
            response = getattr(client, method)(url, {})
            if response.status_code == 405:
                continue
            # The answer for a real object of another zone must be the answer for an object that does not exist.
            control = getattr(client, method)(missing, {})
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code} to the outsider"
            assert response.status_code == control.status_code, (
                f"{method} {url}: {response.status_code} for a demo-zone object vs {control.status_code} for none")
        checked += 1
    assert checked >= 10, f"only {checked} object routes checked"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_show_only_own_zones(world, client_for, api_for, persona):
    user = world.users[persona]
    allowed = set(user.scope.zone_ids)
    _, lists, _ = classified_routes()
    for _route, model, pattern in lists:
        url = concrete(pattern)
        if url.startswith("/api/"):
            response = api_for(user).get(url, {"page_size": 200})
            assert response.status_code in (200, 403, 405), f"{persona} {url}: {response.status_code}"
            if response.status_code != 200:
                continue
            for row in response.json()["results"]:
                obj = model._base_manager.get(pk=row["id"])
                zone = zone_of(obj)
                assert zone is None or zone in allowed, f"{persona} sees {model.__name__} #{obj.pk} of zone {zone}"
        else:
            response = client_for(user).get(url, {"page_size": 200})
            assert response.status_code in (200, 302, 403, 405), f"{persona} {url}: {response.status_code}"
            if response.status_code == 200 and response.context and "object_list" in response.context:
                for obj in response.context["object_list"]:
                    zone = zone_of(obj)
                    assert zone is None or zone in allowed, f"{persona} page {url} shows {obj!r} of zone {zone}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_object_route_errors_for_any_persona(world, inbox, calendar_row, client_for, api_for, persona):
    user = world.users[persona]
    details, _, _ = classified_routes()
    for _route, model, pattern in details:
        obj = sample_in_zone(model, world.zone.pk)
        if obj is None:
            continue
        url = concrete(pattern, obj.pk)
        client = api_for(user) if url.startswith("/api/") else client_for(user)
        response = client.get(url)
        assert response.status_code < 500, f"{persona} {url}: {response.status_code}"
        if response.status_code == 200 and zone_of(obj) not in user.scope.zone_ids:
            pytest.fail(f"{persona} reads {url} outside its zones")
