"""等保 password policy: at least 8 characters, three of four character classes, not containing the username; no
common, sequential or repetitive passwords."""

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
    assert "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。" in messages_for("abcdefgh12")
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


@pytest.mark.parametrize("password", ["Password1", "Passw0rd!", "P@ssw0rd2026", "PASSWORD123!", "Dragon@1", "Monkey#2026",
                                      "Qwerty123!", "Sunsh1ne!"])
def test_common_passwords_refused(password):
    assert "密码过于常见（或只是常见密码加上数字、符号或字母替换），请换一个。" in messages_for(password)


@pytest.mark.parametrize("password", ["Abcd1234", "Qwer!1234", "4321Dcba!", "Zyxw@9876", "Asdfgh;'1", "Mnbvcxz9!"])
def test_sequences_refused(password):
    assert "密码主要由连续的字母、数字或键盘序列组成（如 abcd、1234、qwerty），请换一个。" in messages_for(password)


@pytest.mark.parametrize("password", ["Aaaaaaa1", "1111111Aa!", "Ab1!Ab1!", "XyZ9xyz9"])
def test_repeats_refused(password):
    assert "密码主要由重复的字符组成，请换一个。" in messages_for(password)


@pytest.mark.parametrize("password", ["Kfq@2026go", "Kfq@2026demo", "Test@2026pass", "Temp#2026pw", "Mine#2026ok",
                                      "Lan7#Hu2wq", "Xk9#mp1234"])
def test_ordinary_strong_passwords_still_accepted(password):
    assert messages_for(password, username="someone") == []


def test_common_policy_applies_through_the_service(world):
    with pytest.raises(InvalidInput) as exc:
        services.do_create_user(world.sysadmin, username="t_newbie", password="Passw0rd!", name="新人",
                                org=world.department)
    assert "密码过于常见" in " ".join(exc.value.fields["password"])
