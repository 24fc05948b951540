from kaifaqu.core.views import ScopedListView

from .filters import ZoneFilter
from .layouts import ZONE_LAYOUT
from .models import Zone


class ZoneListView(ScopedListView):
    model = Zone
    perm = "org.view"
    filterset_class = ZoneFilter
    table = ZONE_LAYOUT
    title = "开发区"
    breadcrumbs = (("开发区", None),)
