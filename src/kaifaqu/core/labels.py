"""One registry of the Chinese labels of the codes people read (audit actions, object types, channels …).

Codes stay in the database and the API; pages, exports and filters show the label. A module registers its codes in
its ``AppConfig.ready()``; an object type ``app.model`` falls back to the model's ``verbose_name``. A code nobody
registered is shown as it is, and ``tests/core/test_labels.py`` fails for any audit action written without a label.
"""

from django.apps import apps

LABELS: dict[str, dict[str, str]] = {}

AUDIT_ACTION = "audit.action"
AUDIT_ACTION_GROUP = "audit.action_group"  # the prefix of a module's actions ("org.") → what they are about
OBJECT_TYPE = "audit.object_type"
CHANNEL = "audit.channel"


def register(kind: str, mapping: dict[str, str]) -> None:
    table = LABELS.setdefault(kind, {})
    for code, text in mapping.items():
        if table.get(code, text) != text:
            raise ValueError(f"{kind} {code!r} is already labelled {table[code]!r}")
        table[code] = text


def label(kind: str, code, default: str | None = None) -> str:
    if code in (None, ""):
        return ""
    text = LABELS.get(kind, {}).get(code)
    if text is None and kind == OBJECT_TYPE:
        text = _model_label(code)
    return text if text is not None else (default if default is not None else str(code))


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) pairs ordered by code, so that the codes of one module stay together in a list."""
    return sorted(LABELS.get(kind, {}).items())


def action_choices() -> list:
    """Grouped (optgroup) choices for an audit-action filter: each group offers its whole prefix first."""
    groups = {}
    for code, text in choices(AUDIT_ACTION):
        prefix = code.split(".", 1)[0] + "."
        groups.setdefault(prefix, []).append((code, text))
    out = []
    for prefix, items in sorted(groups.items()):
        name = label(AUDIT_ACTION_GROUP, prefix, prefix.rstrip("."))
        out.append((name, [(prefix, f"全部（{name}）"), *items]))
    return out


def object_type_choices() -> list[tuple[str, str]]:
    """Every table of the platform's apps and every registered non-table object type, by label."""
    found = {m._meta.label_lower: str(m._meta.verbose_name) for m in apps.get_models()
             if m.__module__.startswith("kaifaqu.")}
    found.update(LABELS.get(OBJECT_TYPE, {}))
    return sorted(found.items(), key=lambda item: item[1])


def _model_label(code: str):
    app_label, _, model_name = str(code).partition(".")
    try:
        return str(apps.get_model(app_label, model_name)._meta.verbose_name)
    except (LookupError, ValueError):
        return None


register(CHANNEL, {"web": "网页", "api": "接口", "cli": "命令行", "system": "系统"})
register(AUDIT_ACTION, {
    "access.denied": "越权访问被拒绝",
    "attachment.upload": "上传附件", "attachment.withdraw": "撤回附件",
    "calendar.import": "导入工作日历", "calendar.remove_override": "删除日历调整", "calendar.set_override": "设置日历调整",
    "calendar.set_working_hours": "设置工作时间", "calendar.confirm_year": "确认年度节假日安排已发布",
    "clock.start": "时限起算", "clock.pause": "暂停计时", "clock.resume": "恢复计时", "clock.extend": "延长时限",
    "clock.finish": "时限办结", "clock.recompute": "日历调整重算时限",
    "notification.preference": "修改通知设置",
    "webhook.create": "新增 Webhook", "webhook.enable": "启用 Webhook", "webhook.disable": "停用 Webhook",
})
register(AUDIT_ACTION_GROUP, {"access.": "访问控制", "attachment.": "附件", "calendar.": "工作日历", "clock.": "时限",
                              "notification.": "通知", "webhook.": "Webhook 接口"})
register(OBJECT_TYPE, {"working_hours": "工作时间", "url": "网址"})
