"""Pages of the whistle module: the unit's inbox, the ledger, blowing, a whistle's page, an assignment's page, the
policy, and the unit figures with their ranking and workbook."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from kaifaqu.core import files
from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.tabular import Column, Layout, xlsx_response
from kaifaqu.core.web.views import PermRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.workflow.views import ActionView

from . import queries, services
from .filters import WhistleFilter
from .forms import BlowForm, EvidenceForm, PolicyForm, ScoringForm, zone_units
from .models import Assignment, Whistle, WhistleKind, WhistlePolicy, WhistleScoring
from .periods import PeriodError
from .workbench import OPEN
from .workflow import ASSIGNMENT, WHISTLE, workdays_and_hours


def _lead_name(w):
    return "、".join(a.org.name for a in w.assignments.all() if a.role == "lead" and a.state != "returned")


WHISTLE_TABLE = Layout("whistles", "吹哨台账", (
    Column("编号", "number", width=14),
    Column("标题", "title", width=30),
    Column("类别", "kind", "choice", width=14),
    Column("事项类别", "matter", width=10),
    Column("园区", "park", "fk", width=14),
    Column("牵头单位", "lead", getter=_lead_name, width=24),
    Column("状态", "state", "choice", width=10),
    Column("吹哨时间", "blown_at", "datetime", width=16),
    Column("评价", "rating", "choice", width=10),
    Column("重办次数", "rework_count", "integer", width=8),
))

METRICS_TABLE = Layout("whistle_metrics", "吹哨单位考核", (
    Column("排名", "rank", "integer", width=6),
    Column("单位", "org_name", width=28),
    Column("接哨数", "received", "integer", width=8),
    Column("响应率%", "response_rate", "decimal", width=9),
    Column("解决率%", "solve_rate", "decimal", width=9),
    Column("按时办结率%", "on_time_rate", "decimal", width=11),
    Column("满意率%", "satisfaction_rate", "decimal", width=9),
    Column("回退率%", "return_rate", "decimal", width=9),
    Column("重办率%", "rework_rate", "decimal", width=9),
    Column("平均解决用时（工作日）", "mean_workdays", "decimal", width=12),
    Column("被催办", "urges", "integer", width=8),
    Column("被督办", "supervisions", "integer", width=8),
    Column("综合得分", "score", "decimal", width=9),
))


class _Row(dict):
    __getattr__ = dict.get


class WhistleListView(ScopedListView):
    model = Whistle
    perm = "whistle.view_all"
    filterset_class = WhistleFilter
    table = WHISTLE_TABLE
    title = "吹哨台账"
    select_related = ("park",)
    prefetch_related = ("assignments__org",)
    create_perm = "whistle.blow"

    @property
    def create_url(self):
        from django.urls import reverse

        return reverse("whistle:whistle-create")


INBOX_TABLE = Layout("whistle_inbox", "我的待办吹哨", (
    Column("编号", "whistle__number", width=14),
    Column("标题", "whistle__title", width=30),
    Column("类别", "kind", getter=lambda a: a.whistle.get_kind_display(), width=14),
    Column("角色", "role", "choice", width=10),
    Column("状态", "state", "choice", width=12),
    Column("派发时间", "dispatched_at", "datetime", width=16),
    Column("剩余时间", "left", getter=lambda a: getattr(a, "left", ""), width=24),
))


class InboxView(PermRequiredMixin, View):
    """The unit's own assignments (open first, oldest first), as cards that read on a phone. Not a scoped list of
    everything the user may see: a zone office sees the whole zone's whistles in the ledger, but its inbox holds
    what is addressed to its own unit only."""

    model = Assignment
    perm = "whistle.act"

    def get(self, request):
        from django.core.paginator import Paginator
        from django.db.models import Case, IntegerField, Value, When

        from .workbench import inbox_queryset

        qs = inbox_queryset(request.user, scope_of(request.user), open_only=False)
        q = request.GET.get("q", "").strip()[:100]
        if q:
            from django.db.models import Q

            qs = qs.filter(Q(whistle__number__icontains=q) | Q(whistle__title__icontains=q))
        qs = qs.annotate(done=Case(When(state__in=OPEN, then=Value(0)), default=Value(1),
                                   output_field=IntegerField())).order_by("done", "dispatched_at", "id")
        paginator = Paginator(qs, 20)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except Exception as exc:  # noqa: BLE001 - EmptyPage, PageNotAnInteger
            raise Http404("页码超出范围。") from exc
        now = timezone.now()
        shown = list(page.object_list)
        for a in shown:
            a.clock_now = a.current_clock
            a.left = queries.time_left(a.clock_now, now) if a.state in OPEN else ""
        params = request.GET.copy()
        params.pop("page", None)
        return render(request, "whistle/inbox.html", {
            "title": "我的待办吹哨", "object_list": shown, "page_obj": page, "paginator": paginator,
            "is_paginated": paginator.num_pages > 1, "querystring": params.urlencode()})


class BlowView(ServiceFormView):
    model = Whistle
    perm = "whistle.blow"
    title = "吹哨"
    template_name = "whistle/blow.html"
    success_message = "已吹哨，承办单位已收到通知。"

    def zone(self):
        user = self.request.user
        if not user.org_id:
            raise PermissionDenied("您不属于任何开发区，不能吹哨。")
        return user.org.zone

    def form_class(self, *args, **kwargs):
        return BlowForm(*args, zone_id=self.zone().pk, **kwargs)

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", WhistleKind.KEY_TASK)}

    def get_breadcrumbs(self):
        return (("吹哨台账", "/whistle/"), ("吹哨", None))

    def perform(self, form):
        d = form.cleaned_data
        return services.do_blow(self.request.user, self.zone(), kind=d["kind"], title=d["title"],
                                description=d["description"], matter=d["matter"], park=d["park"],
                                place=d["place"], lead=d["lead"], supporters=list(d["supporters"]),
                                attachments=[d["attachment"]] if d.get("attachment") else [])


class WhistleDetailView(ScopedDetailView):
    model = Whistle
    perm = ""
    template_name = "whistle/whistle_detail.html"
    select_related = ("park", "blower_org")

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("whistle.view_all") or scope.has("whistle.act")):
            raise PermissionDenied("您没有访问此页面的权限。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        w = self.object
        user = self.request.user
        shown = queries.assignments_of(user, w)
        now = timezone.now()
        for a in shown:
            a.clock_now = a.current_clock
            a.left = queries.time_left(a.clock_now, now) if a.state in OPEN else ""
            a.time_with_unit = workdays_and_hours(a.dispatched_at, a.returned_at, w.zone_id) if a.returned_at else ""
        ctx.update(assignments=shown, steps=queries.timeline(user, w, shown),
                   attachments=queries.attachments_of(user, w, shown),
                   units=list(zone_units(w.zone_id)) if scope_of(user).has("whistle.dispatch") else [])
        return ctx


class AssignmentDetailView(ScopedDetailView):
    model = Assignment
    perm = ""
    template_name = "whistle/assignment_detail.html"
    select_related = ("whistle", "org", "report_clock", "plan_clock", "solve_clock")

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("whistle.view_all") or scope.has("whistle.act")):
            raise PermissionDenied("您没有访问此页面的权限。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = self.object
        a.clock_now = a.current_clock
        a.left = queries.time_left(a.clock_now, timezone.now()) if a.state in OPEN else ""
        user = self.request.user
        ctx.update(whistle=a.whistle, steps=queries.timeline(user, a.whistle, [a]),
                   attachments=queries.attachments_of(user, a.whistle, [a]),
                   evidence_form=EvidenceForm() if a.org_id == user.org_id and a.state in OPEN else None)
        return ctx


class EvidenceUploadView(PermRequiredMixin, View):
    """The unit uploads evidence (a photo, a file) to its assignment; POST only."""

    model = Assignment
    perm = "whistle.act"
    http_method_names = ["post"]

    def post(self, request, pk):
        a = get_visible_or_404(Assignment.objects.all(), request.user, pk=pk)
        if a.org_id != request.user.org_id:
            raise PermissionDenied("仅承办单位本单位的人员可以上传佐证材料。")
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "请选择要上传的文件。")
            return redirect(a.get_absolute_url())
        try:
            files.attach(request.user, a, form.cleaned_data["file"], note="佐证材料", perm="whistle.act")
        except ServiceError as exc:
            messages.error(request, exc.detail)
            return redirect(a.get_absolute_url())
        messages.success(request, "佐证材料已上传。")
        return redirect(a.get_absolute_url())


class WhistleActionView(ActionView):
    model = Whistle
    workflow = WHISTLE


class AssignmentActionView(ActionView):
    model = Assignment
    workflow = ASSIGNMENT


class PolicyView(PermRequiredMixin, View):
    model = WhistlePolicy
    perm = "whistle.view_all"

    def get(self, request):
        zone_id = request.user.org.zone_id if request.user.org_id else None
        if zone_id is None:
            raise Http404("未找到开发区。")
        return render(request, "whistle/policy.html", {
            "title": "吹哨时限规则与考核权重",
            "policies": [services.policy_for(zone_id, k) for k in WhistleKind.values],
            "scoring": services.scoring_for(zone_id),
            "may_edit": scope_of(request.user).has("whistle.policy"),
        })


class _ZoneFormView(ServiceFormView):
    perm = "whistle.policy"

    def zone(self):
        if not self.request.user.org_id:
            raise Http404("未找到开发区。")
        return self.request.user.org.zone

    def get_breadcrumbs(self):
        return (("吹哨时限规则", "/whistle/policy/"), (self.title, None))

    def success_url(self, obj):
        return "/whistle/policy/"


class PolicyEditView(_ZoneFormView):
    model = WhistlePolicy

    def prepare(self):
        self.kind = self.request.GET.get("kind", WhistleKind.KEY_TASK)
        if self.kind not in WhistleKind.values:
            raise Http404("未找到该类别。")
        self.object = None
        self.title = f"{WhistleKind(self.kind).label}时限"

    def form_class(self, *args, **kwargs):
        return PolicyForm(*args, kind=self.kind, **kwargs)

    def get_initial(self):
        p = services.policy_for(self.zone().pk, self.kind)
        return {f: getattr(p, f) for f in ("report_in_limit", "plan_limit", "solve_limit", "supervise_after",
                                           "escalate_after")} | {"version": p.version if p.pk else None}

    def perform(self, form):
        d = dict(form.cleaned_data)
        version = d.pop("version", None)
        if self.kind == WhistleKind.EMERGENCY:
            d.pop("plan_limit", None)
        return services.do_set_policy(self.request.user, self.zone(), self.kind, version=version, **d)


class ScoringEditView(_ZoneFormView):
    model = WhistleScoring
    title = "考核权重"
    form_class = ScoringForm

    def get_initial(self):
        s = services.scoring_for(self.zone().pk)
        return {f: getattr(s, f) for f in ScoringForm.base_fields if f != "version"} | {
            "version": s.version if s.pk else None}

    def perform(self, form):
        d = dict(form.cleaned_data)
        version = d.pop("version", None)
        return services.do_set_scoring(self.request.user, self.zone(), version=version, **d)


class MetricsView(PermRequiredMixin, View):
    model = Whistle
    perm = "whistle.view_all"

    def get(self, request):
        zone_id = request.user.org.zone_id if request.user.org_id else None
        if zone_id is None:
            raise Http404("未找到开发区。")
        period = request.GET.get("period") or str(timezone.localdate().year)
        error = ""
        try:
            rows = [_Row(r) for r in queries.unit_figures(zone_id, period)]
        except PeriodError as exc:
            rows, error = [], str(exc)
        if request.GET.get("export") == "xlsx" and not error:
            return xlsx_response(METRICS_TABLE, rows, f"吹哨单位考核_{period}")
        return render(request, "whistle/metrics.html", {
            "title": "吹哨单位考核", "period": period, "rows": rows, "error": error,
            "scoring": services.scoring_for(zone_id),
        }, status=400 if error else 200)
