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


_LEET = str.maketrans({"0": "o", "@": "a", "3": "e", "$": "s"})
_TRAILING = re.compile(r"[\W\d_]+$")
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'",
              "zxcvbnm,./")
_SEQUENCES += tuple(s[::-1] for s in _SEQUENCES)


def _variants(lowered: str) -> set[str]:
    """The password as a dictionary word may hide in it: as typed, without the digits and symbols people add at
    the end, and with the usual letter substitutions undone (0→o, @→a, 1→l or i, 3→e, $→s)."""
    out = set()
    for text in (lowered, _TRAILING.sub("", lowered)):
        for one in ("l", "i"):
            plain = text.translate(_LEET).replace("1", one)
            out.update((text, plain, _TRAILING.sub("", plain)))
    return {v for v in out if len(v) >= 4}


def _sequence_chars(lowered: str, run: int = 4) -> int:
    """How many characters of the password belong to a run of at least ``run`` consecutive characters of the
    alphabet, the digits or a keyboard row (either direction)."""
    covered = [False] * len(lowered)
    for start in range(len(lowered) - run + 1):
        chunk = lowered[start:start + run]
        if any(chunk in seq for seq in _SEQUENCES):
            covered[start:start + run] = [True] * run
    return sum(covered)


class CommonPasswordValidator:
    """Refuses what a guessing attack tries first: Django's list of 20 000 common passwords (case-insensitive, also
    with trailing digits/symbols removed and letter substitutions undone), passwords made mostly of keyboard or
    alphabet sequences (qwerty, asdf, abcd, 1234, also reversed), and passwords made mostly of one character or of
    one short part repeated."""

    def __init__(self):
        from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommon

        self.words = DjangoCommon().passwords

    def validate(self, password, user=None):
        lowered = password.lower()
        errors = []
        if self.words & _variants(lowered):
            errors.append(ValidationError("密码过于常见（或只是常见密码加上数字、符号或字母替换），请换一个。",
                                          code="password_too_common"))
        if lowered and _sequence_chars(lowered) * 2 >= len(lowered):
            errors.append(ValidationError("密码主要由连续的字母、数字或键盘序列组成（如 abcd、1234、qwerty），请换一个。",
                                          code="password_sequence"))
        most = max((lowered.count(c) for c in set(lowered)), default=0)
        if lowered and (most * 2 > len(lowered) or re.fullmatch(r"(.{1,4})\1+", lowered)):
            errors.append(ValidationError("密码主要由重复的字符组成，请换一个。", code="password_repetitive"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return "不能使用常见密码，也不能主要由连续序列（如 abcd、1234、qwerty）或重复字符组成。"
