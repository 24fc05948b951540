"""双因素认证: the OTP algorithms against fixed vectors, enrolment, the second login step (wrong, expired, reused
codes), recovery codes, the per-role policy and the restricted state, API tokens with and without the factor, the lock
counting, the security administrator's reset, the SMS plug-in and the demo's policy."""

import datetime
import hmac
import struct

import pytest
from axes.models import AccessAttempt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from kaifaqu.accounts import locks, otp, two_factor
from kaifaqu.accounts.models import ApiToken, RecoveryCode, TwoFactorDevice, TwoFactorPolicy
from kaifaqu.accounts.roles import Role
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Forbidden, InvalidInput, RuleViolation

T0 = datetime.datetime(2026, 3, 2, 1, 0, 0, tzinfo=datetime.UTC)  # on a 30-second boundary
WRONG = "Wrong@pass1"
TOKEN_URL = "/api/v1/auth/token"


# The algorithms --------------------------------------------------------------------------------------------------

RFC4226_SECRET = b"12345678901234567890"


def test_hotp_matches_rfc4226_appendix_d():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [otp.hotp(RFC4226_SECRET, i) for i in range(10)] == expected


@pytest.mark.parametrize(("unix_time", "code"), [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
    (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_totp_sha1_matches_rfc6238_appendix_b(unix_time, code):
    assert otp.totp(RFC4226_SECRET, unix_time, digits=8, algorithm="sha1") == code


SM3_SEED = b"12345678901234567890123456789012"  # the RFC 6238 32-byte seed
SM3_VECTORS = [  # computed once with otp.totp(..., algorithm="sm3"), checked below by an independent computation
    (59, "70252643"), (1111111109, "03087309"), (1111111111, "68947295"), (1234567890, "39678463"),
    (2000000000, "78318009"), (20000000000, "53139997"),
]


def _independent_totp_sm3(key, unix_time, digits=8):
    """RFC 4226 truncation written out again, over ``cryptography``'s HMAC-SM3 (not otp.py's helpers)."""
    h = crypto_hmac.HMAC(key, hashes.SM3())
    h.update((unix_time // 30).to_bytes(8, "big"))
    digest = h.finalize()
    offset = digest[31] & 0x0F
    value = ((digest[offset] & 0x7F) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) \
        | digest[offset + 3]
    return f"{value % 10 ** digits:0{digits}d}"


@pytest.mark.parametrize(("unix_time", "code"), SM3_VECTORS)
def test_totp_sm3_fixed_vectors(unix_time, code):
    assert otp.totp(SM3_SEED, unix_time, digits=8, algorithm="sm3") == code
    assert _independent_totp_sm3(SM3_SEED, unix_time) == code
    assert otp.totp(SM3_SEED, unix_time, digits=6, algorithm="sm3") == code[-6:]


def test_sm3_hmac_agrees_with_openssl_through_hashlib():
    import hashlib

    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("OpenSSL of this Python has no SM3")
    message = struct.pack(">Q", 37037036)
    assert otp.hmac_digest(SM3_SEED, message, "sm3") == hmac.new(SM3_SEED, message, "sm3").digest()


def test_sm3_and_sha1_give_different_codes():
    assert otp.totp(SM3_SEED, 59, algorithm="sm3") != otp.totp(SM3_SEED, 59, algorithm="sha1")


def test_window_is_one_step_either_side():
    key = otp.new_secret()
    now = 1_800_000_000
    for delta, accepted in [(-60, False), (-30, True), (0, True), (30, True), (60, False)]:
        code = otp.totp(key, now + delta)
        assert (otp.match(key, code, now) is not None) is accepted, delta


def test_sealed_secret_round_trips_and_detects_tampering():
    sealed = otp.seal(b"secret-bytes-1234567", "k" * 50)
    assert "secret" not in sealed
    assert otp.unseal(sealed, "k" * 50) == b"secret-bytes-1234567"
    with pytest.raises(ValueError):
        otp.unseal(sealed, "another key" * 5)
    body = bytearray(otp.base64.b64decode(sealed[3:]))
    body[20] ^= 1
    with pytest.raises(ValueError):
        otp.unseal("v1:" + otp.base64.b64encode(bytes(body)).decode(), "k" * 50)


def test_provisioning_uri_names_issuer_and_algorithm():
    uri = otp.provisioning_uri(RFC4226_SECRET, "t_sec", algorithm="sm3")
    assert uri.startswith("otpauth://totp/")
    assert "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in uri
    assert "algorithm=SM3" in uri and "digits=6" in uri and "period=30" in uri
    assert "issuer=%E5%BC%80%E5%8F%91%E5%8C%BA" in uri  # 开发区…


# Helpers ---------------------------------------------------------------------------------------------------------

def secret_of(user):
    from django.conf import settings

    return otp.unseal(TwoFactorDevice.objects.get(user=user).secret_sealed, settings.FIELD_KEY)


def code_now(user, shift=0):
    from django.utils import timezone

    device = TwoFactorDevice.objects.get(user=user)
    return otp.totp(secret_of(user), timezone.now().timestamp() + shift, algorithm=device.algorithm)


@pytest.fixture
def enrol(time_machine):
    """enrol(user) -> recovery codes; enrols at T0 and moves the clock to the next step (the enrolment code is
    spent)."""

    def do(user):
        time_machine.move_to(T0, tick=False)
        enrolment = two_factor.do_start_enrolment(user)
        codes = two_factor.do_confirm_enrolment(user, otp.totp(enrolment.secret, T0.timestamp(),
                                                               algorithm=enrolment.device.algorithm))
        time_machine.shift(datetime.timedelta(seconds=30))
        return codes

    return do


def second_step(client, code):
    return client.post("/accounts/login/verify/", {"code": code})


def issue(username, password, otp_code=None):
    body = {"username": username, "password": password}
    if otp_code is not None:
        body["otp"] = otp_code
    return APIClient().post(TOKEN_URL, body, format="json")


# Enrolment -------------------------------------------------------------------------------------------------------

def test_enrolment_is_active_only_after_the_first_code(world, time_machine, actions):
    time_machine.move_to(T0, tick=False)
    user = world.clerk
    enrolment = two_factor.do_start_enrolment(user)
    assert not two_factor.has_two_factor(user)
    with pytest.raises(InvalidInput):
        two_factor.do_confirm_enrolment(user, "000000" if otp.totp(enrolment.secret, T0.timestamp()) != "000000"
                                        else "111111")
    assert not two_factor.has_two_factor(user)
    codes = two_factor.do_confirm_enrolment(user, otp.totp(enrolment.secret, T0.timestamp()))
    assert two_factor.has_two_factor(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    assert actions(action="auth.otp_enrol") == ["auth.otp_enrol"]
    event = AuditEvent.objects.get(action="auth.otp_enrol")
    assert event.actor_id == user.pk and event.after == {"algorithm": "sha1", "recovery_codes": 10}


def test_reloading_the_enrolment_page_keeps_the_scanned_secret(world, time_machine):
    time_machine.move_to(T0, tick=False)
    first = two_factor.do_start_enrolment(world.clerk)
    time_machine.shift(datetime.timedelta(minutes=5))
    assert two_factor.do_start_enrolment(world.clerk).secret == first.secret
    time_machine.shift(datetime.timedelta(minutes=11))
    assert two_factor.do_start_enrolment(world.clerk).secret != first.secret


def test_enrolment_page_shows_local_qr_and_secret_once(world, client_for, time_machine):
    time_machine.move_to(T0, tick=False)
    client = client_for(world.clerk)
    page = client.get("/accounts/me/two-factor/enrol/").content.decode()
    secret = secret_of(world.clerk)
    assert "<svg" in page and "http" not in page.split('data-testid="otp-qr"')[1].split("</div>")[0]
    assert otp.b32_grouped(secret) in page
    response = client.post("/accounts/me/two-factor/enrol/", {"code": otp.totp(secret, T0.timestamp())})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="recovery-codes"' in body and "只显示这一次" in body
    # Afterwards the page refuses to show anything: the secret is never displayed again.
    again = client.get("/accounts/me/two-factor/enrol/")
    assert again.status_code == 302
    assert otp.b32_grouped(secret) not in client.get("/accounts/me/security/").content.decode()


def test_secret_and_recovery_codes_are_not_stored_in_clear(world, enrol):
    codes = enrol(world.clerk)
    secret = secret_of(world.clerk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_sealed FROM accounts_twofactordevice")
        sealed = cursor.fetchone()[0]
        cursor.execute("SELECT code_hash FROM accounts_recoverycode")
        hashes_ = [row[0] for row in cursor.fetchall()]
    assert otp.b32(secret) not in sealed and secret.hex() not in sealed
    assert len(hashes_) == 10
    for code in codes:
        assert not any(code.replace("-", "") in h or code in h for h in hashes_)


# The second login step -------------------------------------------------------------------------------------------

def test_login_with_password_and_code(world, login, password, enrol, actions):
    enrol(world.clerk)
    client, response = login("t_clerk", password)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session  # not logged in on the password alone
    assert client.get("/").status_code == 302
    page = client.get("/accounts/login/verify/")
    assert "双因素认证" in page.content.decode()
    response = second_step(client, code_now(world.clerk))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.clerk.pk)
    assert client.get("/").status_code == 200
    assert actions(actor_name="t_clerk")[-1] == "auth.login"


def test_wrong_code_is_refused_audited_and_counted(world, login, password, enrol):
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    good = code_now(world.clerk)
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    response = second_step(client, wrong)
    assert response.status_code == 400
    assert "验证码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action="auth.otp_failed").get()
    assert event.actor_name == "t_clerk" and event.object_id == str(world.clerk.pk)
    assert AccessAttempt.objects.get(username="t_clerk").failures_since_start == 1
    assert wrong not in AccessAttempt.objects.get(username="t_clerk").post_data  # masked like a password
    assert second_step(client, good).status_code == 302  # still the same pending login


def test_expired_code_is_refused(world, login, password, enrol, time_machine):
    enrol(world.clerk)
    old = code_now(world.clerk)
    time_machine.shift(datetime.timedelta(seconds=30))
    client, _ = login("t_clerk", password)
    assert second_step(client, old).status_code == 302  # one step late: accepted (clock drift)
    client.post("/accounts/logout/")

    old = code_now(world.clerk)
    time_machine.shift(datetime.timedelta(seconds=61))
    client, _ = login("t_clerk", password)
    assert second_step(client, old).status_code == 400  # two steps late: expired


def test_a_code_is_accepted_once(world, login, password, enrol):
    enrol(world.clerk)
    code = code_now(world.clerk)
    client, _ = login("t_clerk", password)
    assert second_step(client, code).status_code == 302
    other, _ = login("t_clerk", password)
    assert second_step(other, code).status_code == 400  # replay of the same code
    assert "_auth_user_id" not in other.session
    # Nor an earlier step's code once a later one was used.
    assert second_step(other, code_now(world.clerk, shift=-30)).status_code == 400


def test_the_enrolment_code_cannot_log_in(world, login, password, time_machine):
    time_machine.move_to(T0, tick=False)
    enrolment = two_factor.do_start_enrolment(world.clerk)
    code = otp.totp(enrolment.secret, T0.timestamp())
    two_factor.do_confirm_enrolment(world.clerk, code)
    client, _ = login("t_clerk", password)
    assert second_step(client, code).status_code == 400


def test_pending_login_expires_after_five_minutes(world, login, password, enrol, time_machine):
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    time_machine.shift(datetime.timedelta(minutes=5, seconds=1))
    response = second_step(client, code_now(world.clerk))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_next_is_kept_through_the_second_step(world, password, enrol):
    enrol(world.clerk)
    client = Client()
    client.post("/accounts/login/", {"username": "t_clerk", "password": password, "next": "/org/zones/"})
    response = second_step(client, code_now(world.clerk))
    assert response["Location"] == "/org/zones/"


# Recovery codes --------------------------------------------------------------------------------------------------

def test_recovery_code_logs_in_once(world, login, password, enrol, actions):
    codes = enrol(world.clerk)
    client, _ = login("t_clerk", password)
    response = second_step(client, codes[0].lower().replace("-", " "))  # as typed off paper
    assert response.status_code == 302
    assert "还剩 9 个" in client.get("/").content.decode()
    assert "auth.otp_recovery_used" in actions(actor_name="t_clerk")
    assert AuditEvent.objects.get(action="auth.otp_recovery_used").after == {"recovery_codes_left": 9}

    other, _ = login("t_clerk", password)
    assert second_step(other, codes[0]).status_code == 400
    assert second_step(other, codes[1]).status_code == 302
    assert RecoveryCode.objects.filter(user=world.clerk, used_at__isnull=True).count() == 8


def test_regenerating_recovery_codes_needs_a_code_and_voids_the_old(world, client_for, enrol, actions):
    codes = enrol(world.clerk)
    client = client_for(world.clerk)
    response = client.post("/accounts/me/security/", {"action": "regen", "regen-code": _wrong(world.clerk)})
    assert response.status_code == 400
    assert "验证码错误" in response.content.decode()
    response = client.post("/accounts/me/security/", {"action": "regen", "regen-code": code_now(world.clerk)})
    assert response.status_code == 200
    assert 'data-testid="recovery-codes"' in response.content.decode()
    assert RecoveryCode.objects.filter(user=world.clerk, used_at__isnull=True).count() == 10
    with pytest.raises(two_factor.OtpInvalid):
        two_factor.verify(world.clerk, codes[2])
    assert "auth.otp_recovery_regenerate" in actions(actor_name="t_clerk")


# Policy by role --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "required"), [
    ("sysadmin", True), ("secadmin", True), ("auditadmin", True), ("leader", True), ("cityleader", True),
    ("clerk", False), ("city_clerk", False), ("street", False), ("stationed", False), ("platform", False),
    ("enterprise", False), ("intermediary", False),
])
def test_default_policy_by_role(world, persona, required):
    assert two_factor.required_for(world.users[persona]) is required


def test_required_role_without_device_can_only_enrol(world, login, password, time_machine):
    time_machine.move_to(T0, tick=False)
    client, response = login("t_leader", password)
    assert response.status_code == 302 and response["Location"] == "/accounts/me/two-factor/enrol/"
    for url in ("/", "/org/zones/", "/accounts/me/security/", "/core/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/me/two-factor/enrol/", url
    api = client.get("/api/v1/auth/me")
    assert api.status_code == 403
    assert api.json()["code"] == "otp_enrolment_required"
    page = client.get("/accounts/me/two-factor/enrol/").content.decode()
    assert 'data-testid="enrol-required"' in page
    assert 'href="/org/zones/"' not in page  # no menu while nothing else is open

    response = client.post("/accounts/me/two-factor/enrol/", {"code": code_now(world.leader)})
    assert response.status_code == 200
    assert client.get("/").status_code == 200  # free once enrolled
    assert 'href="/org/zones/"' in client.get("/accounts/me/security/").content.decode()
    assert client.get("/api/v1/auth/me").status_code == 200


def test_restriction_lifts_when_the_role_becomes_optional(world, login, password):
    client, _ = login("t_leader", password)
    assert client.get("/").status_code == 302
    two_factor.do_set_policy(world.secadmin, {Role.ZONE_LEADER: False}, reason="试点")
    assert client.get("/").status_code == 200


def test_optional_role_logs_in_without_a_factor_and_may_enrol(world, client_for, login, password):
    client, response = login("t_clerk", password)
    assert response["Location"] == "/"
    page = client.get("/accounts/me/security/").content.decode()
    assert "未启用" in page and "可自愿启用" in page


def test_security_admin_sets_the_policy(world, client_for, login, password, actions):
    client = client_for(world.secadmin)
    page = client.get("/accounts/security/two-factor/")
    assert page.status_code == 200
    data = {f"role_{r.value}": "on" for r, req in two_factor.policy_table().items() if req}
    data["role_zone_staff"] = "on"
    assert client.post("/accounts/security/two-factor/", data).status_code == 400  # no reason
    data["reason"] = "等保测评整改"
    assert client.post("/accounts/security/two-factor/", data).status_code == 302
    assert two_factor.required_for(world.clerk)
    event = AuditEvent.objects.get(action="security.two_factor_policy")
    assert event.before == {"zone_staff": False} and event.after == {"zone_staff": True}
    assert event.reason == "等保测评整改" and event.actor_id == world.secadmin.pk
    assert TwoFactorPolicy.objects.get(role="zone_staff").changed_by == world.secadmin
    # The clerk now owes a factor at the next login.
    _, response = login("t_clerk", password)
    assert response["Location"] == "/accounts/me/two-factor/enrol/"

    # A leader may be made optional.
    two_factor.do_set_policy(world.secadmin, {Role.ZONE_LEADER: False}, reason="试点")
    _, response = login("t_leader", password)
    assert response["Location"] == "/"


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "leader"])
def test_only_the_security_admin_sets_the_policy(world, client_for, persona):
    assert client_for(world.users[persona]).get("/accounts/security/two-factor/").status_code == 403
    with pytest.raises(Forbidden):
        two_factor.do_set_policy(world.users[persona], {Role.ZONE_STAFF: True}, reason="x")


def test_disable_only_where_the_policy_allows(world, client_for, enrol, actions):
    enrol(world.leader)
    with pytest.raises(RuleViolation):
        two_factor.do_disable(world.leader, code_now(world.leader))
    enrol(world.clerk)
    client = client_for(world.clerk)
    response = client.post("/accounts/me/security/", {"action": "disable", "disable-code": code_now(world.clerk)})
    assert response.status_code == 302
    assert not two_factor.has_two_factor(world.clerk)
    assert "auth.otp_disable" in actions(actor_name="t_clerk")


# API tokens ------------------------------------------------------------------------------------------------------

def test_token_without_factor_for_optional_role(world, password):
    response = issue("t_clerk", password)
    assert response.status_code == 201
    assert response.json()["two_factor"] is False
    assert ApiToken.objects.get(user=world.clerk).two_factor is False


def test_token_needs_the_factor_of_an_enrolled_user(world, password, enrol):
    enrol(world.clerk)
    response = issue("t_clerk", password)
    assert response.status_code == 401
    assert response.json()["code"] == "otp_required"
    assert response.json()["fields"] == {"otp": ["请填写动态口令。"]}
    assert not AccessAttempt.objects.filter(username="t_clerk").exists()  # a missing code is not a failure

    wrong = f"{(int(code_now(world.clerk)) + 5) % 10**6:06d}"
    response = issue("t_clerk", password, wrong)
    assert response.status_code == 401
    assert response.json()["code"] == "otp_invalid"
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor_name="t_clerk").count() == 1

    response = issue("t_clerk", password, code_now(world.clerk))
    assert response.status_code == 201
    assert response.json()["two_factor"] is True
    token = ApiToken.objects.get(user=world.clerk)
    assert token.two_factor is True
    assert AuditEvent.objects.filter(action="auth.token_issue").latest("seq").after == {"two_factor": True}
    assert not AccessAttempt.objects.filter(username="t_clerk").exists()  # reset after the second factor
    # The same code again: refused.
    assert issue("t_clerk", password, code_now(world.clerk)).json()["code"] == "otp_invalid"


def test_token_with_a_recovery_code(world, password, enrol):
    codes = enrol(world.clerk)
    assert issue("t_clerk", password, codes[3]).status_code == 201
    assert issue("t_clerk", password, codes[3]).status_code == 401


def test_token_refused_to_a_required_role_not_enrolled(world, password, enrol):
    response = issue("t_leader", password)
    assert response.status_code == 403
    assert response.json()["code"] == "otp_enrolment_required"
    enrol(world.leader)
    assert issue("t_leader", password, code_now(world.leader)).status_code == 201


# Lock counting ---------------------------------------------------------------------------------------------------

def _wrong(user):
    return f"{(int(code_now(user)) + 7) % 10**6:06d}"


def test_five_wrong_codes_lock_the_account(world, login, password, enrol, actions):
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    statuses = [second_step(client, _wrong(world.clerk)).status_code for _ in range(5)]
    assert statuses[:4] == [400] * 4
    assert statuses[4] == 403
    assert locks.is_locked("t_clerk")
    assert actions(action="auth.lockout") == ["auth.lockout"]
    assert actions(action="auth.otp_failed") == ["auth.otp_failed"] * 5
    # The pending login is gone and the right password is refused with the lock message.
    assert second_step(client, code_now(world.clerk))["Location"] == "/accounts/login/"
    _, response = login("t_clerk", password)
    assert response.status_code == 403 and "已被锁定 30 分钟" in response.content.decode()


def test_wrong_passwords_and_wrong_codes_add_up(world, login, password, enrol):
    enrol(world.clerk)
    for _ in range(3):
        login("t_clerk", WRONG)
    client, _ = login("t_clerk", password)  # right password: does not clear the count before the code
    assert second_step(client, _wrong(world.clerk)).status_code == 400
    response = second_step(client, _wrong(world.clerk))
    assert response.status_code == 403
    assert "已被锁定" in response.content.decode()


def test_wrong_codes_over_the_api_lock_too(world, password, enrol, login):
    enrol(world.clerk)
    statuses = [issue("t_clerk", password, _wrong(world.clerk)).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 403]
    response = issue("t_clerk", password, code_now(world.clerk))
    assert response.status_code == 403 and response.json()["code"] == "account_locked"


def test_locked_user_cannot_use_the_second_step(world, login, password, enrol):
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    for _ in range(5):
        login("t_clerk", WRONG, Client())
    response = second_step(client, code_now(world.clerk))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# Reset by the security administrator -----------------------------------------------------------------------------

def test_security_admin_resets_a_second_factor(world, client_for, login, password, enrol, actions):
    enrol(world.leader)
    raw = issue("t_leader", password, code_now(world.leader)).json()["token"]
    open_session = client_for(world.leader)
    assert open_session.get("/").status_code == 200
    client = client_for(world.secadmin)
    listing = client.get("/accounts/security/users/?q=t_leader").content.decode()
    assert "双因素" in listing and "已启用" in listing and "重置双因素" in listing
    assert otp.b32(secret_of(world.leader)) not in listing
    url = f"/accounts/security/users/{world.leader.pk}/reset-two-factor/"
    form = client.get(url).content.decode()
    assert otp.b32(secret_of(world.leader)) not in form and otp.b32_grouped(secret_of(world.leader)) not in form
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "手机丢失，已电话核实"}).status_code == 302
    assert not TwoFactorDevice.objects.filter(user=world.leader).exists()
    assert not RecoveryCode.objects.filter(user=world.leader).exists()
    event = AuditEvent.objects.get(action="user.reset_two_factor")
    assert event.reason == "手机丢失，已电话核实" and event.actor_id == world.secadmin.pk
    assert event.object_id == str(world.leader.pk) and event.after == {"enabled": False}
    # Two-factor tokens stop working; the leader must enrol again at the next login.
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert me.get("/api/v1/auth/me").status_code == 401
    # A session opened before the reset (perhaps with the lost phone) is over.
    assert open_session.get("/")["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 200  # nobody else was logged out
    _, response = login("t_leader", password)
    assert response["Location"] == "/accounts/me/two-factor/enrol/"


def test_users_api_shows_whether_two_factor_is_on_never_the_secret(world, api_for, enrol):
    enrol(world.clerk)
    rows = {u["username"]: u for u in api_for(world.secadmin).get("/api/v1/users/?page_size=200").json()["results"]}
    assert rows["t_clerk"]["two_factor"] is True and rows["t_leader"]["two_factor"] is False
    body = str(api_for(world.secadmin).get(f"/api/v1/users/{world.clerk.pk}/").json())
    assert otp.b32(secret_of(world.clerk)) not in body and "secret" not in body


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "leader"])
def test_only_the_security_admin_resets(world, client_for, enrol, persona):
    enrol(world.clerk)
    response = client_for(world.users[persona]).post(f"/accounts/security/users/{world.clerk.pk}/reset-two-factor/",
                                                     {"reason": "x"})
    assert response.status_code == 403
    assert two_factor.has_two_factor(world.clerk)


