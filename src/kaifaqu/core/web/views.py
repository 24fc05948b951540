"""Page building blocks: scoped list (search, filters, pagination, Excel export), detail and service forms.

A list page declares its model, FilterSet and layouts; ``rows()`` is the row hook (page-level figures attached in a
fixed number of queries), used for the page shown and for every chunk of the export, which holds exactly the
filtered rows (all of them, not the page). A form page checks the permission before it looks anything up.
"""

from itertools import islice

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, ListView

from kaifaqu.core import sensitive
from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.pagination import page_size_from
from kaifaqu.core.tabular import xlsx_response


class PermRequiredMixin(LoginRequiredMixin):
    """Login, then ``perm`` (403 with ``permission_message``), then ``prepare()``, then the handler."""

    perm = ""
    permission_message = "您没有访问此页面的权限。"

    def check_permission(self):
        if self.perm and not scope_of(self.request.user).has(self.perm):
            raise PermissionDenied(self.permission_message)

    def prepare(self):
        """What the view works on, looked up once the permission is known to be held (default: nothing)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_permission()
        self.prepare()
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(PermRequiredMixin, ListView):
    """A list page: `?q=` search and filters from the FilterSet, `?page`/`?page_size`, `?export=xlsx`."""

    model = None
    filterset_class = None
    table = None  # tabular.Layout shown as the table
    export_layout = None  # tabular.Layout for 导出 Excel (defaults to table)
    title = ""
    breadcrumbs = ()
    create_url = None
    create_perm = ""
    import_layout = ""  # name of a registered core.tabular_import importer: shows 导入 for users who may use it
    select_related = ()
    prefetch_related = ()
    template_name = "core/list.html"
    paginate_by = 20
    link_first_column = True
    extra_columns = 0  # columns a template adds after the layout's (row actions)
    export_chunk = 2000  # rows read (and given to ``rows()``) at a time by the export

    def base_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_queryset(self):
        qs = self.base_queryset()
        if self.filterset_class is None:
            self.filterset = None
            return qs
        self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return qs.none()
        return self.filterset.qs

    def get_paginate_by(self, queryset):
        """``?page_size=`` within the API's bounds (1 to ``core.pagination.MAX_PAGE_SIZE``), else the default."""
        return page_size_from(self.request.GET.get("page_size")) or self.paginate_by

    def rows(self, objects) -> list:
        """The row hook: the objects of the page shown, or of one chunk of the export, ready for the layouts (for
        instance with figures attached for all of them in a fixed number of queries). Default: as they are."""
        return list(objects)

    def row_values(self, obj) -> list:
        """The cells of one row of the table shown."""
        return self.shown_table.row(obj)

    @cached_property
    def shown_table(self):
        """The table without the sensitive columns this user may not see (core.sensitive)."""
        return sensitive.layout_for(self.table, self.model, self.request.user, placeholder=sensitive.HIDDEN_TEXT)

    def export_rows(self, queryset):
        """Every filtered row (not only the page), read in chunks of ``export_chunk``, each through ``rows()``."""
        iterator = queryset.iterator(chunk_size=self.export_chunk)
        while chunk := list(islice(iterator, self.export_chunk)):
            yield from self.rows(chunk)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            layout = sensitive.layout_for(self.export_layout or self.table, self.model, request.user)
            return xlsx_response(layout, self.export_rows(self.get_queryset()), self.title)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        try:
            paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        except Http404 as exc:
            raise Http404("页码超出范围。") from exc
        page.object_list = self.rows(object_list)
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        ctx.update(
            title=self.title,
            breadcrumbs=self.breadcrumbs,
            filter=self.filterset,
            table=self.shown_table,
            rows=[(obj, self.row_values(obj)) for obj in ctx["object_list"]],
            querystring=params.urlencode(),
            create_url=self.create_url if (not self.create_perm or scope.has(self.create_perm)) else None,
            link_first_column=self.link_first_column,
            extra_columns=self.extra_columns,
            import_url=self.import_url(scope),
        )
        return ctx


    def import_url(self, scope):
        if not self.import_layout:
            return None
        from django.urls import reverse

        from kaifaqu.core.imports.engine import IMPORTERS

        importer = IMPORTERS.get(self.import_layout)
        if importer is None or not scope.has(importer.perm):
            return None
        return reverse("core:import-upload", args=[self.import_layout])


class ScopedDetailView(PermRequiredMixin, DetailView):
    select_related = ()

    def get_object(self, queryset=None):
        qs = self.model.objects
        if self.select_related:
            qs = self.model.objects.select_related(*self.select_related)
        return get_visible_or_404(qs.all(), self.request.user, pk=self.kwargs["pk"])


class ServiceFormView(PermRequiredMixin, View):
    """GET shows the form, POST validates it and calls ``perform`` (a service); service errors land on the form.

    ``perm`` is checked first: a role that may never use the form gets 403 whether or not the object exists; then
    ``get_object()`` (``self.object``) — 404 for an object outside the user's scope, exactly as for a missing one."""

    form_class = None
    template_name = "core/form.html"
    title = ""
    breadcrumbs = ()
    success_message = "已保存。"

    def get_object(self):
        return None

    def get_form_kwargs(self):
        return {}

    def get_initial(self):
        return {}

    def perform(self, form):  # returns the object to redirect to
        raise ServiceError("未实现的表单操作。")

    def success_url(self, obj):
        return obj.get_absolute_url()

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {
            "form": form, "title": self.title, "breadcrumbs": self.get_breadcrumbs(), "object": self.object,
        }, status=status)

    def get_breadcrumbs(self):
        return self.breadcrumbs

    def prepare(self):
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form_class(initial=self.get_initial(), **self.get_form_kwargs()))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES, initial=self.get_initial(), **self.get_form_kwargs())
        if form.is_valid():
            try:
                obj = self.perform(form)
            except ServiceError as exc:
                for field, errors in exc.fields.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                if not exc.fields:
                    form.add_error(None, exc.detail)
                return self.render_form(form, status=exc.status if exc.status != 404 else 400)
            messages.success(request, self.success_message)
            return redirect(self.success_url(obj))
        return self.render_form(form, status=400)
