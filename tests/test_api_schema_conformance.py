"""The API answers as its own OpenAPI schema says: schemathesis generates requests for every operation of the
schema drf-spectacular builds and sends them, through the WSGI application into the test database, as three
personas — a zone leader, a department clerk and the system administrator — with every check schemathesis has
(no 5xx, status codes and content types documented, bodies conforming to the response schema, invalid input
refused, valid input accepted, …).

Examples are bounded (``MAX_EXAMPLES`` per operation and persona, derandomised) so the module stays within a
couple of minutes on a small machine; the counts of operations, requests and failures by check are printed.

Operations excluded, and why (``EXCLUDED``; a test checks that each still exists, so none is dropped silently):

- ``POST /api/v1/auth/token``: it authenticates with a username and password in the body; random credentials
  only count towards the persona's login lock (tests/accounts/test_api_tokens.py covers it).
- ``DELETE /api/v1/auth/token/revoke``: revokes the token the run authenticates with; every later request would
  answer 401 (tests/accounts/test_api_tokens.py covers it).

Refusals of schema-valid input that an OpenAPI schema cannot state are not counted as failures of
``positive_data_acceptance`` (``_beyond_the_schema``; their number is printed): a 422, which is a business rule
(a date before the organisation was founded, a zone's last committee, a pause that ends before it starts, dates
outside the years the calendar covers …); a 400 whose ``fields`` all name references to other objects
(``REFERENCE_FIELDS``: an id that does not exist or lies outside the caller's scope) or ``password`` where one is
set (the password policy: ``PASSWORD_OPERATIONS``); and a 413/415 (or an empty file) naming only ``file``: an
upload's size and content. A taken unique key answers 409, which schemathesis accepts. Every other 400 on valid
input is a failure: the schema must state the limit (minimum, maximum, pattern, format, enum, maxItems,
``additionalProperties: false``).

Failures still open are listed in ``KNOWN`` (check, operation, reason): they are counted and printed; any other
failure fails the test.

Checks left out, and why (``EXCLUDED_CHECKS``):

- ``max_response_time``: timing on a shared two-core machine is not what this test is about (bench/ is).
- ``ignored_auth``: re-sends each request without credentials; tests/test_scoping.py and tests/core/
  test_api_base.py prove every API route refuses anonymous callers, and the extra requests would double the run.
"""

import collections

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import RejectedPositiveData

pytestmark = pytest.mark.django_db

PERSONAS = ("leader", "clerk", "sysadmin")
MAX_EXAMPLES = 6
NEGATIVE_EXAMPLES = 4
EXCLUDED = {
    ("POST", "/api/v1/auth/token"): "authenticates by password; random credentials only lock the persona out",
    ("DELETE", "/api/v1/auth/token/revoke"): "revokes the token the run authenticates with",
}
# Fields and query parameters that name another object by id: whether it exists and lies in the caller's scope is
# data, not schema.
# A module adds its own in ``tests/<app>/conformance.py`` as ``REFERENCE_FIELDS = {...}``.
REFERENCE_FIELDS = {"zone", "org", "parent", "park", "home_department", "staff", "host_org", "object_id", "user",
                    "successor", "target", "source", "merged_into", "to_org", "from_org", "orgs"}


def _module_reference_fields():
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parent.glob("*/conformance.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.conformance")
        REFERENCE_FIELDS.update(getattr(module, "REFERENCE_FIELDS", ()))


_module_reference_fields()
# Failures still open, by check and operation, with why the schema does not state the rule yet. They are counted
# and printed like any other; a failure of another check or operation fails the test.
KNOWN: dict = {}
# Operations that set a password: the policy (character classes, no username, no common or repetitive password)
# is more than a schema's minLength.
PASSWORD_OPERATIONS = {("POST", "/api/v1/users/"), ("POST", "/api/v1/users/{id}/reset-password/")}
EXCLUDED_CHECKS = {
    "max_response_time": "timing on a shared machine is bench/'s subject",
    "ignored_auth": "anonymous refusal is proven by tests/test_scoping.py; doubling the requests is not",
}


def _schema_dict():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _checks():
    load_all_checks()
    return [check for check in CHECKS.get_all() if check.__name__ not in EXCLUDED_CHECKS]


@pytest.fixture
def wsgi_app():
    """The WSGI application, with Django's per-request connection closing turned off as the test client does:
    the requests run inside the test's transaction."""
    from django.core.wsgi import get_wsgi_application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _references(case):
    """The names of the fields and query parameters of ``case`` that hold an object's id."""
    values = {**(case.query or {}), **(case.body if isinstance(case.body, dict) else {})}
    return set(values) & REFERENCE_FIELDS