def test_reset_over_the_api(world, api_for, enrol):
    enrol(world.clerk)
    url = f"/api/v1/users/{world.clerk.pk}/reset-two-factor/"
    assert api_for(world.sysadmin).post(url, {"reason": "x"}, format="json").status_code == 403
    missing = api_for(world.secadmin).post(url, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]
    response = api_for(world.secadmin).post(url, {"reason": "手机丢失"}, format="json")
    assert response.status_code == 200 and response.json()["two_factor"] is False
    again = api_for(world.secadmin).post(url, {"reason": "手机丢失"}, format="json")
    assert again.status_code == 422 and again.json()["code"] == "rule_violation"
    outsider = api_for(world.secadmin).post(f"/api/v1/users/{world.outsider.pk}/reset-two-factor/",
                                            {"reason": "x"}, format="json")
    assert outsider.status_code == 422  # the platform security administrator sees every zone; not enrolled


def test_security_admin_cannot_reset_their_own(world, enrol):
    enrol(world.secadmin)
    with pytest.raises(RuleViolation):
        two_factor.do_reset(world.secadmin, world.secadmin, reason="x")


def test_outsider_zone_user_is_not_found_for_a_zone_admin(world, client_for, enrol):
    from tests.factories import UserFactory

    zone_sec = UserFactory(username="t_zone_sec", role=Role.SEC_ADMIN, org=world.committee)
    enrol(world.outsider)
    response = client_for(zone_sec).post(f"/accounts/security/users/{world.outsider.pk}/reset-two-factor/",
                                         {"reason": "x"})
    assert response.status_code == 404


