"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live HTTP server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KAIFAQU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("KAIFAQU_E2E_ARTIFACTS", "artifacts/e2e"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-system-deps.sh browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def demo_site(transactional_db, _demo_snapshot, live_server):
    """The live server over the demo zone: its rows restored from the copy taken once per test process."""
    _demo_snapshot.restore()
    return live_server


@pytest.fixture
def page_factory(browser, request):
    """Pages in fresh contexts; the test fails if any page logged a Content-Security-Policy violation."""
    contexts = []
    problems = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def make(width=1366, height=768):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      accept_downloads=True)
        context.on("console", lambda message: problems.append(f"{message.type}: {message.text} @ {message.location}"))
        context.on("weberror", lambda error: problems.append(f"pageerror: {error.error}"))
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}-{i}-{j}.png"), full_page=True)
        context.close()
    violations = [p for p in problems if "Content Security Policy" in p or "Content-Security-Policy" in p]
    report = os.environ.get("KAIFAQU_E2E_CSP_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.writelines(f"{request.node.nodeid}\t{v}\n" for v in violations)
    assert not violations, f"{len(violations)} CSP violation(s):\n" + "\n".join(violations[:20])


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def login(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
