"""Rule 1, checked for every route: walk every API route and page URL with every persona.

- Every model a route reaches has sample rows in the demo zone and in the other zone (``tests/<app>/samples.py``,
  see tests/samples.py); no route is skipped.
- An object route (``…/{pk}/…``, nested ones included: every URL kwarg is filled from the sample row) answers each
  outsider of the other zone — the ordinary one and that zone's system, security and audit administrators —
  exactly as it answers for an object that does not exist; and at least one outsider gets past the role check to
  the lookup (404), so the route shows scoping, not only role gating.
- Every list shows each persona exactly ``Model.objects.visible_to(persona)``: a row of another unit of the same
  zone counts as a leak, not only a row of another zone.
- No object route shows a persona an object outside ``visible_to``; nothing answers 500.
A route the walker cannot classify fails the test, so new routes must be covered (declare `model` on views).
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.views.generic.list import MultipleObjectMixin

from tests import samples as sample_registry
from tests.conftest import OUTSIDERS, PERSONAS

MISSING = 987654321

# Routes without objects: (regex of the full route, reason)
NON_OBJECT_ROUTES = [
    r"^$", r"^healthz$", r"^accounts/login/$", r"^accounts/logout/$", r"^accounts/password/change/$",
    r"^api/schema/$", r"^api/docs/$", r"^api/redoc/$", r"^api/v1/auth/token$", r"^api/v1/auth/token/revoke$",
    r"^api/v1/auth/me$", r"^static/", r"^accounts/security/roles/$",
    # roles are platform-wide permission sets (one per role code), not zone objects
    r"^accounts/security/roles/<slug:role>/edit/$", r"^api/v1/\^roles/",
    r"^core/notifications/read-all/$", r"^core/notifications/preferences/$",  # the user's own inbox settings
    r"^api/v1/\^\$$", r"^api/v1/\.\(\?P<format>",
    r"^api/v1/calendar/(add|between|deadline|day|coverage|working-hours/)$",  # calendar arithmetic: no objects
    r"^api/v1/workbench/$",  # the user's own to-dos, each entry scoped by its module
    r"^accounts/login/verify/$", r"^accounts/me/",  # the second login step and the user's own 账号安全 pages
    r"^accounts/security/two-factor/$",  # the per-role policy table
    r"^core/imports/new/", r"^core/imports/templates/", r"^api/v1/\^imports/templates/",  # per layout, not objects
    # the State Council's published years: one platform-wide list, confirmed by the system administrator
    r"^core/calendar/confirm-year/$", r"^api/v1/calendar/years/$",
]


@dataclass
class Route:
    route: str
    pattern: URLPattern
    kwargs: tuple  # URL kwarg names, outer resolvers' first
    model: type | None

    @property
    def name(self):
        return self.pattern.full_name

    @property
    def actions(self):
        """{method: action} of a DRF viewset route, else None."""
        return getattr(self.pattern.callback, "actions", None)

    @property
    def kind(self):
        if self.kwargs:
            return "detail"
        if self.actions is not None:
            return "list" if "list" in self.actions.values() else "other"
        cls = getattr(self.pattern.callback, "view_class", None)
        return "list" if cls is not None and issubclass(cls, MultipleObjectMixin) else "other"

    @property
    def methods(self):
        return [m for m in ("get", "put", "patch", "delete", "post") if m in self.actions] if self.actions else \
            ["get", "post"]


def walk(resolver=None, prefix="", namespace="", kwargs=()):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        names = kwargs + tuple(n for n in p.pattern.regex.groupindex if n != "format")
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p, route, ns, names)
        elif isinstance(p, URLPattern):
            p.full_name = f"{namespace}{p.name}" if p.name else None
            yield route, p, names


def model_of(callback):
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return getattr(callback, "model", None)  # function views declare it as an attribute
    model = getattr(cls, "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    return model


def classified_routes(resolver=None):
    """(routes by kind {"detail", "list", "other"}, unclassified route strings)."""
    found, unknown = {"detail": [], "list": [], "other": []}, []
    for route, pattern, names in walk(resolver):
        if any(re.search(rx, route) for rx in NON_OBJECT_ROUTES) or "format" in route:
            continue
        r = Route(route, pattern, names, model_of(pattern.callback))
        if r.model is None:
            unknown.append(route)
        else:
            found[r.kind].append(r)
    return found, unknown


def zone_of(obj):
    if obj._meta.label_lower == "org.zone":
        return obj.pk
    if obj._meta.label_lower == "accounts.user":
        return obj.org.zone_id if obj.org_id else None
    return getattr(obj, "zone_id", None)


def workflow_of(route):
    """The workflow of an action page (``core.workflow.views.ActionView``), else None."""
    cls = getattr(route.pattern.callback, "view_class", None)
    return getattr(cls, "workflow", None) if cls is not None else None


def url_kwargs(route, obj, pk):
    """Every kwarg of the route from the sample row: ``pk`` is ``pk`` (the row's, or a missing one), ``<name>_pk``
    and ``<name>_id`` the row's ``<name>_id`` (its parent in a nested route), ``action`` of a workflow action page
    the workflow's first action, any other name the row's attribute."""
    kwargs = {}
    for name in route.kwargs:
        if name == "pk":
            kwargs[name] = pk
        elif name == "action" and workflow_of(route) is not None:
            kwargs[name] = next(iter(workflow_of(route).actions))
        elif name.endswith(("_pk", "_id")) and hasattr(obj, f"{name[:-3]}_id"):
            kwargs[name] = getattr(obj, f"{name[:-3]}_id")
        elif hasattr(obj, name):
            kwargs[name] = getattr(obj, name)
        else:
            raise AssertionError(f"{route.route}: cannot fill URL kwarg {name!r} from a {type(obj).__name__}")
    return kwargs


def concrete(route, obj=None, pk=None, urlconf=None):
    assert route.name, f"unnamed route {route.route}"
    kwargs = url_kwargs(route, obj, obj.pk if pk is None else pk) if route.kwargs else {}
    return reverse(route.name, kwargs=kwargs, urlconf=urlconf)


@pytest.fixture
def samples(world):
    """{model: [rows]} from every app's tests/<app>/samples.py."""
    return sample_registry.build(world)


def in_zone(rows, zone_id):
    return [obj for obj in rows if zone_of(obj) == zone_id]


def test_every_route_is_classified(db):
    _, unknown = classified_routes()
    assert not unknown, f"routes the scoping walk cannot classify (declare `model`): {unknown}"


@pytest.mark.django_db
def test_every_model_a_route_reaches_has_sample_rows_in_both_zones(world, samples):
    routes, _ = classified_routes()
    reached = {r.model for kind in routes.values() for r in kind}
    problems = []
    for model in sorted(reached, key=lambda m: m._meta.label):
        rows = samples.get(model)
        if rows is None:
            problems.append(f"{model._meta.label}: no @sample function (add one to tests/<app>/samples.py)")
            continue
        for zone in (world.zone, world.other_zone):
            if not in_zone(rows, zone.pk):
                problems.append(f"{model._meta.label}: no sample row in zone {zone.code}")
    assert not problems, f"{len(reached)} models reached by routes; missing samples:\n" + "\n".join(problems)


def _call(client, method, url):
    return getattr(client, method)(url, {}, format="json") if hasattr(client, "credentials") else \
        getattr(client, method)(url, {})


def _body(response):
    return response.json() if response.get("Content-Type", "").startswith("application/json") else None


@pytest.mark.django_db
def test_outsiders_get_the_missing_object_answer_on_every_object_route(world, outsiders, samples, client_for,
                                                                      api_for):
    routes, _ = classified_routes()
    details = routes["detail"]
    assert details, "no detail routes found"
    clients = {user.username: (api_for(user), client_for(user)) for user in outsiders}
    problems, gated, reached, calls = [], [], 0, 0
    for route in details:
        obj = in_zone(samples[route.model], world.zone.pk)[0]
        url, missing = concrete(route, obj), concrete(route, obj, pk=MISSING)
        got_to_lookup = False
        for username, (api, web) in clients.items():
            client = api if url.startswith("/api/") else web
            for method in route.methods:
                response, control = _call(client, method, url), _call(client, method, missing)
                calls += 1
                if response.status_code == control.status_code == 405:
                    continue
                if response.status_code not in (403, 404) or response.status_code != control.status_code or \
                        _body(response) != _body(control):
                    problems.append(f"{username} {method} {url}: {response.status_code} {_body(response)} for a "
                                    f"demo-zone object vs {control.status_code} {_body(control)} for none")
                got_to_lookup |= response.status_code == 404
        if got_to_lookup:
            reached += 1
        else:
            gated.append(route.route)
    summary = (f"{len(details)} object routes walked ({calls} requests by {len(outsiders)} outsiders), "
               f"{reached} reached the object lookup, 0 skipped")
    print(summary)
    assert not problems, summary + "\n" + "\n".join(problems)
    assert not gated, (summary + "; answered 403 to every outsider (role gating, not scoping — add an outsider "
                       "holding that permission in the other zone):\n" + "\n".join(gated))


def list_ids(response, route, client, url):
    """Every id a list answers (all pages), or None when it is not a 200 list."""
    if response.status_code != 200:
        return None
    if route.actions is not None:
        ids, data = [], response.json()
        while True:
            ids += [row["id"] for row in data["results"]]
            if not data.get("next"):
                return ids
            data = client.get(data["next"]).json()
    page = response.context["page_obj"] if response.context and "page_obj" in response.context else None
    ids = [obj.pk for obj in response.context["object_list"]]
    while page is not None and page.has_next():
        response = client.get(url, {"page_size": 200, "page": page.next_page_number()})
        page = response.context["page_obj"]
        ids += [obj.pk for obj in response.context["object_list"]]
    return ids


@pytest.mark.django_db
def test_every_list_shows_each_persona_exactly_what_visible_to_gives(world, outsiders, samples, client_for,
                                                                    api_for):
    routes, _ = classified_routes()
    lists = routes["list"]
    personas = PERSONAS + tuple(p for p in OUTSIDERS if p not in PERSONAS)
    problems, shown = [], {r.route: 0 for r in lists}
    for persona in personas:
        user = world.users[persona]
        api, web = api_for(user), client_for(user)
        for route in lists:
            url = concrete(route)
            client = api if url.startswith("/api/") else web
            response = client.get(url, {"page_size": 200})
            if response.status_code not in (200, 302, 403):
                problems.append(f"{persona} {url}: {response.status_code}")
                continue
            ids = list_ids(response, route, client, url)
            if ids is None:
                continue
            visible = set(route.model.objects.visible_to(user).values_list("pk", flat=True))
            if len(ids) != len(set(ids)) or set(ids) != visible:
                problems.append(f"{persona} {url}: shows {sorted(set(ids) - visible)} beyond visible_to, misses "
                                f"{sorted(visible - set(ids))}" + (" (duplicates)" if len(ids) != len(set(ids))
                                                                    else ""))
            shown[route.route] += len(ids)
    empty = [route for route, n in shown.items() if not n]
    summary = (f"{len(lists)} lists walked by {len(personas)} personas, {len(lists) - len(empty)} showed rows to "
               f"someone")
    print(summary)
    assert not problems, summary + "\n" + "\n".join(problems)
    assert not empty, summary + "; lists empty for every persona (add sample rows):\n" + "\n".join(empty)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_object_route_shows_a_persona_what_visible_to_hides(world, samples, client_for, api_for, persona):
    user = world.users[persona]
    routes, _ = classified_routes()
    api, web = api_for(user), client_for(user)
    problems, requests = [], 0
    for route in routes["detail"]:
        visible = set(route.model.objects.visible_to(user).values_list("pk", flat=True))
        for obj in samples[route.model]:
            url = concrete(route, obj)
            response = (api if url.startswith("/api/") else web).get(url)
            requests += 1
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
            elif response.status_code == 200 and obj.pk not in visible:
                problems.append(f"{url}: 200 for a {route.model.__name__} outside visible_to")
    for route in routes["other"]:
        url = concrete(route)
        response = (api if url.startswith("/api/") else web).get(url)
        requests += 1
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
    assert not problems, f"{persona}, {requests} requests:\n" + "\n".join(problems)


# The walker itself on a nested route -------------------------------------------------------------------------------

def _nested_view(request, **kwargs):
    raise AssertionError("not called")


_nested_view.model = None  # set in the test


class NESTED_URLCONF:  # noqa: N801 - stands for a urls module
    urlpatterns = [
        path("staff/<int:staff_pk>/secondments/<int:pk>/", _nested_view, name="staff-secondment"),
        path("zones/<int:zone_pk>/secondments/<int:pk>/end/<slug:post>/", _nested_view, name="zone-secondment-end"),
    ]


@pytest.mark.django_db
def test_nested_routes_are_filled_from_the_sample_row(world, samples, monkeypatch):
    from kaifaqu.org.models import Secondment

    monkeypatch.setattr(_nested_view, "model", Secondment)
    routes, _ = classified_routes(get_resolver(NESTED_URLCONF))
    first, second = routes["detail"]
    assert first.kwargs == ("staff_pk", "pk") and second.kwargs == ("zone_pk", "pk", "post")
    obj = samples[Secondment][0]
    assert concrete(first, obj, urlconf=NESTED_URLCONF) == f"/staff/{obj.staff_id}/secondments/{obj.pk}/"
    assert concrete(first, obj, pk=MISSING, urlconf=NESTED_URLCONF) == f"/staff/{obj.staff_id}/secondments/{MISSING}/"
    obj.post = "deputy"
    assert concrete(second, obj, urlconf=NESTED_URLCONF) == f"/zones/{obj.zone_id}/secondments/{obj.pk}/end/deputy/"
    unfillable = Route("x/<int:case_pk>/", first.pattern, ("case_pk",), Secondment)
    with pytest.raises(AssertionError, match="cannot fill URL kwarg 'case_pk'"):
        url_kwargs(unfillable, obj, obj.pk)
