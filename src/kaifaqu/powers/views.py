"""Pages of POWER-1 and POWER-4. Thin: read through ``visible_to``, write through ``services``."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.pagination import page_size_from
from kaifaqu.core.tabular import xlsx_response
from kaifaqu.core.web.views import PermRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.workflow.views import ActionView
from kaifaqu.core.zones import zone_for_page

from . import queries, services
from .filters import BatchFilter, FunctionItemFilter, ListVersionFilter, PowerItemFilter, StandardItemFilter
from .forms import (
    AreaForm,
    AssignForm,
    BatchForm,
    ClaimForm,
    DraftForm,
    FunctionForm,
    ItemForm,
    MatterForm,
    RemoveForm,
)
from .layouts import (
    BATCH_LAYOUT,
    DIFF_LAYOUT,
    FUNCTION_LAYOUT,
    ITEM_LAYOUT,
    ITEM_TABLE,
    STANDARD_LAYOUT,
    VERSION_LAYOUT,
)
from .models import Area, Assignment, Batch, FunctionItem, ListVersion, Matter, PowerItem, StandardItem
from .workflow import HANDOVER, LIST, publication_problems

ITEMS_PER_PAGE = 50


def _crumb_versions():
    return ("清单版本", reverse("powers:version-list"))


def numbered(items, start=1):
    items = list(items)
    for i, item in enumerate(items, start):
        item.row_no = i
    return items


class PowersFormView(ServiceFormView):
    perm = "powers.change"
    permission_message = "您没有执行此操作的权限。"

    def visible(self, model, pk):
        return get_visible_or_404(model.objects.all(), self.request.user, pk=pk)


# The current list ----------------------------------------------------------------------------------------------

class CurrentListView(PermRequiredMixin, TemplateView):
    """权责清单: the zone's latest published version (else its draft), or the start page when there is none."""

    model = ListVersion
    perm = "powers.view"
    template_name = "powers/empty.html"

    def get(self, request, *args, **kwargs):
        zone = zone_for_page(request.user, request.GET.get("zone"))
        version = queries.latest_version(zone.pk) if zone else None
        if version is not None:
            return redirect(version.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scope = scope_of(self.request.user)
        return {**super().get_context_data(**kwargs), "title": "权责清单", "breadcrumbs": (("权责清单", None),),
                "can_change": scope.has("powers.change")}


# Standard catalogue ------------------------------------------------------------------------------------------

class StandardPermMixin:
    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("powers.view") or scope.has("powers.catalogue")):
            raise PermissionDenied("您没有访问此页面的权限。")


class StandardListView(StandardPermMixin, ScopedListView):
    model = StandardItem
    filterset_class = StandardItemFilter
    table = STANDARD_LAYOUT
    title = "标准事项目录"
    breadcrumbs = (("标准事项目录", None),)
    import_layout = "power_standards"
    paginate_by = 50


class StandardDetailView(StandardPermMixin, ScopedDetailView):
    model = StandardItem
    template_name = "powers/standard_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        claims = PowerItem.objects.filter(standard=self.object).select_related("list_version").order_by(
            "-list_version__seq")
        ctx.update(title=str(self.object), breadcrumbs=(("标准事项目录", reverse("powers:standard-list")),
                                                        (self.object.code, None)),
                   claims=claims, can_claim=scope_of(self.request.user).has("powers.change"))
        return ctx


class ClaimView(PowersFormView):
    model = StandardItem
    form_class = ClaimForm
    success_message = "已认领到清单草稿。"

    def get_object(self):
        return self.visible(StandardItem, self.kwargs["pk"])

    @property
    def title(self):
        return f"认领：{self.object}"

    def get_breadcrumbs(self):
        return (("标准事项目录", reverse("powers:standard-list")), (self.object.code, self.object.get_absolute_url()),
                ("认领", None))

    def get_form_kwargs(self):
        return {"zone_id": self.object.zone_id}

    def perform(self, form):
        return services.do_claim(self.request.user, self.object, **form.cleaned_data)


