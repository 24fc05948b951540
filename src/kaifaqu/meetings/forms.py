"""Page forms of the meetings module (the services check the rules; these parse)."""

from django import forms

from kaifaqu.core.tenancy import org_model
from kaifaqu.core.web.forms import StyledFormMixin, style_fields

from .models import UNIT_KINDS, AttendanceRole, MeetingKind


def zone_units(zone_id):
    return org_model().objects.filter(zone_id=zone_id, kind__in=UNIT_KINDS, is_active=True).order_by(
        "kind", "sort", "id")


class ScheduleForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="会议类别", choices=MeetingKind.choices)
    title = forms.CharField(label="会议名称", max_length=200)
    starts_at = forms.DateTimeField(label="会议时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                             format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="会议地点", max_length=200)
    convener_name = forms.CharField(label="主持人/召集人", max_length=100, required=False,
                                    help_text="不填则为联席会议召集人。")
    recorder = forms.CharField(label="记录人", max_length=100, required=False)


class BodyForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    convener_name = forms.CharField(label="召集人", max_length=100)
    convener_title = forms.CharField(label="召集人职务", max_length=100, required=False)
    convener = forms.ModelChoiceField(label="召集人账号（市领导）", queryset=None, required=False,
                                      empty_label="（不关联账号）")
    duties = forms.CharField(label="工作规则", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                             required=False)
    members = forms.ModelMultipleChoiceField(label="成员单位", queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["convener"].queryset = get_user_model().objects.filter(
            role="city_leader", is_active=True).order_by("username")
        self.fields["members"].queryset = zone_units(zone_id)


class AgendaForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="议题", max_length=300)
    description = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                  required=False)
    presenter = forms.ModelChoiceField(label="汇报单位", queryset=None, required=False, empty_label="（无）")

    def __init__(self, *args, zone_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = zone_units(zone_id)


class DecisionForm(StyledFormMixin, forms.Form):
    content = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    owner = forms.ModelChoiceField(label="责任单位", queryset=None)
    due_date = forms.DateField(label="办结期限（工作日）")
    agenda_item = forms.ModelChoiceField(label="所属议题", queryset=None, required=False, empty_label="（不限）")

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = zone_units(meeting.zone_id)
        self.fields["agenda_item"].queryset = meeting.agenda.filter(withdrawn=False).order_by("seq")


class AttendanceForm(StyledFormMixin, forms.Form):
    """One row per invited unit or person (present, who came, why absent), and a row to invite one more."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    extra_org = forms.ModelChoiceField(label="增加列席单位", queryset=None, required=False, empty_label="（无）")
    extra_person = forms.CharField(label="增加参会人（无单位）", max_length=100, required=False)

    def __init__(self, *args, meeting=None, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for a in self.rows:
            self.fields[f"present_{a.pk}"] = forms.BooleanField(label="出席", required=False, initial=a.present)
            self.fields[f"person_{a.pk}"] = forms.CharField(label="参会人", max_length=100, required=False,
                                                            initial=a.person)
            self.fields[f"note_{a.pk}"] = forms.CharField(label="说明（如请假事由）", max_length=200, required=False,
                                                          initial=a.note)
        self.fields["extra_org"].queryset = zone_units(meeting.zone_id)
        self.fields["extra_org"].widget.attrs["data-testid"] = "extra-org"
        style_fields(self)  # again: the row fields were added after the mixin styled the form
        self.row_fields = [(a, self[f"present_{a.pk}"], self[f"person_{a.pk}"], self[f"note_{a.pk}"])
                           for a in self.rows]

    def payload(self):
        d = self.cleaned_data
        rows = []
        for a in self.rows:
            person = (d.get(f"person_{a.pk}") or "") if a.org_id else a.person  # a person's row is keyed by name
            rows.append({"org": a.org, "person": person,
                         "present": d.get(f"present_{a.pk}", False), "note": d.get(f"note_{a.pk}") or "",
                         "role": a.role})
        if d.get("extra_org"):
            rows.append({"org": d["extra_org"], "person": "", "present": True, "note": "",
                         "role": AttendanceRole.INVITED})
        if d.get("extra_person"):
            rows.append({"org": None, "person": d["extra_person"], "present": True, "note": "",
                         "role": AttendanceRole.INVITED})
        return rows
