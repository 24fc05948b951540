"""Forms of the powers pages: they turn posted text into values; the services validate and write."""

from django import forms

from kaifaqu.core.web.forms import StyledForm
from kaifaqu.org.models import Org, OrgKind, Park

from .models import (
    Area,
    AreaKind,
    AssessmentPeriod,
    Batch,
    Catalogue,
    Duty,
    HeadChangeKind,
    Holding,
    Matter,
    PowerKind,
)

LINES_HELP = "每行一项"


class VersionedMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ZoneFieldsForm(StyledForm):
    implementing_body = forms.CharField(label="实施主体", max_length=150, required=False)
    undertaking_unit = forms.CharField(label="承办机构", max_length=150, required=False)
    exercise_basis = forms.CharField(label="行使依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    duties = forms.CharField(label="责任事项", required=False, help_text=LINES_HELP,
                             widget=forms.Textarea(attrs={"rows": 4}))
    accountability = forms.CharField(label="追责情形", required=False, help_text=LINES_HELP,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    supervision_phone = forms.CharField(label="监督电话", max_length=40, required=False)
    holding = forms.ChoiceField(label="行使方式", choices=Holding.choices, initial=Holding.OWN)
    holding_doc_no = forms.CharField(label="授权文号", max_length=100, required=False,
                                     help_text="授权、委托、下放的事项必填")
    holding_doc_date = forms.DateField(label="授权日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    batch = forms.ModelChoiceField(label="赋权批次", queryset=Batch.objects.none(), required=False)
    effective_on = forms.DateField(label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = Batch.objects.filter(zone_id=zone_id).order_by("id")


class ClaimForm(ZoneFieldsForm):
    pass


class ItemForm(VersionedMixin, ZoneFieldsForm):
    """An item of the draft. For a claimed item the standard fields are shown disabled (the catalogue's)."""

    code = forms.CharField(label="事项编码", max_length=64)
    name = forms.CharField(label="事项名称", max_length=200)
    sub_name = forms.CharField(label="子项名称", max_length=200, required=False)
    kind = forms.ChoiceField(label="事项类型", choices=[("", "—")] + list(PowerKind.choices), required=False)
    basis = forms.CharField(label="设定依据", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="如：《中华人民共和国安全生产法》第六十二条第一款")

    field_order = ["code", "name", "sub_name", "kind", "basis"]

    def __init__(self, *args, claimed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if claimed:
            for name in ("code", "name", "sub_name", "kind", "basis"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "标准事项的字段，以标准目录为准"

    def changes(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version" and not self.fields[k].disabled}


class BatchForm(VersionedMixin, StyledForm):
    name = forms.CharField(label="批次名称", max_length=100, help_text="如：第一批赋权事项")
    document_no = forms.CharField(label="赋权文号", max_length=100, required=False)
    document_date = forms.DateField(label="发文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    effective_on = forms.DateField(label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DraftForm(StyledForm):
    title = forms.CharField(label="标题", max_length=150, required=False, help_text="留空则为“开发区简称+权责清单”")


class RemoveForm(StyledForm):
    reason = forms.CharField(label="移出原因", max_length=500, required=False)


class MatterForm(StyledForm):
    name = forms.CharField(label="事项", max_length=100, help_text="如：安全生产、市政园林、环境卫生")
    sort = forms.IntegerField(label="排序", min_value=0, required=False, initial=0)


class AreaForm(StyledForm):
    kind = forms.ChoiceField(label="区域类型", choices=AreaKind.choices)
    name = forms.CharField(label="区域名称", max_length=100)
    park = forms.ModelChoiceField(label="园区", queryset=Park.objects.none(), required=False)
    street = forms.ModelChoiceField(label="属地镇街", queryset=Org.objects.none(), required=False)
    sort = forms.IntegerField(label="排序", min_value=0, required=False, initial=0)

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(zone_id=zone_id)
        self.fields["street"].queryset = Org.objects.filter(zone_id=zone_id, kind=OrgKind.STREET, is_active=True)


class AssignForm(StyledForm):
    matter = forms.ModelChoiceField(label="事项", queryset=Matter.objects.none())
    area = forms.ModelChoiceField(label="区域", queryset=Area.objects.none())
    org = forms.ModelChoiceField(label="责任单位", queryset=Org.objects.none())
    duty = forms.ChoiceField(label="职责", choices=Duty.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(zone_id=zone_id)
        self.fields["area"].queryset = Area.objects.filter(zone_id=zone_id)
        self.fields["org"].queryset = Org.objects.filter(zone_id=zone_id, is_active=True).exclude(
            kind__in=(OrgKind.ENTERPRISE, OrgKind.INTERMEDIARY))


class FunctionForm(StyledForm):
    catalogue = forms.ChoiceField(label="目录", choices=Catalogue.choices)
    category = forms.CharField(label="类别", max_length=100)
    name = forms.CharField(label="职能事项", max_length=200)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    receiver = forms.ModelChoiceField(label="承接单位", queryset=Org.objects.none(), required=False,
                                      help_text="剥离的职能必填：镇街或部门")
    handover_on = forms.DateField(label="交接日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = Org.objects.filter(zone_id=zone_id, is_active=True).exclude(
            kind__in=(OrgKind.ENTERPRISE, OrgKind.INTERMEDIARY))


# POWER-5: stationed agencies ----------------------------------------------------------------------------------

class HeadChangeForm(StyledForm):
    agency = forms.ModelChoiceField(label="派驻机构", queryset=Org.objects.none())
    kind = forms.ChoiceField(label="任免类型", choices=HeadChangeKind.choices)
    nominee = forms.IntegerField(label="拟任负责人账号 id", required=False, min_value=1,
                                 help_text="任职必填：派驻机构用户的账号 id")
    person_name = forms.CharField(label="拟任免人员", max_length=50)
    post = forms.CharField(label="职务", max_length=100)
    reason = forms.CharField(label="任免理由", widget=forms.Textarea(attrs={"rows": 3}))
    limit_days = forms.IntegerField(label="答复时限（工作日）", min_value=1, max_value=30, initial=5)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        org_id = getattr(user, "org_id", None)
        self.fields["agency"].queryset = Org.objects.filter(kind=OrgKind.STATIONED, is_active=True,
                                                            home_department_id=org_id)


class AssessmentForm(StyledForm):
    agency = forms.ModelChoiceField(label="派驻机构", queryset=Org.objects.none())
    scheme = forms.CharField(label="考核方案", max_length=150)
    period = forms.ChoiceField(label="考核周期", choices=AssessmentPeriod.choices)
    since = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Org.objects.filter(zone_id=zone_id, kind=OrgKind.STATIONED, is_active=True)
