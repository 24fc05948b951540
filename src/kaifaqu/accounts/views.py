"""Login, password change, and the 三员 pages: the system administrator's user list and forms, the security
administrator's role/unlock list and forms, and the role matrix. Thin: read through ``visible_to``, write through
``services``; the permission is checked before any object is looked up (403 for the wrong role whether or not the
object exists, 404 for an object outside the administrator's zones)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView

from kaifaqu.core.access import get_visible_or_404, scope_of
from kaifaqu.core.errors import ServiceError
from kaifaqu.core.web.views import PermRequiredMixin, ScopedListView, ServiceFormView

from . import locks, services, two_factor
from .filters import SecurityUserFilter, UserFilter
from .forms import (
    AssignRoleForm,
    EnrolCodeForm,
    LoginForm,
    OtpCodeForm,
    PasswordChangeForm,
    ReasonForm,
    ResetPasswordForm,
    RoleEditForm,
    TwoFactorPolicyForm,
    UnlockForm,
    UserCreateForm,
    UserEditForm,
)
from .layouts import SECURITY_LAYOUT, SECURITY_TABLE, USER_LAYOUT, USER_TABLE
from .middleware import ENROLMENT_SESSION_KEY
from .models import User
from .roles import ADMIN_ONLY_PERMS, ADMIN_ROLES, MULTI_ZONE_ROLES, PERMISSIONS, ROLE_NOTES, Role, perms_for

PENDING_KEY = "otp_pending"  # the user who passed the password step and owes a second factor
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Password first. A user with an authenticator is not logged in yet: the session remembers them for five
    minutes and the second step (``login_verify``) calls ``login()`` once a code passes. A user whose role requires a
    second factor and who has none is logged in restricted to the enrolment page (TwoFactorEnrolmentMiddleware)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_two_factor(user):
            self.request.session.cycle_key()
            self.request.session[PENDING_KEY] = {
                "user": user.pk, "backend": user.backend, "at": timezone.now().timestamp(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:login-verify")
        response = super().form_valid(form)
        if two_factor.required_for(user):
            self.request.session[ENROLMENT_SESSION_KEY] = True
            return redirect("accounts:two-factor-enrol")
        return response


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or timezone.now().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).select_related("org").first()
    return user, pending


def login_verify(request):
    """第二步：动态口令、短信验证码或恢复码。Wrong codes count toward the username lock (5 → 30 minutes)."""
    user, pending = _pending_user(request)
    if user is None:
        messages.warning(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("login")
    form = OtpCodeForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    status, sms_error = 200, ""
    if request.method == "POST" and request.POST.get("action") == "sms":
        try:
            two_factor.do_send_sms_code(user)
        except ServiceError as exc:
            sms_error, status = exc.detail, exc.status
        else:
            messages.info(request, f"短信验证码已发送至尾号 {user.phone[-4:]} 的手机，{two_factor.SMS_CODE_MINUTES} 分钟内有效。")
            return redirect("accounts:login-verify")
    elif form.is_bound and form.is_valid():
        try:
            method = two_factor.verify(user, form.cleaned_data["code"], request)
        except ServiceError as exc:
            if exc.code == "account_locked" or getattr(request, "axes_locked_out", False):
                request.session.pop(PENDING_KEY, None)
                return lockout_response(request, None, {"username": user.username})
            form.add_error("code", exc.detail)
            status = 400
        else:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            if method == "recovery":
                left = two_factor.recovery_codes_left(user)
                messages.warning(request, f"您使用了一个恢复码，还剩 {left} 个。请尽快在“账号安全”中重新生成恢复码。")
            return redirect(pending.get("next") or reverse("home"))
    elif form.is_bound:
        status = 400
    return render(request, "accounts/login_verify.html", {
        "form": form, "title": "双因素认证", "pending_user": user, "sms": two_factor.sms_available(user),
        "sms_error": sms_error,
    }, status=status)


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
        return two_factor.annotate_two_factor(locks.annotate_lock_state(super().base_queryset()))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["locked_ids"] = {u.pk for u in ctx["object_list"] if locks.lock_state(u).locked}
        return ctx


class AccountsFormView(ServiceFormView):
    """A form about one user: permission first (the base's order), then the user within the administrator's scope
    (else 404)."""

    model = User
    template_name = "accounts/user_action.html"
    submit_label = "保存"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        qs = two_factor.annotate_two_factor(locks.annotate_lock_state(User.objects.select_related("org", "org__zone")))
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
        return {"role": u.role, "roles": list(u.roles or []),
                "extra_zones": list(u.extra_zones.values_list("pk", flat=True)), "version": u.version}

    def notice(self):
        labels = "、".join(Role(r).label for r in sorted(MULTI_ZONE_ROLES))
        return (f"一个账号有一个主角色，可兼任其他业务角色；三员角色不含业务权限，也不能兼任其他角色。"
                f"只有{labels}可以另外查看其他开发区。不能修改自己的角色。")

    def perform(self, form):
        data = form.cleaned_data
        return services.do_assign_role(self.request.user, self.object, role=data["role"],
                                       roles=list(data.get("roles") or []),
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
    """安全管理员: what each role may do now (the stored permission sets, RoleDefinition); business roles are edited
    on RoleEditView by the platform's security administrator."""

    perm = "security.manage"
    template_name = "accounts/role_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        roles = list(Role)
        held = {r: perms_for(r) for r in roles}
        may_edit = scope_of(self.request.user).org_id is None
        ctx.update(
            title="角色权限",
            breadcrumbs=(("角色权限", None),),
            roles=[{"value": r.value, "label": r.label, "admin": r in ADMIN_ROLES, "note": ROLE_NOTES.get(r, ""),
                    "editable": may_edit and r not in ADMIN_ROLES, "slug": r.value.replace("_", "-"),
                    "perms": [PERMISSIONS[p] for p in PERMISSIONS if p in held[r]]} for r in roles],
            matrix=[{"code": code, "label": label, "cells": [code in held[r] for r in roles]}
                    for code, label in PERMISSIONS.items()],
        )
        return ctx


class RoleEditView(PermRequiredMixin, TemplateView):
    """安全管理员（平台）: one business role's permission set, changed with a reason (audited)."""

    perm = "security.manage"
    template_name = "accounts/user_action.html"

    def prepare(self):
        role = self.kwargs["role"].replace("-", "_")  # the address spells zone_leader as zone-leader
        if role not in Role.values or role in ADMIN_ROLES:
            raise Http404("未找到该角色。")
        self.role = Role(role)

    def choices(self):
        return [(code, label) for code, label in PERMISSIONS.items() if code not in ADMIN_ONLY_PERMS]

    def render_form(self, form, status=200):
        from .models import RoleDefinition

        row = RoleDefinition.objects.filter(role=self.role).first()
        ctx = self.get_context_data(
            form=form, title=f"修改角色权限：{self.role.label}", submit_label="保存",
            notice="业务角色的权限集合由安全管理员维护，修改须填写原因并记入审计日志；业务角色不能包含三员权限。"
                   + (f"上次修改：{row.reason}" if row and row.reason else ""),
            breadcrumbs=(("角色权限", reverse("accounts:role-list")), (self.role.label, None)))
        return self.render_to_response(ctx, status=status)

    def get(self, request, *args, **kwargs):
        from .models import RoleDefinition

        row = RoleDefinition.objects.filter(role=self.role).first()
        form = RoleEditForm(choices=self.choices(), initial={
            "permissions": sorted(perms_for(self.role)), "version": row.version if row else None})
        return self.render_form(form)

    def post(self, request, *args, **kwargs):
        form = RoleEditForm(request.POST, choices=self.choices())
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        try:
            services.do_update_role(request.user, self.role.value, permissions=data["permissions"],
                                    reason=data["reason"], version=data.get("version"))
        except ServiceError as exc:
            if exc.fields:
                _form_errors(form, exc)
            else:
                form.add_error(None, exc.detail)
            return self.render_form(form, status=exc.status)
        messages.success(request, f"已修改角色“{self.role.label}”的权限。")
        return redirect("accounts:role-list")


# 双因素认证：本人 ---------------------------------------------------------------------------------------------------

def _form_errors(form, exc):
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.detail)


