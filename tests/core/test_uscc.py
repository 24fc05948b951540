import pytest

from kaifaqu.core import uscc


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",  # a published example
    "91110000600037341L",
    "11100000000013127D",
])
def test_valid_codes(code):
    assert uscc.is_valid(code), uscc.error(code)


def test_lower_case_and_spaces_are_normalised():
    assert uscc.is_valid(" 91350100m000100y43 ")


@pytest.mark.parametrize(("code", "message"), [
    ("91350100M000100Y4", "18位"),
    ("91350100M000100Y44", "校验位"),
    ("9135010OM000100Y43", "无效字符"),
    ("", "18位"),
])
def test_invalid_codes(code, message):
    assert message in uscc.error(code)


def test_check_char_round_trip():
    body = "91440300MA5F00000"
    assert uscc.is_valid(body + uscc.check_char(body))
