"""Pages of the meetings module: meetings (list, schedule, a meeting's page with attendance, agenda, decisions and
the minutes), the decisions (the unit's own open ones, the open ones by unit with their clocks, the ledger, one
decision's page) and the body."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.tabular import Column, Layout
from kaifaqu.core.web.views import PermRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.workflow.views import ActionView

from . import queries, services
from .filters import DecisionFilter, MeetingFilter
from .forms import AgendaForm, AttendanceForm, BodyForm, DecisionForm, ScheduleForm
from .models import AgendaSource, Decision, DecisionState, JointBody, Meeting, MeetingKind, MeetingState
from .workflow import DECISION, MEETING

MEETING_TABLE = Layout("meetings", "会议", (
    Column("编号", "number", width=12),
    Column("会议名称", "title", width=36),
    Column("会议类别", "kind", "choice", width=14),
    Column("会议时间", "starts_at", "datetime", width=16),
    Column("会议地点", "place", width=20),
    Column("主持人/召集人", "convener_name", width=14),
    Column("状态", "state", "choice", width=10),
))

DECISION_TABLE = Layout("meeting_decisions", "议定事项", (
    Column("议定事项", "content", width=40),
    Column("会议", "meeting", "fk", width=30),
    Column("责任单位", "owner", "fk", width=20),
    Column("办结期限", "due_date", "date", width=12),
    Column("状态", "state", "choice", width=14),
    Column("报办结时间", "reported_at", "datetime", width=16),
    Column("催办次数", "urge_count", "integer", width=8),
    Column("督办次数", "supervise_count", "integer", width=8),
))


def _zone(user):
    if not getattr(user, "org_id", None):
        raise PermissionDenied("您不属于任何开发区。")
    return user.org.zone


class MeetingListView(ScopedListView):
    model = Meeting
    perm = "meetings.view_all"
    filterset_class = MeetingFilter
    table = MEETING_TABLE
    title = "会议"
    create_perm = "meetings.manage"

    @property
    def create_url(self):
        return reverse("meetings:meeting-create")


class ScheduleView(ServiceFormView):
    model = Meeting
    perm = "meetings.manage"
    title = "安排会议"
    form_class = ScheduleForm
    success_message = "会议已安排，成员单位已列入出席名单。"

    def get_initial(self):
        kind = self.request.GET.get("kind", MeetingKind.JOINT)
        kind = kind if kind in MeetingKind.values else MeetingKind.JOINT
        zone = _zone(self.request.user)
        body = services.body_of(zone.pk)
        return {"kind": kind, "place": "管委会三楼会议室",
                "title": f"{zone.name}{timezone.localdate().year}年{MeetingKind(kind).label}",
                "convener_name": body.convener_name if body else ""}

    def get_breadcrumbs(self):
        return (("会议", reverse("meetings:meeting-list")), ("安排会议", None))

    def perform(self, form):
        d = form.cleaned_data
        return services.do_schedule(self.request.user, _zone(self.request.user), kind=d["kind"], title=d["title"],
                                    starts_at=d["starts_at"], place=d["place"], convener_name=d["convener_name"],
                                    recorder=d["recorder"])


def _decorate(decisions, now):
    for d in decisions:
        d.left = queries.time_left(d.clock, now) if d.state == DecisionState.OPEN else ""
    return decisions


class MeetingDetailView(ScopedDetailView):
    model = Meeting
    perm = ""
    template_name = "meetings/meeting_detail.html"

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("meetings.view_all") or scope.has("meetings.act")):
            raise PermissionDenied("您没有访问此页面的权限。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        m = self.object
        user = self.request.user
        scope = scope_of(user)
        zone_view = scope.has("meetings.view_all")
        manage = scope.has("meetings.manage")
        now = timezone.now()
        decisions = _decorate(list(Decision.objects.visible_to(user).filter(meeting=m)
                                   .select_related("owner", "clock", "agenda_item").order_by("seq", "id")), now)
        ctx.update(
            zone_view=zone_view, manage=manage,
            attendance=list(m.attendance.select_related("org").order_by("sort", "id")) if zone_view else [],
            agenda=list(m.agenda.select_related("presenter").order_by("seq", "id")) if zone_view else [],
            decisions=decisions,
            minutes_url=reverse("core:attachment-download", args=[m.minutes_id]) if m.minutes_id else "",
        )
        if manage and m.state == MeetingState.PLANNED:
            ctx.update(agenda_form=AgendaForm(zone_id=m.zone_id, auto_id="id_agenda_%s"),
                       candidate_whistles=services.pending_whistles(m.zone_id),
                       candidate_projects=services.stuck_projects(m.zone_id))
        if manage and m.state == MeetingState.HELD:
            ctx["decision_form"] = DecisionForm(meeting=m, auto_id="id_decision_%s")
        return ctx


class _MeetingFormView(ServiceFormView):
    model = Meeting
    perm = "meetings.manage"

    def get_object(self):
        return get_visible_or_404(Meeting.objects.all(), self.request.user, pk=self.kwargs["pk"])

    def get_breadcrumbs(self):
        return ((str(self.object), self.object.get_absolute_url()), (self.title, None))

    def success_url(self, obj):
        return self.object.get_absolute_url()


class AttendanceView(_MeetingFormView):
    title = "登记出席情况"
    template_name = "meetings/attendance.html"
    success_message = "出席情况已保存。"

    def rows(self):
        return list(self.object.attendance.select_related("org").order_by("sort", "id"))

    def form_class(self, *args, **kwargs):
        return AttendanceForm(*args, meeting=self.object, rows=self.rows(), **kwargs)

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_set_attendance(self.request.user, self.object, form.payload(),
                                          version=form.cleaned_data.get("version"))


class AgendaAddView(_MeetingFormView):
    """A free agenda item (form), or a pending escalated whistle / stuck project (``source`` and ``source_id``)."""

    title = "列入议题"
    success_message = "已列入议题。"

    def form_class(self, *args, **kwargs):
        return AgendaForm(*args, zone_id=self.object.zone_id, **kwargs)

    def post(self, request, *args, **kwargs):
        source = request.POST.get("source", AgendaSource.FREE)
        if source in (AgendaSource.WHISTLE, AgendaSource.PROJECT):
            try:
                services.do_add_agenda_item(request.user, self.object, source=source,
                                            source_id=int(request.POST.get("source_id") or 0))
            except (ServiceError, ValueError) as exc:
                messages.error(request, getattr(exc, "detail", "议题来源无效。"))
                return redirect(self.object.get_absolute_url())
            messages.success(request, self.success_message)
            return redirect(self.object.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        d = form.cleaned_data
        services.do_add_agenda_item(self.request.user, self.object, title=d["title"], description=d["description"],
                                    presenter=d["presenter"])
        return self.object


class DecisionAddView(_MeetingFormView):
    title = "登记议定事项"
    success_message = "议定事项已登记，责任单位已收到交办通知。"

    def form_class(self, *args, **kwargs):
        return DecisionForm(*args, meeting=self.object, **kwargs)

    def perform(self, form):
        d = form.cleaned_data
        services.do_add_decision(self.request.user, self.object, content=d["content"], owner=d["owner"],
                                 due_date=d["due_date"], agenda_item=d["agenda_item"])
        return self.object


class MeetingActionView(ActionView):
    model = Meeting
    workflow = MEETING


class DecisionActionView(ActionView):
    model = Decision
    workflow = DECISION


class DecisionListView(ScopedListView):
    model = Decision
    perm = ""
    filterset_class = DecisionFilter
    table = DECISION_TABLE
    title = "议定事项台账"
    select_related = ("meeting", "owner", "clock")

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("meetings.view_all") or scope.has("meetings.act")):
            raise PermissionDenied("您没有访问此页面的权限。")


class DecisionDetailView(ScopedDetailView):
    model = Decision
    perm = ""
    template_name = "meetings/decision_detail.html"
    select_related = ("meeting", "owner", "clock", "agenda_item")

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("meetings.view_all") or scope.has("meetings.act")):
            raise PermissionDenied("您没有访问此页面的权限。")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        _decorate([self.object], timezone.now())
        return ctx


class OpenDecisionsView(PermRequiredMixin, View):
    """Open decisions by owner unit, with their clocks (time left, 预警 / 逾期): ``mine`` shows the user's own
    unit's only (the unit's inbox, phone-friendly cards); otherwise every unit the user sees (the zone's
    supervision page)."""

    model = Decision
    perm = "meetings.view_all"
    mine = False

    def get(self, request):
        groups = queries.by_unit(request.user)
        if self.mine:
            groups = [g for g in groups if g.org_id == request.user.org_id]
        title = "待办议定事项" if self.mine else "议定事项督办（按责任单位）"
        total = sum(len(g.decisions) for g in groups)
        return render(request, "meetings/decisions_by_unit.html", {
            "title": title, "groups": groups, "mine": self.mine, "total": total,
            "overdue": sum(g.overdue for g in groups), "warning": sum(g.warning for g in groups)})


class MyDecisionsView(OpenDecisionsView):
    perm = "meetings.act"
    mine = True


class BodyView(PermRequiredMixin, View):
    model = JointBody
    perm = "meetings.view_all"

    def get(self, request):
        zone = _zone(request.user)
        body = JointBody.objects.visible_to(request.user).filter(zone=zone).first()
        members = list(body.members.select_related("org").order_by("sort", "id")) if body else []
        return render(request, "meetings/body.html", {
            "title": "联席会议制度", "body": body, "members": members,
            "may_edit": scope_of(request.user).has("meetings.body")})


class BodyEditView(ServiceFormView):
    model = JointBody
    perm = "meetings.body"
    title = "设置联席会议制度"

    def zone(self):
        if not self.request.user.org_id:
            raise Http404("未找到开发区。")
        return self.request.user.org.zone

    def form_class(self, *args, **kwargs):
        return BodyForm(*args, zone_id=self.zone().pk, **kwargs)

    def get_initial(self):
        zone = self.zone()
        body = services.body_of(zone.pk)
        if body is None:
            return {"name": f"{zone.name}联席会议"}
        return {"name": body.name, "convener_name": body.convener_name, "convener_title": body.convener_title,
                "convener": body.convener_id, "duties": body.duties, "version": body.version,
                "members": list(body.members.filter(active=True).values_list("org_id", flat=True))}

    def get_breadcrumbs(self):
        return (("联席会议制度", reverse("meetings:body")), (self.title, None))

    def perform(self, form):
        d = form.cleaned_data
        return services.do_set_body(self.request.user, self.zone(), name=d["name"], convener_name=d["convener_name"],
                                    convener_title=d["convener_title"], convener=d["convener"], duties=d["duties"],
                                    members=list(d["members"]), version=d.get("version"))
