"""The API schema and documentation need a login in production mode (unless opened); open in demo mode."""

import pytest
from django.test import override_settings

DOCS = ("/api/docs/", "/api/redoc/")


@override_settings(API_DOCS_PUBLIC=False)
def test_production_docs_need_a_login(client, db):
    for url in DOCS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}", url
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@override_settings(API_DOCS_PUBLIC=False)
def test_production_docs_served_after_login(client, api_for, world):
    client.force_login(world.clerk)
    for url in DOCS:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/schema/").status_code == 200
    assert api_for(world.clerk).get("/api/schema/").status_code == 200  # a token works for the schema


@pytest.mark.parametrize("url", [*DOCS, "/api/schema/"])
@override_settings(API_DOCS_PUBLIC=True)
def test_docs_open_when_public(client, db, url):
    assert client.get(url).status_code == 200


def test_setting_follows_the_mode(monkeypatch):
    import importlib

    import kaifaqu.settings as module

    for mode, expected in (("demo", True), ("production", False)):
        monkeypatch.setenv("KAIFAQU_MODE", mode)
        monkeypatch.delenv("KAIFAQU_API_DOCS_PUBLIC", raising=False)
        monkeypatch.setenv("KAIFAQU_SECRET_KEY", "s" * 60)
        monkeypatch.setenv("KAIFAQU_AUDIT_KEY", "a" * 40)
        assert importlib.reload(module).API_DOCS_PUBLIC is expected
    monkeypatch.setenv("KAIFAQU_API_DOCS_PUBLIC", "1")
    assert importlib.reload(module).API_DOCS_PUBLIC is True
    monkeypatch.undo()
    importlib.reload(module)
