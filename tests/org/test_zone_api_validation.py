"""POST/PATCH /api/v1/zones/: a code is a slug starting with a letter, a name contains a Chinese character or a
letter, the founding date is a date or null (never "")."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/zones/"


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"code": "0", "name": "新区"}, "code", "代码须以英文字母开头，只含英文字母、数字或连字符。"),
    ({"code": "-x", "name": "新区"}, "code", "代码须以英文字母开头，只含英文字母、数字或连字符。"),
    ({"code": "a_b", "name": "新区"}, "code", "代码须以英文字母开头，只含英文字母、数字或连字符。"),
    ({"code": "new1", "name": "0"}, "name", "名称须含汉字或英文字母。"),
    ({"code": "new1", "name": "新区", "established_on": ""}, "established_on", "日期应为 YYYY-MM-DD，或不填。"),
])
def test_create_refuses(world, api_for, body, field, message):
    response = api_for(world.sysadmin).post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["fields"][field] == [message]


@pytest.mark.parametrize("body", [
    {"code": "new-1", "name": "新区"},
    {"code": "N2", "name": "Lingang Park", "established_on": None},
    {"code": "n3", "name": "三号区", "established_on": "2020-05-01"},
])
def test_create_accepts(world, api_for, body):
    response = api_for(world.sysadmin).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == body["code"]


def test_update_refuses_an_empty_date(world, api_for):
    response = api_for(world.hr).patch(f"{URL}{world.zone.pk}/", {"established_on": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["established_on"] == ["日期应为 YYYY-MM-DD，或不填。"]
