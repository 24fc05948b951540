"""Pages of investment projects: the pipeline list, a project with its stages and service log, the figures."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.tabular import Column, Layout, xlsx_response
from kaifaqu.core.web.views import PermRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.workflow.views import ActionView
from kaifaqu.core.zones import zone_for_page
from kaifaqu.org.models import Zone

from . import money, queries, services
from .filters import ProjectFilter, ServiceLogFilter
from .forms import ProjectCreateForm, ProjectForm, ServiceLogForm, SettingsForm, WhistleFromLogForm, YearForm
from .layouts import LOG_LAYOUT, PROJECT_LAYOUT
from .models import Project, ServiceLog
from .workflow import PROJECT

LIST = ("招商项目", "invest:project-list")


def _crumb(label, name):
    return (label, reverse_lazy(name))


class ProjectListView(ScopedListView):
    model = Project
    perm = "invest.view"
    filterset_class = ProjectFilter
    table = PROJECT_LAYOUT
    title = "招商项目"
    breadcrumbs = (("招商项目", None),)
    select_related = ("park", "responsible_org")
    create_perm = "invest.change"
    template_name = "invest/project_list.html"

    @property
    def create_url(self):
        return reverse("invest:project-create")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["stuck"] = queries.stuck_ids([obj for obj, _ in ctx["rows"]], timezone.localdate())
        return ctx


class ProjectDetailView(ScopedDetailView):
    model = Project
    perm = "invest.view"
    template_name = "invest/project_detail.html"
    select_related = ("zone", "park", "responsible_org")

    def get_context_data(self, **kwargs):
        from kaifaqu.economy import industry

        ctx = super().get_context_data(**kwargs)
        p = self.object
        settings = services.settings_for(p.zone_id)
        tier = queries.tier_of(p.signed_amount, settings) if p.signed_on else None
        ctx.update(
            title=p.name,
            breadcrumbs=(_crumb(*LIST), (p.name, None)),
            industry=industry.label(p.industry_code),
            tier_label=queries.tier_labels([settings]).get(tier) if tier else None,
            stuck=p.pk in queries.stuck_ids([p], timezone.localdate()),
            stuck_days=settings.stuck_days,
            logs=ServiceLog.objects.filter(project=p).order_by("-date", "-id")[:50],
            can_change=scope_of(self.request.user).has("invest.change"),
            can_whistle=_can_whistle(self.request.user),
            log_form=ServiceLogForm(initial={"date": timezone.localdate()}),
        )
        return ctx


def _can_whistle(user) -> bool:
    from django.apps import apps

    scope = scope_of(user)
    return apps.is_installed("kaifaqu.whistle") and scope.has("invest.change") and scope.has("whistle.blow")


class ProjectFormBase(ServiceFormView):
    perm = "invest.change"
    model = Project


class ProjectCreateView(ProjectFormBase):
    form_class = ProjectCreateForm
    title = "新增招商项目"
    success_message = "项目已登记为线索。"
    breadcrumbs = (_crumb(*LIST), ("新增", None))

    def get_object(self):
        return zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))

    def get_form_kwargs(self):
        return {"zone_id": self.object.pk}

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {
            "form": form, "title": self.title, "breadcrumbs": self.get_breadcrumbs(), "object": None,
        }, status=status)

    def perform(self, form):
        data = form.changes()
        return services.do_create_project(self.request.user, self.object, lead_on=form.cleaned_data.get("lead_on"),
                                          **data)


class ProjectEditView(ProjectFormBase):
    form_class = ProjectForm
    success_message = "项目已保存。"

    def get_object(self):
        return get_visible_or_404(Project.objects.all(), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑项目：{self.object.name}"

    def get_breadcrumbs(self):
        return (_crumb(*LIST), (self.object.name, self.object.get_absolute_url()), ("编辑", None))

    def get_form_kwargs(self):
        return {"instance": self.object, "zone_id": self.object.zone_id}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_project(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                          **form.changes())


class ProjectActionView(ActionView):
    model = Project
    workflow = PROJECT


class ServiceLogCreateView(ProjectFormBase):
    form_class = ServiceLogForm
    success_message = "服务记录已登记。"

    def get_object(self):
        return get_visible_or_404(Project.objects.all(), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"登记服务：{self.object.name}"

    def get_breadcrumbs(self):
        return (_crumb(*LIST), (self.object.name, self.object.get_absolute_url()), ("登记服务", None))

    def get_initial(self):
        return {"date": timezone.localdate()}

    def perform(self, form):
        return services.do_add_log(self.request.user, self.object, **form.changes())

    def success_url(self, obj):
        return obj.project.get_absolute_url()


class ServiceLogWhistleView(ServiceFormView):
    """转为吹哨: a problem raised in the service log blown as a whistle (when the whistle module is installed)."""

    model = ServiceLog
    perm = "invest.change"
    form_class = WhistleFromLogForm
    success_message = "已转为吹哨，牵头单位已收到任务。"

    def get_object(self):
        from django.apps import apps

        log = get_visible_or_404(ServiceLog.objects.select_related("project", "project__park"), self.request.user,
                                 pk=self.kwargs["pk"])
        if not apps.is_installed("kaifaqu.whistle"):
            raise Http404("吹哨报到模块未启用。")
        return log

    @property
    def title(self):
        return f"转为吹哨：{self.object.project.name}"

    def get_breadcrumbs(self):
        return (_crumb(*LIST), (self.object.project.name, self.object.project.get_absolute_url()), ("转为吹哨", None))

    def get_form_kwargs(self):
        return {"zone_id": self.object.zone_id}

    def get_initial(self):
        first = self.object.content.strip().splitlines()[0][:60] if self.object.content.strip() else ""
        return {"title": f"{self.object.project.name}：{first}"}

    def perform(self, form):
        data = form.cleaned_data
        return services.do_raise_whistle(self.request.user, self.object, kind=data["kind"], title=data["title"],
                                         matter=data["matter"], lead=data.get("lead"))

    def success_url(self, obj):
        return obj.whistle_url or obj.get_absolute_url()


class ServiceLogListView(ScopedListView):
    model = ServiceLog
    perm = "invest.view"
    filterset_class = ServiceLogFilter
    table = LOG_LAYOUT
    title = "项目服务记录"
    breadcrumbs = (_crumb(*LIST), ("服务记录", None))
    select_related = ("project",)


class SettingsEditView(ServiceFormView):
    """The zone's tier thresholds and stuck days (the pk is the zone's)."""

    model = Zone
    perm = "invest.view"
    form_class = SettingsForm
    success_message = "招商设置已保存。"

    def get_object(self):
        # the zone among the user's (404), then the permission to change its settings (403)
        zone = get_visible_or_404(Zone.objects.all(), self.request.user, pk=self.kwargs["pk"])
        if not scope_of(self.request.user).has("invest.settings"):
            raise PermissionDenied("您没有执行此操作的权限。")
        return zone

    @property
    def title(self):
        return f"招商设置：{self.object.name}"

    def get_breadcrumbs(self):
        return (_crumb(*LIST), ("招商设置", None))

    def get_form_kwargs(self):
        return {"instance": services.settings_for(self.object.pk)}

    def get_initial(self):
        return {"version": services.settings_for(self.object.pk).version}

    def perform(self, form):
        return services.do_update_settings(self.request.user, self.object, **form.changes())

    def success_url(self, obj):
        return reverse("invest:figures") + f"?zone={self.object.pk}"


FIGURE_LAYOUTS = {
    "tiers": Layout("invest-tiers", "签约项目按档次", (
        Column("档次", "label"), Column("项目数", "count", "integer"), Column("签约金额（亿元）", "yi", "decimal"))),
    "years": Layout("invest-years", "签约项目按年度", (
        Column("签约年度", "year", "integer"), Column("项目数", "count", "integer"),
        Column("签约金额（亿元）", "yi", "decimal"), Column("实际到位投资（亿元）", "invested_yi", "decimal"))),
    "parks": Layout("invest-parks", "签约项目按园区", (
        Column("园区", "park__name"), Column("项目数", "count", "integer"), Column("签约金额（亿元）", "yi", "decimal"))),
    "industries": Layout("invest-industries", "签约项目按行业", (
        Column("行业大类", "label"), Column("项目数", "count", "integer"), Column("签约金额（亿元）", "yi", "decimal"))),
    "sources": Layout("invest-sources", "签约项目按来源", (
        Column("来源", "label"), Column("项目数", "count", "integer"), Column("签约金额（亿元）", "yi", "decimal"))),
    "landing": Layout("invest-landing", "签约项目落地率", (
        Column("签约年度", "year", "integer"), Column("签约项目数", "signed", "integer"),
        Column("已开工", "started", "integer"), Column("开工率", "started_pct"),
        Column("已投产", "producing", "integer"), Column("投产率", "producing_pct"))),
}


class Row(dict):
    __getattr__ = dict.get


def _pct(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def figures(queryset, year, zone_ids) -> dict:
    """Every figure of the page as rows (what the tables show and the workbooks hold)."""
    tiers = queries.tiers(queryset, year, zone_ids=zone_ids)
    rows = {
        "tiers": [Row(tier=t.tier, label=t.label, count=t.count, amount=t.amount, yi=money.yi(t.amount))
                  for t in [*tiers["tiers"], tiers["total"]]],
        "years": [Row(r, yi=money.yi(r["amount"]), invested_yi=money.yi(r["invested"]))
                  for r in queries.by_year(queryset)],
        "parks": [Row(r, park__name=r["park__name"] or "未定园区", yi=money.yi(r["amount"]))
                  for r in queries.by_park(queryset, year)],
        "industries": [Row(r, yi=money.yi(r["amount"])) for r in queries.by_industry(queryset, year)],
        "sources": [Row(r, yi=money.yi(r["amount"])) for r in queries.by_source(queryset, year)],
        "landing": [Row(r, started_pct=_pct(r["started_rate"]), producing_pct=_pct(r["producing_rate"]))
                    for r in queries.landing(queryset)],
    }
    return rows


class FiguresView(PermRequiredMixin, View):
    """招商统计: by tier, year, park, industry, source; landing rate by cohort; every table downloads."""

    model = Project
    perm = "invest.view"

    def get(self, request):
        form = YearForm(request.GET or None)
        year = form.cleaned_data.get("year") if form.is_valid() else None
        qs = Project.objects.visible_to(request.user)
        zone_param = request.GET.get("zone")
        zone_ids = sorted(scope_of(request.user).zone_ids)
        if zone_param:
            if not zone_param.isdigit() or int(zone_param) not in zone_ids:
                raise Http404("未找到该开发区，或您无权查看。")
            zone_ids = [int(zone_param)]
            qs = qs.filter(zone_id=zone_ids[0])
        rows = figures(qs, year, zone_ids)
        export = request.GET.get("export")
        if export:
            if export not in FIGURE_LAYOUTS:
                raise Http404("没有这张表。")
            return xlsx_response(FIGURE_LAYOUTS[export], rows[export])
        scope = scope_of(request.user)
        zones = Zone.objects.filter(pk__in=zone_ids).order_by("code")
        return render(request, "invest/figures.html", {
            "title": "招商统计", "breadcrumbs": (_crumb(*LIST), ("招商统计", None)), "form": form, "year": year,
            "rows": rows, "zones": zones, "zone_param": zone_param or "",
            "stuck_count": queries.stuck(qs, timezone.localdate()).count(),
            "can_settings": scope.has("invest.settings"),
            "list_url": reverse("invest:project-list"),
        })
