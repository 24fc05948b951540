"""Pages of the register, the indicators (with their figures) and the submission tasks."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.tabular import Column, Layout, xlsx_response
from kaifaqu.core.web.views import ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.zones import zone_for_page

from . import industry, queries, services
from .filters import EnterpriseFilter, IndicatorFilter, TaskFilter
from .forms import EnterpriseForm, FiguresForm, IndicatorForm, TaskForm
from .layouts import ENTERPRISE_LAYOUT, INDICATOR_LAYOUT, TASK_LAYOUT
from .models import Enterprise, Indicator, SubmissionTask, TaskState


def _contacts(user) -> bool:
    return scope_of(user).has("economy.view_contacts")


class EnterpriseListView(ScopedListView):
    model = Enterprise
    perm = "economy.view"
    filterset_class = EnterpriseFilter
    table = ENTERPRISE_LAYOUT
    title = "企业库"
    breadcrumbs = (("企业库", None),)
    select_related = ("park",)
    create_perm = "economy.change"
    create_url = reverse_lazy("economy:enterprise-create")


class EnterpriseDetailView(ScopedDetailView):
    model = Enterprise
    perm = "economy.view"
    template_name = "economy/enterprise_detail.html"
    select_related = ("zone", "park")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        e = self.object
        ctx.update(title=e.name, breadcrumbs=(("企业库", reverse("economy:enterprise-list")), (e.name, None)),
                   industry=industry.label(e.industry_code), contacts=_contacts(self.request.user),
                   can_change=scope_of(self.request.user).has("economy.change"))
        return ctx


class EnterpriseCreateView(ServiceFormView):
    model = Enterprise
    perm = "economy.change"
    form_class = EnterpriseForm
    title = "登记企业"
    success_message = "企业已登记。"
    breadcrumbs = (("企业库", reverse_lazy("economy:enterprise-list")), ("登记企业", None))

    def get_object(self):
        return zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))

    def get_form_kwargs(self):
        return {"zone_id": self.object.pk, "contacts": _contacts(self.request.user)}

    def perform(self, form):
        data = form.changes()
        return services.do_create_enterprise(self.request.user, self.object, **data)


class EnterpriseEditView(ServiceFormView):
    model = Enterprise
    perm = "economy.change"
    form_class = EnterpriseForm
    success_message = "企业信息已保存。"

    def get_object(self):
        return get_visible_or_404(Enterprise.objects.all(), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑企业：{self.object.name}"

    def get_breadcrumbs(self):
        return (("企业库", reverse("economy:enterprise-list")), (self.object.name, self.object.get_absolute_url()),
                ("编辑", None))

    def get_form_kwargs(self):
        return {"instance": self.object, "zone_id": self.object.zone_id, "contacts": _contacts(self.request.user)}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_enterprise(self.request.user, self.object,
                                             version=form.cleaned_data.get("version"), **form.changes())


class IndicatorListView(ScopedListView):
    model = Indicator
    perm = "economy.view"
    filterset_class = IndicatorFilter
    table = INDICATOR_LAYOUT
    title = "经济指标"
    breadcrumbs = (("经济指标", None),)
    create_perm = "economy.manage"
    create_url = reverse_lazy("economy:indicator-create")


class IndicatorCreateView(ServiceFormView):
    model = Indicator
    perm = "economy.manage"
    form_class = IndicatorForm
    title = "新增经济指标"
    success_message = "指标已新增。"
    breadcrumbs = (("经济指标", reverse_lazy("economy:indicator-list")), ("新增", None))

    def get_object(self):
        return zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))

    def perform(self, form):
        return services.do_create_indicator(self.request.user, self.object, **form.changes())


class IndicatorEditView(ServiceFormView):
    model = Indicator
    perm = "economy.manage"
    form_class = IndicatorForm
    success_message = "指标已保存。"

    def get_object(self):
        return get_visible_or_404(Indicator.objects.all(), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑指标：{self.object.name}"

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_indicator(self.request.user, self.object,
                                            version=form.cleaned_data.get("version"), **form.changes())


def _pct(value):
    return "—" if value is None else f"{value * 100:.1f}%"


INDICATOR_TABLES = {
    "parks": Layout("indicator-parks", "园区合计", (
        Column("名次", "rank", "integer"), Column("园区", "park"), Column("本期累计", "current", "decimal"),
        Column("上年同期", "previous", "decimal"), Column("同比", "growth_pct"))),
    "ranking": Layout("indicator-ranking", "企业排名", (
        Column("名次", "rank", "integer"), Column("企业", "name"), Column("本期累计", "total", "decimal"))),
    "trend": Layout("indicator-trend", "各期累计", (
        Column("期别", "period", "integer"), Column("本年累计", "current", "decimal"),
        Column("上年累计", "previous", "decimal"), Column("前年累计", "before", "decimal"))),
}


class Row(dict):
    __getattr__ = dict.get


class IndicatorDetailView(ScopedDetailView):
    """An indicator's figures for a year through a period: total, y/y, parks, ranking, trend, external ranks."""

    model = Indicator
    perm = "economy.view"
    template_name = "economy/indicator_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        ctx = self.get_context_data(object=self.object)
        export = request.GET.get("export")
        if export:
            if export not in INDICATOR_TABLES:
                raise Http404("没有这张表。")
            return xlsx_response(INDICATOR_TABLES[export], ctx["tables"][export],
                                 f"{self.object.name}_{INDICATOR_TABLES[export].title}")
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ind = self.object
        form = FiguresForm(self.request.GET or None)
        cleaned = form.cleaned_data if form.is_valid() else {}
        values = queries.values_of(ind, self.request.user)
        year = cleaned.get("year") or timezone.localdate().year
        through = cleaned.get("through") or queries.latest_period(values, year)
        tables = {"parks": [], "ranking": [], "trend": []}
        fig = None
        if through:
            fig = queries.figure(values, ind, year, through)
            tables["parks"] = [Row(p, growth_pct=_pct(p["growth"])) for p in
                               sorted(queries.park_totals(values, ind, year, through), key=lambda p: p["rank"])]
            tables["ranking"] = [Row(r) for r in queries.ranking(values, ind, year, through)]
        lines = queries.trend(values, ind, [year, year - 1, year - 2])
        tables["trend"] = [Row(period=i + 1, current=lines[year][i], previous=lines[year - 1][i],
                               before=lines[year - 2][i]) for i in range(len(lines[year]))]
        ctx.update(title=ind.name, breadcrumbs=(("经济指标", reverse("economy:indicator-list")), (ind.name, None)),
                   form=form, year=year, through=through, fig=fig, growth=_pct(fig["growth"]) if fig else "—",
                   tables=tables, rankings=ind.rankings.filter(year=year).order_by("period", "id"),
                   can_manage=scope_of(self.request.user).has("economy.manage"))
        return ctx


