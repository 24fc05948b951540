"""Forms of the org pages. They turn posted text into values; the services validate and write.

Model validation is left to the services (``writes`` runs ``full_clean`` there and its messages come back onto the
form's fields), so a rule lives in one place for pages, API and importers alike.
"""

from django import forms
from django.db.models import Q

from kaifaqu.core.web.forms import StyledForm, StyledModelForm

from .models import Org, OrgKind, Park, PlaqueKind, PostKind, ReorgEvent, Staff, Zone
from .queries import COUNTED_KINDS


class ScopedChoicesMixin:
    """Forms whose choices depend on the zone set them after ``__init__``. The styling in ``__init__`` already
    validated a bound form (it reads ``errors``) against the default choices, so that result is dropped and
    computed again, against the zone's choices, when next asked for."""

    def choices_ready(self):
        self._errors = None


class ServiceModelForm(StyledModelForm):
    """A ModelForm that only parses input: no instance is built or validated here (services do that)."""

    def _post_clean(self):
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class VersionedMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ZoneForm(VersionedMixin, ServiceModelForm):
    class Meta:
        model = Zone
        fields = ["name", "short_name", "kind", "level", "province", "city", "county", "area_km2", "rank",
                  "established_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "established_on": forms.DateInput}


class ZoneCreateForm(ServiceModelForm):
    committee_name = forms.CharField(label="党工委（管委会）名称", max_length=150, required=False,
                                     help_text="留空则为“开发区名称+党工委（管委会）”；其余机构由开发区自行维护")

    class Meta:
        model = Zone
        fields = ["name", "code", "short_name", "kind", "level", "province", "city", "county", "area_km2", "rank",
                  "established_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "established_on": forms.DateInput}


class ParkForm(VersionedMixin, ServiceModelForm):
    class Meta:
        model = Park
        fields = ["name", "code", "area_km2", "leading_industries", "sort", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _org_label(org):
    return org.name if org.is_active else f"{org.name}（已撤销）"


class OrgForm(ScopedChoicesMixin, VersionedMixin, ServiceModelForm):
    class Meta:
        model = Org
        fields = ["kind", "name", "short_name", "code", "parent", "park", "home_department", "comprehensive", "rank",
                  "credit_code", "headcount_cap", "phone", "sort", "functions"]
        widgets = {"functions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, zone, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Org.objects.filter(zone=zone, is_active=True).exclude(kind__in=COUNTED_KINDS).order_by("sort", "id")
        if org is not None:
            parents = parents.exclude(pk=org.pk)
        self.fields["parent"].queryset = parents
        self.fields["park"].queryset = Park.objects.filter(zone=zone)
        self.fields["home_department"].queryset = Org.objects.filter(zone=zone, kind=OrgKind.CITY_DEPARTMENT)
        for name in ("parent", "home_department"):
            self.fields[name].label_from_instance = _org_label
        self.choices_ready()


class AbolishForm(VersionedMixin, StyledForm):
    date = forms.DateField(label="撤销日期", widget=forms.DateInput)
    reason = forms.CharField(label="撤销原因/依据", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class PlaqueForm(StyledForm):
    name = forms.CharField(label="牌子名称", max_length=150)
    kind = forms.ChoiceField(label="方式", choices=PlaqueKind.choices, initial=PlaqueKind.ATTACHED)
    since = forms.DateField(label="挂牌日期", required=False, widget=forms.DateInput)


class PlaqueRemoveForm(StyledForm):
    reason = forms.CharField(label="摘牌原因/依据", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class OrgHeadForm(StyledForm):
    head = forms.ModelChoiceField(label="负责人账号", queryset=None, required=False, empty_label="（不设）",
                                  help_text="本单位的一名用户；负责人可查看本单位人员的工资薪酬与个人手机。")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = org.users.filter(is_active=True).order_by("username")
        self._errors = None  # styled before the choices were set: validate again against them


class EstablishmentForm(StyledForm):
    kind = forms.ChoiceField(label="编制类型", choices=PostKind.choices)
    approved = forms.IntegerField(label="核定数", min_value=0, max_value=100000)
    document_no = forms.CharField(label="编办批文号", max_length=100,
                                  help_text="核定或调整编制所依据的机构编制部门批复文号，如：X编〔2021〕18号。")
    note = forms.CharField(label="备注", max_length=200, required=False)


class ReorgForm(ScopedChoicesMixin, ServiceModelForm):
    orgs = forms.ModelMultipleChoiceField(label="涉及机构", queryset=Org.objects.none(), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 10}),
                                          help_text="按住 Ctrl（或 ⌘）可多选。")

    class Meta:
        model = ReorgEvent
        fields = ["date", "kind", "title", "subject", "before_count", "after_count", "document_no", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "date": forms.DateInput}

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = self.fields["orgs"]
        orgs.queryset = Org.objects.filter(zone=zone).exclude(kind__in=COUNTED_KINDS).order_by("-is_active", "sort",
                                                                                               "id")
        orgs.label_from_instance = _org_label
        self.choices_ready()


class StaffForm(ScopedChoicesMixin, VersionedMixin, ServiceModelForm):
    class Meta:
        model = Staff
        fields = ["org", "staff_no", "name", "gender", "phone", "post_kind", "grade_on_file", "archive_salary",
                  "appointed_post", "actual_pay", "joined_on", "status"]
        widgets = {"joined_on": forms.DateInput}

    def __init__(self, *args, zone, staff=None, hidden=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in hidden:  # sensitive fields the user may not see (core.sensitive)
            self.fields.pop(name, None)
        offered = Q(is_active=True) & ~Q(kind__in=COUNTED_KINDS)
        if staff is not None:
            offered |= Q(pk=staff.org_id)  # the current unit stays selectable even if abolished since
        self.fields["org"].queryset = Org.objects.filter(offered, zone=zone).order_by("sort", "id")
        self.fields["org"].label_from_instance = _org_label
        self.fields["grade_on_file"].help_text = "身份/档案：原职务或职级，随档案管理。"
        self.fields["appointed_post"].help_text = "岗位：竞聘上岗后实际担任的岗位。"
        self.choices_ready()


class SecondmentForm(ScopedChoicesMixin, StyledForm):
    staff = forms.ModelChoiceField(label="人员", queryset=Staff.objects.none())
    host_org = forms.ModelChoiceField(label="挂职单位", queryset=Org.objects.none(), required=False,
                                      help_text="本开发区内的单位；区外单位请填写下一项。")
    host_name = forms.CharField(label="挂职单位（区外）", max_length=150, required=False)
    post = forms.CharField(label="挂职岗位", max_length=100)
    start = forms.DateField(label="开始日期", widget=forms.DateInput)
    end = forms.DateField(label="结束日期", widget=forms.DateInput, help_text="挂职一般为 1–2 年。")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, zone, staff_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs.filter(zone=zone).select_related("org")
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.staff_no}，{s.org.name}）"
        self.fields["host_org"].queryset = (Org.objects.filter(zone=zone, is_active=True)
                                            .exclude(kind__in=COUNTED_KINDS).order_by("sort", "id"))
        self.choices_ready()

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("staff")
        return data


class SecondmentEndForm(StyledForm):
    date = forms.DateField(label="提前结束日期", widget=forms.DateInput)
    reason = forms.CharField(label="原因", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
