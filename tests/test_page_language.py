"""What people read names no setting, package or code: every menu page of every persona, in Chinese."""

import re

import pytest

from kaifaqu.core.web.menu import menu_for
from tests.conftest import PERSONAS

LEAKS = re.compile(r"KAIFAQU_[A-Z_]+|chinesecalendar|python-calamine|Traceback")


@pytest.mark.parametrize("persona", PERSONAS)
def test_menu_pages_name_no_setting_or_package(world, client_for, persona):
    user = getattr(world, persona)
    client = client_for(user)
    urls = ["/"] + [item["url"] for group in menu_for(user.scope) for item in group["items"]]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        body = response.content.decode()
        assert not LEAKS.search(body), (persona, url, LEAKS.search(body).group(0))


def test_role_page_names_permissions_and_roles_in_chinese_only(world, client_for):
    page = client_for(world.secadmin).get("/accounts/security/roles/").content.decode()
    assert "查看本开发区全部人员" in page
    for code in ("staff.view_all", "org.change", "zone_leader", "sys_admin"):
        assert code not in page, code


@pytest.mark.parametrize("persona, webhooks", [
    ("clerk", False),  # least privilege: a department clerk does not integrate
    ("hr", False),
    ("leader", True),
    ("sysadmin", False),
    ("street", False),
    ("enterprise", False),
    ("auditadmin", False),
])
def test_menus_offer_imports_and_webhooks_only_to_who_can_use_them(world, persona, webhooks):
    from kaifaqu.core.imports.engine import IMPORTERS

    user = getattr(world, persona)
    labels = {item["label"] for group in menu_for(user.scope) for item in group["items"]}
    # 导入记录 for exactly who holds the permission of at least one layout (组织人事 staff, the calendar, a module's)
    layouts = {name for name, importer in IMPORTERS.items() if user.scope.has(importer.perm)}
    assert ("导入记录" in labels) == bool(layouts), (persona, layouts)
    assert ("Webhook 接口" in labels) == webhooks, (persona, labels)
    if persona in ("hr", "sysadmin"):
        assert layouts, persona  # staff and organisations; the calendar
    if persona in ("street", "enterprise", "auditadmin"):
        assert not layouts, (persona, layouts)
