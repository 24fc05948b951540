"""Errors that services raise; the API and pages turn them into the shapes of ARCHITECTURE rule 6."""


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, detail, fields=None, code=None, extra=None):
        super().__init__(detail)
        self.detail = detail
        self.fields = fields or {}
        # Keys added to the JSON body beside code/detail/fields (e.g. the state and allowed actions of a refusal).
        self.extra = extra or {}
        if code:
            self.code = code


class InvalidInput(ServiceError):
    status = 400
    code = "invalid"


class RuleViolation(ServiceError):
    """A rule of the process refused the action (wrong state, not allowed now)."""

    status = 422
    code = "rule_violation"


class Conflict(ServiceError):
    """The object changed since the caller read it (stale version) or a unique key is taken."""

    status = 409
    code = "conflict"


class Forbidden(ServiceError):
    status = 403
    code = "permission_denied"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(ServiceError):
    status = 415
    code = "unsupported_media_type"
