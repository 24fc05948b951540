"""Every code a person reads has a Chinese label (core.labels): audit actions, object types, channels."""

import pathlib
import re

from kaifaqu.core import labels
from kaifaqu.core.audit.models import AuditEvent

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "kaifaqu"
WRITES = [
    re.compile(r"audit\.record\(\s*[^,()]+,\s*\"([a-z_]+\.[a-z_]+)\""),
    re.compile(r"record_import\(\s*[^,()]+,\s*\"([a-z_]+\.[a-z_]+)\""),
    re.compile(r"\"(auth\.[a-z_]+)\" if \w+ else \"(auth\.[a-z_]+)\""),
    re.compile(r"\"(webhook\.[a-z_]+)\" if \w+ else \"(webhook\.[a-z_]+)\""),
]


CODE = re.compile(r"\"([a-z_]+\.[a-z_]+)\"")


def _call_arguments(text, start):
    """The text of a call's arguments, from the opening parenthesis at ``start`` to its match."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return text[start:]


def _written_actions():
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"writes\.(?:create|update)\(", text):
            found.update(CODE.findall(_call_arguments(text, match.end() - 1)))
        for pattern in WRITES:
            for match in pattern.finditer(text):
                found.update(g for g in match.groups() if g)
    return found


def _workflow_actions():
    """The audit actions the project's workflows write (``<audit_prefix>.<action>``, core.workflow)."""
    from django.utils.module_loading import autodiscover_modules

    from kaifaqu.core.workflow import REGISTRY

    autodiscover_modules("workflow")
    return {f"{flow.audit_prefix}.{name}" for flow in REGISTRY.values() if flow.model.__module__.startswith("kaifaqu.")
            for name in flow.actions}


def test_every_audit_action_in_the_code_has_a_label():
    workflow_actions = _workflow_actions()
    assert {"org.abolish", "secondment.end"} <= workflow_actions
    actions = _written_actions() | workflow_actions
    assert len(actions) >= 45 and {"org.abolish", "auth.otp_failed", "staff.import"} <= actions  # the scan works
    missing = sorted(a for a in actions if a not in labels.LABELS[labels.AUDIT_ACTION])
    assert not missing, f"audit actions without a Chinese label (core.labels.register): {missing}"


def test_every_action_group_and_object_type_reads_chinese():
    for group, _items in labels.action_choices():
        assert not re.fullmatch(r"[a-z_.]+", group), group
    for code, text in labels.object_type_choices():
        assert not re.fullmatch(r"[a-z_ .]+", text), (code, text)
    assert labels.label(labels.OBJECT_TYPE, "accounts.user") == "用户"
    assert labels.label(labels.CHANNEL, "web") == "网页"
    assert labels.label(labels.AUDIT_ACTION, "never.registered") == "never.registered"


def test_audit_page_shows_labels_and_filters_by_them(world, client_for):
    client_for(world.clerk).get("/")  # force_login writes no event: write some through a service
    from kaifaqu.org import services

    services.do_update_org(world.hr, world.department, short_name="经发处")
    page = client_for(world.auditadmin).get("/core/audit/").content.decode()
    assert "修改机构" in page and "机构" in page
    table = page[page.index("<tbody"):page.index("</tbody>")]
    assert "org.update" not in table and "org.org" not in table
    assert '<optgroup label="机构">' in page and "全部（机构）" in page
    filtered = client_for(world.auditadmin).get("/core/audit/?action=org.").content.decode()
    assert "修改机构" in filtered
    assert AuditEvent.objects.filter(action="org.update").exists()
