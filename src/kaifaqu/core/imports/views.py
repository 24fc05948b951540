"""Import pages: upload (with the template download) → preview or error table → confirm → result.

Thin: every step goes through core.imports; the job is read through ``ImportJob.objects.visible_to``.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.core import imports, zones
from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.imports.engine import IMPORTERS, get_importer, template_workbook
from kaifaqu.core.imports.models import ImportJob, ImportState
from kaifaqu.core.tabular import XLSX_MIME, Column, Layout, attachment_response
from kaifaqu.core.web.filters import BaseFilterSet
from kaifaqu.core.web.forms import StyledForm
from kaifaqu.core.web.views import ScopedListView


class UploadForm(StyledForm):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx/.xls）、WPS/LibreOffice 表格（.ods）或 CSV（UTF-8 或 GB18030）")
    zone = forms.TypedChoiceField(label="导入到开发区", coerce=int, required=False)

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(zones) > 1:
            self.fields["zone"].choices = [(z.pk, z.name) for z in zones]
            self.fields["zone"].required = True
        else:
            del self.fields["zone"]


def _importer_for(request, layout):
    try:
        importer = get_importer(layout)
    except ServiceError:
        from django.http import Http404

        raise Http404("不支持导入该类数据。") from None
    if not scope_of(request.user).has(importer.perm):
        raise PermissionDenied("您没有导入该类数据的权限。")
    return importer


def _zones(request, importer):
    return list(zones.user_zones(request.user)) if importer.needs_zone else []


def _crumbs(importer, last):
    return ((importer.title, reverse(importer.list_url)), (last, None))


@login_required
def upload(request, layout):
    importer = _importer_for(request, layout)
    zones = _zones(request, importer)
    form = UploadForm(request.POST or None, request.FILES or None, zones=zones)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = imports.upload(request.user, layout, form.cleaned_data["file"],
                                    zone_id=form.cleaned_data.get("zone"))
            except ServiceError as exc:
                form.add_error("file" if "file" in exc.fields or not exc.fields else None, exc.detail)
                status = exc.status if exc.status != 404 else 400
            else:
                return redirect(job)
        else:
            status = 400
    return render(request, "core/import_upload.html", {
        "form": form, "importer": importer, "title": f"导入{importer.title}",
        "breadcrumbs": _crumbs(importer, "导入"),
        "template_url": reverse("core:import-template", args=[layout]),
    }, status=status)


def _job(request, pk):
    return get_visible_or_404(ImportJob.objects.select_related("zone", "uploaded_by"), request.user, pk=pk)


@login_required
def detail(request, pk):
    job = _job(request, pk)
    importer = get_importer(job.layout)
    ctx = {
        "job": job, "importer": importer, "title": f"导入{importer.title}：{job.file_name}",
        "breadcrumbs": _crumbs(importer, job.file_name), "progress": imports.current_progress(job),
        "list_url": reverse(importer.list_url), "upload_url": reverse("core:import-upload", args=[job.layout]),
        "may_confirm": job.uploaded_by_id == request.user.pk,
    }
    if request.htmx and request.GET.get("poll"):
        if job.busy:
            return render(request, "core/_import_progress.html", ctx)
        response = render(request, "core/_import_progress.html", ctx)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "core/import_detail.html", ctx)


@require_POST
@login_required
def confirm(request, pk):
    job = _job(request, pk)
    try:
        job = imports.confirm(request.user, job)
    except ServiceError as exc:
        messages.error(request, exc.detail)
    else:
        if job.state == "done":
            messages.success(request, f"导入完成：新增 {job.new_rows} 条，修改 {job.changed_rows} 条，"
                                      f"未变 {job.unchanged_rows} 条。")
    return redirect(job)


@login_required
def error_workbook(request, pk):
    job = _job(request, pk)
    stem = job.file_name.rsplit(".", 1)[0]
    try:
        content = imports.error_file(job)
    except ServiceError as exc:
        messages.error(request, exc.detail)
        return redirect(job)
    return attachment_response(content, f"{stem}_错误标注.xlsx", XLSX_MIME)


JOB_TABLE = Layout("import_jobs", "导入记录", (
    Column("上传时间", "created_at", "datetime", width=18),
    Column("文件名", "file_name", width=30),
    Column("导入类型", "layout", getter=lambda j: j.layout_title, width=14),
    Column("开发区", "zone", getter=lambda j: j.zone.name if j.zone_id else "全平台", width=20),
    Column("上传人", "uploaded_by", "fk", width=14),
    Column("状态", "state", "choice", width=14),
    Column("数据行", "total_rows", "integer", width=8),
    Column("新增", "new_rows", "integer", width=8),
    Column("修改", "changed_rows", "integer", width=8),
    Column("未变", "unchanged_rows", "integer", width=8),
    Column("错误", "error_count", "integer", width=8),
))


class ImportJobFilter(BaseFilterSet):
    search_fields = ("file_name", "sm3")
    state = django_filters.ChoiceFilter(label="状态", choices=ImportState.choices)
    layout = django_filters.ChoiceFilter(label="导入类型", choices=lambda: [
        (name, importer.title) for name, importer in sorted(IMPORTERS.items())])

    class Meta(BaseFilterSet.Meta):
        model = ImportJob
        fields = ["q", "state", "layout"]


class ImportJobListView(ScopedListView):
    """导入记录: one's own uploads; a zone's user administrators see the zone's."""

    model = ImportJob
    filterset_class = ImportJobFilter
    table = JOB_TABLE
    title = "导入记录"
    breadcrumbs = (("导入记录", None),)
    select_related = ("zone", "uploaded_by")


@login_required
def template(request, layout):
    importer = _importer_for(request, layout)
    return attachment_response(template_workbook(importer), f"{importer.title}导入模板.xlsx", XLSX_MIME)


detail.model = confirm.model = error_workbook.model = ImportJob  # for the route walker in tests/test_scoping.py
