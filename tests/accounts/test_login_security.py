"""Login security: axes lockout through the real login page, audit of failures/lockouts/logouts, the post-login
banner, forced password change, idle session timeout."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kaifaqu.accounts import locks, services
from kaifaqu.accounts.models import User
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent

WRONG = "Wrong@pass1"


def fail(login, username, times, client=None):
    client = client or Client()
    responses = [login(username, WRONG, client)[1] for _ in range(times)]
    return client, responses


def test_login_page_goes_through_axes(world, login):
    client, response = login("t_leader", WRONG)
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    attempt = AccessAttempt.objects.get(username="t_leader")
    assert attempt.failures_since_start == 1
    assert attempt.ip_address == "127.0.0.1"


def test_five_failures_lock_for_thirty_minutes(world, login, password, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    _, responses = fail(login, "t_leader", 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked_page = responses[4]
    assert locked_page.status_code == 403
    assert "已被锁定 30 分钟" in locked_page.content.decode()
    assert locks.is_locked("t_leader")

    # The right password is refused while locked, with the lock message (not "wrong password").
    client, response = login("t_leader", password)
    assert response.status_code == 403
    assert "已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session

    time_machine.shift(datetime.timedelta(minutes=31))
    assert not locks.is_locked("t_leader")
    client, response = login("t_leader", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.leader.pk)
    assert not AccessAttempt.objects.filter(username="t_leader").exists()  # reset on success


def test_lock_is_per_username(world, login, password):
    fail(login, "t_leader", 5)
    _, response = login("t_zrzy", password)
    assert response.status_code == 302


def test_failures_and_lockout_are_audited(world, login, password, actions):
    fail(login, "t_leader", 5)
    login("t_leader", password)
    recorded = actions(actor_name="t_leader")
    assert recorded == ["auth.login_failed"] * 5 + ["auth.lockout", "auth.login_failed"]
    lockout = AuditEvent.objects.get(action="auth.lockout")
    assert lockout.object_id == str(world.leader.pk)
    assert lockout.zone_id == world.zone.pk
    assert "锁定 30 分钟" in lockout.reason
    refused = AuditEvent.objects.filter(action="auth.login_failed").order_by("-seq").first()
    assert refused.reason == "账号已锁定，登录被拒绝"
    assert refused.ip == "127.0.0.1"


def test_failure_for_unknown_username_is_audited(db, login, actions):
    login("nobody-here", WRONG)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_name == "nobody-here"
    assert event.object_id == ""


def test_unlock_by_security_admin_lets_the_user_in(world, login, password, actions):
    fail(login, "t_leader", 5)
    services.do_unlock(world.secadmin, world.leader, reason="电话核实为本人")
    assert not locks.is_locked("t_leader")
    _, response = login("t_leader", password)
    assert response.status_code == 302
    assert "user.unlock" in actions(actor_name="t_sec")


def test_banner_shows_previous_login_and_failures(world, login, password, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 1, 5, tzinfo=datetime.UTC), tick=False)  # 09:05 in Shanghai
    client, _ = login("t_clerk", password)
    first = client.get("/").content.decode()
    assert "这是您首次登录" in first and "自上次登录以来" not in first
    client.post("/accounts/logout/")

    time_machine.shift(datetime.timedelta(hours=3))
    fail(login, "t_clerk", 2)
    client, _ = login("t_clerk", password)
    page = client.get("/").content.decode()
    assert "上次登录：2026-03-02 09:05" in page
    assert "自上次登录以来有 2 次登录失败" in page
    # Shown once, after the login.
    assert "data-testid=\"login-banner\"" not in client.get("/").content.decode()
    world.clerk.refresh_from_db()
    assert world.clerk.failed_since_login == 0


def test_must_change_password_redirects_everywhere_until_changed(world, login, password):
    user = services.do_create_user(world.sysadmin, username="t_new", password="Kfq@2026go", name="新人",
                                   org=world.department)
    services.do_assign_role(SYSTEM, user, role="zone_staff")
    client, response = login("t_new", "Kfq@2026go")
    assert response.status_code == 302
    for url in ("/", "/org/zones/", "/accounts/users/", "/core/audit/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/password/change/"
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "首次登录须修改密码" in page.content.decode()

    response = client.post("/accounts/password/change/", {
        "old_password": "Kfq@2026go", "new_password1": "Kfq@2026go", "new_password2": "Kfq@2026go"})
    assert response.status_code == 400
    assert "新密码不能与原密码相同" in response.content.decode()
    response = client.post("/accounts/password/change/", {
        "old_password": "Kfq@2026go", "new_password1": "short", "new_password2": "short"})
    assert "密码至少 8 位" in response.content.decode()

    response = client.post("/accounts/password/change/", {
        "old_password": "Kfq@2026go", "new_password1": "Mine#2026ok", "new_password2": "Mine#2026ok"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still logged in, and free to go
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEvent.objects.filter(action="user.change_password", actor=user).exists()


def test_logout_is_audited(world, login, password, actions):
    client, _ = login("t_leader", password)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert actions(actor_name="t_leader") == ["auth.login", "auth.logout"]
    assert client.get("/").status_code == 302


def test_session_idle_timeout_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_expires_after_idle_time(world, login, password, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client, _ = login("t_clerk", password)
    time_machine.shift(datetime.timedelta(minutes=20))
    assert client.get("/").status_code == 200  # activity renews the session
    time_machine.shift(datetime.timedelta(minutes=29))
    assert client.get("/").status_code == 200
    time_machine.shift(datetime.timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inactive_user_cannot_log_in(world, login, password):
    User.objects.filter(pk=world.leader.pk).update(is_active=False)
    client, response = login("t_leader", password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_first_login_banner_names_failures_before_it(world, login, password):
    fail(login, "t_street", 2)
    client, _ = login("t_street", password)
    page = client.get("/").content.decode()
    assert "这是您首次登录" in page and "本次登录前有 2 次登录失败" in page and "自上次登录以来" not in page


def test_every_page_has_a_favicon(world, client_for):
    page = client_for(world.leader).get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
