"""Login, password change, and the 三员 pages: the system administrator's user list and forms, the security
administrator's role/unlock list and forms, and the role matrix. Thin: read through ``visible_to``, write through
``services``; the permission is checked before any object is looked up (403 for the wrong role whether or not the
object exists, 404 for an object outside the administrator's zones)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.views import PermRequiredMixin, ScopedListView, ServiceFormView

from . import locks, services
from .filters import SecurityUserFilter, UserFilter
from .forms import (
    AssignRoleForm,
    LoginForm,
    PasswordChangeForm,
    ResetPasswordForm,
    UnlockForm,
    UserCreateForm,
    UserEditForm,
)
from .layouts import SECURITY_LAYOUT, SECURITY_TABLE, USER_LAYOUT, USER_TABLE
from .models import User
from .roles import ADMIN_ROLES, MULTI_ZONE_ROLES, PERMISSIONS, ROLE_NOTES, ROLE_PERMISSIONS, Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes (AxesMiddleware) answers with this when a login locks the username or is tried while locked.
    Axes calls it as (request, original_response, credentials), older versions as (request, credentials)."""
    if isinstance(original_response, dict) and credentials is None:
        original_response, credentials = None, original_response
    if request.path.startswith("/api/"):
        from kaifaqu.core.api import json_error_response

        return json_error_response(403, locks.lock_message(), code="account_locked")
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    return render(request, "accounts/login.html", {"form": form, "locked": True, "lock_message": locks.lock_message(),
                                                   "title": "登录"}, status=403)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_change_own_password(request.user, old_password=form.cleaned_data["old_password"],
                                            new_password=form.cleaned_data["new_password1"])
        except ServiceError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.detail)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {
        "form": form, "title": "修改密码", "forced": request.user.must_change_password,
    }, status=status)


# 三员 pages ------------------------------------------------------------------------------------------------------

def _users_crumb():
    return ("用户管理", reverse("accounts:user-list"))


def _security_crumb():
    return ("角色分配与解锁", reverse("accounts:security-user-list"))


class UserListBase(ScopedListView):
    model = User
    template_name = "accounts/user_list.html"
    link_first_column = False
    select_related = ("org", "org__zone")
    actions = ""  # which row actions the template shows: "sys" or "sec"
    extra_columns = 1

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(actions=self.actions, me=self.request.user.pk, admin_roles=ADMIN_ROLES)
        return ctx


class UserListView(UserListBase):
    """系统管理员: the users of their zones (a platform administrator: all users)."""

    perm = "user.manage"
    filterset_class = UserFilter
    table = USER_TABLE
    export_layout = USER_LAYOUT
    title = "用户管理"
    breadcrumbs = (("用户管理", None),)
    create_url = reverse_lazy("accounts:user-create")
    create_perm = "user.manage"
    actions = "sys"


class SecurityUserListView(UserListBase):
    """安全管理员: the same users with role, lock state, last login and failures."""

    perm = "security.manage"
    filterset_class = SecurityUserFilter
    table = SECURITY_TABLE
    export_layout = SECURITY_LAYOUT
    title = "角色分配与解锁"
    breadcrumbs = (("角色分配与解锁", None),)
    prefetch_related = ("extra_zones",)
    actions = "sec"

    def base_queryset(self):
        return locks.annotate_lock_state(super().base_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["locked_ids"] = {u.pk for u in ctx["object_list"] if locks.lock_state(u).locked}
        return ctx


class AccountsFormView(ServiceFormView):
    """A form about one user: permission first, then the user within the administrator's scope (else 404)."""

    model = User
    template_name = "accounts/user_action.html"
    submit_label = "保存"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.perm and not scope_of(request.user).has(self.perm):
            raise PermissionDenied("您没有访问此页面的权限。")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        qs = locks.annotate_lock_state(User.objects.select_related("org", "org__zone"))
        return get_visible_or_404(qs, self.request.user, pk=self.kwargs["pk"])

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {
            "form": form, "title": self.title, "breadcrumbs": self.get_breadcrumbs(), "object": self.object,
            "lock": locks.lock_state(self.object) if self.object is not None else None,
            "notice": self.notice(), "submit_label": self.submit_label,
        }, status=status)

    def notice(self):
        return ""


