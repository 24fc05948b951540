"""Every demo persona's start: the 工作台 and a menu holding exactly what that role may use (screenshots for the
user guide: artifacts/…/workbench-<username>.png)."""

import os

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")
PERSONAS = ["leader", "zhaoshang", "zrzy", "street1", "shuiwu", "qiye", "cityleader", "admin_sys", "admin_sec",
            "admin_audit"]


def test_each_persona_starts_on_its_workbench_with_its_own_menu(demo_site, page_factory):
    """All personas on one loaded demo (loading it takes most of a browser test's time); a failure names the
    persona."""
    for username in PERSONAS + ["dangzheng"]:
        check_persona(demo_site, page_factory, username)


def check_persona(demo_site, page_factory, username):
    from kaifaqu.accounts.models import User
    from kaifaqu.core.web.menu import menu_for

    page = page_factory()
    login(page, demo_site.url, username, PASSWORD)
    assert page.locator("h1", has_text="工作台").is_visible(), username
    expected = ["工作台"] + [item["label"] for group in menu_for(User.objects.get(username=username).scope)
                for item in group["items"]]
    shown = [text.strip() for text in page.locator("aside a.nav-link").all_inner_texts()]
    assert shown == expected, (username, shown)
    if username in {"qiye", "street1", "admin_audit"}:
        assert "导入记录" not in shown and "Webhook 接口" not in shown
    shot(page, f"workbench-{username}")
    # on a 390 px phone the header fits: nothing scrolls sideways, the bell and the account menu stay on screen
    phone = page_factory(width=390, height=844)
    login(phone, demo_site.url, username, PASSWORD)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, username
    for target in ("[data-testid=bell]", "nav .dropdown-toggle"):
        box = phone.locator(target).bounding_box()
        assert box and box["x"] + box["width"] <= 390, (username, target, box)
