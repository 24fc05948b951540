"""The root conftest's rule for the PostgreSQL run: a skip is a failure there, unless the test is sqlite_only."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INNER = '''
import pytest

def test_pass():
    pass

def test_skip_inside():
    pytest.skip("no SM3")

@pytest.mark.skipif(True, reason="always")
def test_skipif():
    pass

@pytest.mark.sqlite_only(reason="SQLite's own behaviour")
def test_sqlite_only():
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_xfail():
    assert False
'''


MODULE_SKIP = 'import pytest\npytest.skip("no driver", allow_module_level=True)\n'


def run_inner(tmp_path, database_url, tests=INNER):
    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(tests, encoding="utf-8")
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    env = {**os.environ, "KAIFAQU_DATABASE_URL": database_url, "KAIFAQU_VAR_DIR": str(var),
           "DJANGO_SETTINGS_MODULE": "kaifaqu.settings", "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:django", "-p", "no:cacheprovider",
         "-p", "no:randomly", "-p", "no:xdist", "--strict-markers", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    return result.returncode, result.stdout


def test_on_postgresql_a_skip_fails_except_sqlite_only(tmp_path):
    code, out = run_inner(tmp_path, "postgres://ci@127.0.0.1:5432/ci")
    assert code == 1, out
    assert "FAILED test_inner.py::test_skip_inside" in out
    assert "ERROR test_inner.py::test_skipif" in out  # a skipif marker skips in set-up: an error there
    assert re.search(r"SKIPPED \[1\] test_inner.py:\d+: SQLite's own behaviour", out), out
    assert "XFAIL test_inner.py::test_xfail" in out and "PASSED test_inner.py::test_pass" in out
    assert "skipped on PostgreSQL, where the suite must run whole" in out


def test_on_sqlite_skips_stay_skips(tmp_path):
    code, out = run_inner(tmp_path, "")
    assert code == 0, out
    assert "2 skipped" in out and "PASSED test_inner.py::test_sqlite_only" in out, out


def test_on_postgresql_a_module_skipped_at_import_fails_the_run(tmp_path):
    code, out = run_inner(tmp_path, "postgres://ci@127.0.0.1:5432/ci", tests=MODULE_SKIP)
    assert code == 2, out  # pytest: interrupted by a collection error
    assert "ERROR test_inner.py - module skipped on PostgreSQL" in out
    assert run_inner(tmp_path, "", tests=MODULE_SKIP)[0] == 5  # on SQLite: skipped, so no test ran


def run_ci_suite(tmp_path, pytest_exit):
    """.ci/run's run_suite, with a stand-in pytest that exits with ``pytest_exit``."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    start = script.index("run_suite() {")
    function = script[start:script.index("\n}\n", start) + 3]
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "pytest").write_text(f"#!/bin/sh\nexit {pytest_exit}\n", encoding="utf-8")
    (fake / "pytest").chmod(0o755)
    program = f'set -euo pipefail\nlog() {{ echo "$*"; }}\nBIN={fake}\n{function}run_suite SQLite X=1\necho passed'
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30,  # noqa: S603,S607
                            check=False)
    return result.returncode, result.stdout


def test_ci_fails_when_pytest_ran_no_tests(tmp_path):
    assert run_ci_suite(tmp_path, 0) == (0, "test suite on SQLite\npassed\n")
    code, out = run_ci_suite(tmp_path, 5)
    assert code == 1 and "pytest ran no tests on SQLite" in out
    code, out = run_ci_suite(tmp_path, 1)
    assert code == 1 and "test suite failed on SQLite (exit 1)" in out