class TaskListView(ScopedListView):
    model = SubmissionTask
    perm = "economy.submit"
    filterset_class = TaskFilter
    table = TASK_LAYOUT
    title = "报送任务"
    breadcrumbs = (("报送任务", None),)
    select_related = ("indicator", "org")
    import_layout = "indicator_values"
    template_name = "economy/task_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        ctx["open_state"] = TaskState.OPEN
        return ctx


class TaskDetailView(ScopedDetailView):
    model = SubmissionTask
    perm = "economy.submit"
    template_name = "economy/task_detail.html"
    select_related = ("indicator", "org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        t = self.object
        ctx.update(title=str(t), breadcrumbs=(("报送任务", reverse("economy:task-list")), (str(t), None)),
                   submissions=t.submissions.order_by("-submitted_at", "-id"),
                   overdue=t.late or (t.state == TaskState.OPEN and t.due_on < timezone.localdate()),
                   can_submit=scope_of(self.request.user).has("economy.submit")
                   and self.request.user.org_id == t.org_id,
                   upload_url=reverse("core:import-upload", args=["indicator_values"]))
        return ctx


class TaskCreateView(ServiceFormView):
    """Issue a task for one indicator (the pk is the indicator's)."""

    model = Indicator
    perm = "economy.manage"
    form_class = TaskForm
    success_message = "报送任务已下达。"

    def get_object(self):
        indicator = get_visible_or_404(Indicator.objects.all(), self.request.user, pk=self.kwargs["pk"])
        if not scope_of(self.request.user).has("economy.manage"):
            raise PermissionDenied("您没有执行此操作的权限。")
        return indicator

    @property
    def title(self):
        return f"下达报送任务：{self.object.name}"

    def get_form_kwargs(self):
        return {"zone_id": self.object.zone_id}

    def get_initial(self):
        today = timezone.localdate()
        return {"year": today.year, "period": max(today.month - 1, 1), "workdays": 5}

    def perform(self, form):
        return services.do_issue_task(self.request.user, self.object, **form.changes())
