"""工作台: the user's own imports that passed validation and wait for 确认导入."""

from django.urls import reverse

from kaifaqu.core.imports.engine import IMPORTERS
from kaifaqu.core.imports.models import ImportJob, ImportState
from kaifaqu.core.workbench import SHORT_LIST, Entry, Item


def awaiting_confirmation(user, scope, today):
    if not any(scope.has(importer.perm) for importer in IMPORTERS.values()):
        return None  # a role that cannot import has nothing to confirm
    jobs = ImportJob.objects.filter(uploaded_by_id=scope.user_id, state=ImportState.VALIDATED)
    shown = jobs.only("id", "layout", "file_name", "new_rows", "changed_rows", "created_at").order_by("-created_at", "-id")
    items = [Item(f"{job.layout_title}：{job.file_name}", job.get_absolute_url(),
                  f"新增 {job.new_rows} 行，修改 {job.changed_rows} 行", job.created_at)
             for job in shown[:SHORT_LIST]]
    return Entry("imports-confirm", "待确认的导入", f"{reverse('core:import-list')}?state={ImportState.VALIDATED}",
                 count=jobs.count(), items=items)
