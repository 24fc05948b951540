from django.core.management import call_command


def test_openapi_schema_validates_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/zones/", "/api/v1/orgs/{id}/", "/api/v1/staff/", "/api/v1/audit-events/",
                 "/api/v1/users/", "/api/v1/notifications/", "/api/v1/auth/token"):
        assert f"  {path}:" in text, path


def test_swagger_ui_is_served_offline(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
