import json

from django.urls import reverse

from kaifaqu.core import labels
from kaifaqu.core.audit.filters import AuditEventFilter
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.tabular import Column, Layout
from kaifaqu.core.web.views import ScopedDetailView, ScopedListView


def _json(value):
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


AUDIT_LAYOUT = Layout("audit_events", "审计日志", (
    Column("序号", "seq", "integer", width=8),
    Column("时间", "created_at", "datetime", width=20),
    Column("操作人账号", "actor_name", width=14),
    Column("操作人姓名", "actor_display", width=12),
    Column("操作人单位", "actor_org_name", width=22),
    Column("IP 地址", "ip", width=16),
    Column("渠道", "channel", getter=lambda e: labels.label(labels.CHANNEL, e.channel), width=8),
    Column("操作", "action", getter=lambda e: labels.label(labels.AUDIT_ACTION, e.action), width=22),
    Column("对象类型", "object_type", getter=lambda e: labels.label(labels.OBJECT_TYPE, e.object_type), width=16),
    Column("对象ID", "object_id", width=10),
    Column("对象名称", "object_label", width=24),
    Column("修改前", "before", getter=lambda e: _json(e.before), width=40),
    Column("修改后", "after", getter=lambda e: _json(e.after), width=40),
    Column("原因/说明", "reason", width=24),
    Column("终端", "user_agent", width=30),
    Column("前一哈希", "prev_hash", width=20),
    Column("哈希", "hash", width=20),
    Column("操作代码", "action", width=22),
    Column("对象类型代码", "object_type", width=16),
))

AUDIT_TABLE = Layout("audit_table", "审计日志", AUDIT_LAYOUT.columns[:11])


class AuditEventListView(ScopedListView):
    model = AuditEvent
    perm = "audit.view"
    filterset_class = AuditEventFilter
    table = AUDIT_TABLE
    export_layout = AUDIT_LAYOUT
    title = "审计日志"
    breadcrumbs = (("审计日志", None),)
    paginate_by = 50


class AuditEventDetailView(ScopedDetailView):
    model = AuditEvent
    perm = "audit.view"
    template_name = "core/audit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ev = self.object
        ctx.update(title=f"审计事件 #{ev.seq}",
                   breadcrumbs=(("审计日志", reverse("core:audit-list")), (f"#{ev.seq}", None)),
                   before_json=json.dumps(ev.before, ensure_ascii=False, indent=2) if ev.before is not None else "",
                   after_json=json.dumps(ev.after, ensure_ascii=False, indent=2) if ev.after is not None else "",
                   action_label=labels.label(labels.AUDIT_ACTION, ev.action),
                   object_type_label=labels.label(labels.OBJECT_TYPE, ev.object_type),
                   channel_label=labels.label(labels.CHANNEL, ev.channel))
        return ctx
