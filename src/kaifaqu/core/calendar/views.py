import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kaifaqu.core import calendar
from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.calendar import services as calendar_services
from kaifaqu.core.calendar.models import PublishedYear, WorkdayOverride, WorkingPeriod
from kaifaqu.core.tabular import Column, Layout
from kaifaqu.core.tenancy import tenant_model
from kaifaqu.core.web.filters import BaseFilterSet
from kaifaqu.core.web.forms import StyledForm
from kaifaqu.core.web.views import ScopedListView, ServiceFormView

OVERRIDE_LAYOUT = Layout("workday_overrides", "工作日历调整", (
    Column("日期", "date", "date", width=12, validators=(lambda d: "" if d.year >= 1990 and d.year <= 2100
                                                          else "日期须在 1990 至 2100 年之间。",)),
    Column("是否工作日", "is_workday", "bool", width=10),
    Column("原因", "reason", width=30),
    Column("范围", "zone", "fk", getter=lambda o: o.zone.name if o.zone_id else "全平台", width=24, importable=True,
           help="开发区名称或代码；填“全平台”或留空为全平台（国务院通知）"),
))


class OverrideFilter(BaseFilterSet):
    search_fields = ("reason",)
    is_workday = django_filters.ChoiceFilter(label="当天", choices=(("1", "上班"), ("0", "休息")),
                                             method="filter_is_workday")

    class Meta(BaseFilterSet.Meta):
        model = WorkdayOverride
        fields = ["q", "is_workday"]

    def filter_is_workday(self, queryset, name, value):
        return queryset.filter(is_workday=value == "1")


class OverrideListView(ScopedListView):
    model = WorkdayOverride
    perm = "calendar.manage"
    filterset_class = OverrideFilter
    table = OVERRIDE_LAYOUT
    title = "工作日历调整"
    breadcrumbs = (("工作日历调整", None),)
    select_related = ("zone",)
    link_first_column = False
    template_name = "core/override_list.html"
    extra_columns = 1
    import_layout = "workday_overrides"

    def get_context_data(self, **kwargs):
        self.create_url = reverse("core:override-create")
        today = timezone.localdate()
        ctx = super().get_context_data(**kwargs, known_until=calendar.known_until(today),
                                       expiry_warning=calendar.expiry_warning(today),
                                       provisional_until=calendar.horizon(),
                                       published_years=PublishedYear.objects.order_by("year"))
        ctx["working_hours"] = working_hours_tables(self.request.user)
        ctx["working_hours_url"] = reverse("core:working-hours")
        return ctx


def _show(periods):
    return "、".join(f"{lo:%H:%M}–{hi:%H:%M}" for lo, hi in periods)


def working_hours_tables(user):
    """[(scope label, periods text, own table?)]: the platform's table and those of the zones the user sees."""
    rows = list(WorkingPeriod.objects.visible_to(user).select_related("zone").order_by("zone_id", "start"))
    platform = [(r.start, r.end) for r in rows if r.zone_id is None]
    tables = [("全平台", _show(platform or calendar.DEFAULT_PERIODS), bool(platform))]
    zones = {}
    for r in rows:
        if r.zone_id is not None:
            zones.setdefault(r.zone.name, []).append((r.start, r.end))
    tables += [(name, _show(periods), True) for name, periods in sorted(zones.items())]
    return tables


class OverrideForm(StyledForm):
    date = forms.DateField(label="日期", widget=forms.DateInput)
    is_workday = forms.TypedChoiceField(label="当天", choices=(("0", "休息"), ("1", "上班")), coerce=lambda v: v == "1")
    reason = forms.CharField(label="原因", max_length=100, help_text="如：2031年春节、调休上班、本区防汛停工")
    zone = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="全平台（国务院通知）")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = tenant_model().objects.visible_to(user)


class OverrideCreateView(ServiceFormView):
    model = WorkdayOverride
    perm = "calendar.manage"
    form_class = OverrideForm
    title = "录入工作日历调整"
    breadcrumbs = (("工作日历调整", "/core/calendar/"), ("录入", None))

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return calendar_services.do_set_override(self.request.user, **form.cleaned_data)

    def success_url(self, obj):
        return reverse("core:override-list")


@require_POST
def remove(request, pk):
    if not scope_of(request.user).has("calendar.manage"):
        raise PermissionDenied("您没有维护工作日历的权限。")
    row = get_visible_or_404(WorkdayOverride.objects.all(), request.user, pk=pk)
    calendar_services.do_remove_override(request.user, row, reason="页面删除")
    messages.success(request, "已删除。")
    return redirect("core:override-list")


remove.model = WorkdayOverride


class WorkingHoursForm(StyledForm):
    zone = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="全平台（各区未设置时采用）")
    periods = forms.CharField(label="工作时间段", max_length=200, required=False, initial="08:30-12:00, 13:30-17:30",
                              help_text="如：08:30-12:00, 13:30-17:30；留空则恢复为上级（全平台或默认）工作时间")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = tenant_model().objects.visible_to(user)


class WorkingHoursView(ServiceFormView):
    model = WorkingPeriod
    perm = "calendar.manage"
    form_class = WorkingHoursForm
    title = "设置工作时间"
    breadcrumbs = (("工作日历调整", "/core/calendar/"), ("工作时间", None))

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        periods = calendar_services.parse_periods(form.cleaned_data["periods"])
        return calendar_services.do_set_working_hours(self.request.user, periods=periods,
                                                      zone=form.cleaned_data["zone"])

    def success_url(self, obj):
        return reverse("core:override-list")