def test_command_line_reset_for_the_security_admin_themself(world, enrol):
    from io import StringIO

    from django.core.management import CommandError, call_command

    enrol(world.secadmin)
    with pytest.raises(CommandError):
        call_command("resettwofactor", "t_sec", reason=" ")
    out = StringIO()
    call_command("resettwofactor", "t_sec", reason="唯一的安全管理员手机丢失", stdout=out)
    assert "已重置" in out.getvalue()
    assert not two_factor.has_two_factor(world.secadmin)
    event = AuditEvent.objects.get(action="user.reset_two_factor")
    assert event.actor_name == "resettwofactor" and event.reason == "唯一的安全管理员手机丢失"


# SM3 deployments -------------------------------------------------------------------------------------------------

def test_sm3_deployment_enrols_and_logs_in_with_sm3(world, settings, login, password, time_machine):
    settings.OTP_ALGORITHM = "sm3"
    time_machine.move_to(T0, tick=False)
    enrolment = two_factor.do_start_enrolment(world.clerk)
    assert enrolment.device.algorithm == "sm3"
    assert len(enrolment.secret) == 32
    assert "algorithm=SM3" in enrolment.uri
    sha1_code = otp.totp(enrolment.secret, T0.timestamp(), algorithm="sha1")
    sm3_code = otp.totp(enrolment.secret, T0.timestamp(), algorithm="sm3")
    assert sha1_code != sm3_code
    with pytest.raises(InvalidInput):
        two_factor.do_confirm_enrolment(world.clerk, sha1_code)
    two_factor.do_confirm_enrolment(world.clerk, sm3_code)
    time_machine.shift(datetime.timedelta(seconds=30))
    client, _ = login("t_clerk", password)
    assert second_step(client, code_now(world.clerk)).status_code == 302


