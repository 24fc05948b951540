"""Pages of ORG-1 … ORG-5. Thin: read through ``visible_to``, write through ``services``."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from kaifaqu.core import sensitive
from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.web.views import ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.workflow.views import ActionView
from kaifaqu.core.zones import zone_for_page

from . import queries, services
from .filters import OrgFilter, ParkFilter, ReorgEventFilter, SecondmentFilter, StaffFilter, ZoneFilter
from .forms import (
    AbolishForm,
    EstablishmentForm,
    OrgForm,
    OrgHeadForm,
    ParkForm,
    PlaqueForm,
    PlaqueRemoveForm,
    ReorgForm,
    SecondmentEndForm,
    SecondmentForm,
    StaffForm,
    ZoneCreateForm,
    ZoneForm,
)
from .layouts import (
    ORG_LAYOUT,
    ORG_TABLE,
    PARK_LAYOUT,
    REORG_LAYOUT,
    SECONDMENT_LAYOUT,
    STAFF_LAYOUT,
    STAFF_TABLE,
    ZONE_LAYOUT,
)
from .models import (
    ESTABLISHMENT_KINDS,
    Establishment,
    Org,
    OrgKind,
    Park,
    Plaque,
    PostKind,
    ReorgEvent,
    Secondment,
    Staff,
    StaffStatus,
    Zone,
)
from .workflow import ORG, SECONDMENT

STAFF_PREVIEW = 50


def _zones_crumb():
    return ("开发区", reverse("org:zone-list"))


def _zone_crumbs(zone):
    return (_zones_crumb(), (zone.name, zone.get_absolute_url()))


def _org_crumbs(org):
    return (("机构", reverse("org:org-list")), (org.name, org.get_absolute_url()))


def may_see_staff_of(user, org) -> bool:
    scope = scope_of(user)
    return scope.has("staff.view_all") or (scope.has("staff.view_own") and scope.org_id == org.pk)


def active_plaques():
    return Prefetch("plaques", queryset=Plaque.objects.filter(is_active=True).order_by("id"), to_attr="active_plaques")


def attach_totals(orgs):
    """Approved posts and people in post for a page of organisations: two queries for the whole page."""
    orgs = list(orgs)
    totals = queries.org_totals([o.pk for o in orgs])
    for org in orgs:
        org.totals = totals[org.pk]
    return orgs


class OrgFormView(ServiceFormView):
    """A service form of this module (the base checks the permission before it looks the object up)."""

    perm = "org.change"
    permission_message = "您没有执行此操作的权限。"

    def visible(self, model, pk):
        return get_visible_or_404(model.objects.all(), self.request.user, pk=pk)

    def default_zone(self):
        """The zone a create form works in: ``?zone=`` or the user's own organisation's zone."""
        return zone_for_page(self.request.user, self.request.GET.get("zone") or self.request.POST.get("zone"))


# Zones ---------------------------------------------------------------------------------------------------------

class ZoneListView(ScopedListView):
    model = Zone
    perm = "org.view"
    filterset_class = ZoneFilter
    table = ZONE_LAYOUT
    title = "开发区"
    breadcrumbs = (("开发区", None),)
    create_perm = "zone.manage"

    @property
    def create_url(self):
        return reverse("org:zone-create")


class ZoneCreateView(OrgFormView):
    model = Zone
    perm = "zone.manage"
    form_class = ZoneCreateForm
    title = "新增开发区"

    def get_breadcrumbs(self):
        return (_zones_crumb(), ("新增", None))

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.do_create_zone(self.request.user, **data)

    def success_url(self, obj):
        return reverse("org:zone-detail", args=[obj.pk])


class ZoneDetailView(ScopedDetailView):
    model = Zone
    perm = "org.view"
    template_name = "org/zone_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        zone = self.object
        scope = scope_of(self.request.user)
        parks = list(Park.objects.filter(zone=zone).annotate(
            n_orgs=Count("orgs", filter=Q(orgs__is_active=True)),
            n_enterprises=Count("orgs", filter=Q(orgs__is_active=True, orgs__kind=OrgKind.ENTERPRISE))))
        ctx.update(
            title=zone.name,
            breadcrumbs=(_zones_crumb(), (zone.name, None)),
            parks=parks,
            structure=queries.zone_structure(zone),
            plaques=Plaque.objects.filter(zone=zone, org__kind=OrgKind.COMMITTEE).select_related("org"),
            warnings=queries.rule_warnings(zone),
            establishment=[(row, "") for row in queries.zone_establishment(zone.pk)],
            reorgs=ReorgEvent.objects.filter(zone=zone).order_by("-date", "-id")[:20],
            can_change=scope.has("org.change"),
            org_list=reverse("org:org-list"),
        )
        ctx["approved_total"] = sum(r.approved for r, _ in ctx["establishment"])
        ctx["actual_total"] = sum(r.actual for r, _ in ctx["establishment"])
        return ctx


class ZoneEditView(OrgFormView):
    model = Zone
    form_class = ZoneForm

    def get_object(self):
        return self.visible(Zone, self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑开发区：{self.object.name}"

    def get_breadcrumbs(self):
        return (*_zone_crumbs(self.object), ("编辑", None))

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_zone(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                       **form.changes())


# Parks ---------------------------------------------------------------------------------------------------------

class ParkListView(ScopedListView):
    model = Park
    perm = "org.view"
    filterset_class = ParkFilter
    table = PARK_LAYOUT
    title = "园区"
    breadcrumbs = (("园区", None),)
    select_related = ("zone",)


class ParkDetailView(ScopedDetailView):
    model = Park
    perm = "org.view"
    template_name = "org/park_detail.html"
    select_related = ("zone",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        park = self.object
        counts = {row["kind"]: row["n"] for row in Org.objects.filter(park=park, is_active=True)
                  .values("kind").annotate(n=Count("id")).order_by()}
        ctx.update(
            title=park.name,
            breadcrumbs=(*_zone_crumbs(park.zone), (park.name, None)),
            kind_counts=[(label, counts[value], value) for value, label in OrgKind.choices if counts.get(value)],
            bodies=Org.objects.filter(park=park, is_active=True)
            .exclude(kind__in=queries.COUNTED_KINDS).order_by("sort", "id"),
            can_change=scope_of(self.request.user).has("org.change"),
            org_list=reverse("org:org-list"),
        )
        return ctx


class ParkCreateView(OrgFormView):
    model = Zone  # the pk in the URL is the zone's
    form_class = ParkForm
    success_message = "园区已新增。"

    def get_object(self):
        return self.visible(Zone, self.kwargs["pk"])

    @property
    def title(self):
        return f"新增园区：{self.object.name}"

    def get_breadcrumbs(self):
        return (*_zone_crumbs(self.object), ("新增园区", None))

    def perform(self, form):
        return services.do_create_park(self.request.user, self.object, **form.changes())


class ParkEditView(OrgFormView):
    model = Park
    form_class = ParkForm

    def get_object(self):
        return get_visible_or_404(Park.objects.select_related("zone"), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑园区：{self.object.name}"

    def get_breadcrumbs(self):
        return (*_zone_crumbs(self.object.zone), (self.object.name, self.object.get_absolute_url()), ("编辑", None))

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_park(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                       **form.changes())


# Organisations -------------------------------------------------------------------------------------------------

class OwnOrgMixin:
    """Enterprise and intermediary users (org.view_own) reach their own organisation's page, nothing of the zone's
    structure (the queryset's own_org rule)."""

    def check_permission(self):
        scope = scope_of(self.request.user)
        if not (scope.has("org.view") or scope.has("org.view_own")):
            raise PermissionDenied(self.permission_message)


class OrgListView(OwnOrgMixin, ScopedListView):
    model = Org
    perm = "org.view"
    filterset_class = OrgFilter
    table = ORG_TABLE
    export_layout = ORG_LAYOUT
    title = "机构"
    breadcrumbs = (("机构", None),)
    select_related = ("zone", "park", "parent", "home_department")
    prefetch_related = (active_plaques(),)
    create_perm = "org.change"
    import_layout = "orgs"

    @property
    def create_url(self):
        url = reverse("org:org-create")
        zone = self.request.GET.get("zone", "")
        return f"{url}?zone={zone}" if zone.isdigit() else url

    export_chunk = 500

    def rows(self, objects):
        return attach_totals(objects)


class OrgDetailView(OwnOrgMixin, ScopedDetailView):
    model = Org
    perm = "org.view"
    template_name = "org/org_detail.html"
    select_related = ("zone", "park", "parent", "home_department", "head")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        scope = scope_of(user)
        counted = queries.headcount([org.pk])[org.pk]
        by_kind = {row.kind: row for row in counted}
        notes = dict(Establishment.objects.filter(org=org).values_list("kind", "note"))
        establishment = [by_kind.get(k) or queries.HeadcountRow(k, PostKind(k).label, 0, 0) for k in PostKind.values]
        approved_total = sum(r.approved for r in establishment)
        actual_total = sum(r.actual for r in establishment)
        can_change = scope.has("org.change")
        show_staff = may_see_staff_of(user, org)
        staff = staff_count = None
        if show_staff:
            staff_qs = Staff.objects.visible_to(user).filter(org=org)
            staff_count = staff_qs.count()
            staff = list(staff_qs.order_by("staff_no")[:STAFF_PREVIEW])
        ctx.update(
            title=org.name,
            breadcrumbs=(("机构", reverse("org:org-list")), (org.name, None)),
            plaques=org.plaques.order_by("-is_active", "id"),
            establishment=[(row, notes.get(row.kind, "")) for row in establishment],
            approved_total=approved_total,
            actual_total=actual_total,
            over_cap=org.headcount_cap is not None and actual_total > org.headcount_cap,
            children=org.children.order_by("-is_active", "sort", "id"),
            stationed_agencies=(org.stationed_agencies.order_by("sort", "id")
                                if org.kind == OrgKind.CITY_DEPARTMENT else None),
            show_staff=show_staff,
            staff=staff,
            staff_count=staff_count,
            staff_url=f"{reverse('org:staff-list')}?org={org.pk}",
            show_users=can_change or scope.org_id == org.pk,
            users=org.users.filter(is_active=True).order_by("username"),
            reorgs=org.reorg_events.order_by("-date", "-id"),
            can_change=can_change,
            can_change_staff=scope.has("staff.change"),
            can_set_establishment=scope.has("establishment.change"),
            sees_structure=scope.has("org.view"),
            takes_establishment=org.kind in ESTABLISHMENT_KINDS,
            plaque_form=PlaqueForm(),
            establishment_form=EstablishmentForm(),
        )
        return ctx


class OrgCreateView(OrgFormView):
    model = Org
    form_class = OrgForm
    success_message = "机构已新增。"

    def get_object(self):
        self.zone = self.default_zone()
        return None

    @property
    def title(self):
        return f"新增机构：{self.zone.name}"

    def get_breadcrumbs(self):
        return (*_zone_crumbs(self.zone), ("新增机构", None))

    def get_form_kwargs(self):
        return {"zone": self.zone}

    def get_initial(self):
        initial = {}
        for name in ("kind", "parent", "park"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def perform(self, form):
        return services.do_create_org(self.request.user, self.zone, **form.changes())


class OrgObjectFormView(OrgFormView):
    model = Org

    def get_object(self):
        return get_visible_or_404(Org.objects.select_related("zone"), self.request.user, pk=self.kwargs["pk"])

    def get_breadcrumbs(self):
        return (*_org_crumbs(self.object), (self.action_label, None))

    @property
    def title(self):
        return f"{self.action_label}：{self.object.name}"


class OrgEditView(OrgObjectFormView):
    form_class = OrgForm
    action_label = "编辑机构"

    def get_form_kwargs(self):
        return {"instance": self.object, "zone": self.object.zone, "org": self.object}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_org(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                      **form.changes())


class OrgHeadView(OrgObjectFormView):
    """组织人事: names the unit's head among the unit's own users (they then see its pay and phones)."""

    form_class = OrgHeadForm
    action_label = "设定负责人"
    success_message = "负责人已设定。"

    def get_form_kwargs(self):
        return {"org": self.object}

    def get_initial(self):
        return {"head": self.object.head_id}

    def perform(self, form):
        return services.do_set_head(self.request.user, self.object, form.cleaned_data["head"])


class OrgAbolishView(OrgObjectFormView):
    form_class = AbolishForm
    action_label = "撤销机构"
    success_message = "机构已撤销。"

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        data = form.cleaned_data
        return services.do_abolish_org(self.request.user, self.object, date=data["date"], reason=data["reason"],
                                       version=data.get("version"))


class OrgActionView(ActionView):
    """Where the org workflow's buttons on the organisation page post (POST only; see core/workflow/views.py)."""

    model = Org
    workflow = ORG


class PlaqueAddView(OrgObjectFormView):
    form_class = PlaqueForm
    action_label = "挂牌"
    success_message = "已挂牌。"

    def perform(self, form):
        services.do_add_plaque(self.request.user, self.object, **form.cleaned_data)
        return self.object


class PlaqueRemoveView(OrgFormView):
    model = Plaque
    form_class = PlaqueRemoveForm
    success_message = "已摘牌。"

    def get_object(self):
        return get_visible_or_404(Plaque.objects.select_related("org"), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"摘牌：{self.object.name}（{self.object.org.name}）"

    def get_breadcrumbs(self):
        return (*_org_crumbs(self.object.org), ("摘牌", None))

    def perform(self, form):
        services.do_remove_plaque(self.request.user, self.object, reason=form.cleaned_data["reason"])
        return self.object.org


class EstablishmentSetView(OrgObjectFormView):
    perm = "establishment.change"
    form_class = EstablishmentForm
    action_label = "核定编制"
    success_message = "编制已更新。"

    def get_initial(self):
        kind = self.request.GET.get("kind")
        if kind in PostKind.values:
            row = Establishment.objects.filter(org=self.object, kind=kind).first()
            return {"kind": kind, "approved": row.approved if row else 0, "note": row.note if row else "",
                    "document_no": row.document_no if row else ""}
        return {}

    def perform(self, form):
        services.do_set_establishment(self.request.user, self.object, **form.cleaned_data)
        return self.object


# Staff and secondments -----------------------------------------------------------------------------------------

class StaffListView(ScopedListView):
    model = Staff
    perm = "staff.view_own"
    filterset_class = StaffFilter
    table = STAFF_TABLE
    export_layout = STAFF_LAYOUT
    title = "人员"
    breadcrumbs = (("人员", None),)
    select_related = ("org",)
    create_perm = "staff.change"
    import_layout = "staff"

    @property
    def create_url(self):
        url = reverse("org:staff-create")
        org = self.request.GET.get("org", "")
        return f"{url}?org={org}" if org.isdigit() else url


class StaffDetailView(ScopedDetailView):
    model = Staff
    perm = "staff.view_own"
    template_name = "org/staff_detail.html"
    select_related = ("org", "zone")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        staff = self.object
        ctx.update(
            title=f"{staff.name}（{staff.staff_no}）",
            breadcrumbs=(("人员", reverse("org:staff-list")), (staff.name, None)),
            secondments=staff.secondments.select_related("host_org").order_by("-start"),
            can_change=scope_of(self.request.user).has("staff.change"),
            hidden=sensitive.hidden_fields(self.request.user, Staff, staff),
        )
        return ctx


class StaffCreateView(OrgFormView):
    model = Staff
    perm = "staff.change"
    form_class = StaffForm
    success_message = "人员已新增。"
    title = "新增人员"

    def get_object(self):
        raw = self.request.GET.get("org")
        self.org = self.visible(Org, raw) if raw else None
        self.zone = self.org.zone if self.org else self.default_zone()
        return None

    def get_breadcrumbs(self):
        return (("人员", reverse("org:staff-list")), ("新增人员", None))

    def get_form_kwargs(self):
        return {"zone": self.zone, "hidden": sensitive.hidden_fields(self.request.user, Staff)}

    def get_initial(self):
        return {"org": self.org.pk} if self.org else {}

    def perform(self, form):
        fields = form.changes()
        org = fields.pop("org")
        return services.do_create_staff(self.request.user, org, **fields)


class StaffEditView(OrgFormView):
    model = Staff
    perm = "staff.change"
    form_class = StaffForm

    def get_object(self):
        return get_visible_or_404(Staff.objects.select_related("zone", "org"), self.request.user,
                                  pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"编辑人员：{self.object.name}"

    def get_breadcrumbs(self):
        return (("人员", reverse("org:staff-list")), (self.object.name, self.object.get_absolute_url()),
                ("编辑", None))

    def get_form_kwargs(self):
        return {"instance": self.object, "zone": self.object.zone, "staff": self.object,
                "hidden": sensitive.hidden_fields(self.request.user, Staff)}

    def get_initial(self):
        return {"version": self.object.version}

    def perform(self, form):
        return services.do_update_staff(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                        **form.changes())


class SecondmentListView(ScopedListView):
    model = Secondment
    perm = "staff.view_own"
    filterset_class = SecondmentFilter
    table = SECONDMENT_LAYOUT
    title = "挂职"
    breadcrumbs = (("挂职", None),)
    select_related = ("staff__org", "host_org")
    create_perm = "staff.change"

    @property
    def create_url(self):
        return reverse("org:secondment-create")


class SecondmentDetailView(ScopedDetailView):
    model = Secondment
    perm = "staff.view_own"
    template_name = "org/secondment_detail.html"
    select_related = ("staff__org", "host_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s = self.object
        ctx.update(
            title=f"挂职：{s.staff.name}",
            breadcrumbs=(("挂职", reverse("org:secondment-list")), (s.staff.name, None)),
        )
        return ctx


class SecondmentCreateView(OrgFormView):
    model = Secondment
    perm = "staff.change"
    form_class = SecondmentForm
    success_message = "挂职已登记。"
    title = "登记挂职"

    def get_object(self):
        raw = self.request.GET.get("staff")
        self.staff = (get_visible_or_404(Staff.objects.select_related("zone"), self.request.user, pk=raw)
                      if raw else None)
        self.zone = self.staff.zone if self.staff else self.default_zone()
        return None

    def get_breadcrumbs(self):
        return (("挂职", reverse("org:secondment-list")), ("登记挂职", None))

    def get_form_kwargs(self):
        return {"zone": self.zone, "staff_qs": Staff.objects.visible_to(self.request.user)
                .exclude(status=StaffStatus.LEFT)}

    def get_initial(self):
        return {"staff": self.staff.pk} if self.staff else {}

    def perform(self, form):
        return services.do_create_secondment(self.request.user, form.cleaned_data["staff"],
                                             **form.fields_for_service())


class SecondmentEndView(OrgFormView):
    model = Secondment
    perm = "staff.change"
    form_class = SecondmentEndForm
    success_message = "挂职已提前结束。"

    def get_object(self):
        return get_visible_or_404(Secondment.objects.select_related("staff"), self.request.user, pk=self.kwargs["pk"])

    @property
    def title(self):
        return f"提前结束挂职：{self.object.staff.name}"

    def get_breadcrumbs(self):
        return (("挂职", reverse("org:secondment-list")), (self.object.staff.name, self.object.get_absolute_url()),
                ("提前结束", None))

    def perform(self, form):
        return services.do_end_secondment(self.request.user, self.object, **form.cleaned_data)


class SecondmentActionView(ActionView):
    """Where the secondment workflow's buttons on the secondment page post (POST only)."""

    model = Secondment
    workflow = SECONDMENT


# Reorganisation history ----------------------------------------------------------------------------------------

class ReorgListView(ScopedListView):
    model = ReorgEvent
    perm = "org.view"
    filterset_class = ReorgEventFilter
    table = REORG_LAYOUT
    title = "机构沿革"
    breadcrumbs = (("机构沿革", None),)
    select_related = ("zone",)
    create_perm = "org.change"

    @property
    def create_url(self):
        url = reverse("org:reorg-create")
        zone = self.request.GET.get("zone", "")
        return f"{url}?zone={zone}" if zone.isdigit() else url


class ReorgDetailView(ScopedDetailView):
    model = ReorgEvent
    perm = "org.view"
    template_name = "org/reorg_detail.html"
    select_related = ("zone",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ev = self.object
        ctx.update(
            title=ev.title,
            breadcrumbs=(("机构沿革", reverse("org:reorg-list")), (ev.title, None)),
            orgs=ev.orgs.order_by("sort", "id"),
        )
        return ctx


class ReorgCreateView(OrgFormView):
    model = ReorgEvent
    form_class = ReorgForm
    success_message = "机构沿革已记录。"

    def get_object(self):
        self.zone = self.default_zone()
        return None

    @property
    def title(self):
        return f"记录机构沿革：{self.zone.name}"

    def get_breadcrumbs(self):
        return (("机构沿革", reverse("org:reorg-list")), ("记录", None))

    def get_form_kwargs(self):
        return {"zone": self.zone}

    def get_initial(self):
        raw = self.request.GET.get("org")
        return {"orgs": [raw]} if raw and raw.isdigit() else {}

    def perform(self, form):
        return services.do_record_reorg(self.request.user, self.zone, orgs=list(form.cleaned_data["orgs"]),
                                        **form.changes())


def org_profile_docx(request, pk):
    """机构概况表 (.docx): anyone who can see the organisation; the staff table only for who may see its people."""
    from django.contrib.auth.views import redirect_to_login

    from kaifaqu.core.documents import DOCX_MIME
    from kaifaqu.core.tabular import attachment_response

    from .documents import profile_sheet

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    org = get_visible_or_404(Org.objects.select_related("zone", "parent", "park", "home_department"),
                             request.user, pk=pk)
    include_staff = Staff.objects.visible_to(request.user).filter(org=org).exists()
    return attachment_response(profile_sheet(org, include_staff=include_staff), f"{org.name}概况.docx", DOCX_MIME)


org_profile_docx.model = Org
