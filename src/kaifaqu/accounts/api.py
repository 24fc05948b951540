from axes.exceptions import AxesBackendPermissionDenied
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core.api import CreateMixin, PatchMixin, ServiceViewSet, StrictSerializer, VisibleRelatedField
from kaifaqu.core.errors import Forbidden, InvalidInput

from . import locks, services, two_factor
from .filters import SecurityUserFilter
from .models import ApiToken, User
from .roles import Role


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=256, style={"input_type": "password"})
    otp = serializers.CharField(label="动态口令", max_length=20, required=False, allow_blank=True,
                                help_text="已启用双因素认证的用户必填：验证器当前的 6 位数字，或一个恢复码。")


TokenResponse = inline_serializer("TokenResponse", {
    "token": serializers.CharField(), "expires_at": serializers.DateTimeField(),
    "username": serializers.CharField(), "role": serializers.CharField(), "two_factor": serializers.BooleanField(),
})


class TokenView(APIView):
    """Issue (POST) or revoke (DELETE) an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []  # a token request is authenticated by its body only (no CSRF/session)

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponse}, auth=[], summary="获取 API 令牌")
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(request._request, username=data.validated_data["username"],
                                password=data.validated_data["password"])
        except AxesBackendPermissionDenied:
            raise Forbidden(locks.lock_message(), code="account_locked") from None
        if getattr(request._request, "axes_locked_out", False):
            raise Forbidden(locks.lock_message(), code="account_locked")
        if user is None:
            raise InvalidInput("用户名或密码错误。", code="invalid_credentials")
        has_factor = two_factor.has_two_factor(user)
        if has_factor:
            code = data.validated_data.get("otp") or ""
            if not code.strip():
                raise two_factor.OtpRequired("该账号已启用双因素认证，请在 otp 字段提供动态口令或恢复码。",
                                             fields={"otp": ["请填写动态口令。"]})
            # A wrong code is counted toward the lock (and answers 403 account_locked when it locks).
            two_factor.verify(user, code, request._request)
        elif two_factor.required_for(user):
            raise Forbidden("您的角色要求启用双因素认证，请先在网页上完成绑定。", code="otp_enrolment_required")
        if settings.AXES_RESET_ON_SUCCESS:
            # As for a page login (axes does it on user_logged_in, which a token request does not send); only
            # after the second factor, so a right password does not wipe the count of wrong codes.
            axes_reset(username=user.username)
        token, raw = services.do_issue_token(user, two_factor=has_factor)
        return Response({"token": raw, "expires_at": token.expires_at, "username": user.username, "role": user.role,
                         "two_factor": token.two_factor}, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="吊销当前 API 令牌")
    def delete(self, request):
        if isinstance(request.auth, ApiToken):
            services.do_revoke_token(request.user, request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    org = serializers.IntegerField(source="org_id", allow_null=True)
    org_name = serializers.CharField(source="org.name", default=None, allow_null=True, help_text="所属机构；无则为 null")
    zones = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    def get_zones(self, user) -> list[int]:
        return sorted(user.scope.zone_ids)

    def get_permissions(self, user) -> list[str]:
        return sorted(user.scope.perms)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="当前用户")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


# 三员: users ------------------------------------------------------------------------------------------------------

Org = User._meta.get_field("org").related_model


class UserSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", default=None, allow_null=True, read_only=True,
                                     help_text="所属机构；无则为 null")
    # Read as stored: an address, or "" when none was given (the schema's "format: email" would forbid that).
    email = serializers.CharField(read_only=True, help_text="邮箱；未填为空字符串")
    role = serializers.ChoiceField(choices=[("", "未分配"), *Role.choices], read_only=True,
                                   help_text="主角色；未分配时为空字符串")
    role_label = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    extra_zones = serializers.SerializerMethodField()
    locked = serializers.SerializerMethodField()
    locked_until = serializers.SerializerMethodField()
    recent_failures = serializers.SerializerMethodField()
    two_factor = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "org", "org_name", "role", "role_label", "roles", "extra_zones", "phone",
                  "email",
                  "is_active", "must_change_password", "last_login", "date_joined", "failed_since_login", "locked",
                  "locked_until", "recent_failures", "two_factor", "version"]
        read_only_fields = fields

    def get_role_label(self, user) -> str:
        return user.get_role_display() if user.role else "未分配"

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user) -> list[str]:
        """兼任的业务角色（不含主角色）"""
        return [r for r in user.all_roles if r != user.role]

    def get_extra_zones(self, user) -> list[int]:
        return sorted(z.pk for z in user.extra_zones.all())

    def get_locked(self, user) -> bool:
        return locks.lock_state(user).locked

    def get_locked_until(self, user) -> str | None:
        until = locks.lock_state(user).until
        return serializers.DateTimeField().to_representation(until) if until else None

    def get_recent_failures(self, user) -> int:
        return locks.lock_state(user).failures

    def get_two_factor(self, user) -> bool:
        """Whether the user has an active authenticator (never the secret)."""
        on = getattr(user, "two_factor_on", None)
        return two_factor.has_two_factor(user) if on is None else bool(on)


class UserCreateSerializer(StrictSerializer):
    username = serializers.RegexField(r"^[A-Za-z0-9_.@+-]+$", label="用户名", max_length=150, error_messages={
        "invalid": "用户名只能包含英文字母、数字和 @ . + - _。"})
    password = serializers.CharField(label="初始密码", max_length=128, write_only=True, trim_whitespace=False,
                                     style={"input_type": "password"})
    name = serializers.CharField(label="姓名", max_length=50)
    org = VisibleRelatedField(queryset=Org.objects.all(), label="所在单位", required=False, allow_null=True)
    phone = serializers.CharField(label="手机", max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(label="邮箱", required=False, allow_blank=True, default="")


class UserUpdateSerializer(StrictSerializer):
    name = serializers.CharField(label="姓名", max_length=50, required=False)
    org = VisibleRelatedField(queryset=Org.objects.all(), label="所在单位", required=False, allow_null=True)
    phone = serializers.CharField(label="手机", max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(label="邮箱", required=False, allow_blank=True)
    is_active = serializers.BooleanField(label="启用", required=False)
    version = serializers.IntegerField(label="版本", required=False)


class ResetPasswordSerializer(StrictSerializer):
    password = serializers.CharField(label="临时密码", max_length=128, write_only=True, trim_whitespace=False)


class AssignRoleSerializer(StrictSerializer):
    role = serializers.ChoiceField(label="主角色", choices=Role.choices)
    roles = serializers.ListField(label="兼任角色", child=serializers.ChoiceField(choices=Role.choices), required=False,
                                  allow_empty=True, max_length=len(Role),
                                  help_text="主角色之外兼任的业务角色；省略则保留现有的。三员角色不能兼任（422）。")
    extra_zones = serializers.ListField(label="可查看的其他开发区", child=serializers.IntegerField(min_value=1),
                                        required=False, allow_empty=True)
    reason = serializers.CharField(label="原因", max_length=500)
    version = serializers.IntegerField(label="版本", required=False)


class UnlockSerializer(StrictSerializer):
    reason = serializers.CharField(label="原因", max_length=500)


ROLE_FIELDS = {"role", "extra_zones", "is_staff", "is_superuser", "groups", "user_permissions"}


def _sets_role(request) -> bool:
    keys = request.data.keys() if hasattr(request.data, "keys") else ()
    return bool(ROLE_FIELDS & set(keys))


@extend_schema(tags=["三员"])
@extend_schema_view(
    create=extend_schema(summary="新建用户（系统管理员）"),
    partial_update=extend_schema(summary="修改用户（系统管理员）"),
    reset_password=extend_schema(request=ResetPasswordSerializer, summary="重置密码（系统管理员）"),
    assign_role=extend_schema(request=AssignRoleSerializer, summary="分配角色（安全管理员）"),
    unlock=extend_schema(request=UnlockSerializer, summary="解锁账号（安全管理员）"),
    reset_two_factor=extend_schema(request=UnlockSerializer, summary="重置双因素认证（安全管理员）"),
)
class UserViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """用户（系统管理员、安全管理员）。系统管理员：新建、修改、重置密码；安全管理员：分配角色、解锁。"""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    create_serializer_class = UserCreateSerializer
    write_serializer_class = UserUpdateSerializer
    filterset_class = SecurityUserFilter
    ordering_fields = ["username", "name", "last_login", "date_joined"]
    select_related = ("org",)
    prefetch_related = ("extra_zones",)
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_perms = ("user.manage", "security.manage")
    action_perms = {"create": "user.manage", "partial_update": "user.manage", "reset_password": "user.manage",
                    "assign_role": "security.manage", "unlock": "security.manage",
                    "reset_two_factor": "security.manage"}
    update_service = services.do_update_user

    def get_queryset(self):
        return two_factor.annotate_two_factor(locks.annotate_lock_state(super().get_queryset()))

    def respond(self, user, status_code=status.HTTP_200_OK):
        # Read again with the lock and second-factor state the list shows.
        return super().respond(self.get_queryset().get(pk=user.pk), status_code)

    @staticmethod
    def create_service(actor, **fields):
        return services.do_create_user(actor, must_change_password=True, **fields)

    def create(self, request, *args, **kwargs):
        if _sets_role(request):
            raise Forbidden("角色由安全管理员分配，系统管理员不能设置角色或权限。")
        return super().create(request, *args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        if _sets_role(request):
            raise Forbidden("系统管理员不能修改角色或权限。")
        return super().partial_update(request, *args, **kwargs)

    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        user = self.get_object()
        data = self.validated(ResetPasswordSerializer)
        return self.respond(services.do_reset_password(request.user, user, password=data["password"]))

    @action(detail=True, methods=["post"], url_path="assign-role")
    def assign_role(self, request, pk=None):
        user = self.get_object()
        data = self.validated(AssignRoleSerializer)
        # Zone ids outside the administrator's scope (or not existing) are refused by the service.
        user = services.do_assign_role(request.user, user, role=data["role"], roles=data.get("roles"),
                                       extra_zones=data.get("extra_zones"),
                                       reason=data["reason"], version=data.get("version"))
        return self.respond(user)

    @action(detail=True, methods=["post"], url_path="unlock")
    def unlock(self, request, pk=None):
        user = self.get_object()
        data = self.validated(UnlockSerializer)
        return self.respond(services.do_unlock(request.user, user, reason=data["reason"]))

    @action(detail=True, methods=["post"], url_path="reset-two-factor")
    def reset_two_factor(self, request, pk=None):
        user = self.get_object()
        data = self.validated(UnlockSerializer)
        return self.respond(two_factor.do_reset(request.user, user, reason=data["reason"]))


# 角色权限（安全管理员） ------------------------------------------------------------------------------------------

class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    label = serializers.CharField()
    admin = serializers.BooleanField(help_text="三员角色：权限由职责固定，不能修改")
    permissions = serializers.ListField(child=serializers.CharField(), help_text="当前持有的权限代码")
    permission_labels = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField(allow_null=True, help_text="修改时回传；尚无存储记录时为 null")
    changed_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(help_text="最近一次修改的原因")


class RoleUpdateSerializer(StrictSerializer):
    permissions = serializers.ListField(label="权限", child=serializers.CharField(max_length=64), allow_empty=True,
                                        max_length=200)
    reason = serializers.CharField(label="修改原因", max_length=500)
    version = serializers.IntegerField(label="版本", required=False, allow_null=True)


def _role_data(role, row):
    from .roles import ADMIN_ROLES, PERMISSIONS, perms_for

    held = perms_for(role)
    codes = [c for c in PERMISSIONS if c in held]
    return {"role": role.value, "label": role.label, "admin": role in ADMIN_ROLES, "permissions": codes,
            "permission_labels": [PERMISSIONS[c] for c in codes], "version": row.version if row else None,
            "changed_at": row.changed_at if row else None, "reason": row.reason if row else ""}


@extend_schema(tags=["三员"])
@extend_schema_view(
    list=extend_schema(responses=RoleSerializer(many=True), summary="角色权限（安全管理员）"),
    retrieve=extend_schema(responses=RoleSerializer, summary="一个角色的权限（安全管理员）"),
    partial_update=extend_schema(request=RoleUpdateSerializer, responses=RoleSerializer,
                                 summary="修改业务角色的权限（平台安全管理员，须填写原因）"),
)
class RoleViewSet(viewsets.ViewSet):
    """角色权限：业务角色是安全管理员维护的权限集合（每次修改须填写原因，记入审计日志）；三员角色的权限由职责固定。
    角色全平台通用，不属于某个开发区。"""

    lookup_field = "role"
    lookup_value_regex = "[a-z_]+"
    http_method_names = ["get", "patch", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        from kaifaqu.core.access import require

        require(request.user, "security.manage")

    def _role(self, role):
        from django.http import Http404

        if role not in Role.values:
            raise Http404("未找到该角色。")
        return Role(role)

    def list(self, request):
        from .models import RoleDefinition

        rows = {r.role: r for r in RoleDefinition.objects.all()}
        return Response(RoleSerializer([_role_data(r, rows.get(r.value)) for r in Role], many=True).data)

    def retrieve(self, request, role=None):
        from .models import RoleDefinition

        role = self._role(role)
        return Response(RoleSerializer(_role_data(role, RoleDefinition.objects.filter(role=role).first())).data)

    def partial_update(self, request, role=None):
        role = self._role(role)
        data = RoleUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = services.do_update_role(request.user, role.value, permissions=v["permissions"], reason=v["reason"],
                                      version=v.get("version"))
        return Response(RoleSerializer(_role_data(role, row)).data)


ROUTES = [("users", UserViewSet, "user"), ("roles", RoleViewSet, "role")]
