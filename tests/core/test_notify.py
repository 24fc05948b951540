import pytest
from django.core import mail
from django.db import transaction

from kaifaqu.core import notify
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.notify.models import Notification


def test_send_to_an_org_fans_out_to_its_users(world):
    rows = notify.send("system.message", "请于本周五前报送数据", orgs=[world.department], body="详见附件",
                       url="/org/zones/", zone_id=world.zone.pk)
    assert [r.recipient for r in rows] == [world.clerk]
    assert notify.unread_count(world.clerk) == 1
    assert notify.unread_count(world.leader) == 0


def test_unregistered_kind_is_refused(world):
    with pytest.raises(ValueError):
        notify.send("nope", "x", users=[world.leader])


def test_inbox_is_private_and_marks_read(world, client_for, api_for):
    (row,) = notify.send("system.message", "通知一", users=[world.leader], url="/org/zones/")
    api = api_for(world.leader)
    data = api.get("/api/v1/notifications/").json()
    assert data["count"] == 1 and data["results"][0]["kind_label"] == "系统消息"
    assert api_for(world.clerk).get(f"/api/v1/notifications/{row.pk}/").status_code == 404
    assert api_for(world.clerk).post(f"/api/v1/notifications/{row.pk}/read/").status_code == 404
    page = client_for(world.leader).get("/")
    assert 'data-testid="unread-count">1<' in page.content.decode()
    response = client_for(world.leader).get(f"/core/notifications/{row.pk}/")
    assert response.status_code == 302 and response["Location"] == "/org/zones/"
    assert notify.unread_count(world.leader) == 0
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 0}


def test_open_does_not_redirect_off_site(world, client_for):
    (row,) = notify.send("system.message", "外链", users=[world.leader], url="https://evil.example/")
    response = client_for(world.leader).get(f"/core/notifications/{row.pk}/")
    assert response["Location"] == "/core/notifications/"


@pytest.mark.django_db(transaction=True)
def test_email_goes_out_after_commit_only_for_chosen_kinds(world, settings):
    settings.EMAIL_HOST = "smtp.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.leader.email = "leader@example.cn"
    world.leader.save()
    notify.send("system.message", "不发邮件", users=[world.leader])
    assert mail.outbox == []
    notify.set_email_preference(world.leader, "system.message", True)
    assert AuditEvent.objects.filter(action="notification.preference").exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify.send("system.message", "回滚了", users=[world.leader])
        raise RuntimeError
    assert mail.outbox == []
    notify.send("system.message", "发邮件", users=[world.leader])
    assert [m.subject for m in mail.outbox] == ["[开发区管理运行平台] 发邮件"]
    assert Notification.objects.filter(title="发邮件", emailed_at__isnull=False).exists()


def test_preferences_page(world, client_for):
    client = client_for(world.leader)
    assert "系统消息" in client.get("/core/notifications/preferences/").content.decode()
    client.post("/core/notifications/preferences/", {"email": ["system.message"]})
    assert world.leader.notification_preferences.get(kind="system.message").email is True