@login_required
def my_security(request):
    """账号安全: the user's own second factor — state, recovery codes, disable (where the policy allows)."""
    user = request.user
    device = two_factor.active_device(user)
    regen_form = OtpCodeForm(prefix="regen")
    disable_form = OtpCodeForm(prefix="disable")
    status = 200
    if request.method == "POST" and device is not None:
        action = request.POST.get("action")
        form = None
        if action == "regen":
            form = regen_form = OtpCodeForm(request.POST, prefix="regen")
        elif action == "disable":
            form = disable_form = OtpCodeForm(request.POST, prefix="disable")
        if form is not None and form.is_valid():
            try:
                if action == "regen":
                    codes = two_factor.do_regenerate_recovery_codes(user, form.cleaned_data["code"], request)
                    return render(request, "accounts/recovery_codes.html", {
                        "title": "恢复码", "codes": codes, "regenerated": True})
                two_factor.do_disable(user, form.cleaned_data["code"], request)
            except ServiceError as exc:
                if exc.code == "account_locked" or getattr(request, "axes_locked_out", False):
                    return lockout_response(request, None, {"username": user.username})
                _form_errors(form, exc)
                status = exc.status if exc.status != 401 else 400
            else:
                messages.success(request, "已停用双因素认证。")
                return redirect("accounts:my-security")
        else:
            status = 400
    return render(request, "accounts/my_security.html", {
        "title": "账号安全", "device": device, "required": two_factor.required_for(user),
        "recovery_left": two_factor.recovery_codes_left(user) if device else 0,
        "regen_form": regen_form, "disable_form": disable_form, "algorithm": two_factor.algorithm(),
    }, status=status)


