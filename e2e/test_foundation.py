"""The foundation, as a person uses it in Chromium: log in by role, browse the zone tree, export, audit, scoping."""

import io
import os

from openpyxl import load_workbook

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")


def test_leader_browses_zone_tree_and_exports_staff(demo_site, page_factory):
    page = page_factory()
    base = demo_site.url
    login(page, base, "leader", PASSWORD)
    assert page.locator("h1", has_text="工作台").is_visible()
    assert page.get_by_test_id("login-banner").is_visible()
    shot(page, "leader-home")

    page.locator("aside a[href='/org/zones/']").click()
    page.get_by_role("link", name="浙江省XX经济开发区").first.click()
    page.wait_for_load_state("networkidle")
    tree = page.get_by_test_id("org-tree")
    assert tree.get_by_text("经济发展处").first.is_visible()
    assert tree.get_by_text("招商处").first.is_visible()
    shot(page, "zone-tree")

    tree.get_by_role("link", name="经济发展处").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1", has_text="经济发展处").is_visible()
    assert page.get_by_text("平安监管处").first.is_visible()  # the second plaque
    shot(page, "org-detail")

    with page.expect_download() as download_info:
        page.get_by_test_id("staff-export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert "姓名" in rows[0]
    assert len(rows) > 1


def test_audit_admin_reads_the_log_and_others_cannot(demo_site, page_factory):
    base = demo_site.url
    page = page_factory()
    login(page, base, "jingji", PASSWORD)
    page.goto(f"{base}/core/audit/")
    assert page.get_by_test_id("error-message").is_visible()

    page = page_factory()
    login(page, base, "admin_audit", PASSWORD)
    page.locator("aside").get_by_role("link", name="审计日志").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_test_id("list-table")
    assert table.get_by_text("登录", exact=True).first.is_visible()  # actions by their Chinese label
    assert not table.get_by_text("auth.login").count()
    shot(page, "audit-log")


def test_outsider_gets_not_found_for_demo_zone(demo_site, page_factory):
    from kaifaqu.org.models import Zone

    zone = Zone.objects.get(code="demo")
    page = page_factory()
    login(page, demo_site.url, "outsider", PASSWORD)
    response = page.goto(f"{demo_site.url}/org/zones/{zone.pk}/")
    assert response.status == 404


def test_phone_width_menu(demo_site, page_factory):
    page = page_factory(width=390, height=844)
    login(page, demo_site.url, "leader", PASSWORD)
    page.get_by_role("button", name="菜单").click()
    page.locator("#sidebar.show").wait_for()
    assert page.locator("#sidebar").get_by_role("link", name="机构").first.is_visible()
    shot(page, "phone-menu")


def test_wrong_password_message(demo_site, page_factory):
    page = page_factory()
    login(page, demo_site.url, "leader", "wrong-password")
    assert "用户名或密码错误" in page.get_by_test_id("login-error").inner_text()


def test_three_administrators_each_see_their_own_pages(demo_site, page_factory):
    base = demo_site.url
    page = page_factory()
    login(page, base, "admin_sys", PASSWORD)
    page.locator("aside").get_by_role("link", name="用户管理").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("list-table").get_by_text("leader").first.is_visible()
    assert page.locator("aside").get_by_role("link", name="审计日志").count() == 0
    shot(page, "sysadmin-users")

    page = page_factory()
    login(page, base, "admin_sec", PASSWORD)
    page.locator("aside").get_by_role("link", name="角色分配与解锁").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("list-table").get_by_text("开发区领导").first.is_visible()
    assert page.locator("aside").get_by_role("link", name="用户管理").count() == 0
    shot(page, "secadmin-users")


def test_calendar_override_and_notification_bell(demo_site, page_factory):
    from kaifaqu.accounts.models import User
    from kaifaqu.core import notify

    base = demo_site.url
    page = page_factory()
    login(page, base, "admin_sys", PASSWORD)
    page.locator("aside").get_by_role("link", name="工作日历").click()
    page.get_by_test_id("create").click()
    page.fill("#id_date", "2036-01-01")
    page.select_option("#id_is_workday", "0")
    page.fill("#id_reason", "2036年元旦")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("list-table").get_by_text("2036年元旦").is_visible()
    shot(page, "calendar-overrides")

    from django.utils import timezone

    from kaifaqu.core.notify.models import Notification

    leader = User.objects.get(username="leader")
    # The demo's modules have already notified the leader (whistles, reviews); start from a read inbox.
    Notification.objects.filter(recipient=leader, read_at__isnull=True).update(read_at=timezone.now())
    notify.send("system.message", "请于周五前报送一季度经济运行数据", users=[leader],
                body="经济发展处", url="/org/zones/")
    page = page_factory()
    login(page, base, "leader", PASSWORD)
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_test_id("bell").click()
    page.get_by_role("link", name="请于周五前报送一季度经济运行数据").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/org/zones/")
    assert page.get_by_test_id("unread-count").count() == 0


def test_api_documentation_pages_work_under_the_content_security_policy(demo_site, page_factory):
    page = page_factory()
    page.goto(f"{demo_site.url}/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=20000)
    assert page.locator(".swagger-ui .title").first.inner_text().startswith("开发区管理运行平台 API")
    page.goto(f"{demo_site.url}/api/redoc/")
    page.get_by_text("开发区管理运行平台 API").first.wait_for(timeout=20000)
    page.wait_for_load_state("networkidle")
