"""Forms of the approvals pages: they parse posted text; the services check the rules and write."""

from django import forms

from kaifaqu.core.web.forms import StyledForm, StyledModelForm

from .models import Material, Parcel, ServiceItem, Window


class ServiceModelForm(StyledModelForm):
    """Parses input only: no instance is built or validated here (services do that)."""

    def _post_clean(self):
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class VersionedMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ItemForm(VersionedMixin, ServiceModelForm):
    class Meta:
        model = ServiceItem
        fields = ["code", "name", "department", "window", "stage", "legal_limit", "promised_limit", "fee",
                  "fee_basis", "handling", "power_code", "commitment", "commitment_text", "check_days", "conditions", "basis",
                  "is_active"]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 3}), "basis": forms.Textarea(attrs={"rows": 3}),
                   "commitment_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        from kaifaqu.org.models import Org

        self.fields["department"].queryset = Org.objects.filter(zone=zone, is_active=True).order_by("sort", "id")
        self.fields["window"].queryset = Window.objects.filter(zone=zone)
        self.fields["check_days"].required = False
        self._errors = None

    def changes(self) -> dict:
        changes = super().changes()
        if changes.get("check_days") is None:
            changes.pop("check_days", None)
        return changes


class MaterialForm(VersionedMixin, ServiceModelForm):
    class Meta:
        model = Material
        fields = ["name", "form", "count", "required", "may_follow", "note", "sort"]


class WindowStaffForm(VersionedMixin, StyledForm):
    staff = forms.ModelMultipleChoiceField(label="窗口工作人员", queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        from kaifaqu.accounts.models import User

        self.fields["staff"].queryset = (User.objects.filter(org__zone=zone, is_active=True)
                                         .select_related("org").order_by("org__sort", "username"))
        self.fields["staff"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.org}）"
        self._errors = None


class ApplyForm(StyledForm):
    title = forms.CharField(label="申请事由", max_length=200)
    project = forms.ModelChoiceField(label="所属项目", queryset=None, required=False,
                                     help_text="建设项目的审批事项请选择项目，以便并联审批、跟踪全流程时限")

    def __init__(self, *args, item, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.materials = list(item.materials.all())
        for m in self.materials:
            hint = "可容缺后补" if m.may_follow else ("必须提交" if m.required else "选交")
            self.fields[f"m_{m.pk}"] = forms.FileField(label=f"{m.name}（{m.get_form_display()} {m.count} 份，{hint}）",
                                                       required=False)
        self._errors = None

    def files_by_material(self) -> dict:
        return {m: self.cleaned_data[f"m_{m.pk}"] for m in self.materials if self.cleaned_data.get(f"m_{m.pk}")}


class CaseMaterialForm(StyledForm):
    material = forms.ModelChoiceField(label="材料", queryset=None)
    file = forms.FileField(label="文件")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = case.item.materials.all()
        self._errors = None


class DecisionFileForm(StyledForm):
    file = forms.FileField(label="已签发的决定书")


class ProgressForm(StyledForm):
    number = forms.CharField(label="办件编号", max_length=32)
    code = forms.CharField(label="查询码", max_length=20)


class ParcelForm(ServiceModelForm):
    class Meta:
        model = Parcel
        fields = ["code", "location", "area_mu", "transferred_on", "committed_investment_intensity",
                  "committed_plot_ratio", "committed_tax_per_mu", "committed_energy_per_unit", "committed_emission"]
        widgets = {"transferred_on": forms.DateInput(attrs={"type": "date"})}


class ActualsForm(VersionedMixin, ServiceModelForm):
    class Meta:
        model = Parcel
        fields = ["accepted_on", "actual_investment_intensity", "actual_plot_ratio", "actual_tax_per_mu",
                  "actual_energy_per_unit", "actual_emission"]
        widgets = {"accepted_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, parcel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].required = True
        for stem in ("investment_intensity", "plot_ratio", "tax_per_mu", "energy_per_unit", "emission"):
            if getattr(parcel, f"committed_{stem}") is None:
                del self.fields[f"actual_{stem}"]
        self._errors = None


class AgentForm(StyledForm):
    agent = forms.ModelChoiceField(label="帮办代办员", queryset=None)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        from kaifaqu.accounts.models import User
        from kaifaqu.core.access import scope_of

        users = User.objects.filter(org__zone=zone, is_active=True).select_related("org").order_by("username")
        self.fields["agent"].queryset = User.objects.filter(
            pk__in=[u.pk for u in users if scope_of(u).has("approvals.agent")])
        self.fields["agent"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.org}）"
        self._errors = None