@login_required
def two_factor_enrol(request):
    """绑定动态口令: QR code (rendered here, inline SVG) and the secret to type by hand; the first correct code
    activates it and the ten recovery codes are shown once."""
    user = request.user
    if two_factor.has_two_factor(user):
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        messages.info(request, "您已启用双因素认证。")
        return redirect("accounts:my-security")
    form = EnrolCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = two_factor.do_confirm_enrolment(user, form.cleaned_data["code"])
            except ServiceError as exc:
                _form_errors(form, exc)
                status = 400
            else:
                request.session.pop(ENROLMENT_SESSION_KEY, None)
                return render(request, "accounts/recovery_codes.html", {"title": "恢复码", "codes": codes})
        else:
            status = 400
    enrolment = two_factor.do_start_enrolment(user)
    return render(request, "accounts/two_factor_enrol.html", {
        "title": "绑定双因素认证", "form": form, "enrolment": enrolment,
        "forced": bool(request.session.get(ENROLMENT_SESSION_KEY)), "algorithm": enrolment.device.algorithm,
    }, status=status)


# 双因素认证：安全管理员 ---------------------------------------------------------------------------------------------

class TwoFactorPolicyView(PermRequiredMixin, TemplateView):
    """安全管理员: which roles must use a second factor."""

    perm = "security.manage"
    template_name = "accounts/two_factor_policy.html"

    def render_page(self, form, status=200):
        return self.render_to_response({
            "title": "双因素认证策略", "breadcrumbs": (("双因素认证策略", None),), "form": form,
            "defaults": [Role(r).label for r in Role if r in two_factor.DEFAULT_REQUIRED],
            "algorithm": two_factor.algorithm(),
        }, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(TwoFactorPolicyForm(table=two_factor.policy_table()))

    def post(self, request, *args, **kwargs):
        form = TwoFactorPolicyForm(request.POST, table=two_factor.policy_table())
        if form.is_valid():
            try:
                two_factor.do_set_policy(request.user, form.required_map(), reason=form.cleaned_data["reason"])
            except ServiceError as exc:
                _form_errors(form, exc)
                return self.render_page(form, status=exc.status)
            messages.success(request, "双因素认证策略已保存。要求启用的角色，用户下次登录时须先完成绑定。")
            return redirect("accounts:two-factor-policy")
        return self.render_page(form, status=400)


class ResetTwoFactorView(AccountsFormView):
    perm = "security.manage"
    form_class = ReasonForm
    submit_label = "重置双因素认证"
    success_message = "已重置该用户的双因素认证。用户下次登录时须重新绑定（其角色要求时）。"

    @property
    def title(self):
        return f"重置双因素认证：{self.object}"

    def get_breadcrumbs(self):
        return (_security_crumb(), (str(self.object), None), ("重置双因素认证", None))

    def notice(self):
        return "重置将删除该用户的验证器绑定和恢复码，并吊销其双因素签发的 API 令牌。任何管理员都看不到用户的密钥。"

    def perform(self, form):
        return two_factor.do_reset(self.request.user, self.object, reason=form.cleaned_data["reason"])

    def success_url(self, obj):
        return reverse("accounts:security-user-list")
