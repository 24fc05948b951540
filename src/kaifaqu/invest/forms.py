"""Forms of the investment pages: they parse; the services validate and write. Amounts are typed in 万元."""

from decimal import Decimal

from django import forms

from kaifaqu.core.web.forms import StyledForm, StyledModelForm
from kaifaqu.org.models import Org, Park

from .models import InvestSettings, LogKind, Project, ServiceLog


class ServiceModelForm(StyledModelForm):
    def _post_clean(self):
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class ProjectForm(ServiceModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    invested_wan = forms.DecimalField(label="实际到位投资（万元）", max_digits=14, decimal_places=2,
                                      min_value=Decimal(0), required=False)

    class Meta:
        model = Project
        fields = ["name", "investor", "park", "industry_code", "chain_tags", "source", "source_detail",
                  "responsible_org", "responsible_person", "paired_leader", "enterprise_name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(zone_id=zone_id).order_by("sort", "id")
        self.fields["responsible_org"].queryset = Org.objects.filter(zone_id=zone_id, is_active=True) \
            .order_by("sort", "id")
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["invested_wan"] = self.instance.invested_amount / 10000

    def changes(self) -> dict:
        data = super().changes()
        if self.cleaned_data.get("invested_wan") is not None:
            data["invested_amount"] = self.cleaned_data["invested_wan"] * 10000
        return data


class ProjectCreateForm(ProjectForm):
    lead_on = forms.DateField(label="获取线索日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ServiceLogForm(ServiceModelForm):
    class Meta:
        model = ServiceLog
        fields = ["kind", "date", "content", "by_name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_name"].required = False
        self.fields["kind"].choices = LogKind.choices


class WhistleFromLogForm(StyledForm):
    """转为吹哨: the whistle's kind, title, matter and lead unit (empty: the responsibility matrix proposes one)."""

    kind = forms.ChoiceField(label="吹哨类别")
    title = forms.CharField(label="标题", max_length=200)
    matter = forms.CharField(label="事项类别", max_length=50, help_text="如：供电、市政园林、规划许可")
    lead = forms.ModelChoiceField(label="牵头单位", queryset=None, required=False,
                                  help_text="留空则按责任清单确定牵头单位")

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kaifaqu.whistle.models import UNIT_KINDS, WhistleKind

        self.fields["kind"].choices = WhistleKind.choices
        self.fields["kind"].initial = WhistleKind.KEY_TASK
        self.fields["lead"].queryset = Org.objects.filter(zone_id=zone_id, kind__in=UNIT_KINDS, is_active=True) \
            .order_by("sort", "id")


class SettingsForm(ServiceModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = InvestSettings
        fields = ["tier1_yi", "tier2_yi", "tier3_yi", "tier4_yi", "stuck_days"]


class YearForm(StyledForm):
    year = forms.IntegerField(label="签约年度", min_value=1990, max_value=2100, required=False)
