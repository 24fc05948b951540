"""等保 password policy: at least 8 characters, three of four character classes, not containing the username."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from kaifaqu.accounts import services
from kaifaqu.accounts.models import User
from kaifaqu.core.errors import InvalidInput


def messages_for(password, username="zhangsan"):
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        return exc.messages
    return []


def test_short_password_refused_in_chinese():
    assert "密码至少 8 位。" in messages_for("Ab1!")


def test_two_character_classes_refused():
    assert messages_for("abcdefgh12") == ["密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"]
    assert messages_for("ABCDEFGH!!")  # upper + special only


def test_password_containing_username_refused():
    assert messages_for("Zhangsan@2026") == ["密码不能包含用户名。"]
    assert messages_for("xxZHANGSANxx1!") == ["密码不能包含用户名。"]  # case-insensitive


def test_good_passwords_accepted():
    assert messages_for("Kfq@2026go") == []
    assert messages_for("kfq#2026go") == []  # lower + digit + special is three classes


def test_help_text_is_chinese():
    from kaifaqu.accounts.validators import ComplexityValidator

    assert "至少 8 位" in ComplexityValidator().get_help_text()


@pytest.mark.parametrize("password", ["Ab1!", "abcdefgh12", "T_newbie@2026"])
def test_create_user_applies_the_policy(world, password):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_user(world.sysadmin, username="t_newbie", password=password, name="新人",
                                org=world.department)
    assert exc.value.fields["password"]
    assert not User.objects.filter(username="t_newbie").exists()


def test_change_own_password_applies_the_policy(world, password):
    with pytest.raises(InvalidInput) as exc:
        services.do_change_own_password(world.clerk, old_password=password, new_password="short")
    assert "密码至少 8 位。" in exc.value.fields["new_password1"]
