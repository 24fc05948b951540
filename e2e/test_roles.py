"""Least privilege in Chromium: the security administrator widens a role with a reason; 组织人事 sees pay where a
department clerk sees 无权查看; an enterprise user's menu holds no internal structure (screenshots for the guide)."""

import os

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")


def test_roles_pay_and_the_enterprise_menu(demo_site, page_factory):
    from kaifaqu.accounts.roles import perms_for
    from kaifaqu.core.audit.models import AuditEvent
    from kaifaqu.org.models import Org, Staff

    base = demo_site.url
    page = page_factory()
    login(page, base, "admin_sec", PASSWORD)
    page.goto(f"{base}/accounts/security/roles/")
    page.get_by_test_id("role-edit-zone-staff").click()
    page.wait_for_load_state("networkidle")
    page.locator("input[name=permissions][value='staff.change']").check()
    page.fill("#id_reason", "各处室维护本处室人员基本信息")
    shot(page, "role-edit")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/accounts/security/roles/")
    assert "staff.change" in perms_for("zone_staff")
    assert AuditEvent.objects.filter(action="role.update", reason="各处室维护本处室人员基本信息").exists()

    person = Staff.objects.filter(org__code="zhaoshang").order_by("staff_no").first()
    hr = page_factory()
    login(hr, base, "dangzheng", PASSWORD)
    hr.goto(f"{base}/org/staff/{person.pk}/")
    assert hr.locator("h1", has_text=person.name).is_visible()
    assert "无权查看" not in hr.locator("main").inner_text()
    shot(hr, "staff-detail-org-hr")

    clerk = page_factory()
    login(clerk, base, "zhaoshang", PASSWORD)
    clerk.goto(f"{base}/org/staff/{person.pk}/")
    assert "无权查看" in clerk.locator("main").inner_text()
    menu = [t.strip() for t in clerk.locator("aside a.nav-link").all_inner_texts()]
    # the widened role now imports its staff (导入记录 shows); Webhook stays the leaders'
    assert "导入记录" in menu and "Webhook 接口" not in menu

    enterprise = page_factory()
    login(enterprise, base, "qiye", PASSWORD)
    menu = [t.strip() for t in enterprise.locator("aside a.nav-link").all_inner_texts()]
    assert "机构" in menu
    for hidden in ("人员", "挂职", "机构沿革", "导入记录", "Webhook 接口", "开发区", "园区"):
        assert hidden not in menu, (hidden, menu)
    enterprise.locator("aside a.nav-link", has_text="机构").click()
    enterprise.wait_for_load_state("networkidle")
    rows = enterprise.locator("table tbody tr")
    own = Org.objects.get(code="ent-anshi").name
    assert rows.count() == 1 and own[:6] in rows.first.inner_text()
    shot(enterprise, "enterprise-orgs")