# Items -------------------------------------------------------------------------------------------------------

class ItemListView(ScopedListView):
    """Every item the user may see, of every version (the version page shows one version's list)."""

    model = PowerItem
    perm = "powers.view"
    filterset_class = PowerItemFilter
    table = ITEM_TABLE
    export_layout = ITEM_LAYOUT
    title = "权力事项（全部版本）"
    breadcrumbs = (("权力事项", None),)
    select_related = ("batch",)
    import_layout = "power_items"
    create_perm = "powers.change"
    paginate_by = 50

    @property
    def create_url(self):
        return reverse("powers:item-create")

    def export_rows(self, queryset):
        n = 0
        for item in super().export_rows(queryset):
            n += 1
            item.row_no = n
            yield item


class ItemDetailView(ScopedDetailView):
    model = PowerItem
    perm = "powers.view"
    template_name = "powers/item_detail.html"
    select_related = ("list_version", "standard", "batch")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item = self.object
        ctx.update(title=str(item), breadcrumbs=(_crumb_versions(), (str(item.list_version),
                                                                     item.list_version.get_absolute_url()),
                                                 (item.code, None)),
                   can_change=scope_of(self.request.user).has("powers.change") and item.list_version.editable)
        return ctx


class ItemCreateView(PowersFormView):
    model = PowerItem
    form_class = ItemForm
    title = "新增自有事项"
    success_message = "已加入清单草稿。"

    def prepare(self):
        self.zone = zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))
        if self.zone is None:
            raise Http404("未找到该开发区，或您无权查看。")
        super().prepare()

    def get_breadcrumbs(self):
        return (("权力事项", reverse("powers:item-list")), ("新增自有事项", None))

    def get_form_kwargs(self):
        return {"zone_id": self.zone.pk}

    def perform(self, form):
        return services.do_create_item(self.request.user, self.zone, **form.changes())


class ItemEditView(PowersFormView):
    model = PowerItem
    form_class = ItemForm

    def get_object(self):
        return self.visible(PowerItem, self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑：{self.object}"

    def get_breadcrumbs(self):
        return ((str(self.object.list_version), self.object.list_version.get_absolute_url()),
                (self.object.code, self.object.get_absolute_url()), ("编辑", None))

    def get_form_kwargs(self):
        return {"zone_id": self.object.zone_id, "claimed": self.object.standard_id is not None}

    def get_initial(self):
        item = self.object
        fields = ("code", "name", "sub_name", "kind", "basis", "implementing_body", "undertaking_unit",
                  "exercise_basis", "duties", "accountability", "supervision_phone", "holding", "holding_doc_no",
                  "holding_doc_date", "batch", "effective_on", "note", "version")
        return {f: getattr(item, f) for f in fields}

    def perform(self, form):
        return services.do_update_item(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                       **form.changes())


class ItemRemoveView(PowersFormView):
    model = PowerItem
    form_class = RemoveForm
    success_message = "已从草稿移出。"

    def get_object(self):
        return self.visible(PowerItem, self.kwargs["pk"])

    @property
    def title(self):
        return f"移出事项：{self.object}"

    def perform(self, form):
        version = self.object.list_version
        services.do_remove_item(self.request.user, self.object, **form.cleaned_data)
        return version


# Batches -----------------------------------------------------------------------------------------------------

class BatchListView(ScopedListView):
    model = Batch
    perm = "powers.view"
    filterset_class = BatchFilter
    table = BATCH_LAYOUT
    title = "赋权批次"
    breadcrumbs = (("赋权批次", None),)
    create_perm = "powers.change"

    @property
    def create_url(self):
        return reverse("powers:batch-create")

    def rows(self, objects):
        objects = list(objects)
        counts = dict(PowerItem.objects.filter(batch__in=objects).values_list("batch_id")
                      .annotate(n=Count("code", distinct=True)).order_by())
        for b in objects:
            b.n_items = counts.get(b.pk, 0)
        return objects


class BatchDetailView(ScopedDetailView):
    model = Batch
    perm = "powers.view"
    template_name = "powers/batch_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = queries.batch_counts(self.object)
        version = queries.latest_version(self.object.zone_id)
        ctx.update(title=self.object.name, breadcrumbs=(("赋权批次", reverse("powers:batch-list")),
                                                       (self.object.name, None)),
                   counts=counts, version=version,
                   can_change=scope_of(self.request.user).has("powers.change"))
        return ctx


class BatchCreateView(PowersFormView):
    model = Batch
    form_class = BatchForm
    title = "新增赋权批次"

    def prepare(self):
        self.zone = zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))
        if self.zone is None:
            raise Http404("未找到该开发区，或您无权查看。")
        super().prepare()

    def get_breadcrumbs(self):
        return (("赋权批次", reverse("powers:batch-list")), ("新增", None))

    def perform(self, form):
        return services.do_create_batch(self.request.user, self.zone, **form.changes())


