"""Shared by tests/ and e2e/: a fast password hasher (argon2 costs ~50 ms a hash; the suite creates hundreds), and
on PostgreSQL no test may skip: a skip there is a failure, except for tests marked ``sqlite_only``."""

import os

import pytest


def on_postgresql() -> bool:
    return os.environ.get("KAIFAQU_DATABASE_URL", "").startswith("postgres")


def pytest_configure(config):
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    config.addinivalue_line("markers", "sqlite_only(reason): runs on SQLite only; skipped (not failed) on PostgreSQL")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


def pytest_collection_modifyitems(config, items):
    if not on_postgresql():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=marker.kwargs.get("reason") or
                                             (marker.args[0] if marker.args else "SQLite only")))


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


def _fail_skip(report, what):
    report.outcome = "failed"
    report.longrepr = (f"{what} skipped on PostgreSQL, where the suite must run whole "
                       f"(mark it sqlite_only if it cannot run there): {_skip_reason(report)}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and on_postgresql() and not hasattr(report, "wasxfail")
            and item.get_closest_marker("sqlite_only") is None):
        _fail_skip(report, "test")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and on_postgresql():
        _fail_skip(report, "module")


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once per test process (tests/demo_snapshot.py); the database is left as it was."""
    from tests.demo_snapshot import Snapshot

    snapshot = Snapshot(tmp_path_factory.mktemp("demo-snapshot"))
    with django_db_blocker.unblock():
        snapshot.take()
    return snapshot


@pytest.fixture
def demo_db(db, _demo_snapshot):
    """The demo zone's rows inside this test's transaction (rolled back after it), as `load_demo()` left them."""
    _demo_snapshot.restore()
    from kaifaqu.demo.loader import summary

    return summary()
