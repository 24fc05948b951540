"""Import of working-day overrides (the system administrator's 工作日历调整 page), matched by (范围, 日期).

范围 is a zone's name or code, or “全平台” (or empty) for a platform-wide day. Each row goes through
``do_set_override`` (its checks and audit event); a summary event names the file.
"""


from kaifaqu.core import audit
from kaifaqu.core.calendar.models import WorkdayOverride
from kaifaqu.core.calendar.services import do_set_override
from kaifaqu.core.calendar.views import OVERRIDE_LAYOUT
from kaifaqu.core.imports.engine import FkSpec, Importer
from kaifaqu.core.tenancy import tenant_model


def _zones(user, zone_id):
    return tenant_model().objects.visible_to(user)


def do_import_overrides(actor, zone_id, plan, progress=None) -> None:
    zones = {z.pk: z for z in _zones(actor, None)}
    rows = [*plan.new, *plan.changed]
    for done, row in enumerate(rows, start=1):
        values = row.values
        do_set_override(actor, date=values["date"], is_workday=values["is_workday"], reason=values["reason"],
                        zone=zones.get(values.get("zone_id")))
        if progress:
            progress(done, len(rows))
    source = plan.source or {}
    audit.record(actor, "calendar.import", None, object_type="core.importjob", object_id=str(source.get("job", "")),
                 object_label=source.get("file", "")[:300],
                 after={**plan.counts, "file": source.get("file", ""), "sm3": source.get("sm3", "")})


OVERRIDE_IMPORTER = Importer(
    layout=OVERRIDE_LAYOUT, model=WorkdayOverride, key=("zone_id", "date"), perm="calendar.manage",
    list_url="core:override-list", existing=lambda user, zone_id: WorkdayOverride.objects.visible_to(user),
    apply=do_import_overrides,
    fks={"zone": FkSpec(_zones, keys=("name", "code"), null_label="全平台")},
    needs_zone=False,
)
