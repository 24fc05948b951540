import re

from django.core.exceptions import ValidationError

CLASSES = (
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^a-zA-Z0-9]"), "特殊字符"),
)


class ComplexityValidator:
    """等保2.0 三级: at least 8 characters, 3 of the 4 character classes, not containing the username."""

    min_length = 8

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(ValidationError(f"密码至少 {self.min_length} 位。", code="password_too_short"))
        present = sum(1 for pattern, _ in CLASSES if pattern.search(password))
        if present < 3:
            errors.append(ValidationError("密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。",
                                          code="password_too_simple"))
        username = getattr(user, "username", "") if user is not None else ""
        if username and username.lower() in password.lower():
            errors.append(ValidationError("密码不能包含用户名。", code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return "密码至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不能包含用户名。"