# SMS (our own test double of a vendor's gateway) -----------------------------------------------------------------

class RecordingSender(two_factor.SmsSender):
    sent: list = []

    def send(self, phone, text):
        RecordingSender.sent.append((phone, text))


@pytest.fixture
def sms(settings):
    settings.SMS_SENDER = "tests.accounts.test_two_factor.RecordingSender"
    RecordingSender.sent = []
    return RecordingSender.sent


def test_sms_code_logs_in_when_configured(world, sms, login, password, enrol, actions):
    world.clerk.phone = "13912345678"
    world.clerk.save()
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    assert "发送短信验证码" in client.get("/accounts/login/verify/").content.decode()
    assert client.post("/accounts/login/verify/", {"action": "sms"}).status_code == 302
    assert len(sms) == 1 and sms[0][0] == "13912345678"
    code = next(word for word in sms[0][1].replace("，", " ").split() if word.isdigit() and len(word) == 6)
    assert "auth.sms_code_sent" in actions(actor_name="t_clerk")
    assert code not in str(AuditEvent.objects.get(action="auth.sms_code_sent").after)
    # One a minute.
    response = client.post("/accounts/login/verify/", {"action": "sms"})
    assert response.status_code == 422 and "过于频繁" in response.content.decode()
    assert len(sms) == 1
    assert second_step(client, code).status_code == 302
    assert client.session["_auth_user_id"] == str(world.clerk.pk)


def test_sms_code_expires_after_five_minutes(world, sms, login, password, enrol, time_machine):
    world.clerk.phone = "13912345678"
    world.clerk.save()
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    client.post("/accounts/login/verify/", {"action": "sms"})
    code = next(w for w in sms[0][1].replace("，", " ").split() if w.isdigit() and len(w) == 6)
    time_machine.shift(datetime.timedelta(minutes=4, seconds=50))
    client, _ = login("t_clerk", password)  # a new pending login (the first one is near its end too)
    time_machine.shift(datetime.timedelta(seconds=11))
    assert second_step(client, code).status_code == 400


def test_no_sms_without_configuration(world, login, password, enrol):
    world.clerk.phone = "13912345678"
    world.clerk.save()
    enrol(world.clerk)
    client, _ = login("t_clerk", password)
    assert "发送短信验证码" not in client.get("/accounts/login/verify/").content.decode()
    assert client.post("/accounts/login/verify/", {"action": "sms"}).status_code == 422


# Demo ------------------------------------------------------------------------------------------------------------

def test_demo_sets_the_policy_optional_and_says_so(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert not any(two_factor.policy_table().values())
    assert "演示环境：双因素认证策略已设为可选（生产环境默认对三员和领导必选）" in out.getvalue()
