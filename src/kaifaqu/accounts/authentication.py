from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_token


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <raw>`; tokens are stored hashed and expire (KAIFAQU_API_TOKEN_TTL_HOURS)."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.select_related("user", "user__org").get(key_hash=hash_token(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed("令牌无效。") from None
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("令牌已吊销。")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("账号已停用。")
        # Touch last use at most once a minute to keep reads cheap.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
