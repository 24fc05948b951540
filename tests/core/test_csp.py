"""Content-Security-Policy: strict on every response in every mode, and no template needs inline code."""

import re
from pathlib import Path

import pytest

from kaifaqu.core.web.csp import DEFAULT

SRC = Path(__file__).resolve().parents[2] / "src" / "kaifaqu"


def directives(header: str) -> dict:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_policy_is_self_only_without_inline_or_eval():
    policy = directives(DEFAULT)
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in DEFAULT


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/api/v1/zones/", "/api/docs/", "/nowhere/"])
def test_every_response_carries_the_policy(client, world, url):
    client.force_login(world.clerk)
    assert client.get(url)["Content-Security-Policy"] == DEFAULT


@pytest.mark.parametrize("mode_production", [False, True])
def test_policy_in_both_modes(client, db, settings, mode_production):
    settings.PRODUCTION = mode_production
    settings.API_DOCS_PUBLIC = True
    assert client.get("/accounts/login/")["Content-Security-Policy"] == DEFAULT


def test_swagger_ui_loads_its_init_script_as_a_file(client, db, settings):
    settings.API_DOCS_PUBLIC = True
    page = client.get("/api/docs/").content.decode()
    assert re.search(r'<script src="/api/docs/\?[^"]*script=', page)
    assert "<style" not in page and not re.search(r"<script>", page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_redoc_alone_may_use_runtime_styles(client, db, settings):
    settings.API_DOCS_PUBLIC = True
    response = client.get("/api/redoc/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"] and policy["worker-src"] == ["'self'", "blob:"]
    page = response.content.decode()
    assert "fonts.googleapis" not in page and "<style" not in page and "<script>" not in page


TEMPLATES = sorted(SRC.glob("**/templates/**/*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert "<style" not in text, "inline <style>"
    assert "javascript:" not in text


def test_base_turns_off_htmx_inline_styles_and_eval():
    base = (SRC / "templates" / "kaifaqu" / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false' in base and '"allowEval": false' in base


def test_import_progress_bar_width_is_a_class(world, client_for):
    from django.template.loader import render_to_string

    from kaifaqu.core.imports.models import ImportJob

    job = ImportJob(pk=1, layout="staff", uploaded_by=world.clerk, state="running", file_name="x", file_kind="xlsx",
                    sm3="0" * 64, size=1)
    html = render_to_string("core/_import_progress.html", {"job": job, "progress": 37})
    assert "progress-37" in html and "style=" not in html
    css = (SRC / "static" / "kaifaqu" / "site.css").read_text(encoding="utf-8")
    assert ".progress-37 { width: 37%; }" in css and ".progress-100 { width: 100%; }" in css
