"""What the OpenAPI schema states beyond the happy path: every operation's error responses in the one error shape
(core.api.CoreAutoSchema, the default schema class), page and page-size limits, the calendar's query limits,
free text without NUL characters, and the read fields that may be null or empty as they are."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _responses(schema, method, path):
    return schema["paths"][path][method]["responses"]


def _parameter(schema, method, path, name):
    return next(p for p in schema["paths"][path][method]["parameters"] if p["name"] == name)


def test_every_operation_documents_its_errors_with_the_error_shape(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if (method, path) != ("post", "/api/v1/auth/token"):
                assert "401" in codes, (method, path)
            if method != "get":
                assert {"400", "403"} & codes, (method, path)
            for code in codes - {"200", "201", "202", "204"}:
                content = operation["responses"][code].get("content", {})
                if content:  # the one error shape, or a workflow's extension of it (409 stale, 422 transition)
                    ref = content["application/json"]["schema"]["$ref"]
                    assert ref in {"#/components/schemas/Error", "#/components/schemas/StaleError",
                                   "#/components/schemas/TransitionError"}, (method, path, code)
                    assert {"code", "detail", "fields"} <= set(schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
                                                               ["properties"]), (method, path, code)


def test_views_outside_the_module_base_document_errors(schema):
    assert {"401", "403"} <= set(_responses(schema, "get", "/api/v1/auth/me"))
    assert {"400", "401", "403", "422"} <= set(_responses(schema, "get", "/api/v1/calendar/month"))
    assert {"400", "401", "403", "409", "422"} <= set(_responses(schema, "post", "/api/v1/calendar/years/"))
    assert {"400", "401", "403"} <= set(_responses(schema, "get", "/api/v1/imports/templates/{layout}/"))
    assert "401" not in _responses(schema, "post", "/api/v1/auth/token")  # no login needed to ask for a token


def test_page_and_page_size_limits_are_stated(schema):
    assert _parameter(schema, "get", "/api/v1/staff/", "page")["schema"] == {"type": "integer", "minimum": 1}
    assert _parameter(schema, "get", "/api/v1/staff/", "page_size")["schema"] == {
        "type": "integer", "minimum": 1, "maximum": 200}


def test_calendar_query_limits_are_stated(schema):
    assert _parameter(schema, "get", "/api/v1/calendar/day", "date")["schema"]["format"] == "date"
    month = _parameter(schema, "get", "/api/v1/calendar/month", "month")["schema"]
    assert (month["minimum"], month["maximum"]) == (1, 12)
    year = _parameter(schema, "get", "/api/v1/calendar/overrides/", "year")["schema"]
    assert (year["type"], year["minimum"], year["maximum"]) == ("integer", 1990, 2100)
    assert "pattern" in _parameter(schema, "get", "/api/v1/calendar/deadline", "start")["schema"]


def test_free_text_refuses_nul_and_required_text_blank(schema, api_for, world):
    components = schema["components"]["schemas"]
    assert components["ZoneRequest"]["properties"]["name"]["pattern"] == "[\\u4e00-\\u9fffA-Za-z]"
    assert components["StaffRequest"]["properties"]["name"]["pattern"] == "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    # a search given at all has a non-blank character (an empty or blank ?q= is refused: leave it out instead)
    assert _parameter(schema, "get", "/api/v1/staff/", "q")["schema"]["pattern"] == "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    for blank in ("", "  "):
        refused = api_for(world.leader).get("/api/v1/staff/", {"q": blank})
        assert refused.status_code == 400 and refused.json()["fields"] == {"q": ["参数值不能为空；不按此条件筛选时请省略该参数。"]}
    refused = api_for(world.leader).get("/api/v1/staff/", {"ordering": "salary"})
    assert refused.status_code == 400 and "可选：staff_no、name、joined_on、org" in refused.json()["fields"]["ordering"][0]
    assert api_for(world.leader).get("/api/v1/staff/", {"ordering": "-joined_on,name"}).status_code == 200
    # as the API answers:
    assert api_for(world.leader).get("/api/v1/staff/", {"q": "a\x00b"}).status_code == 400


def test_read_fields_that_may_be_null_or_empty(schema, api_for, world):
    components = schema["components"]["schemas"]
    assert components["Me"]["properties"]["org_name"].get("nullable") is True
    assert components["User"]["properties"]["org_name"].get("nullable") is True
    assert "format" not in components["User"]["properties"]["email"]
    gender = components["Staff"]["properties"]["gender"]
    assert "" in str(gender) or "BlankEnum" in str(gender)
    me = api_for(world.sysadmin).get("/api/v1/auth/me").json()
    assert me["org_name"] is None