class BatchEditView(PowersFormView):
    model = Batch
    form_class = BatchForm

    def get_object(self):
        return self.visible(Batch, self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑批次：{self.object.name}"

    def get_initial(self):
        b = self.object
        return {"name": b.name, "document_no": b.document_no, "document_date": b.document_date,
                "effective_on": b.effective_on, "note": b.note, "version": b.version}

    def perform(self, form):
        return services.do_update_batch(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                        **form.changes())


# Versions ----------------------------------------------------------------------------------------------------

class VersionListView(ScopedListView):
    model = ListVersion
    perm = "powers.view"
    filterset_class = ListVersionFilter
    table = VERSION_LAYOUT
    title = "权责清单版本"
    breadcrumbs = (("清单版本", None),)
    create_perm = "powers.change"

    @property
    def create_url(self):
        return reverse("powers:version-create")

    def rows(self, objects):
        objects = list(objects)
        counts = dict(PowerItem.objects.filter(list_version__in=objects).values_list("list_version_id")
                      .annotate(n=Count("id")).order_by())
        for v in objects:
            v.n_items = counts.get(v.pk, 0)
        return objects


class DraftCreateView(PowersFormView):
    model = ListVersion
    form_class = DraftForm
    title = "新建清单草稿"
    success_message = "已新建草稿（复制了最新发布版本的事项）。"

    def prepare(self):
        self.zone = zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))
        if self.zone is None:
            raise Http404("未找到该开发区，或您无权查看。")
        super().prepare()

    def get_breadcrumbs(self):
        return (_crumb_versions(), ("新建草稿", None))

    def perform(self, form):
        return services.do_start_draft(self.request.user, self.zone, **form.cleaned_data)


