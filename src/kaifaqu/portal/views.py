"""The public site (/gongkai/): no login, published data only (``portal.queries``). Anonymous requests are throttled
with the API's rate; pages are cached per zone (the key follows the latest published version, see queries)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import View

from kaifaqu.core.pagination import page_size_from
from kaifaqu.core.tabular import XLSX_MIME, attachment_response, xlsx_response
from kaifaqu.org.models import Zone
from kaifaqu.powers.models import FunctionItem, ListVersion, PowerItem
from kaifaqu.powers.views import diff_rows

from . import queries, xlsx
from .layouts import DIFF_LAYOUT, PUBLIC_LAYOUT
from .throttling import page_allowed


class _Row(dict):
    __getattr__ = dict.get


class PublicView(View):
    """GET only. Anonymous callers are throttled (429 page with Retry-After); ``?zone=<code>`` names the zone (404
    for an unknown one); the page is rendered once per zone, published version and query for CACHE_SECONDS."""

    http_method_names = ["get", "head"]
    template_name = ""
    zone_required = True
    cache_kind = ""
    section = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            allowed, wait = page_allowed(request)
            if not allowed:
                response = render(request, "portal/throttled.html", {"title": "访问过于频繁", "wait": wait}, status=429)
                response["Retry-After"] = str(wait)
                return response
        self.zone = queries.zone_by_code(request.GET.get("zone"))
        if self.zone is None and (self.zone_required or request.GET.get("zone")):
            return self.not_found("未找到该开发区。")
        return super().dispatch(request, *args, **kwargs)

    def not_found(self, message, status=404):
        return render(self.request, "portal/message.html", {"title": "未找到", "message": message, "zone": self.zone},
                      status=status)

    def token(self):
        return None  # the zone's current published version

    def get(self, request, *args, **kwargs):
        if self.zone is None:
            return self.respond()
        parts = (request.path, sorted((k, v) for k, v in request.GET.lists()))
        result = queries.cached(self.zone.pk, self.cache_kind or type(self).__name__, parts,
                                self.build, token=self.token())
        status, content = result
        return HttpResponse(content, status=status)

    def build(self):
        """(status, HTML) of the page: what is cached."""
        ctx, status = self.context()
        return status, render_to_string(self.template_name, {"zone": self.zone, "section": self.section, **ctx})

    def respond(self):
        raise Http404("未找到该开发区。")

    def context(self):
        raise NotImplementedError


class HomeView(PublicView):
    """The portal's home: the zone's current list at a glance and the public services; without a zone, the zones."""

    model = ListVersion
    section = "home"
    template_name = "portal/home.html"
    zone_required = False

    def respond(self):
        zones = Zone.objects.order_by("name").only("code", "name")
        return render(self.request, "portal/zones.html", {"title": "政务公开", "zones": zones})

    def context(self):
        version = queries.current_version(self.zone.pk)
        facets = queries.facets(version) if version else None
        return {"title": f"{self.zone.name} 政务公开", "version": version, "facets": facets,
                "catalogues": queries.catalogues(self.zone.pk)}, 200


class PowerListView(PublicView):
    """权责清单: the current published list with search, filters (type, batch, implementing body), pages and export."""

    model = PowerItem
    section = "powers"
    template_name = "portal/powers.html"

    def context(self):
        version = queries.current_version(self.zone.pk)
        ctx = {"title": f"{self.zone.name} 权责清单", "version": version}
        if version is None:
            return ctx, 200
        filters = queries.Filters(self.request.GET, version)
        ctx.update(filters=filters, facets=queries.facets(version))
        if filters.errors:
            return ctx, 400
        qs = filters.apply(queries.items_of(version))
        size = page_size_from(self.request.GET.get("page_size")) or queries.PAGE_SIZE
        paginator = Paginator(qs, min(size, queries.MAX_PAGE_SIZE))
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            return {**ctx, "message": "页码超出范围。"}, 404
        start = page.start_index()
        for i, item in enumerate(page.object_list, start):
            item.row_no = i
        params = {k: v for k, v in filters.as_dict().items() if v}
        ctx.update(page=page, items=page.object_list, params=params, size=size)
        return ctx, 200


class PowerExportView(PublicView):
    """The filtered list as a workbook (formula-safe: core.tabular), in the usual layout without 备注."""

    model = PowerItem

    def get(self, request, *args, **kwargs):
        version = queries.current_version(self.zone.pk)
        if version is None:
            return self.not_found("本开发区尚未发布权责清单。")
        filters = queries.Filters(request.GET, version)
        if filters.errors:
            return self.not_found("筛选条件有误：" + "；".join(m for ms in filters.errors.values() for m in ms), 400)
        items = filters.apply(queries.items_of(version))
        content = xlsx.workbook(PUBLIC_LAYOUT.title, [(c.header, c.width) for c in PUBLIC_LAYOUT.columns],
                                queries.export_rows(items))
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return attachment_response(content, f"{self.zone.short_name or self.zone.name}权责清单_第{version.seq}版_"
                                            f"{stamp}.xlsx", XLSX_MIME)


class ItemView(PublicView):
    """One item of the current published list (``?code=``)."""

    model = PowerItem
    section = "powers"
    template_name = "portal/item.html"

    def context(self):
        version = queries.current_version(self.zone.pk)
        item = queries.item_by_code(version, self.request.GET.get("code")) if version else None
        if item is None:
            return {"title": "未找到", "message": "当前公布的权责清单中没有该事项。"}, 404
        return {"title": f"{item.name} · 权责清单", "version": version, "item": item}, 200


class CataloguesView(PublicView):
    """两张目录: retained economic functions and stripped social functions with their receiving units."""

    model = FunctionItem
    section = "catalogues"
    template_name = "portal/catalogues.html"

    def token(self):
        return queries.catalogues_token(self.zone.pk)

    def context(self):
        return {"title": f"{self.zone.name} 两张目录", "catalogues": queries.catalogues(self.zone.pk)}, 200


class HistoryView(PublicView):
    """The published versions, newest first, each with its changes against the one before."""

    model = ListVersion
    section = "history"
    template_name = "portal/history.html"

    def context(self):
        return {"title": f"{self.zone.name} 权责清单历史版本", "versions": queries.history(self.zone.pk)}, 200


class DiffView(PublicView):
    """What published version ``?seq=`` changed against the published version before it (page or ``&export=xlsx``)."""

    model = ListVersion
    section = "history"
    template_name = "portal/diff.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            result = self._result()
            if result is None or result["old"] is None:
                return self.not_found("没有可比较的已发布版本。")
            return xlsx_response(DIFF_LAYOUT, [_Row(r) for r in diff_rows(result)],
                                 f"权责清单变化_第{result['old']['seq']}版至第{result['new']['seq']}版")
        return super().get(request, *args, **kwargs)

    def _result(self):
        seq = self.request.GET.get("seq") or ""
        return queries.public_diff(self.zone.pk, int(seq)) if seq.isdigit() and len(seq) < 9 else None

    def context(self):
        result = self._result()
        if result is None:
            return {"title": "未找到", "message": "未找到该已发布版本。"}, 404
        return {"title": f"{self.zone.name} 权责清单第 {result['new']['seq']} 版的变化", "result": result}, 200
