"""Page forms of the whistle module (the services check the rules; these parse)."""

from django import forms
from django.apps import apps

from kaifaqu.core.tenancy import org_model
from kaifaqu.core.web.forms import StyledFormMixin

from .models import DEFAULT_MATTERS, UNIT_KINDS, WhistleKind


def zone_units(zone_id):
    return org_model().objects.filter(zone_id=zone_id, kind__in=UNIT_KINDS, is_active=True).order_by("kind", "sort",
                                                                                                    "id")


class BlowForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=WhistleKind.choices)
    title = forms.CharField(label="标题", max_length=200)
    description = forms.CharField(label="情况描述", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    matter = forms.ChoiceField(label="事项类别", choices=[(m, m) for m in DEFAULT_MATTERS])
    park = forms.ModelChoiceField(label="园区", queryset=None, required=False, empty_label="（不限园区）")
    place = forms.CharField(label="地点", max_length=200, required=False)
    lead = forms.ModelChoiceField(label="牵头单位", queryset=None, required=False,
                                  empty_label="（按责任清单建议）",
                                  help_text="不选时按责任清单（权责事项模块）为该事项与园区建议牵头单位。")
    supporters = forms.ModelMultipleChoiceField(label="配合单位", queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    attachment = forms.FileField(label="附件（照片或文件）", required=False)

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = apps.get_model("org", "Park").objects.filter(zone_id=zone_id)
        self.fields["lead"].queryset = zone_units(zone_id)
        self.fields["supporters"].queryset = zone_units(zone_id)


class PolicyForm(StyledFormMixin, forms.Form):
    report_in_limit = forms.IntegerField(label="报到时限", min_value=1)
    plan_limit = forms.IntegerField(label="提交方案时限（工作日）", min_value=1, required=False)
    solve_limit = forms.IntegerField(label="解决时限", min_value=1)
    supervise_after = forms.IntegerField(label="催办后转督办（工作日）", min_value=1)
    escalate_after = forms.IntegerField(label="督办后提交联席会议（工作日）", min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == WhistleKind.EMERGENCY:
            self.fields["report_in_limit"].label = "报到时限（分钟）"
            self.fields["solve_limit"].label = "解决时限（小时）"
            del self.fields["plan_limit"]
        else:
            self.fields["report_in_limit"].label = "报到时限（工作日）"
            self.fields["solve_limit"].label = "承诺解决日期最长（工作日）"


class ScoringForm(StyledFormMixin, forms.Form):
    basic_weight = forms.DecimalField(label="基本满意折算系数", min_value=0, max_value=1, decimal_places=2)
    w_response = forms.DecimalField(label="响应率权重", min_value=0, max_value=100, decimal_places=2)
    w_solve = forms.DecimalField(label="解决率权重", min_value=0, max_value=100, decimal_places=2)
    w_on_time = forms.DecimalField(label="按时办结率权重", min_value=0, max_value=100, decimal_places=2)
    w_satisfaction = forms.DecimalField(label="满意率权重", min_value=0, max_value=100, decimal_places=2)
    penalty_return = forms.DecimalField(label="回退率扣分系数", min_value=0, max_value=100, decimal_places=2)
    penalty_rework = forms.DecimalField(label="重办率扣分系数", min_value=0, max_value=100, decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="佐证材料")
