from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaifaqu.core import webhooks
from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.tabular import Column, Layout
from kaifaqu.core.tenancy import org_model
from kaifaqu.core.web.forms import StyledForm
from kaifaqu.core.web.views import ScopedDetailView, ScopedListView, ServiceFormView
from kaifaqu.core.webhooks.models import Webhook

WEBHOOK_LAYOUT = Layout("webhooks", "Webhook", (
    Column("单位", "org_name", width=30),
    Column("接收地址", "url", width=40),
    Column("启用", "is_active", "bool", width=8),
    Column("创建时间", "created_at", "datetime", width=20),
))


class WebhookListView(ScopedListView):
    model = Webhook
    perm = "org.view"
    table = WEBHOOK_LAYOUT
    title = "Webhook 接口"
    breadcrumbs = (("Webhook 接口", None),)
    create_perm = "webhooks.manage"

    def get_context_data(self, **kwargs):
        self.create_url = reverse("core:webhook-create")
        return super().get_context_data(**kwargs)


class WebhookDetailView(ScopedDetailView):
    model = Webhook
    perm = "org.view"
    template_name = "core/webhook_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=str(self.object), breadcrumbs=(("Webhook 接口", reverse("core:webhook-list")),
                                                        (self.object.org_name, None)),
                   deliveries=self.object.deliveries.all()[:50],
                   can_change=scope_of(self.request.user).has("webhooks.manage"),
                   secret=self.request.session.pop(f"webhook-secret-{self.object.pk}", None))
        return ctx


class WebhookForm(StyledForm):
    org = forms.ModelChoiceField(label="单位", queryset=None)
    url = forms.URLField(label="接收地址", max_length=300, assume_scheme="https",
                         help_text="平台向该地址 POST JSON，请求头 X-Kaifaqu-Signature 为 HMAC-SHA256 签名。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_model().objects.visible_to(user).filter(is_active=True).order_by("zone_id", "sort")


class WebhookCreateView(ServiceFormView):
    perm = "webhooks.manage"
    model = Webhook
    form_class = WebhookForm
    title = "新增 Webhook"
    breadcrumbs = (("Webhook 接口", "/core/webhooks/"), ("新增", None))
    success_message = "已创建 Webhook。签名密钥只显示这一次，请妥善保存。"

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        webhook, secret = webhooks.do_create_webhook(self.request.user, form.cleaned_data["org"],
                                                     url=form.cleaned_data["url"])
        self.request.session[f"webhook-secret-{webhook.pk}"] = secret
        return webhook


@require_POST
def toggle(request, pk):
    if not request.user.is_authenticated:
        return redirect("login")
    webhook = get_visible_or_404(Webhook.objects.all(), request.user, pk=pk)
    try:
        webhooks.do_set_active(request.user, webhook, active=not webhook.is_active)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.detail) from exc
        messages.error(request, exc.detail)
    else:
        messages.success(request, "已启用。" if webhook.is_active else "已停用。")
    return redirect(webhook.get_absolute_url())


toggle.model = Webhook
