"""Pages to pause, resume and extend any owner's clock: a module adds ``clock_urls(...)`` to its urls.py.

The owner is looked up among what the user may see (404 otherwise) before the permission is checked (403), so an
invisible owner answers exactly like a missing one; the clock must belong to that owner. GET shows the form, POST
performs the service and returns to the owner's page.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.clock import services
from kaifaqu.core.clock.api import owner_clocks
from kaifaqu.core.clock.models import PauseReason
from kaifaqu.core.web.forms import StyledForm
from kaifaqu.core.web.views import ServiceFormView


class PauseForm(StyledForm):
    reason = forms.ChoiceField(label="暂停原因", choices=PauseReason.choices)
    reason_text = forms.CharField(label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    expected_end = forms.DateField(label="预计恢复日期", required=False, widget=forms.DateInput)


class ResumeForm(StyledForm):
    pass


class ExtendForm(StyledForm):
    amount = forms.IntegerField(label="延长量（与时限同单位）", min_value=1)
    reason = forms.CharField(label="延期理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


ACTIONS = {
    "pause": ("暂停计时", PauseForm, lambda user, clock, d: services.pause(
        user, clock, reason=d["reason"], reason_text=d["reason_text"], expected_end=d["expected_end"]), "已暂停计时，书面告知书已生成。"),
    "resume": ("恢复计时", ResumeForm, lambda user, clock, d: services.resume(user, clock), "已恢复计时。"),
    "extend": ("延长时限", ExtendForm, lambda user, clock, d: services.extend(
        user, clock, amount=d["amount"], reason=d["reason"]), "时限已延长。"),
}


class ClockActionView(ServiceFormView):
    owner_model = None
    action = ""

    def check_permission(self):
        """The permission is checked in ``prepare``, after the owner is found among what the user may see."""

    def prepare(self):
        self.owner = get_visible_or_404(self.owner_model.objects.all(), self.request.user, pk=self.kwargs["pk"])
        if not scope_of(self.request.user).has(self.perm):
            raise PermissionDenied("您没有执行此操作的权限。")
        self.clock = get_object_or_404(owner_clocks(self.owner), pk=self.kwargs["clock_id"])
        label, self.form_class, self.run, self.success_message = ACTIONS[self.action]
        self.object = self.owner
        self.title = f"{label}：{self.owner}"

    def get_breadcrumbs(self):
        return ((str(self.owner), self.owner.get_absolute_url()),)

    def perform(self, form):
        self.run(self.request.user, self.clock, form.cleaned_data)
        return self.owner


def clock_urls(prefix: str, owner_model, perm: str, name: str):
    """URL patterns ``<prefix>/<pk>/clocks/<clock_id>/pause|resume|extend/`` named ``<name>-clock-<action>``."""
    return [path(f"{prefix}/<int:pk>/clocks/<int:clock_id>/{action}/",
                 ClockActionView.as_view(owner_model=owner_model, perm=perm, action=action),
                 name=f"{name}-clock-{action}") for action in ACTIONS]
