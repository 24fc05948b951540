import pytest
from django.test import Client

from kaifaqu.core.audit.models import AuditEvent


@pytest.fixture
def login():
    """login(username, password, client=None) -> (client, response) after posting the login page, as a person does."""

    def do(username, password, client=None):
        client = client or Client()
        response = client.post("/accounts/login/", {"username": username, "password": password})
        return client, response

    return do


@pytest.fixture
def actions():
    """actions(**filters) -> the audit actions recorded, oldest first."""

    def get(**filters):
        return list(AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True))

    return get