class UserCreateView(AccountsFormView):
    perm = "user.manage"
    form_class = UserCreateForm
    title = "新建用户"
    submit_label = "创建"
    success_message = "用户已创建。请将初始密码告知本人，首次登录须修改；角色由安全管理员分配。"

    def get_breadcrumbs(self):
        return (_users_crumb(), ("新建用户", None))

    def get_form_kwargs(self):
        return {"actor": self.request.user}

    def notice(self):
        return "新用户没有角色，登录后只能修改密码；请通知安全管理员分配角色。"

    def perform(self, form):
        data = form.cleaned_data
        return services.do_create_user(
            self.request.user, username=data["username"], password=data["password"], name=data["name"],
            org=data["org"], phone=data["phone"], email=data["email"], must_change_password=True)

    def success_url(self, obj):
        return f"{reverse('accounts:user-list')}?{urlencode({'q': obj.username})}"


class UserEditView(AccountsFormView):
    perm = "user.manage"
    form_class = UserEditForm
    success_message = "用户信息已保存。"

    @property
    def title(self):
        return f"编辑用户：{self.object}"

    def get_breadcrumbs(self):
        return (_users_crumb(), (str(self.object), None))

    def get_form_kwargs(self):
        return {"actor": self.request.user, "user": self.object}

    def get_initial(self):
        u = self.object
        return {"name": u.name, "org": u.org_id, "phone": u.phone, "email": u.email, "is_active": u.is_active,
                "version": u.version}

    def perform(self, form):
        return services.do_update_user(self.request.user, self.object, version=form.cleaned_data.get("version"),
                                       **form.changes())

    def success_url(self, obj):
        return reverse("accounts:user-list")


class UserResetPasswordView(AccountsFormView):
    perm = "user.manage"
    form_class = ResetPasswordForm
    submit_label = "重置密码"
    success_message = "密码已重置。请将临时密码告知本人，下次登录时须修改。"

    @property
    def title(self):
        return f"重置密码：{self.object}"

    def get_breadcrumbs(self):
        return (_users_crumb(), (str(self.object), None), ("重置密码", None))

    def notice(self):
        return "重置后该用户的 API 令牌全部失效，下次登录必须修改密码。"

    def perform(self, form):
        return services.do_reset_password(self.request.user, self.object, password=form.cleaned_data["password"])

    def success_url(self, obj):
        return reverse("accounts:user-list")


class AssignRoleView(AccountsFormView):
    perm = "security.manage"
    form_class = AssignRoleForm
    submit_label = "分配角色"
    success_message = "角色已分配。"

    @property
    def title(self):
        return f"分配角色：{self.object}"

    def get_breadcrumbs(self):
        return (_security_crumb(), (str(self.object), None), ("分配角色", None))

    def get_form_kwargs(self):
        return {"actor": self.request.user}

    def get_initial(self):
        u = self.object
        return {"role": u.role, "extra_zones": list(u.extra_zones.values_list("pk", flat=True)),
                "version": u.version}

    def notice(self):
        labels = "、".join(Role(r).label for r in sorted(MULTI_ZONE_ROLES))
        return (f"每个账号只有一个角色；三员角色不含业务权限。只有{labels}可以另外查看其他开发区。"
                "不能修改自己的角色。")

    def perform(self, form):
        data = form.cleaned_data
        return services.do_assign_role(self.request.user, self.object, role=data["role"],
                                       extra_zones=list(data["extra_zones"]), reason=data["reason"],
                                       version=data.get("version"))

    def success_url(self, obj):
        return reverse("accounts:security-user-list")


class UnlockView(AccountsFormView):
    perm = "security.manage"
    form_class = UnlockForm
    submit_label = "解锁"
    success_message = "账号已解锁。"

    @property
    def title(self):
        return f"解锁账号：{self.object}"

    def get_breadcrumbs(self):
        return (_security_crumb(), (str(self.object), None), ("解锁", None))

    def perform(self, form):
        return services.do_unlock(self.request.user, self.object, reason=form.cleaned_data["reason"])

    def success_url(self, obj):
        return reverse("accounts:security-user-list")


class RoleListView(PermRequiredMixin, TemplateView):
    """安全管理员: what each role may do (read-only; the table lives in roles.py)."""

    perm = "security.manage"
    template_name = "accounts/role_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        roles = list(Role)
        ctx.update(
            title="角色权限",
            breadcrumbs=(("角色权限", None),),
            roles=[{"value": r.value, "label": r.label, "admin": r in ADMIN_ROLES, "note": ROLE_NOTES.get(r, ""),
                    "perms": [PERMISSIONS[p] for p in sorted(ROLE_PERMISSIONS.get(r, ()))]} for r in roles],
            matrix=[{"code": code, "label": label,
                     "cells": [code in ROLE_PERMISSIONS.get(r, ()) for r in roles]}
                    for code, label in PERMISSIONS.items()],
        )
        return ctx
