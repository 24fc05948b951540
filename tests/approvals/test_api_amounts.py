"""Amounts in the approvals API are plain digits: anything else is 400, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value, status", [("𑱫U\x90z", 400), ("", 400), ("-", 400), ("١٢", 400), ("1200.50", 201)])
def test_project_investment(world, api_for, value, status):
    api = api_for(world.users["clerk"])
    response = api.post("/api/v1/approval-projects/", {
        "zone": world.zone.pk, "code": "X", "name": "项目", "enterprise": world.users["enterprise"].org_id,
        "investment": value}, format="json")
    assert response.status_code == status, response.content
