"""API test mixins (after NetBox's ``utilities/testing/api.py``): a module's test file enables them per model.

    class TestParks(kit.ModelTests):
        url = "/api/v1/parks/"
        model = Park
        list_queries = 2
        update_data = {"leading_industries": "冷链"}

        def make(self, world, zone):
            return ParkFactory(zone=zone)

        def create_data(self, world):
            return {"zone": world.zone.pk, "name": "物流园", "code": "wl"}

Each mixin is one concern; ``ReadTests`` and ``ModelTests`` bundle the usual ones:

- ``ListTests``: the list shows a row of the persona's zone and not one of the other zone;
- ``DetailTests``: one object by id;
- ``CreateTests``: POST ``create_data`` → 201, the row exists, the response echoes the data, an audit event; an
  empty body → 400 with fields, nothing written;
- ``UpdateTests``: PATCH ``update_data`` with ``version`` → 200 and the version bumped; the same version again → 409
  ``stale``;
- ``ActionTests``: each of ``actions`` (``{url_path: Action(...)}``) → its status, audited;
- ``ForeignTests``: every route of one object (GET, PATCH, each action) answers an object of the other zone exactly as
  an id that does not exist (404);
- ``QueryCountTests``: with at least 50 rows, page sizes 5 and 50 run the same absolute number of queries
  (``list_queries``) and render 5 and 50 rows.

The test class supplies ``make(world, zone)`` (one row of that zone, built with factories) and the data; the persona
(``persona`` or ``actor(world)``) is who reads and writes. The fixtures are those of tests/conftest.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.core.audit.models import AuditEvent

MISSING = 987654321
MANY = 55  # rows made for the query-count test: more than the larger page


@dataclass
class Action:
    """One action endpoint ``POST {detail}{url_path}/``: its body (a dict, or ``data(world, obj)``), who calls it (a
    persona name or ``actor(world)``; default the test class's), what must hold first (``setup(world, obj)``) and the
    status it answers."""

    data: dict | Callable = field(default_factory=dict)
    actor: str | Callable | None = None
    setup: Callable | None = None
    status: int = 200

    def body(self, world, obj) -> dict:
        return self.data(world, obj) if callable(self.data) else dict(self.data)


def _same(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def audit_count() -> int:
    return AuditEvent.objects.count()


class APITests:
    url = ""  # the list URL, e.g. "/api/v1/parks/"
    model = None
    persona = "leader"
    update_data: dict | None = None
    actions: dict = {}

    def make(self, world, zone):
        """One row of ``zone`` (the persona's ``world.zone``, or ``world.other_zone`` for the foreign row)."""
        raise NotImplementedError

    def actor(self, world):
        return world.users[self.persona]

    def client(self, world, api_for, who=None):
        if who is None:
            user = self.actor(world)
        elif callable(who):
            user = who(world)
        else:
            user = world.users[who]
        return api_for(user)

    def detail_url(self, pk) -> str:
        return f"{self.url}{pk}/"


class ListTests(APITests):
    def test_list_shows_the_zone_row_and_not_the_other_zones(self, world, api_for):
        own, foreign = self.make(world, world.zone), self.make(world, world.other_zone)
        response = self.client(world, api_for).get(self.url, {"page_size": 200})
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        ids = {row["id"] for row in body["results"]}
        assert own.pk in ids and foreign.pk not in ids


class DetailTests(APITests):
    def test_detail(self, world, api_for):
        obj = self.make(world, world.zone)
        response = self.client(world, api_for).get(self.detail_url(obj.pk))
        assert response.status_code == 200, response.content[:300]
        assert response.json()["id"] == obj.pk


class CreateTests(APITests):
    create_persona = None  # who creates, when not the persona

    def create_data(self, world) -> dict:
        raise NotImplementedError

    def test_create(self, world, api_for):
        data = self.create_data(world)
        client = self.client(world, api_for, self.create_persona)
        before = audit_count()
        response = client.post(self.url, data, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert self.model.objects.filter(pk=body["id"]).exists()
        for key, value in data.items():
            if key in body:
                assert _same(body[key], value), (key, body[key], value)
        assert audit_count() > before

    def test_create_refuses_an_empty_body(self, world, api_for):
        client = self.client(world, api_for, self.create_persona)
        count, before = self.model.objects.count(), audit_count()
        response = client.post(self.url, {}, format="json")
        assert response.status_code == 400, response.json()
        body = response.json()
        assert body["code"] == "invalid" and body["fields"] and not body["detail"].isascii()
        assert self.model.objects.count() == count and audit_count() == before


class UpdateTests(APITests):
    def test_update_and_stale_version(self, world, api_for):
        assert self.update_data, f"{type(self).__name__} enables UpdateTests without update_data"
        obj = self.make(world, world.zone)
        client = self.client(world, api_for)
        version = obj.version
        before = audit_count()
        response = client.patch(self.detail_url(obj.pk), {**self.update_data, "version": version}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["version"] == version + 1
        for key, value in self.update_data.items():
            assert _same(body[key], value), (key, body[key], value)
        assert audit_count() > before
        stale = client.patch(self.detail_url(obj.pk), {**self.update_data, "version": version}, format="json")
        assert stale.status_code == 409 and stale.json()["code"] == "stale"


class ActionTests(APITests):
    def pytest_generate_tests(self, metafunc):
        if "action_path" in metafunc.fixturenames:
            assert self.actions, f"{type(self).__name__} enables ActionTests without actions"
            metafunc.parametrize("action_path", sorted(self.actions))

    def test_action(self, world, api_for, action_path):
        spec = self.actions[action_path]
        obj = self.make(world, world.zone)
        if spec.setup:
            spec.setup(world, obj)
        client = self.client(world, api_for, spec.actor)
        before = audit_count()
        response = client.post(f"{self.detail_url(obj.pk)}{action_path}/", spec.body(world, obj), format="json")
        assert response.status_code == spec.status, response.json()
        if spec.status < 300:
            assert response.json()["id"] == obj.pk
            assert audit_count() > before


class ForeignTests(APITests):
    def object_routes(self, world, obj):
        """(method, path after the detail URL, body, who) of every route of one object."""
        yield "get", "", None, None
        if self.update_data:
            yield "patch", "", {**self.update_data, "version": getattr(obj, "version", 1)}, None
        for path, spec in self.actions.items():
            yield "post", f"{path}/", spec.body(world, obj), spec.actor

    def test_an_object_of_the_other_zone_answers_as_a_missing_one(self, world, api_for):
        foreign = self.make(world, world.other_zone)
        routes = [(method, path, body, self.client(world, api_for, who))
                  for method, path, body, who in self.object_routes(world, foreign)]
        before = audit_count()
        for method, path, body, client in routes:
            kwargs = {"format": "json"} if body is not None else {}
            response = getattr(client, method)(f"{self.detail_url(foreign.pk)}{path}", body, **kwargs)
            control = getattr(client, method)(f"{self.detail_url(MISSING)}{path}", body, **kwargs)
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.json() == control.json(), (method, path)
        assert audit_count() == before


class QueryCountTests(APITests):
    list_queries: int = 0  # the absolute number of queries of one list request
    count_persona = None  # who lists, when not the persona (someone who sees MANY rows)

    def make_many(self, world, n):
        for _ in range(n):
            self.make(world, world.zone)

    def test_list_query_count_is_the_same_at_page_sizes_5_and_50(self, world, api_for):
        assert self.list_queries, f"{type(self).__name__}: declare list_queries"
        self.make_many(world, MANY)
        client = self.client(world, api_for, self.count_persona)
        client.get(self.url)  # warm up: the user's scope is computed once per user
        counts = {}
        for size in (5, 50):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(self.url, {"page_size": size})
            assert response.status_code == 200, response.content[:300]
            body = response.json()
            assert body["count"] >= MANY and len(body["results"]) == size
            counts[size] = len(ctx.captured_queries)
        assert counts[5] == counts[50] == self.list_queries, f"{self.url}: {counts}"


class ReadTests(ListTests, DetailTests, ForeignTests, QueryCountTests):
    """Lists, details, the other zone's objects and the query count."""


class ModelTests(ReadTests, CreateTests, UpdateTests):
    """Reads plus create and update (add ``ActionTests`` for the model's actions)."""