class VersionDetailView(ScopedDetailView):
    """One version: its items (search, filters, pages of 50), the workflow buttons, export, import and diff."""

    model = ListVersion
    perm = "powers.view"
    template_name = "powers/version_detail.html"
    select_related = ("author", "reviewer", "based_on")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        version = self.object
        scope = scope_of(self.request.user)
        params = self.request.GET.copy()
        params.pop("page", None)
        params["list_version"] = version.pk
        filterset = PowerItemFilter(params, queryset=PowerItem.objects.filter(list_version=version)
                                    .select_related("batch"), request=self.request)
        items = filterset.qs if filterset.is_valid() else PowerItem.objects.none()
        paginator = Paginator(items.order_by("code", "id"),
                              page_size_from(self.request.GET.get("page_size")) or ITEMS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = numbered(page.object_list, page.start_index())
        filterset.form.fields["list_version"].widget = filterset.form.fields["list_version"].hidden_widget()
        params.pop("list_version", None)
        others = ListVersion.objects.filter(zone_id=version.zone_id).exclude(pk=version.pk).order_by("-seq")
        import_url = None
        if version.editable and scope.has("powers.change"):
            import_url = reverse("core:import-upload", args=["power_items"])
        ctx.update(
            title=str(version), breadcrumbs=(_crumb_versions(), (str(version), None)),
            filter=filterset, page_obj=page, paginator=paginator, is_paginated=paginator.num_pages > 1,
            items=page.object_list, querystring=params.urlencode(),
            total=paginator.count, others=others, import_url=import_url,
            can_change=version.editable and scope.has("powers.change"),
            problems=publication_problems(version) if version.state != "published" else {},
            matrix=queries.matrix_report(version.zone_id),
        )
        return ctx


def version_export(request, pk):
    """The version's items in the usual layout (序号 … 备注), the same workbook the import reads."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not scope_of(request.user).has("powers.view"):
        raise PermissionDenied("您没有访问此页面的权限。")
    version = get_visible_or_404(ListVersion.objects.all(), request.user, pk=pk)
    items = numbered(PowerItem.objects.filter(list_version=version).order_by("code", "id"))
    return xlsx_response(ITEM_LAYOUT, items, f"{version.title}（第{version.seq}版）")


version_export.model = ListVersion


def diff_rows(result):
    rows = []
    for item in result["added"]:
        rows.append({"change": "新增", "code": item["code"], "name": item["name"], "label": "", "before": "",
                     "after": ""})
    for item in result["removed"]:
        rows.append({"change": "移出", "code": item["code"], "name": item["name"], "label": "", "before": "",
                     "after": ""})
    for item in result["changed"]:
        for c in item["changes"]:
            rows.append({"change": "修改", "code": item["code"], "name": item["name"], "label": c["label"],
                         "before": c["before"], "after": c["after"]})
    return rows


class _Row(dict):
    __getattr__ = dict.get


class VersionDiffView(ScopedDetailView):
    """Items added, removed and changed field by field against ``?against=`` (default: the version it copied)."""

    model = ListVersion
    perm = "powers.view"
    template_name = "powers/version_diff.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        against = request.GET.get("against") or self.object.based_on_id
        self.old = None
        if against:
            self.old = get_visible_or_404(ListVersion.objects.all(), request.user, pk=against)
        self.result = queries.diff(self.old, self.object) if self.old else None
        if self.result and request.GET.get("export") == "xlsx":
            return xlsx_response(DIFF_LAYOUT, [_Row(r) for r in diff_rows(self.result)],
                                 f"版本比对_{self.old.seq}_{self.object.seq}")
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=f"版本比对：{self.object}", result=self.result, old=self.old,
                   breadcrumbs=(_crumb_versions(), (str(self.object), self.object.get_absolute_url()), ("比对", None)),
                   others=ListVersion.objects.filter(zone_id=self.object.zone_id).exclude(pk=self.object.pk)
                   .order_by("-seq"))
        return ctx


class VersionActionView(ActionView):
    model = ListVersion
    workflow = LIST




# The responsibility matrix (POWER-3) -------------------------------------------------------------------------

class MatrixView(PermRequiredMixin, TemplateView):
    """责任清单: matters × areas with each cell's lead and supporters, and the gap/conflict report."""

    model = Assignment
    perm = "powers.view"
    template_name = "powers/matrix.html"

    def get_context_data(self, **kwargs):
        zone = zone_for_page(self.request.user, self.request.GET.get("zone"))
        data = queries.matrix(zone.pk)
        return {**super().get_context_data(**kwargs), "title": "责任清单", "breadcrumbs": (("责任清单", None),),
                "zone": zone, "data": data, "report": queries.matrix_report(zone.pk),
                "can_change": scope_of(self.request.user).has("powers.change")}


class _MatrixForm(PowersFormView):
    def prepare(self):
        self.zone = zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))
        if self.zone is None:
            raise Http404("未找到该开发区，或您无权查看。")
        super().prepare()

    def get_form_kwargs(self):
        return {"zone_id": self.zone.pk}

    def get_breadcrumbs(self):
        return (("责任清单", reverse("powers:matrix")), (self.title, None))

    def success_url(self, obj):
        return reverse("powers:matrix")


