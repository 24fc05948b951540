"""Truncation of the audit trail is detected against the MAC'd head and the signed checkpoints outside the database.

Every variant of the outside review is reproduced with raw SQL (as someone with database access but without the
audit key would do it) and must make ``kaifaqu audit verify`` exit 1 naming the first broken sequence number.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from kaifaqu.core import audit, tick
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit import anchor as audit_anchor
from kaifaqu.core.audit.models import AuditChainHead, AuditEvent

NOW = datetime.datetime(2026, 12, 2, 4, 0, tzinfo=datetime.UTC)


def write(n):
    for i in range(n):
        with transaction.atomic():
            audit.record(SYSTEM, "test.write", None, object_type="test", object_id=str(i), object_label=f"第{i}条")


def raw(*statements):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def event(seq):
    return AuditEvent.objects.get(seq=seq)


def delete_from(seq):
    return ("DELETE FROM core_auditevent WHERE seq >= %s", [seq])


def set_head(seq, last_hash, mac=None):
    """Rewind the head. Without ``mac`` the MAC column is left as it was (no key); with it, as a key holder would."""
    if mac is None:
        return ("UPDATE core_auditchainhead SET seq = %s, last_hash = %s WHERE id = 1", [seq, last_hash])
    return ("UPDATE core_auditchainhead SET seq = %s, last_hash = %s, mac = %s WHERE id = 1", [seq, last_hash, mac])


def verify_fails(capsys, seq):
    """``audit verify`` exits 1 and names ``#seq`` in Chinese; returns the error output."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"第 #{seq} 条" in err, err
    return err


def checkpoint(now=NOW):
    return audit_anchor.write_checkpoint(now)


def test_fresh_database_head_is_sealed_by_the_migration(db, capsys):
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.last_hash) == (0, "") and audit_anchor.head_is_authentic(head)
    assert audit.verify().ok
    call_command("audit", "verify")
    assert "未找到外部锚点" in capsys.readouterr().out


def test_head_mac_follows_every_write(db):
    write(3)
    head = AuditChainHead.objects.get(pk=1)
    assert head.seq == 3 and head.last_hash == event(3).hash
    assert head.mac == audit_anchor.head_mac(3, event(3).hash)
    assert head.mac != audit_anchor.head_mac(2, event(2).hash)
    assert audit.verify().ok


def test_tick_writes_a_signed_checkpoint_line(db, settings, capsys):
    write(2)
    call_command("tick")
    assert "audit_anchor: written 1" in capsys.readouterr().out
    path = settings.AUDIT_ANCHOR_DIR / audit_anchor.ANCHOR_FILE
    (line,) = path.read_text().splitlines()
    data = json.loads(line)
    assert data["seq"] == 2 and data["hash"] == event(2).hash
    assert data["mac"] == audit_anchor.checkpoint_mac(2, event(2).hash, data["time"])
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "与外部锚点一致：最新检查点 #2" in out


def test_checkpoint_only_when_the_head_moved_or_an_hour_passed(db, settings):
    write(1)
    assert checkpoint(NOW) == {"written": 1}
    assert checkpoint(NOW + datetime.timedelta(minutes=59)) == {"unchanged": 1}
    write(1)
    assert checkpoint(NOW + datetime.timedelta(minutes=59)) == {"written": 1}
    assert checkpoint(NOW + datetime.timedelta(minutes=100)) == {"unchanged": 1}
    assert checkpoint(NOW + datetime.timedelta(minutes=120)) == {"written": 1}
    lines = (settings.AUDIT_ANCHOR_DIR / audit_anchor.ANCHOR_FILE).read_text().splitlines()
    assert [json.loads(x)["seq"] for x in lines] == [1, 2, 2]


def test_newest_checkpoint_is_read_from_the_end_of_the_file(db, settings):
    path = settings.AUDIT_ANCHOR_DIR / audit_anchor.ANCHOR_FILE
    for i in range(1, 41):
        audit_anchor.append_checkpoint(i, f"{i:064x}", NOW)
    assert audit_anchor.newest_checkpoint(tail=300).seq == 40
    with open(path, "a") as fh:
        fh.write(json.dumps({"seq": 99, "hash": "0" * 64, "time": "2026-12-02T05:00:00Z", "mac": "0" * 64}) + "\n")
    assert audit_anchor.newest_checkpoint(tail=300).seq == 40  # the forged line is passed over
    assert audit_anchor.read_anchor().newest.seq == 40
    with open(path, "a") as fh:  # a tail holding no valid line: the whole file is read
        fh.write(("x" * 80 + "\n") * 10)
    assert audit_anchor.newest_checkpoint(tail=300).seq == 40
    path.write_text("")
    assert audit_anchor.newest_checkpoint() is None


def test_tick_refuses_to_anchor_a_tampered_head(db, settings):
    write(3)
    checkpoint()
    raw(delete_from(3), set_head(2, event(2).hash))
    assert checkpoint(NOW + datetime.timedelta(hours=2)) == {"refused": 1}
    # Even a key holder who rewinds the head with a valid MAC does not get the shorter chain anchored.
    raw(set_head(2, event(2).hash, audit_anchor.head_mac(2, event(2).hash)))
    assert checkpoint(NOW + datetime.timedelta(hours=2)) == {"refused": 1}
    assert len((settings.AUDIT_ANCHOR_DIR / audit_anchor.ANCHOR_FILE).read_text().splitlines()) == 1


# The variants of the review ----------------------------------------------------------------------------------

