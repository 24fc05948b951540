"""Pages of the approvals module: catalogue, windows, public guides (no login). Thin: look up in scope, call a
service, render."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.web.views import PermRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.workflow.views import ActionView

from . import forms, queries, services, workflow
from .filters import CaseFilter, ParcelFilter, PostCheckFilter, ProjectFilter, ServiceItemFilter, WindowFilter
from .layouts import CASE_LAYOUT, CHECK_LAYOUT, ITEM_LAYOUT, ITEM_TABLE, PARCEL_LAYOUT, PROJECT_LAYOUT, WINDOW_LAYOUT
from .models import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Material,
    Parcel,
    PostCheck,
    Project,
    ProjectAgent,
    ServiceItem,
    Stage,
    Window,
)


class FormView(ServiceFormView):
    perm = "approvals.manage"

    def visible(self, model, pk, *related):
        return get_visible_or_404(model.objects.select_related(*related), self.request.user, pk=pk)


# Catalogue -------------------------------------------------------------------------------------------------------

class ItemListView(ScopedListView):
    model = ServiceItem
    perm = "approvals.view"
    filterset_class = ServiceItemFilter
    table = ITEM_TABLE
    export_layout = ITEM_LAYOUT
    import_layout = "approval_items"
    title = "政务服务事项"
    breadcrumbs = (("政务服务事项", None),)
    select_related = ("department", "window")
    create_perm = "approvals.manage"

    @property
    def create_url(self):
        return reverse("approvals:item-create")


class ItemDetailView(ScopedDetailView):
    model = ServiceItem
    perm = "approvals.view"
    template_name = "approvals/item_detail.html"
    select_related = ("department", "window", "zone")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item = self.object
        ctx.update(title=item.name, breadcrumbs=(("政务服务事项", reverse("approvals:item-list")), (item.name, None)),
                   materials=list(item.materials.all()),
                   can_manage=scope_of(self.request.user).has("approvals.manage"),
                   material_import=reverse("core:import-upload", args=["approval_materials"]))
        return ctx


class ItemCreateView(FormView):
    model = ServiceItem
    form_class = forms.ItemForm
    title = "新增政务服务事项"
    breadcrumbs = (("政务服务事项", "/approvals/items/"), ("新增", None))
    success_message = "事项已新增。"

    def prepare(self):
        from kaifaqu.core.zones import zone_for_page

        self.zone = zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))
        self.object = None

    def get_form_kwargs(self):
        return {"zone": self.zone}

    def perform(self, form):
        return services.do_create_item(self.request.user, self.zone, **form.changes())


class ItemEditView(FormView):
    model = ServiceItem
    form_class = forms.ItemForm
    success_message = "事项已保存。"

    def get_object(self):
        return self.visible(ServiceItem, self.kwargs["pk"], "zone")

    @property
    def title(self):
        return f"编辑事项：{self.object.name}"

    def get_form_kwargs(self):
        return {"zone": self.object.zone, "instance": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_item(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                       **form.changes())


class MaterialAddView(FormView):
    model = ServiceItem
    form_class = forms.MaterialForm
    success_message = "材料已新增。"

    def get_object(self):
        return self.visible(ServiceItem, self.kwargs["pk"])

    @property
    def title(self):
        return f"新增申请材料：{self.object.name}"

    def perform(self, form):
        services.do_add_material(self.request.user, self.object, **form.changes())
        return self.object


class MaterialEditView(FormView):
    model = Material
    form_class = forms.MaterialForm
    success_message = "材料已保存。"

    def get_object(self):
        return self.visible(Material, self.kwargs["pk"], "item")

    @property
    def title(self):
        return f"编辑申请材料：{self.object.name}"

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        services.do_update_material(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                    **form.changes())
        return self.object.item


# Windows ---------------------------------------------------------------------------------------------------------

class WindowListView(ScopedListView):
    model = Window
    perm = "approvals.view"
    filterset_class = WindowFilter
    table = WINDOW_LAYOUT
    title = "服务窗口"
    breadcrumbs = (("服务窗口", None),)

    def base_queryset(self):
        return super().base_queryset().annotate(item_count=Count("items", filter=Q(items__is_active=True))).order_by("number", "id")


class WindowDetailView(ScopedDetailView):
    model = Window
    perm = "approvals.view"
    template_name = "approvals/window_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        window = self.object
        from django.utils import timezone

        load = queries.window_workload(window, timezone.localdate())
        ctx.update(workload_cards=(("在办", load["open"]), ("待受理", load["waiting"]), ("今日受理", load["accepted_today"]),
                                   ("本月申请", load["applied_month"]), ("本月办结", load["decided_month"])),
                   queue=load["queue"])
        ctx.update(title=str(window), breadcrumbs=(("服务窗口", reverse("approvals:window-list")), (str(window), None)),
                   items=list(window.items.filter(is_active=True).select_related("department")),
                   staff=list(window.staff.select_related("org").order_by("username")),
                   can_manage=scope_of(self.request.user).has("approvals.manage"))
        return ctx


class WindowStaffView(FormView):
    model = Window
    form_class = forms.WindowStaffForm
    success_message = "窗口工作人员已调整。"

    def get_object(self):
        return self.visible(Window, self.kwargs["pk"], "zone")

    @property
    def title(self):
        return f"窗口工作人员：{self.object}"

    def get_form_kwargs(self):
        return {"zone": self.object.zone}

    def get_initial(self):
        return {"version": self.object.version, "staff": list(self.object.staff.all())}

    def perform(self, form):
        return services.do_set_window_staff(self.request.user, self.object, form.cleaned_data["staff"],
                                            version=form.cleaned_data.get("version"))


# Public pages (办事指南): no login; a zone and an item are named by their codes in the query string -------------------

def _public_zone(request):
    from kaifaqu.org.models import Zone

    zone = Zone.objects.filter(code=request.GET.get("zone") or "").first()
    if zone is None:
        raise Http404("未找到该开发区。")
    return zone


class PublicCatalogueView(View):
    model = ServiceItem

    def get(self, request):
        zone = _public_zone(request)
        items = (ServiceItem.objects.filter(zone=zone, is_active=True).select_related("department", "window")
                 .order_by("stage", "code"))
        stages = [(label, [i for i in items if i.stage == value]) for value, label in Stage.choices]
        return render(request, "approvals/public_catalogue.html", {
            "title": f"办事指南 · {zone.name}", "zone": zone, "stages": [s for s in stages if s[1]]})


class PublicGuideView(View):
    model = ServiceItem

    def get(self, request):
        zone = _public_zone(request)
        item = (ServiceItem.objects.filter(zone=zone, code=request.GET.get("code") or "", is_active=True)
                .select_related("department", "window", "zone").first())
        if item is None:
            raise Http404("未找到该事项。")
        return render(request, "approvals/public_guide.html", {
            "title": f"办事指南：{item.name}", "item": item, "materials": list(item.materials.all()), "zone": zone})


# Cases -----------------------------------------------------------------------------------------------------------

class CaseListView(ScopedListView):
    model = Case
    perm = "approvals.view"
    filterset_class = CaseFilter
    table = CASE_LAYOUT
    title = "办件"
    breadcrumbs = (("办件", None),)
    select_related = ("item", "applicant")


class CaseDetailView(ScopedDetailView):
    model = Case
    perm = "approvals.view"
    template_name = "approvals/case_detail.html"
    select_related = ("item", "item__department", "item__window", "applicant", "project")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = self.object
        user = self.request.user
        rows = {cm.material_id: cm for cm in case.materials.select_related("attachment")}
        checklist = [(m, rows.get(m.pk)) for m in case.item.materials.all()]
        main = workflow.clock_of(case, open_only=False)
        deferred = workflow.clock_of(case, workflow.DEFERRED_KIND, open_only=False)
        is_applicant = ((user.org_id == case.applicant_id and scope_of(user).has("approvals.apply"))
                        or workflow.is_agent_for(user, case))
        officer = scope_of(user).has("approvals.decide") and workflow.on_window_or_department(user, case) is True
        ctx.update(
            title=str(case), breadcrumbs=(("办件", reverse("approvals:case-list")), (case.number, None)),
            checklist=checklist, main_clock=main, deferred_clock=deferred,
            used=queries.case_workdays(main) if main else None,
            deferred_overdue=queries.deferred_overdue(case, deferred),
            material_form=forms.CaseMaterialForm(case=case) if is_applicant and case.state in OPEN_CASE_STATES
            else None,
            decision_form=forms.DecisionFileForm() if officer and case.state == CaseState.REVIEWING else None,
            post_check=PostCheck.objects.visible_to(user).filter(case=case).first(),
            acting_as_agent=is_applicant and workflow.acts_as_agent(user),
        )
        return ctx


class CaseActionView(ActionView):
    model = Case
    workflow = workflow.CASE

    def prepare(self):
        # An agent's acts reach only the cases of the projects assigned to them (the enterprise's scope): 404.
        if self.kwargs["action"] in workflow.APPLICANT_ACTIONS and workflow.acts_as_agent(self.request.user):
            get_visible_or_404(workflow.agent_cases(self.request.user), self.request.user, pk=self.kwargs["pk"])
        super().prepare()

    def perform(self, form):
        data = form.cleaned_data
        from .workflow import action_form_payload

        return services.act(self.request.user, self.object, self.action_name, version=data.get("version"),
                            note=data.get("note", ""), payload=action_form_payload(self.spec, data))


class CaseMaterialView(ServiceFormView):
    model = Case
    perm = "approvals.view"  # the service checks approvals.apply and the applicant after the scoped lookup
    form_class = forms.CaseMaterialForm
    success_message = "材料已提交。"

    def get_object(self):
        return get_visible_or_404(Case.objects.select_related("item"), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"提交材料：{self.object}"

    def get_form_kwargs(self):
        return {"case": self.object}

    def perform(self, form):
        services.do_provide_material(self.request.user, self.object, form.cleaned_data["material"],
                                     form.cleaned_data["file"])
        return self.object


class DecisionFileView(ServiceFormView):
    model = Case
    perm = "approvals.view"  # the service checks approvals.decide and the window/department after the lookup
    form_class = forms.DecisionFileForm
    success_message = "决定书已上传，请填写文书编号后作出决定。"

    def get_object(self):
        return get_visible_or_404(Case.objects.select_related("item"), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"上传决定书：{self.object}"

    def perform(self, form):
        services.do_upload_decision(self.request.user, self.object, form.cleaned_data["file"])
        return self.object


class ApplyView(ServiceFormView):
    """An enterprise applies: choose the item (from the catalogue page or ``?item=``), then hand in the materials."""

    model = ServiceItem
    perm = "approvals.view"  # enterprises (approvals.apply) and 帮办代办 agents (approvals.agent), checked below
    form_class = forms.ApplyForm
    template_name = "approvals/apply.html"
    success_message = "已提交申请。"

    def get_object(self):
        from django.core.exceptions import PermissionDenied

        scope = scope_of(self.request.user)
        if not (scope.has("approvals.apply") or workflow.acts_as_agent(self.request.user)):
            raise PermissionDenied("您没有申请办件的权限。")
        pk = self.request.GET.get("item") or self.request.POST.get("item")
        if not pk:
            return None
        return get_visible_or_404(ServiceItem.objects.filter(is_active=True), self.request.user, pk=pk)

    @property
    def title(self):
        return f"申请办件：{self.object.name}" if self.object else "申请办件"

    def get(self, request, *args, **kwargs):
        if self.object is None:
            items = ServiceItem.objects.visible_to(request.user).filter(is_active=True).order_by("stage", "code")
            return render(request, self.template_name, {"title": self.title, "items": items,
                                                        "breadcrumbs": (("申请办件", None),)})
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.object is None:
            raise Http404("请选择事项。")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        projects = Project.objects.visible_to(self.request.user).filter(zone_id=self.object.zone_id)
        if workflow.acts_as_agent(self.request.user):
            projects = projects.filter(pk__in=workflow.agent_projects(self.request.user))
        return {"item": self.object, "projects": projects}

    def get_initial(self):
        return {"project": self.request.GET.get("project")}

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {
            "form": form, "title": self.title, "object": self.object,
            "breadcrumbs": (("申请办件", reverse("approvals:apply")), (self.object.name, None))}, status=status)

    def perform(self, form):
        case, code = services.do_apply(self.request.user, self.object, title=form.cleaned_data["title"],
                                       project=form.cleaned_data.get("project"), files=form.files_by_material())
        from django.contrib import messages

        messages.info(self.request, f"办件编号 {case.number}，查询码 {code}（请妥善保存，凭此可在公开页面查询进度）。")
        return case


# Public progress lookup: number + query code, no login; wrong answers are counted per address and throttled --------

PROGRESS_TRIES = 5
PROGRESS_WINDOW = 15 * 60


class PublicProgressView(View):
    model = Case

    def _key(self, request):
        return f"approvals:progress:{request.META.get('REMOTE_ADDR', '')}"

    def get(self, request):
        return render(request, "approvals/public_progress.html", {"title": "办件进度查询", "form": forms.ProgressForm()})

    def post(self, request):
        from django.core.cache import cache

        form = forms.ProgressForm(request.POST)
        ctx = {"title": "办件进度查询", "form": form}
        key = self._key(request)
        if cache.get(key, 0) >= PROGRESS_TRIES:
            ctx["error"] = "查询过于频繁，请 15 分钟后再试。"
            return render(request, "approvals/public_progress.html", ctx, status=429)
        if not form.is_valid():
            return render(request, "approvals/public_progress.html", ctx, status=400)
        case = services.lookup_progress(form.cleaned_data["number"], form.cleaned_data["code"])
        if case is None:
            cache.add(key, 0, PROGRESS_WINDOW)
            cache.incr(key)
            ctx["error"] = "办件编号或查询码不正确。"
            return render(request, "approvals/public_progress.html", ctx, status=404)
        ctx["case"] = {"number": case.number, "state": case.get_state_display(), "applied_at": case.applied_at,
                       "accepted_at": case.accepted_at, "decided_at": case.decided_at, "closed_at": case.closed_at}
        return render(request, "approvals/public_progress.html", ctx)


# Projects and figures --------------------------------------------------------------------------------------------

class ProjectListView(ScopedListView):
    model = Project
    perm = "approvals.view"
    filterset_class = ProjectFilter
    table = PROJECT_LAYOUT
    title = "建设项目"
    breadcrumbs = (("建设项目", None),)
    select_related = ("enterprise", "park")


class ProjectDetailView(ScopedDetailView):
    model = Project
    perm = "approvals.view"
    template_name = "approvals/project_detail.html"
    select_related = ("enterprise", "park")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        timeline = queries.project_timeline(self.object)
        user = self.request.user
        parcels = [(p, queries.indicator_rows(p)) for p in Parcel.objects.filter(project=self.object)]
        agents = ProjectAgent.objects.visible_to(user).filter(project=self.object, ended_at__isnull=True) \
            .select_related("agent", "agent__org")
        ctx.update(parcels=parcels, agents=agents, can_manage=scope_of(user).has("approvals.manage"),
                   my_agency=workflow.acts_as_agent(user) and any(a.agent_id == user.pk for a in agents),
                   agent_form=forms.AgentForm(zone=self.object.zone) if scope_of(user).has("approvals.manage")
                   else None)
        ctx.update(title=self.object.name, timeline=timeline, chart=queries.timeline_chart(timeline),
                   breadcrumbs=(("建设项目", reverse("approvals:project-list")), (self.object.name, None)))
        return ctx


class FiguresView(PermRequiredMixin, View):
    """审批效能: before/after and the bottleneck report for the zone's year (``?year=``, default this year)."""

    model = Project
    perm = "approvals.view_all"
    template_name = "approvals/figures.html"

    def get(self, request, *args, **kwargs):
        from django.utils import timezone

        from kaifaqu.core.zones import zone_for_page

        from .models import ProjectKind

        zone = zone_for_page(request.user, request.GET.get("zone"))
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        report = queries.bottleneck(zone, year)
        return render(request, self.template_name, {
            "title": "审批效能", "breadcrumbs": (("审批效能", None),), "year": year,
            "ba": queries.before_after(zone, ProjectKind.GENERAL_INDUSTRIAL, year),
            "overview": queries.zone_overview(zone),
            "tables": (("瓶颈分析：按事项", report["items"]), ("瓶颈分析：按部门", report["departments"])),
        })


