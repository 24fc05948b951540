"""领导驾驶舱: the figures leaders look at, for their zones (or one zone, or one park), as charts with their
tables; every figure downloads as a workbook (``?export=<key>``) and each row links to the list behind it."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from kaifaqu.core.access import scope_of
from kaifaqu.core.tabular import Column, Layout, xlsx_response
from kaifaqu.core.web.views import PermRequiredMixin
from kaifaqu.org.models import Park, Zone

from .figures import all_figures

KINDS = {"text": "text", "integer": "integer", "decimal": "decimal", "percent": "text"}


def _cell(value, kind):
    if kind == "percent":
        return "—" if value is None else f"{value * 100:.1f}%"
    return value


def export(figure):
    layout = Layout(f"cockpit-{figure.key}", figure.title[:31], tuple(
        Column(header, f"c{i}", KINDS[kind], getter=(lambda row, i=i, kind=kind: _cell(row[i], kind)), width=18)
        for i, (header, kind) in enumerate(figure.columns)))
    return xlsx_response(layout, figure.rows, figure.title)


class CockpitView(PermRequiredMixin, View):
    model = Zone
    perm = "cockpit.view"

    def get(self, request):
        scope = scope_of(request.user)
        zones = list(Zone.objects.filter(pk__in=scope.zone_ids).order_by("code"))
        zone_ids = [z.pk for z in zones]
        zone_param, park_param, year_param = (request.GET.get(k, "") for k in ("zone", "park", "year"))
        if zone_param:
            if not zone_param.isdigit() or int(zone_param) not in zone_ids:
                raise Http404("未找到该开发区，或您无权查看。")
            zone_ids = [int(zone_param)]
        park = None
        if park_param:
            park = Park.objects.visible_to(request.user).filter(pk=park_param if park_param.isdigit() else 0,
                                                                zone_id__in=zone_ids).first()
            if park is None:
                raise Http404("未找到该园区，或您无权查看。")
        year = int(year_param) if year_param.isdigit() and 1990 <= int(year_param) <= 2100 else \
            timezone.localdate().year
        figures = all_figures(request.user, zone_ids, park.pk if park else None, year)
        key = request.GET.get("export")
        if key:
            found = next((f for f in figures if f.key == key), None)
            if found is None:
                raise Http404("没有这张图表。")
            return export(found)
        shown = [(f, [[(_cell(c, kind), kind) for c, (_, kind) in zip(r, f.columns, strict=False)] + [r[-1]]
                      for r in f.rows]) for f in figures]
        return render(request, "cockpit/home.html", {
            "title": "领导驾驶舱", "breadcrumbs": (("领导驾驶舱", None),), "figures": shown,
            "charts": {f.key: f.series for f in figures}, "zones": zones, "zone_param": zone_param,
            # Parks to choose from once one zone is in view (a province's hundreds of parks are no list to pick from).
            "parks": list(Park.objects.visible_to(request.user).filter(zone_id=zone_ids[0]).order_by("sort", "id"))
            if len(zone_ids) == 1 else [],
            "park": park, "year": year, "query": request.GET.urlencode(),
        })
