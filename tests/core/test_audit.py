import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from openpyxl import load_workbook

from kaifaqu.core import audit
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import InvalidInput
from kaifaqu.org import services
from kaifaqu.org.models import Org


def write(n=3):
    for i in range(n):
        with transaction.atomic():
            audit.record(SYSTEM, "test.write", None, object_type="test", object_id=str(i), object_label=f"第{i}条",
                         before={"n": i}, after={"n": i + 1, "名称": "<script>"})


def test_events_are_chained(db):
    write(3)
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == ""
    assert events[1].prev_hash == events[0].hash
    assert len(events[2].hash) == 64
    verdict = audit.verify()
    assert (verdict.count, verdict.broken, verdict.reason) == (3, None, "")


# The canonical bytes of one fixed event, written out by hand: sorted keys, no spaces, UTF-8, time in UTC.
CANONICAL = (
    '{"action":"org.update","actor_display":"张三","actor_id":null,"actor_name":"zhangsan","actor_org_id":7,'
    '"actor_org_name":"经济发展处","actor_zone_id":2,"after":{"name":"经济发展局"},"before":{"name":"经济发展处"},'
    '"channel":"web","created_at":"2026-03-09T01:30:00.123456Z","ip":"10.0.0.8","object_id":"41",'
    '"object_label":"经济发展局","object_type":"org.org","prev_hash":"ab12","reason":"更名","seq":42,'
    '"user_agent":"Mozilla/5.0","zone_id":2}'
).encode()


def test_hash_is_hmac_sm3_over_the_canonical_bytes(settings):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac

    settings.AUDIT_KEY = "an-audit-key-for-this-test-only-0123456789"
    event = AuditEvent(
        seq=42, created_at=datetime.datetime(2026, 3, 9, 9, 30, 0, 123456, tzinfo=ZoneInfo("Asia/Shanghai")),
        zone_id=2, actor_id=None, actor_name="zhangsan", actor_display="张三", actor_org_id=7,
        actor_org_name="经济发展处", actor_zone_id=2, ip="10.0.0.8", user_agent="Mozilla/5.0", channel="web",
        action="org.update", object_type="org.org", object_id="41", object_label="经济发展局",
        before={"name": "经济发展处"}, after={"name": "经济发展局"}, reason="更名", prev_hash="ab12",
    )
    assert audit.canonical(event) == CANONICAL
    mac = crypto_hmac.HMAC(b"an-audit-key-for-this-test-only-0123456789", hashes.SM3())
    mac.update(b"ab12|" + CANONICAL)
    expected = mac.finalize().hex()
    assert audit.compute_hash(event) == expected
    # Not some other digest of the same bytes.
    other = crypto_hmac.HMAC(b"an-audit-key-for-this-test-only-0123456789", hashes.SHA256())
    other.update(b"ab12|" + CANONICAL)
    assert other.finalize().hex() != expected


def test_stored_events_carry_hmac_sm3(db, settings):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac

    write(2)
    second = AuditEvent.objects.get(seq=2)
    mac = crypto_hmac.HMAC(settings.AUDIT_KEY.encode(), hashes.SM3())
    mac.update(second.prev_hash.encode() + b"|" + audit.canonical(second))
    assert second.hash == mac.finalize().hex()


def test_orm_refuses_changes(db):
    write(1)
    event = AuditEvent.objects.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_raw_update(db):
    from django.db.utils import DatabaseError

    write(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'x'")


def test_tampered_row_is_named(db):
    write(4)
    target = AuditEvent.objects.order_by("seq")[2]
    _raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["改过", target.pk])
    count, broken, reason = audit.verify()
    assert broken.seq == target.seq
    assert "哈希不符" in reason


def test_deleted_middle_row_is_reported(db):
    write(4)
    target = AuditEvent.objects.order_by("seq")[1]
    _raw("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
    count, broken, reason = audit.verify()
    assert broken is not None and broken.seq == target.seq + 1
    assert "缺少" in reason


def test_deleted_tail_is_reported(db):
    write(3)
    last = AuditEvent.objects.order_by("-seq").first()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    count, broken, reason = audit.verify()
    assert count == 2 and broken is None and "链头" in reason


def test_failing_service_leaves_no_change_and_no_event(world):
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput):
        services.do_create_org(SYSTEM, world.zone, code="bad code!", name="", kind="department")
    assert AuditEvent.objects.count() == before
    assert not Org.objects.filter(code="bad code!").exists()


def test_service_event_has_before_and_after(world):
    services.do_update_org(SYSTEM, world.department, name="经济发展局")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "org.update"
    assert event.before == {"name": "经济发展处"} and event.after == {"name": "经济发展局"}
    assert event.zone_id == world.zone.pk


def test_verify_command_exit_codes(db, capsys):
    write(2)
    call_command("audit", "verify")
    assert "2 events, chain intact" in capsys.readouterr().out
    target = AuditEvent.objects.order_by("seq").first()
    _raw("UPDATE core_auditevent SET object_label = %s WHERE id = %s", ["x", target.pk])
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    assert f"#{target.seq}" in capsys.readouterr().err


def test_export_command_writes_a_real_workbook(db, tmp_path):
    write(3)
    out = tmp_path / "audit.xlsx"
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    call_command("audit", "export", "--from", today, "--to", today, "--out", str(out))
    rows = list(load_workbook(io.BytesIO(out.read_bytes()), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "时间", "操作人账号")
    assert len(rows) == 4
    assert {r[10] for r in rows[1:]} == {"第0条", "第1条", "第2条"}


def test_refused_access_is_recorded(world, api_for, client_for):
    api_for(world.leader).get("/api/v1/audit-events/")
    client_for(world.clerk).get("/core/audit/")
    denied = AuditEvent.objects.filter(action="access.denied")
    assert {e.actor_name for e in denied} == {"t_leader", "t_clerk"}
    assert any("/api/v1/audit-events/" in e.object_label for e in denied)