class MatterCreateView(_MatrixForm):
    model = Matter
    form_class = MatterForm
    title = "新增责任事项"

    def get_form_kwargs(self):
        return {}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        return services.do_create_matter(self.request.user, self.zone, **data)


class AreaCreateView(_MatrixForm):
    model = Area
    form_class = AreaForm
    title = "新增责任区域"

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        return services.do_create_area(self.request.user, self.zone, **data)


class AssignView(_MatrixForm):
    model = Assignment
    form_class = AssignForm
    title = "指定主责/配合单位"

    def get_initial(self):
        return {k: self.request.GET.get(k) for k in ("matter", "area", "duty") if self.request.GET.get(k)}

    def perform(self, form):
        d = form.cleaned_data
        return services.do_assign(self.request.user, d["matter"], d["area"], d["org"], duty=d["duty"],
                                  note=d["note"])


class UnassignView(PowersFormView):
    model = Assignment
    form_class = RemoveForm
    success_message = "已取消。"

    def get_object(self):
        return self.visible(Assignment, self.kwargs["pk"])

    @property
    def title(self):
        return f"取消分工：{self.object}"

    def perform(self, form):
        services.do_unassign(self.request.user, self.object, reason=form.cleaned_data["reason"])
        return self.object

    def success_url(self, obj):
        return reverse("powers:matrix")


# The two function catalogues (POWER-2) -----------------------------------------------------------------------

class FunctionSummaryView(PermRequiredMixin, TemplateView):
    """两张目录: counts by category and hand-over state."""

    model = FunctionItem
    perm = "powers.view"
    template_name = "powers/function_summary.html"

    def get_context_data(self, **kwargs):
        zone = zone_for_page(self.request.user, self.request.GET.get("zone"))
        return {**super().get_context_data(**kwargs), "title": "两张目录", "breadcrumbs": (("两张目录", None),),
                "zone": zone, "counts": queries.function_counts(zone.pk),
                "can_change": scope_of(self.request.user).has("powers.change")}


class FunctionListView(ScopedListView):
    model = FunctionItem
    perm = "powers.view"
    filterset_class = FunctionItemFilter
    table = FUNCTION_LAYOUT
    title = "职能事项"
    breadcrumbs = (("两张目录", reverse_lazy("powers:function-summary")), ("职能事项", None))
    select_related = ("receiver",)
    create_perm = "powers.change"
    paginate_by = 50

    @property
    def create_url(self):
        return reverse("powers:function-create")


class ReceivedView(PermRequiredMixin, TemplateView):
    """我单位承接的职能: what the user's unit took over, with what still waits for its confirmation."""

    model = FunctionItem
    perm = "powers.handover"
    template_name = "powers/function_received.html"

    def get_context_data(self, **kwargs):
        org_id = scope_of(self.request.user).org_id
        items = (FunctionItem.objects.visible_to(self.request.user).filter(receiver_id=org_id)
                 .select_related("receiver").order_by("state", "category", "sort", "id"))
        return {**super().get_context_data(**kwargs), "title": "我单位承接的职能",
                "breadcrumbs": (("我单位承接的职能", None),), "items": items}


class FunctionDetailView(ScopedDetailView):
    model = FunctionItem
    perm = ""
    template_name = "powers/function_detail.html"
    select_related = ("receiver",)

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("powers.view") or scope.has("powers.handover")):
            raise PermissionDenied("您没有访问此页面的权限。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=str(self.object), breadcrumbs=(("两张目录", reverse("powers:function-summary")),
                                                       (self.object.name, None)))
        return ctx


