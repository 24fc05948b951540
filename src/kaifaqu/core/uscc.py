"""统一社会信用代码 (USCC, GB 32100-2015): 18 characters, the last one a check character.

Alphabet: the digits and the capitals without I, O, Z, S, V (31 symbols). Weight of position i (0-based) is
3^i mod 31; the check character is the symbol of (31 - Σ value·weight mod 31) mod 31.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def check_char(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code) -> str:
    return str(code or "").strip().upper().replace(" ", "")


def error(code: str) -> str:
    """'' when ``code`` is a valid USCC, otherwise the Chinese reason."""
    code = normalise(code)
    if len(code) != 18:
        return "统一社会信用代码应为18位。"
    bad = [ch for ch in code if ch not in _VALUE]
    if bad:
        return f"统一社会信用代码含有无效字符“{bad[0]}”（不使用 I、O、Z、S、V）。"
    if code[17] != check_char(code[:17]):
        return "统一社会信用代码校验位不正确。"
    return ""


def is_valid(code) -> bool:
    return not error(code)
