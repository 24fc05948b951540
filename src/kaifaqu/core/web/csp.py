"""Content-Security-Policy on every response, in every mode: scripts, styles, fonts and images from this site only,
no inline script, no eval, no inline style. The pages need nothing else (Bootstrap, Bootstrap Icons and htmx are
served from static/; the enrolment QR code is inline SVG markup). ``data:`` images are allowed for the icons
Bootstrap's and Swagger UI's stylesheets embed.

A small middleware rather than django-csp: the policy is one constant with no nonce to manage, and the one view
that needs more (Redoc builds its styles and a web worker at run time) says so with ``csp_update``.
"""

from functools import wraps

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
HEADER = "Content-Security-Policy"


def header_value(policy: dict) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


DEFAULT = header_value(POLICY)


def csp_update(**directives):
    """Add sources for one view: ``@csp_update(style_src=["'unsafe-inline'"])``."""
    extra = {name.replace("_", "-"): list(sources) for name, sources in directives.items()}

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            policy = {name: list(sources) for name, sources in POLICY.items()}
            for name, sources in extra.items():
                policy.setdefault(name, list(POLICY["default-src"])).extend(sources)
            response[HEADER] = header_value(policy)
            return response

        return wrapped

    return decorate


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = DEFAULT
        return response
