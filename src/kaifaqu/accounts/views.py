from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kaifaqu.core.errors import ServiceError

from . import services
from .forms import LoginForm, PasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a locked username tries again."""
    form = LoginForm(request)
    form.add_error(None, "该账号因连续 5 次登录失败已被锁定 30 分钟。请稍后再试，或联系安全管理员解锁。")
    if request.path.startswith("/api/"):
        from kaifaqu.core.api import json_error_response

        return json_error_response(403, "该账号因连续 5 次登录失败已被锁定 30 分钟。", code="account_locked")
    return render(request, "accounts/login.html", {"form": form, "locked": True}, status=403)


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
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {
        "form": form, "title": "修改密码", "forced": request.user.must_change_password,
    }, status=status)
