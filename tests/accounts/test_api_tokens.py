"""API tokens: issued for username + password, stored hashed, expire after KAIFAQU_API_TOKEN_TTL_HOURS, revocable;
failures count toward the same lock as the login page. A department clerk is the usual subject here: leaders
and the 三员 need a second factor for a token (tests/accounts/test_two_factor.py)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from kaifaqu.accounts import services
from kaifaqu.accounts.models import ApiToken, hash_token
from kaifaqu.core.audit.models import AuditEvent

TOKEN_URL = "/api/v1/auth/token"
WRONG = "Wrong@pass1"


def issue(username, password):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")


def with_token(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_token_issued_and_used(world, password):
    response = issue("t_clerk", password)
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "t_clerk" and body["role"] == "zone_staff"
    me = with_token(body["token"]).get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "t_clerk"
    assert AuditEvent.objects.filter(action="auth.token_issue", actor=world.clerk).exists()


def test_token_stored_hashed(world, password):
    raw = issue("t_clerk", password).json()["token"]
    token = ApiToken.objects.get(user=world.clerk)
    assert token.key_hash == hash_token(raw) != raw
    assert token.prefix == raw[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT key_hash, prefix FROM accounts_apitoken")
        for row in cursor.fetchall():
            assert raw not in "".join(row)


def test_expired_token_refused_in_chinese(world, password, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    raw = issue("t_clerk", password).json()["token"]
    assert settings.API_TOKEN_TTL_HOURS == 8
    time_machine.shift(datetime.timedelta(hours=7, minutes=59))
    assert with_token(raw).get("/api/v1/auth/me").status_code == 200
    time_machine.shift(datetime.timedelta(minutes=2))
    response = with_token(raw).get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": "令牌已过期，请重新获取。", "fields": {}}


def test_revoked_token_refused(world, password):
    raw = issue("t_clerk", password).json()["token"]
    client = with_token(raw)
    assert client.delete("/api/v1/auth/token/revoke").status_code == 204
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已吊销。"
    assert AuditEvent.objects.filter(action="auth.token_revoke").exists()


def test_unknown_token_refused(db):
    response = with_token("not-a-real-token").get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌无效。"


def test_wrong_password_answers_400(world):
    response = issue("t_clerk", WRONG)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credentials", "detail": "用户名或密码错误。", "fields": {}}
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="t_clerk").count() == 1


def test_missing_fields_answer_400_with_fields(db):
    response = APIClient().post(TOKEN_URL, {"username": "x"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["fields"]


def test_locked_account_answers_403(world, password):
    statuses = [issue("t_clerk", WRONG).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 403]
    response = issue("t_clerk", password)
    assert response.status_code == 403
    assert response.json()["code"] == "account_locked"
    assert "锁定" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=world.clerk).exists()


def test_api_failures_lock_the_login_page_too(world, password, login):
    for _ in range(5):
        issue("t_clerk", WRONG)
    _, response = login("t_clerk", password)
    assert response.status_code == 403


def test_successful_token_request_resets_failures(world, password):
    for _ in range(4):
        issue("t_clerk", WRONG)
    assert issue("t_clerk", password).status_code == 201
    assert issue("t_clerk", WRONG).status_code == 400  # counting starts again


def test_password_change_required_before_token(world):
    services.do_reset_password(world.sysadmin, world.clerk, password="Temp#2026pw")
    response = issue("t_clerk", "Temp#2026pw")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


@pytest.mark.parametrize("change", ["reset", "own"])
def test_password_change_revokes_tokens(world, password, change):
    raw = issue("t_clerk", password).json()["token"]
    if change == "reset":
        services.do_reset_password(world.sysadmin, world.clerk, password="Temp#2026pw")
    else:
        services.do_change_own_password(world.clerk, old_password=password, new_password="Mine#2026ok")
    assert with_token(raw).get("/api/v1/auth/me").status_code == 401


def test_disabled_user_token_refused(world, password):
    raw = issue("t_clerk", password).json()["token"]
    services.do_update_user(world.sysadmin, world.clerk, is_active=False)
    assert with_token(raw).get("/api/v1/auth/me").status_code == 401
