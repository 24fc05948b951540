"""Forms of the approvals pages: they parse posted text; the services check the rules and write."""

from django import forms

from kaifaqu.core.web.forms import StyledForm, StyledModelForm

from .models import Material, ServiceItem, Window


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
                  "fee_basis", "handling", "power_code", "commitment", "conditions", "basis", "is_active"]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 3}), "basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        from kaifaqu.org.models import Org

        self.fields["department"].queryset = Org.objects.filter(zone=zone, is_active=True).order_by("sort", "id")
        self.fields["window"].queryset = Window.objects.filter(zone=zone)
        self._errors = None


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
