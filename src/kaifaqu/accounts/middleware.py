from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/accounts/password/", "/accounts/logout/", "/api/", "/healthz")


class PasswordChangeRequiredMiddleware:
    """A user created or reset by an administrator must set a new password before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:password-change"))
        return self.get_response(request)