def _beyond_the_schema(failure, case, response):
    """A refusal of schema-valid input that no OpenAPI schema can state (see the module docstring): a business
    rule (422), or a 400 naming only fields that refer to objects (an id that does not exist or lies outside the
    caller's scope)."""
    if not isinstance(failure, RejectedPositiveData):
        return False
    if response.status_code == 422:
        return True
    if response.status_code in (413, 415):  # an uploaded file's size or content, which a schema cannot state
        return _fields(response) <= {"file"}
    if _fields(response) == {"file"} and _empty_upload(case):  # an empty file: its content, again
        return True
    if response.status_code != 400:
        return False
    allowed = _references(case)
    if (case.method.upper(), case.operation.path) in PASSWORD_OPERATIONS:
        allowed |= {"password"}
    return bool(_fields(response)) and _fields(response) <= allowed


def _empty_upload(case):
    upload = case.body.get("file") if isinstance(case.body, dict) else None
    return upload is not None and not bytes(getattr(upload, "data", upload) or b"")


def _fields(response):
    try:
        return set(response.json().get("fields", {}))
    except ValueError:
        return set()


def _token(user):
    from kaifaqu.accounts.services import do_issue_token

    return do_issue_token(user, two_factor=True)[1]


def _run(schema, app, token, stats, mode=GenerationMode.POSITIVE):
    checks = _checks()
    headers = {"Authorization": f"Token {token}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if key in EXCLUDED:
            continue
        stats["operations"].add(key)
        _run_operation(operation, key, app, headers, checks, stats, mode)


def _run_operation(operation, key, app, headers, checks, stats, mode):
    """MAX_EXAMPLES requests for ``operation``; failures are collected in ``stats``, not raised (so hypothesis
    neither stops at the first nor shrinks it)."""

    @settings(max_examples=MAX_EXAMPLES if mode == GenerationMode.POSITIVE else NEGATIVE_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(app=app, headers=headers)
        stats["requests"] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers, transport_kwargs={"app": app,
                                                                                           "headers": headers})
        except FailureGroup as group:
            failures = group.exceptions
        except Failure as failure:
            failures = [failure]
        else:
            return
        for failure in failures:
            if _beyond_the_schema(failure, case, response):
                stats["beyond_schema"] += 1
                continue
            name = failure.checks[0] if failure.checks else type(failure).__name__
            stats["failures"][name] += 1
            if (name, *key) in KNOWN:
                stats["known"][name] += 1
            example = f"{case.method} {case.formatted_path} {case.query or ''} {case.body!r:.200} -> " \
                      f"{response.status_code} {response.text[:160]} {failure.title}: {failure.message[:300]}"
            stats["examples"][(name, key)].append(example)

    try:
        run()
    except Unsatisfiable:  # nothing of the operation can be made invalid (no parameters, no body): nothing to send
        stats["untestable"].add(key)


def _stats():
    return {"operations": set(), "untestable": set(), "requests": 0, "beyond_schema": 0,
            "known": collections.Counter(), "failures": collections.Counter(),
            "examples": collections.defaultdict(list)}


def test_every_operation_conforms_to_the_schema_as_three_personas(world, wsgi_app, capsys):
    schema = schemathesis.openapi.from_dict(_schema_dict())
    stats = _stats()
    for persona in PERSONAS:
        _run(schema, wsgi_app, _token(getattr(world, persona)), stats)
    _report(stats, capsys)


def test_every_operation_refuses_what_the_schema_forbids(world, wsgi_app, capsys):
    """Negative data: requests that break the schema (a wrong type, an empty or unknown filter value, a value
    beyond a stated limit, an unknown ordering) are refused with a documented 4xx, as the clerk."""
    schema = schemathesis.openapi.from_dict(_schema_dict())
    stats = _stats()
    _run(schema, wsgi_app, _token(world.clerk), stats, GenerationMode.NEGATIVE)
    assert len(stats["operations"]) - len(stats["untestable"]) > 40
    _report(stats, capsys)


def _report(stats, capsys):
    report = [f"operations: {len(stats['operations'])} ({len(stats['untestable'])} without a way to break the "
              f"schema), requests: {stats['requests']}, "
              f"refusals beyond the schema (422, unknown ids): {stats['beyond_schema']}, "
              f"failures: {sum(stats['failures'].values())} {dict(stats['failures'])}, "
              f"of them still open (KNOWN): {sum(stats['known'].values())}"]
    unexpected = []
    for (name, (method, path)), examples in sorted(stats["examples"].items()):
        known = (name, method, path) in KNOWN
        report.append(f"  [{name}] {method} {path} ({len(examples)}){' (known)' if known else ''}: {examples[0]}")
        if not known:
            unexpected.append((name, method, path))
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert not unexpected, "\n".join(report)


def test_excluded_operations_exist():
    operations = {(method.upper(), path) for path, item in _schema_dict()["paths"].items() for method in item}
    assert set(EXCLUDED) <= operations
