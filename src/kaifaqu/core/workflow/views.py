"""Pages of workflows: the POST-only action view, the action form, and the timeline of a case.

A module routes one ``ActionView`` per workflow (``url_name`` of the workflow, kwargs ``pk`` and ``action``)::

    path("tickets/<int:pk>/do/<slug:action>/", ActionView.as_view(workflow=TICKET), name="ticket-action")

and its detail template shows ``{% load workflow %}{% workflow_actions object as actions %}`` with
``core/_action_button.html`` for each, and ``{% timeline object %}``.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.web.forms import StyledFormMixin
from kaifaqu.core.web.views import ServiceFormView

from .engine import MAX_NOTE, get


class ActionFormBase(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_NOTE, required=False)

    def __init__(self, *args, spec=None, **kwargs):
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        note.label = spec.reason_label
        note.required = spec.reason_required
        note.error_messages = {**note.error_messages, "required": f"请填写{spec.reason_label}。",
                               "max_length": f"{spec.reason_label}不能超过 {MAX_NOTE} 字。"}


def action_form_class(spec):
    """The page form of one action: hidden version, the note, and the action's own payload fields (``form``)."""
    if spec.form is None:
        return ActionFormBase
    return type(f"{spec.form.__name__}Action", (ActionFormBase, spec.form), {})


def payload_of(spec, cleaned_data) -> dict | None:
    if spec.form is None:
        return None
    return {name: cleaned_data.get(name) for name in spec.form.base_fields}


def action_form(workflow, obj, name, data=None):
    spec = workflow.actions[name]
    return action_form_class(spec)(data, spec=spec, initial={"version": obj.version}, auto_id=f"id_{name}_%s")


class ActionView(ServiceFormView):
    """POST only (GET answers 405). The object must be visible (else 404) before the action's permission and rule
    are checked (else 403), so a user who may not act learns nothing about objects they cannot see. A valid form
    performs the action and redirects to the object's page with a message; refusals land on the form in Chinese."""

    workflow = None
    http_method_names = ["post"]
    template_name = "core/workflow_action.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check_permission(self):
        """The action's permission and rule need the object: ``prepare`` checks them after the lookup."""

    def prepare(self):
        self.action_name = self.kwargs["action"]
        self.spec = self.workflow.actions.get(self.action_name)
        if self.spec is None:
            raise Http404("未找到该操作。")
        self.object = get_visible_or_404(self.workflow.model.objects.all(), self.request.user, pk=self.kwargs["pk"])
        refusal = self.workflow.refusal(self.request.user, self.object, self.action_name)
        if refusal:
            raise PermissionDenied(refusal)
        self.title = f"{self.spec.label}：{self.object}"
        self.success_message = f"已{self.spec.label}。"

    def form_class(self, *args, **kwargs):
        return action_form_class(self.spec)(*args, spec=self.spec, auto_id=f"id_{self.action_name}_%s", **kwargs)

    def get_initial(self):
        return {"version": self.object.version}

    def get_breadcrumbs(self):
        return ((str(self.object), self.object.get_absolute_url()), (self.spec.label, None))

    def perform(self, form):
        data = form.cleaned_data
        return self.workflow.perform(self.request.user, self.object, self.action_name, version=data.get("version"),
                                     note=data.get("note", ""), payload=payload_of(self.spec, data))

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {
            "form": form, "title": self.title, "breadcrumbs": self.get_breadcrumbs(), "object": self.object,
            "action": self.spec, "action_url": self.request.path, "cancel_url": self.object.get_absolute_url(),
            "state_label": self.workflow.state_label(getattr(self.object, self.workflow.state_field)),
        }, status=status)


def choices_for(user, obj):
    """The actions ``user`` may perform on ``obj`` now, each with its page form (for the buttons)."""
    workflow = get(obj._meta.label_lower)
    return [_with_form(workflow, obj, c) for c in workflow.choices(user, obj)]


def _with_form(workflow, obj, choice):
    from dataclasses import replace

    return replace(choice, form=action_form(workflow, obj, choice.name))


def timeline_context(user, obj, now=None) -> dict:
    """What ``core/_timeline.html`` shows: process events, the object's clocks with their status, its attachments,
    and the link to its audit trail for those who hold ``audit.view``."""
    from kaifaqu.core import files
    from kaifaqu.core.clock.models import DeadlineClock

    workflow = get(obj._meta.label_lower)
    clocks = (DeadlineClock.objects.visible_to(user).with_status(now or timezone.now())
              .filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
              .order_by("started_at", "id"))
    audit_url = ""
    if scope_of(user).has("audit.view"):
        audit_url = f"{reverse('core:audit-list')}?object_type={obj._meta.label_lower}&object_id={obj.pk}"
    return {
        "object": obj,
        "events": list(workflow.events_of(obj)),
        "clocks": list(clocks),
        "attachments": list(files.for_object(user, obj)),
        "audit_url": audit_url,
    }
