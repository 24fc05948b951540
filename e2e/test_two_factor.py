"""双因素认证 in Chromium: an administrator whose role requires it enrols at login (QR code + secret), then logs in
with password and a TOTP code the test computes from the secret shown on the page."""

import base64
import os
import time

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")


def _key(secret_text):
    text = secret_text.replace(" ", "").strip()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def test_administrator_enrols_then_logs_in_with_password_and_code(demo_site, page_factory):
    from kaifaqu.accounts import otp, two_factor
    from kaifaqu.accounts.roles import Role
    from kaifaqu.core.access import SYSTEM

    # The demo turns the requirement off; this deployment keeps it for the security administrator.
    two_factor.do_set_policy(SYSTEM, {Role.SEC_ADMIN: True})
    base = demo_site.url

    page = page_factory()
    login(page, base, "admin_sec", PASSWORD)
    assert page.url.endswith("/accounts/me/two-factor/enrol/")
    assert page.get_by_test_id("enrol-required").is_visible()
    assert page.get_by_test_id("otp-qr").locator("svg").is_visible()
    key = _key(page.get_by_test_id("otp-secret").inner_text())
    shot(page, "two-factor-enrol")

    # Anything else leads back to the enrolment page.
    page.goto(f"{base}/accounts/security/users/")
    assert page.url.endswith("/accounts/me/two-factor/enrol/")

    page.fill("#id_code", otp.totp(key, time.time()))
    page.get_by_test_id("enrol-submit").click()
    page.wait_for_load_state("networkidle")
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    shot(page, "two-factor-recovery-codes")
    page.get_by_test_id("recovery-done").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1", has_text="工作台").is_visible()

    # A new browser: password first, then the code (of the next step: the enrolment code is spent).
    page = page_factory()
    login(page, base, "admin_sec", PASSWORD)
    assert page.url.endswith("/accounts/login/verify/")
    assert page.locator("h1", has_text="双因素认证").is_visible()
    page.fill("#id_code", "000000" if otp.totp(key, time.time() + 30) != "000000" else "111111")
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_load_state("networkidle")
    assert "验证码错误" in page.get_by_test_id("otp-error").inner_text()
    shot(page, "two-factor-wrong-code")

    page.fill("#id_code", otp.totp(key, time.time() + 30))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1", has_text="工作台").is_visible()
    page.locator("aside").get_by_role("link", name="双因素认证策略").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("two-factor-policy").get_by_label("安全管理员").is_checked()
    shot(page, "two-factor-policy")

    page.locator("aside").get_by_role("link", name="角色分配与解锁").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tr[data-username='admin_sec']")
    assert row.get_by_text("已启用").is_visible()
