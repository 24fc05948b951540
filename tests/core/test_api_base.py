"""The module API base (core.api): error responses documented once for every operation built on it, a write
without a declared permission refused as a programming error, query parameters parsed by serializers."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import mixins, serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from kaifaqu.core.api import CreateMixin, ServiceViewSet, ZoneField, parse_query
from kaifaqu.org.api import ParkSerializer
from kaifaqu.org.models import Park

ERROR = "#/components/schemas/Error"
# Workflow actions (core.workflow.api) answer 409 and 422 with the error shape plus the current version, or the
# state and the actions allowed from it.
WORKFLOW_ERRORS = {"409": "#/components/schemas/StaleError", "422": "#/components/schemas/TransitionError"}


@pytest.fixture
def schema(world, api_for):
    return api_for(world.leader).get("/api/schema/", {"format": "json"}).json()


def test_every_operation_on_the_base_documents_its_errors(schema):
    from kaifaqu.urls import router

    prefixes = [prefix for prefix, viewset, _ in router.registry if issubclass(viewset, ServiceViewSet)]
    assert {"zones", "orgs", "staff", "users"} <= set(prefixes)
    checked = 0
    for path, operations in schema["paths"].items():
        if not any(path.startswith(f"/api/v1/{prefix}/") for prefix in prefixes):
            continue
        one_object = "{id}" in path
        for method, operation in operations.items():
            if method in ("get", "head"):
                expected = {"404"} if one_object else {"400", "404"}
            else:
                expected = {"400", "403", "409", "422"} | ({"404"} if one_object else set())
            responses = operation["responses"]
            assert expected <= set(responses), (method, path, sorted(responses))
            for code in expected:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref in (ERROR, WORKFLOW_ERRORS.get(code)), (method, path, code)
            checked += 1
    assert checked >= 30
    users = schema["paths"]["/api/v1/users/"]["get"]["responses"]
    assert "403" in users  # read_perms: only the two administrators read users
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "detail", "fields"} and set(error["required"]) == {"code", "detail",
                                                                                                   "fields"}
    for ref in WORKFLOW_ERRORS.values():  # the error shape, extended
        extended = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(extended["properties"]) > set(error["properties"]) and extended["required"] == error["required"]


class _Undeclared(CreateMixin, mixins.ListModelMixin, ServiceViewSet):
    queryset = Park.objects.all()
    serializer_class = ParkSerializer


def test_a_write_without_a_declared_permission_is_a_programming_error(world):
    factory = APIRequestFactory()
    request = factory.post("/x/", {}, format="json")
    force_authenticate(request, world.leader)
    with pytest.raises(ImproperlyConfigured, match="create"):
        _Undeclared.as_view({"post": "create", "get": "list"})(request)
    request = factory.put("/x/", {}, format="json")  # a method the viewset does not offer
    force_authenticate(request, world.leader)
    assert _Undeclared.as_view({"post": "create", "get": "list"})(request).status_code == 405


class _Query(serializers.Serializer):
    zone = ZoneField(required=False, default=None)
    zone_obj = ZoneField(required=False, default=None, as_object=True)


def test_query_parameters_parse_the_zone_through_the_resolver(world):
    from rest_framework.exceptions import ValidationError
    from rest_framework.request import Request

    def query(user, **params):
        request = Request(APIRequestFactory().get("/x/", params))
        request.user = user
        return parse_query(request, _Query)

    assert query(world.leader) == {"zone": None, "zone_obj": None}
    assert query(world.leader, zone="", zone_obj=world.zone.pk) == {"zone": None, "zone_obj": world.zone}
    assert query(world.leader, zone=world.zone.pk)["zone"] == world.zone.pk
    with pytest.raises(ValidationError) as exc:
        query(world.leader, zone=world.other_zone.pk, zone_obj="²")
    assert exc.value.detail == {"zone": ["开发区无效。"], "zone_obj": ["开发区无效。"]}
