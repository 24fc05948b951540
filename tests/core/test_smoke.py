def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_login_and_home(world, client, password):
    # A department clerk: leaders and the 三员 owe a second factor first (tests/accounts/test_two_factor.py).
    response = client.post("/accounts/login/", {"username": "t_clerk", "password": password})
    assert response.status_code == 302
    page = client.get("/")
    assert "工作台" in page.content.decode()
    assert "上次" in page.content.decode() or "首次登录" in page.content.decode()


def test_zone_api_scoped(world, api_for):
    data = api_for(world.leader).get("/api/v1/zones/").json()
    assert [z["code"] for z in data["results"]] == ["demo"]
    assert api_for(world.outsider).get(f"/api/v1/zones/{world.zone.pk}/").status_code == 404
