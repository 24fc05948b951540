from django.urls import path

from . import views

urlpatterns = [
    path("password/change/", views.password_change, name="password-change"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("me/security/", views.my_security, name="my-security"),
    path("me/two-factor/enrol/", views.two_factor_enrol, name="two-factor-enrol"),
    # 系统管理员
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user-edit"),
    path("users/<int:pk>/reset-password/", views.UserResetPasswordView.as_view(), name="user-reset-password"),
    # 安全管理员
    path("security/users/", views.SecurityUserListView.as_view(), name="security-user-list"),
    path("security/users/<int:pk>/role/", views.AssignRoleView.as_view(), name="user-assign-role"),
    path("security/users/<int:pk>/unlock/", views.UnlockView.as_view(), name="user-unlock"),
    path("security/users/<int:pk>/reset-two-factor/", views.ResetTwoFactorView.as_view(), name="user-reset-two-factor"),
    path("security/roles/", views.RoleListView.as_view(), name="role-list"),
    path("security/roles/<slug:role>/edit/", views.RoleEditView.as_view(), name="role-edit"),
    path("security/two-factor/", views.TwoFactorPolicyView.as_view(), name="two-factor-policy"),
]