class FunctionCreateView(_MatrixForm):
    model = FunctionItem
    form_class = FunctionForm
    title = "新增职能事项"

    def get_breadcrumbs(self):
        return (("两张目录", reverse("powers:function-summary")), (self.title, None))

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        return services.do_create_function(self.request.user, self.zone, **data)

    def success_url(self, obj):
        return obj.get_absolute_url()


class FunctionActionView(ActionView):
    model = FunctionItem
    workflow = HANDOVER


# POWER-5: stationed agencies (派驻机构) -----------------------------------------------------------------------

from .filters import AssessmentRightFilter, HeadChangeFilter  # noqa: E402
from .forms import AssessmentForm, HeadChangeForm  # noqa: E402
from .layouts import ASSESSMENT_LAYOUT, HEAD_CHANGE_LAYOUT  # noqa: E402
from .models import AssessmentRight, HeadChange  # noqa: E402
from .workflow import HEAD_CHANGE, KIND_CONSENT  # noqa: E402


class _StationedReader:
    """The zone's readers of the list and its 组织人事 (who records consented changes)."""

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("powers.view") or scope.has("org.change")):
            raise PermissionDenied("您没有访问此页面的权限。")


class HeadChangeListView(_StationedReader, ScopedListView):
    model = HeadChange
    perm = ""
    filterset_class = HeadChangeFilter
    table = HEAD_CHANGE_LAYOUT
    title = "派驻机构负责人任免"
    breadcrumbs = (("派驻机构负责人任免", None),)
    select_related = ("agency", "department")
    create_perm = "powers.head_request"
    paginate_by = 50

    @property
    def create_url(self):
        return reverse("powers:headchange-create")


class HeadChangeDetailView(_StationedReader, ScopedDetailView):
    model = HeadChange
    perm = ""
    template_name = "powers/headchange_detail.html"
    select_related = ("agency", "department", "nominee", "requested_by", "decided_by")

    def get_context_data(self, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        from kaifaqu.core.clock.models import DeadlineClock

        ctx = super().get_context_data(**kwargs)
        ctx.update(title=str(self.object), breadcrumbs=(("派驻机构负责人任免", reverse("powers:headchange-list")),
                                                       (self.object.agency.name, None)),
                   clock=DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(HeadChange),
                                                      object_id=str(self.object.pk), kind=KIND_CONSENT)
                   .order_by("-id").first())
        return ctx


class HeadChangeCreateView(PowersFormView):
    model = HeadChange
    perm = "powers.head_request"
    form_class = HeadChangeForm
    title = "提出派驻机构负责人任免"
    success_message = "已提出，等待开发区意见。"

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_breadcrumbs(self):
        return (("派驻机构负责人任免", reverse("powers:headchange-list")), (self.title, None))

    def perform(self, form):
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        data["nominee"] = services.nominee_of(agency, data.get("nominee"))
        return services.do_request_head_change(self.request.user, agency, **data)


class HeadChangeActionView(ActionView):
    model = HeadChange
    workflow = HEAD_CHANGE


class AssessmentListView(_StationedReader, ScopedListView):
    model = AssessmentRight
    perm = ""
    filterset_class = AssessmentRightFilter
    table = ASSESSMENT_LAYOUT
    title = "派驻机构考核权"
    breadcrumbs = (("派驻机构考核权", None),)
    select_related = ("agency",)
    create_perm = "powers.change"
    paginate_by = 50

    @property
    def create_url(self):
        return reverse("powers:assessment-create")


class AssessmentCreateView(_MatrixForm):
    model = AssessmentRight
    form_class = AssessmentForm
    title = "登记考核权"

    def get_breadcrumbs(self):
        return (("派驻机构考核权", reverse("powers:assessment-list")), (self.title, None))

    def perform(self, form):
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        return services.do_record_assessment(self.request.user, agency, **data)

    def success_url(self, obj):
        return reverse("powers:assessment-list")
