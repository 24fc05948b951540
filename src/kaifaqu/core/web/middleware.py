from kaifaqu.core.web import context


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = context.set_current(
            context.RequestInfo(
                ip=context.client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
                channel=channel,
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
