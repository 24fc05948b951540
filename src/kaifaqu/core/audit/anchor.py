"""An anchor for the audit chain outside the database: a MAC'd chain head and signed checkpoints in a file.

The hash chain alone proves that no event was changed or removed *in the middle*; removing the newest events and
rewinding the head, or emptying the table, leaves a chain that is intact. Two things close that gap:

- the head row carries an HMAC-SM3 over (seq, last_hash) under a key derived from the audit key, so it cannot be
  rewound without the key;
- ``kaifaqu tick`` appends a signed checkpoint (seq, hash, time, MAC) to an append-only file in
  ``KAIFAQU_AUDIT_ANCHOR_DIR`` whenever the head moved, and at least hourly. The file lives outside the database
  (another volume, or shipped to syslog — docs/deploy.md), so whoever can rewrite the database cannot rewrite it.

``audit.verify`` compares the chain with every valid checkpoint and with the newest one in particular.
"""

import datetime
import hmac as py_hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kaifaqu.core.audit.models import AuditChainHead, AuditEvent
from kaifaqu.core.crypto import hmac_digest, mac_key

log = logging.getLogger(__name__)

ANCHOR_FILE = "audit-checkpoints.log"
CHECKPOINT_EVERY = datetime.timedelta(hours=1)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def head_mac(seq: int, last_hash: str) -> str:
    message = f"audit-head|{int(seq)}|{last_hash}".encode()
    return hmac_digest(mac_key(settings.AUDIT_KEY, "audit-head"), message).hex()


def head_is_authentic(head) -> bool:
    return bool(head.mac) and py_hmac.compare_digest(head_mac(head.seq, head.last_hash), head.mac)


def checkpoint_mac(seq: int, last_hash: str, time: str) -> str:
    message = f"audit-checkpoint|{int(seq)}|{last_hash}|{time}".encode()
    return hmac_digest(mac_key(settings.AUDIT_KEY, "audit-anchor"), message).hex()


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR) / ANCHOR_FILE


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    line: int = 0

    @property
    def at(self) -> datetime.datetime:
        return datetime.datetime.strptime(self.time, _TIME_FORMAT).replace(tzinfo=datetime.UTC)

    @property
    def local_time(self) -> str:
        from django.utils import timezone

        return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Anchor:
    checkpoints: tuple  # valid ones, in file order
    problems: tuple  # Chinese messages about lines that do not verify
    path: Path
    exists: bool

    @property
    def newest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def _parse(raw: bytes, number: int) -> tuple[Checkpoint | None, str]:
    """(checkpoint, '') for a line that verifies, (None, Chinese message) for one that does not."""
    try:
        data = json.loads(raw)
        cp = Checkpoint(int(data["seq"]), str(data["hash"]), str(data["time"]), number)
        cp.at  # noqa: B018 - the time must parse
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError):
        return None, f"外部锚点第 {number} 行无法解析（锚点文件被改动或写入中断）"
    if not py_hmac.compare_digest(checkpoint_mac(cp.seq, cp.hash, cp.time), mac):
        return None, f"外部锚点第 {number} 行（记载 #{cp.seq}）校验码不符（锚点被伪造或改动）"
    return cp, ""


def read_anchor(path: Path | None = None) -> Anchor:
    path = path or anchor_path()
    if not path.exists():
        return Anchor((), (), path, False)
    good, bad = [], []
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                cp, problem = _parse(raw, number)
                if cp is not None:
                    good.append(cp)
                else:
                    bad.append(problem)
    return Anchor(tuple(good), tuple(bad), path, True)


def newest_checkpoint(path: Path | None = None, tail: int = 64 * 1024) -> Checkpoint | None:
    """The last line that verifies, read from the end of the file (tick runs every minute; the file grows)."""
    path = path or anchor_path()
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - tail))
        lines = fh.read().splitlines()
    if size > tail:
        lines = lines[1:]  # the first one may be cut
    for raw in reversed(lines):
        if raw.strip():
            cp, _ = _parse(raw, 0)
            if cp is not None:
                return cp
    return read_anchor(path).newest if size > tail else None


def append_checkpoint(seq: int, last_hash: str, now: datetime.datetime, path: Path | None = None) -> Checkpoint:
    """One line appended with O_APPEND and fsync'd, so a checkpoint that was reported written survives a crash."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    time = now.astimezone(datetime.UTC).strftime(_TIME_FORMAT)
    line = json.dumps({"seq": int(seq), "hash": last_hash, "time": time, "mac": checkpoint_mac(seq, last_hash, time)},
                      separators=(",", ":")) + "\n"
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:  # the new directory entry must survive a crash too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return Checkpoint(int(seq), last_hash, time)


def write_checkpoint(now: datetime.datetime) -> dict:
    """The tick job: checkpoint the head when it moved, or when the newest checkpoint is an hour old.

    A head that does not verify, or that is behind the newest checkpoint, is never checkpointed (that would anchor
    the tampering); it is logged and left for ``kaifaqu audit verify`` to report."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or not head_is_authentic(head):
        log.error("audit anchor: the chain head is missing or its MAC does not verify; no checkpoint written")
        return {"refused": 1}
    if head.seq and not AuditEvent.objects.filter(seq=head.seq, hash=head.last_hash).exists():
        log.error("audit anchor: the chain head names #%s but that event is missing or differs", head.seq)
        return {"refused": 1}
    newest = newest_checkpoint()
    if newest is not None:
        if head.seq < newest.seq or (newest.seq and not AuditEvent.objects.filter(
                seq=newest.seq, hash=newest.hash).exists()):
            log.error("audit anchor: the chain no longer holds the newest checkpoint (#%s); no checkpoint written",
                      newest.seq)
            return {"refused": 1}
        if (newest.seq, newest.hash) == (head.seq, head.last_hash) and now - newest.at < CHECKPOINT_EVERY:
            return {"unchanged": 1}
    append_checkpoint(head.seq, head.last_hash, now)
    return {"written": 1}


