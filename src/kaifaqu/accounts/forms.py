from django import forms
from django.contrib.auth.forms import AuthenticationForm

from kaifaqu.core.web.forms import StyledForm, StyledFormMixin, style_fields

from .models import User
from .roles import ADMIN_ROLES, Role
from .validators import ComplexityValidator


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败 5 次将锁定账号 30 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text="至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不能包含用户名。")
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


POLICY_HELP = ComplexityValidator().get_help_text()

# Related models reached through the user's own foreign keys (accounts already depends on org there).
Org = User._meta.get_field("org").related_model
Zone = User._meta.get_field("extra_zones").related_model


def _choices_ready(form):
    """core's StyledFormMixin styles a bound form in ``__init__`` by reading ``errors``, which validates it against
    the default choices before ours are set; drop that result so it is computed again against our choices."""
    form._errors = None


def _org_label(org):
    return f"{org.zone.name} · {org.name}"


class _PasswordPairMixin(forms.Form):
    """Two password fields that must agree; the policy itself is checked by the service (one place for all)."""

    password = forms.CharField(label="初始密码", help_text=POLICY_HELP, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="确认密码", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class _UserFieldsMixin(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    org = forms.ModelChoiceField(label="所在单位", queryset=Org.objects.none(), required=False,
                                 help_text="业务用户必须选择单位；平台级的三员账号可不选。")
    phone = forms.CharField(label="手机", max_length=20, required=False)
    email = forms.EmailField(label="邮箱", required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Org.objects.visible_to(actor).filter(is_active=True).select_related("zone").order_by("zone_id", "sort",
                                                                                                   "id")
        self.fields["org"].queryset = orgs
        self.fields["org"].label_from_instance = _org_label
        self.fields["org"].empty_label = "（不属于任何单位）"
        if getattr(actor, "org_id", None):
            self.fields["org"].required = True
            self.fields["org"].help_text = ""
        _choices_ready(self)


class UserCreateForm(_UserFieldsMixin, _PasswordPairMixin, StyledForm):
    """No role here: the security administrator assigns roles (三员)."""

    username = forms.CharField(label="用户名", max_length=150, help_text="字母、数字和 @ . + - _，登录时使用，创建后不可修改。")
    field_order = ["username", "name", "org", "phone", "email", "password", "password2"]


class UserEditForm(_UserFieldsMixin, StyledForm):
    is_active = forms.BooleanField(label="启用（取消勾选则停用该账号，停用后不能登录）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.org_id and not self.fields["org"].queryset.filter(pk=user.org_id).exists():
            # Keep the current (possibly abolished) organisation selectable so an edit does not move the user.
            self.fields["org"].queryset = Org.objects.filter(pk=user.org_id) | self.fields["org"].queryset
            _choices_ready(self)

    def changes(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "org", "phone", "email", "is_active")}


class ResetPasswordForm(_PasswordPairMixin, StyledForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "临时密码"
        self.fields["password"].help_text = POLICY_HELP + "用户下次登录时必须修改。"


class AssignRoleForm(StyledForm):
    role = forms.ChoiceField(label="主角色", choices=Role.choices)
    roles = forms.MultipleChoiceField(
        label="兼任角色", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES],
        help_text="如部门工作人员兼任窗口人员。三员角色（系统、安全、审计管理员）不能兼任其他角色。")
    extra_zones = forms.ModelMultipleChoiceField(
        label="可查看的其他开发区", queryset=Zone.objects.none(), required=False,
        help_text="仅市领导、市直部门工作人员可查看本单位所在开发区以外的开发区。")
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="如：依据某某文件、岗位调整。记入审计日志。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # The security administrator has no business permission (so Zone.visible_to gives nothing): the choice is
        # the zones of their own scope.
        self.fields["extra_zones"].queryset = Zone.objects.filter(pk__in=actor.scope.zone_ids).order_by("code")
        _choices_ready(self)


class RoleEditForm(StyledForm):
    permissions = forms.MultipleChoiceField(label="权限", required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="修改原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="如：依据某某文件调整岗位职责。记入审计日志。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = list(choices)
        _choices_ready(self)


class UnlockForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="如：已电话核实为本人操作。记入审计日志。")


class OtpCodeForm(StyledForm):
    code = forms.CharField(label="验证码", max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}),
                           help_text="输入手机验证器（身份验证器 App）当前显示的 6 位数字；手机不在身边时可输入一个恢复码。")


class EnrolCodeForm(StyledForm):
    code = forms.CharField(label="验证码", max_length=6, min_length=6, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
                           help_text="扫码后输入验证器显示的 6 位数字，验证通过后才会启用。")


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="如：本人手机丢失，已电话核实身份。记入审计日志。")


class TwoFactorPolicyForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如：依据等保测评整改意见。记入审计日志。")

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for role, required in table.items():
            fields[f"role_{role.value}"] = forms.BooleanField(label=role.label, required=False, initial=required)
        self.fields = {**fields, "reason": self.fields["reason"]}
        _choices_ready(self)
        style_fields(self)

    def required_map(self) -> dict:
        return {name[5:]: value for name, value in self.cleaned_data.items() if name.startswith("role_")}
