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


ENROLMENT_SESSION_KEY = "otp_enrolment_required"
ENROLMENT_EXEMPT_PREFIXES = ("/static/", "/accounts/password/", "/accounts/logout/", "/accounts/me/two-factor/", "/healthz")


class TwoFactorEnrolmentMiddleware:
    """A user whose role requires a second factor and who logged in without one may only enrol: every page
    redirects to the enrolment page, the API answers 403 ``otp_enrolment_required``. The login view sets the session
    flag; enrolment clears it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        owed = (user is not None and user.is_authenticated and request.session.get(ENROLMENT_SESSION_KEY)
                and self._still_owed(request))
        if owed:
            request.shell_menu_hidden = True  # the enrolment pages show no menu: nothing else is open yet
        if owed and not request.path.startswith(ENROLMENT_EXEMPT_PREFIXES):
            if request.path.startswith("/api/"):
                from kaifaqu.core.api import json_error_response

                return json_error_response(403, "您的角色要求启用双因素认证，请先在网页上完成绑定。",
                                           code="otp_enrolment_required")
            return redirect(reverse("accounts:two-factor-enrol"))
        return self.get_response(request)

    @staticmethod
    def _still_owed(request) -> bool:
        """Only flagged sessions pay these two queries; the flag goes once the factor is no longer owed (enrolled
        in another session, or the security administrator made the role optional)."""
        from .two_factor import has_two_factor, required_for

        if required_for(request.user) and not has_two_factor(request.user):
            return True
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        return False
