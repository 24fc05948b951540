from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core.errors import Forbidden, InvalidInput

from . import services
from .models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=256, style={"input_type": "password"})


TokenResponse = inline_serializer("TokenResponse", {
    "token": serializers.CharField(), "expires_at": serializers.DateTimeField(),
    "username": serializers.CharField(), "role": serializers.CharField(),
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
            raise Forbidden("该账号因连续 5 次登录失败已被锁定 30 分钟。", code="account_locked") from None
        if getattr(request._request, "axes_locked_out", False):
            raise Forbidden("该账号因连续 5 次登录失败已被锁定 30 分钟。", code="account_locked")
        if user is None:
            raise InvalidInput("用户名或密码错误。", code="invalid_credentials")
        token, raw = services.do_issue_token(user)
        return Response({"token": raw, "expires_at": token.expires_at, "username": user.username, "role": user.role},
                        status=status.HTTP_201_CREATED)


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
    org_name = serializers.CharField(source="org.name", default=None)
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
