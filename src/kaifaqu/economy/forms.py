from django import forms

from kaifaqu.core.web.forms import StyledForm, StyledModelForm
from kaifaqu.org.models import Org, Park

from .models import Enterprise, Indicator, SubmissionTask


class ServiceModelForm(StyledModelForm):
    def _post_clean(self):
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class EnterpriseForm(ServiceModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "park", "industry_code", "status", "above_size", "above_size_year", "employees",
                  "land_mu", "contact_name", "registered_on"]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, zone_id=None, contacts=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(zone_id=zone_id).order_by("sort", "id")
        if not contacts:
            del self.fields["contact_name"], self.fields["contact_phone"]
        elif self.instance and self.instance.pk and not self.is_bound:
            self.initial["contact_phone"] = self.instance.contact_phone

    def changes(self) -> dict:
        data = super().changes()
        if "contact_phone" in self.fields:
            data["contact_phone"] = self.cleaned_data.get("contact_phone", "")
        return data


class IndicatorForm(ServiceModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "period_kind", "cumulative", "key", "sort"]


class TaskForm(ServiceModelForm):
    class Meta:
        model = SubmissionTask
        fields = ["org", "year", "period", "workdays", "issued_on", "note"]
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Org.objects.filter(zone_id=zone_id, is_active=True).order_by("sort", "id")
        self.fields["issued_on"].required = False


class FiguresForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100, required=False)
    through = forms.IntegerField(label="截至期别", min_value=1, max_value=12, required=False)