def test_deleted_newest_event_and_rewound_head_against_a_checkpoint(db, capsys):
    write(4)
    checkpoint()
    raw(delete_from(4), set_head(3, event(3).hash))
    err = verify_fails(capsys, 4)
    assert "记录少于外部锚点" in err and "#4" in err and "数据库只到 #3" in err


def test_rewound_head_without_a_checkpoint_fails_on_its_mac(db, capsys):
    write(4)
    raw(delete_from(4), set_head(3, event(3).hash))
    err = verify_fails(capsys, 4)
    assert "链头校验码不符" in err


def test_key_holder_rewinding_the_head_is_caught_by_the_checkpoint(db, capsys):
    write(4)
    checkpoint()
    raw(delete_from(4), set_head(3, event(3).hash, audit_anchor.head_mac(3, event(3).hash)))
    assert "记录少于外部锚点" in verify_fails(capsys, 4)


def test_deleted_newest_event_and_head_row(db, capsys):
    write(3)
    raw(delete_from(3), ("DELETE FROM core_auditchainhead", []))
    assert "链头记录缺失" in verify_fails(capsys, 3)
    checkpoint()  # refused: there is no head
    assert not audit_anchor.anchor_path().exists()


def test_deleted_newest_event_and_head_row_against_a_checkpoint(db, capsys):
    write(3)
    checkpoint()
    raw(delete_from(3), ("DELETE FROM core_auditchainhead", []))
    assert "记录少于外部锚点" in verify_fails(capsys, 3)


def test_empty_table_after_a_checkpoint(db, capsys):
    write(3)
    checkpoint()
    raw(delete_from(1), ("DELETE FROM core_auditchainhead", []))
    err = verify_fails(capsys, 1)
    assert "审计表为空" in err and "#3" in err


def test_empty_table_with_the_head_left_in_place(db, capsys):
    write(3)
    raw(delete_from(1))
    err = verify_fails(capsys, 1)
    assert "审计表为空，但链头记载至 #3" in err


def test_different_hash_at_a_checkpointed_seq(db, capsys):
    # Someone with the key replaces event #3 and rebuilds the head: the chain and the head verify, the anchor does not.
    write(4)
    checkpoint()
    raw(delete_from(3), set_head(2, event(2).hash, audit_anchor.head_mac(2, event(2).hash)))
    write(2)
    assert audit.verify().seq == 4  # the checkpoint names #4
    err = verify_fails(capsys, 4)
    assert "哈希与外部锚点" in err


def test_head_that_disagrees_with_the_newest_event(db, capsys):
    write(3)
    head = AuditChainHead.objects.get(pk=1)
    # A forged head: values changed, MAC left as it was.
    raw(set_head(3, event(2).hash))
    assert "链头校验码不符" in verify_fails(capsys, 4)
    # A head with a valid MAC (key holder) that names an older event: #3 lies outside the head.
    raw(set_head(2, event(2).hash, audit_anchor.head_mac(2, event(2).hash)))
    assert "不在链头记载之内" in verify_fails(capsys, 3)
    # Right seq, wrong hash, valid MAC.
    raw(set_head(3, event(2).hash, audit_anchor.head_mac(3, event(2).hash)))
    assert "链头与最后一条记录不符" in verify_fails(capsys, 3)
    # Head ahead of the table with a valid MAC.
    raw(set_head(5, head.last_hash, audit_anchor.head_mac(5, head.last_hash)))
    assert "链头记载至 #5" in verify_fails(capsys, 4)


def test_forged_checkpoint_line_is_reported(db, settings, capsys):
    write(2)
    checkpoint()
    path = settings.AUDIT_ANCHOR_DIR / audit_anchor.ANCHOR_FILE
    good = json.loads(path.read_text())
    forged = dict(good, seq=1, hash=event(1).hash)  # an older state with the MAC of another line
    with open(path, "a") as fh:
        fh.write(json.dumps(forged) + "\n")
        fh.write("not a checkpoint\n")
    verdict = audit.verify()
    # The forged line is not used: the newest valid checkpoint is still #2.
    assert verdict.anchor.newest.seq == 2 and not verdict.ok
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "外部锚点第 2 行（记载 #1）校验码不符" in err
    assert "外部锚点第 3 行无法解析" in err


def test_forged_line_does_not_hide_a_truncation(db, settings, capsys):
    write(3)
    checkpoint()
    raw(delete_from(3), set_head(2, event(2).hash))
    path = settings.AUDIT_ANCHOR_DIR / audit_anchor.ANCHOR_FILE
    line = json.loads(path.read_text())
    with open(path, "a") as fh:  # a newer "checkpoint" matching the truncated chain, without the key
        fh.write(json.dumps(dict(line, seq=2, hash=event(2).hash, time="2026-12-02T05:00:00Z")) + "\n")
    err = verify_fails(capsys, 3)
    assert "记录少于外部锚点" in err and "外部锚点第 2 行（记载 #2）校验码不符" in err


def test_anchor_dir_is_configurable(db, settings, tmp_path, capsys):
    settings.AUDIT_ANCHOR_DIR = tmp_path / "elsewhere" / "anchor"
    write(1)
    tick.run(NOW)
    assert (tmp_path / "elsewhere" / "anchor" / audit_anchor.ANCHOR_FILE).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_superuser_dropping_the_trigger_then_truncating(db, capsys):
    write(4)
    checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER core_auditevent_append_only ON core_auditevent")
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= 3")
        cursor.execute("UPDATE core_auditchainhead SET seq = 2, last_hash = %s", [event(2).hash])
    assert "记录少于外部锚点" in verify_fails(capsys, 3)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    assert "审计表为空" in verify_fails(capsys, 1)
