"""The audit trail (全程留痕): one append-only, HMAC-SM3 chained table.

``record`` is called by services inside their ``transaction.atomic()`` block, so the change and its
event commit or roll back together. Writers are serialised on the single ``AuditChainHead`` row.
"""

import contextlib
import contextvars
import datetime
import decimal
import hmac as py_hmac
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from kaifaqu.core.audit.anchor import head_is_authentic, head_mac, read_anchor
from kaifaqu.core.audit.models import AuditChainHead, AuditEvent
from kaifaqu.core.crypto import hmac_digest
from kaifaqu.core.web import context

HASHED_FIELDS = (
    "seq", "created_at", "zone_id", "actor_id", "actor_name", "actor_display", "actor_org_id", "actor_org_name",
    "actor_zone_id", "ip", "user_agent", "channel", "action", "object_type", "object_id", "object_label",
    "before", "after", "reason", "prev_hash",
)


def sm3_hmac(key: bytes, data: bytes) -> str:
    return hmac_digest(key, data, "sm3").hex()


def _jsonable(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def canonical(event: AuditEvent) -> bytes:
    row = {}
    for name in HASHED_FIELDS:
        value = getattr(event, name)
        if name == "created_at":
            value = value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        row[name] = _jsonable(value)
    if event.principal is not None:
        row["principal"] = _jsonable(event.principal)
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return sm3_hmac(settings.AUDIT_KEY.encode(), event.prev_hash.encode() + b"|" + canonical(event))


def snapshot(instance, fields=None, exclude=("version",)) -> dict:
    """JSON-safe dict of a model instance's concrete fields (FKs by id), for before/after."""
    data = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in exclude:
            continue
        data[f.attname] = _jsonable(getattr(instance, f.attname))
    return data


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed (both sides), so the log shows what an edit did."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


_principal = contextvars.ContextVar("kaifaqu_audit_principal", default=None)


def principal_of(org) -> dict:
    """The principal record of an organisation (the enterprise an agent acts for)."""
    return {"type": org._meta.label_lower, "id": org.pk, "name": str(org)[:200]}


@contextlib.contextmanager
def acting_for(principal: dict):
    """Every event recorded inside the block names ``principal`` as the party on whose behalf the actor acted."""
    token = _principal.set(principal)
    try:
        yield
    finally:
        _principal.reset(token)


def record(actor, action: str, obj=None, *, before=None, after=None, reason: str = "", zone_id=None,
           object_type: str = "", object_id: str = "", object_label: str = "", actor_name: str = "",
           principal: dict | None = None) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (it opens a savepoint-free atomic block).
    ``principal`` (default: the one of an enclosing ``acting_for``) names on whose behalf the actor acted."""
    info = context.current()
    if principal is None:
        principal = _principal.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:300]
        if zone_id is None:
            zone_id = getattr(obj, "zone_id", None)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    org = getattr(actor_obj, "org", None) if actor_obj else None
    with transaction.atomic():
        if not AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1):
            # Only after a database flush (tests): the migration creates the head row.
            AuditChainHead.objects.create(pk=1, seq=1 + (AuditEvent.objects.order_by("-seq")
                                                         .values_list("seq", flat=True).first() or 0))
        head = AuditChainHead.objects.get(pk=1)
        event = AuditEvent(
            seq=head.seq,
            created_at=timezone.now(),
            zone_id=zone_id,
            actor=actor_obj,
            actor_name=(actor_obj.get_username() if actor_obj else (actor_name or _system_label(actor)))[:150],
            actor_display=(actor_obj.get_full_name() if actor_obj else "")[:150],
            actor_org_id=org.pk if org else None,
            actor_org_name=(str(org) if org else "")[:200],
            actor_zone_id=org.zone_id if org else None,
            ip=info.ip,
            user_agent=info.user_agent,
            channel=info.channel,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_label=object_label[:300],
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            reason=reason,
            principal=_jsonable(principal) if principal is not None else None,
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, mac=head_mac(event.seq, event.hash))
    return event


def _system_label(actor) -> str:
    return getattr(actor, "label", "") if getattr(actor, "is_system", False) else ""


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found. Unpacks as ``(count, broken, reason)``; ``seq`` is the first broken sequence number
    (also when no event is left to point at), ``anchor`` the checkpoints it was compared with."""

    count: int
    broken: AuditEvent | None = None
    reason: str = ""
    seq: int | None = None
    anchor: object = None
    anchor_problems: tuple = ()

    def __iter__(self):
        return iter((self.count, self.broken, self.reason))

    @property
    def ok(self) -> bool:
        return not self.reason


def verify(stdout=None) -> Verdict:
    """Walk the chain in order, then hold it against the head (MAC'd) and the checkpoints outside the database.

    The first problem found is the verdict's reason: a broken link, then a checkpoint the table no longer
    matches, then a missing, forged or disagreeing head, then a forged checkpoint line."""
    anchor = read_anchor()
    anchored = {cp.seq: cp for cp in anchor.checkpoints}
    prev_hash = ""
    expected_seq = None
    last_seq = 0
    count = 0

    def broken_at(event, reason):
        return Verdict(count, event, reason, event.seq, anchor, anchor.problems)

    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if expected_seq is not None and event.seq != expected_seq:
            return broken_at(event, f"序号不连续：缺少 #{expected_seq} 至 #{event.seq - 1}（记录被删除）")
        if event.prev_hash != prev_hash:
            return broken_at(event, "前一哈希与上一条记录不符（记录被删除、插入或改动）")
        if not py_hmac.compare_digest(compute_hash(event), event.hash):
            return broken_at(event, "哈希不符（记录内容被改动）")
        cp = anchored.get(event.seq)
        if cp is not None and not py_hmac.compare_digest(cp.hash, event.hash):
            return broken_at(event, f"哈希与外部锚点（{cp.local_time}）记载的不符（记录被改写）")
        prev_hash = event.hash
        expected_seq = event.seq + 1
        last_seq = event.seq
        count += 1

    def broken_after(seq, reason):
        return Verdict(count, None, reason, seq, anchor, anchor.problems)

    newest = anchor.newest
    if newest is not None and last_seq < newest.seq:
        if not count:
            return broken_after(1, f"审计表为空，但外部锚点（{newest.local_time}）记载至 #{newest.seq}"
                                   "（记录被整表删除）")
        return broken_after(last_seq + 1, f"记录少于外部锚点：锚点（{newest.local_time}）记载至 #{newest.seq}，"
                                          f"数据库只到 #{last_seq}（末尾记录被删除）")
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return broken_after(last_seq + 1, "链头记录缺失（链头被删除）")
    if not head_is_authentic(head):
        return broken_after(last_seq + 1, "链头校验码不符（链头被伪造或改动）")
    if head.seq > last_seq and not count:
        return broken_after(1, f"审计表为空，但链头记载至 #{head.seq}（记录被整表删除）")
    if head.seq > last_seq:
        return broken_after(last_seq + 1, f"链头记载至 #{head.seq}，最后一条记录是 #{last_seq}（末尾记录被删除）")
    if head.seq < last_seq:
        return broken_after(head.seq + 1, f"#{head.seq + 1} 起的记录不在链头记载之内（记录被插入）")
    if head.last_hash != prev_hash:
        return broken_after(last_seq, "链头与最后一条记录不符（末尾记录被删除或改写）")
    if anchor.problems:
        return Verdict(count, None, anchor.problems[0], None, anchor, anchor.problems)
    return Verdict(count, None, "", None, anchor, ())