# 告知承诺制 post-checks -------------------------------------------------------------------------------------------

class CheckListView(ScopedListView):
    model = PostCheck
    perm = "approvals.view"
    filterset_class = PostCheckFilter
    table = CHECK_LAYOUT
    title = "承诺事项核查"
    breadcrumbs = (("承诺事项核查", None),)
    select_related = ("case", "case__item", "case__applicant", "department")


class CheckDetailView(ScopedDetailView):
    model = PostCheck
    perm = "approvals.view"
    template_name = "approvals/check_detail.html"
    select_related = ("case", "case__item", "case__applicant", "department", "checked_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        check = self.object
        ctx.update(title=str(check), deadline=workflow.check_clock(check, open_only=False),
                   overdue=queries.check_overdue(check),
                   breadcrumbs=(("承诺事项核查", reverse("approvals:check-list")), (check.case.number, None)))
        return ctx


class CheckActionView(ActionView):
    model = PostCheck
    workflow = workflow.CHECK

    def perform(self, form):
        data = form.cleaned_data
        return services.act_check(self.request.user, self.object, self.action_name, version=data.get("version"),
                                  note=data.get("note", ""), payload=workflow.action_form_payload(self.spec, data))


# 标准地 ------------------------------------------------------------------------------------------------------------

class ParcelListView(ScopedListView):
    model = Parcel
    perm = "approvals.view"
    filterset_class = ParcelFilter
    table = PARCEL_LAYOUT
    title = "标准地地块"
    breadcrumbs = (("标准地", None),)
    select_related = ("project",)


class ParcelCreateView(FormView):
    model = Project
    title = "登记标准地地块（出让时的承诺指标）"
    form_class = forms.ParcelForm
    success_message = "地块及承诺指标已登记。"

    def get_object(self):
        return self.visible(Project, self.kwargs["pk"])

    def perform(self, form):
        return services.do_record_parcel(self.request.user, self.object, **form.changes())


class ParcelActualsView(FormView):
    model = Parcel
    form_class = forms.ActualsForm
    success_message = "竣工验收实际指标已登记。"

    def get_object(self):
        return self.visible(Parcel, self.kwargs["pk"], "project")

    @property
    def title(self):
        return f"登记竣工验收实际指标：{self.object}"

    def get_form_kwargs(self):
        return {"parcel": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        changes = form.changes()
        return services.do_record_actuals(self.request.user, self.object, accepted_on=changes.pop("accepted_on"),
                                          version=form.cleaned_data.get("version"), **changes)


# 帮办代办 agents ---------------------------------------------------------------------------------------------------

class AgentAssignView(FormView):
    model = Project
    title = "指派帮办代办员"
    form_class = forms.AgentForm
    success_message = "已指派帮办代办员。"

    def get_object(self):
        return self.visible(Project, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"zone": self.object.zone}

    def perform(self, form):
        return services.do_assign_agent(self.request.user, self.object, form.cleaned_data["agent"])


class AgentEndView(FormView):
    model = ProjectAgent
    title = "结束帮办代办"
    form_class = forms.StyledForm
    success_message = "帮办代办已结束。"

    def get_object(self):
        return self.visible(ProjectAgent, self.kwargs["pk"], "project")

    def perform(self, form):
        return services.do_end_agent(self.request.user, self.object)
