"""Pages of the approvals module: catalogue, windows, public guides (no login). Thin: look up in scope, call a
service, render."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.web.views import ScopedDetailView, ScopedListView, ServiceFormView

from . import forms, services
from .filters import ServiceItemFilter, WindowFilter
from .layouts import ITEM_LAYOUT, ITEM_TABLE, WINDOW_LAYOUT
from .models import Material, ServiceItem, Stage, Window


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
