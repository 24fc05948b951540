import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from kaifaqu.core import notify, tick, webhooks
from kaifaqu.core.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it receives and answers with ``status``."""

    def __init__(self, status=200):
        self.status = status
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_notification_to_org_is_posted_signed(world, receiver):
    webhook, secret = webhooks.do_create_webhook(world.leader, world.street_org, url=receiver.url)
    notify.send("system.message", "请报到", orgs=[world.street_org], body="吹哨", zone_id=world.zone.pk)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
    report = dict(tick.run())
    assert report["webhooks"]["delivered"] == 1
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Kaifaqu-Signature"] == expected
    assert json.loads(body)["data"]["title"] == "请报到"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.last_status_code == 200
    assert dict(tick.run())["webhooks"] == {"delivered": 0, "retry": 0, "failed": 0}  # idempotent


def test_failures_back_off_then_give_up(world):
    failing = Receiver(status=500)
    try:
        webhooks.do_create_webhook(world.leader, world.street_org, url=failing.url)
        notify.send("system.message", "x", orgs=[world.street_org])
        start = timezone.now()
        with time_machine.travel(start, tick=False) as traveller:
            tick.run()
            delivery = WebhookDelivery.objects.get()
            assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
            assert delivery.next_attempt_at == start + datetime.timedelta(minutes=1)
            tick.run()  # not due yet: nothing happens
            assert WebhookDelivery.objects.get().attempts == 1
            for minutes in (1, 5, 30, 120, 720):
                traveller.shift(datetime.timedelta(minutes=minutes))
                tick.run()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 6
        assert len(failing.received) == 6
    finally:
        failing.close()


def test_unreachable_receiver_is_recorded(world):
    webhooks.do_create_webhook(world.leader, world.street_org, url="http://127.0.0.1:9/nothing")
    notify.send("system.message", "x", orgs=[world.street_org])
    tick.run()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_error


def test_a_claimed_delivery_is_not_sent_twice(world, receiver):
    webhooks.do_create_webhook(world.leader, world.street_org, url=receiver.url)
    notify.send("system.message", "x", orgs=[world.street_org])
    now = timezone.now()
    # Another tick claimed it a moment ago: this tick must leave it alone.
    WebhookDelivery.objects.update(status=DeliveryStatus.SENDING, claimed_at=now)
    assert webhooks.deliver_due(now)["delivered"] == 0
    assert receiver.received == []
    # A claim older than five minutes is taken over (the other worker died).
    assert webhooks.deliver_due(now + datetime.timedelta(minutes=6))["delivered"] == 1


def test_only_zone_managers_create_and_others_see_their_own(world, client_for, receiver):
    from kaifaqu.core.errors import Forbidden

    with pytest.raises(Forbidden):
        webhooks.do_create_webhook(world.street, world.street_org, url=receiver.url)
    with pytest.raises(Forbidden):
        webhooks.do_create_webhook(world.outsider, world.street_org, url=receiver.url)
    webhook, _ = webhooks.do_create_webhook(world.leader, world.street_org, url=receiver.url)
    assert client_for(world.street).get(webhook.get_absolute_url()).status_code == 200
    assert client_for(world.platform).get(webhook.get_absolute_url()).status_code == 404
    assert client_for(world.outsider).get(webhook.get_absolute_url()).status_code == 404


def test_create_page_shows_secret_once(world, client_for, receiver):
    client = client_for(world.leader)
    response = client.post("/core/webhooks/new/", {"org": world.street_org.pk, "url": receiver.url})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="webhook-secret"' in page
    assert 'data-testid="webhook-secret"' not in client.get(response["Location"]).content.decode()
    bad = client.post("/core/webhooks/new/", {"org": world.street_org.pk, "url": "ftp://x"})
    assert bad.status_code == 400


def test_tick_command_prints_its_report(db, capsys):
    call_command("tick")
    assert "webhooks" in capsys.readouterr().out


def test_the_secret_is_sealed_at_rest(world, receiver, settings):
    from django.db import connection

    from kaifaqu.core import crypto

    webhook, secret = webhooks.do_create_webhook(world.leader, world.street_org, url=receiver.url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_sealed FROM core_webhook WHERE id = %s", [webhook.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored and stored.startswith("v1:")
    assert Webhook.objects.get(pk=webhook.pk).secret == secret
    with pytest.raises(ValueError):  # sealed for webhooks, not for anything else
        crypto.unseal(stored, purpose="otp-secret")
    settings.FIELD_KEY = "another field key " * 3
    with pytest.raises(ValueError):
        crypto.unseal(stored, purpose="webhook-secret")


@pytest.mark.django_db(transaction=True)
def test_migration_seals_the_secrets_already_stored():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from kaifaqu.core import crypto

    before, after = [("core", "0009_deadline_workhours_ladder")], [("core", "0010_webhook_secret_sealed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("core", "Webhook")
    hook = old.objects.create(zone_id=1, org_id=1, org_name="街道", url="http://127.0.0.1:9/x", secret="ab" * 24,
                              created_at=timezone.now())
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("core", "Webhook")
    sealed = new.objects.get(pk=hook.pk).secret_sealed
    assert "ab" * 24 not in sealed and crypto.unseal(sealed, purpose="webhook-secret") == b"ab" * 24
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
