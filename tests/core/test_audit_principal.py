"""An event may name the principal on whose behalf the actor acted; it is hashed only when set."""

import pytest
from django.db import transaction

from kaifaqu.core import audit
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent


def test_principal_is_recorded_and_chained(db):
    principal = {"type": "org.org", "id": 9, "name": "某某科技有限公司"}
    with transaction.atomic():
        plain = audit.record(SYSTEM, "test.plain", None, object_type="test", object_id="1")
        with audit.acting_for(principal):
            behalf = audit.record(SYSTEM, "test.behalf", None, object_type="test", object_id="2")
        after = audit.record(SYSTEM, "test.after", None, object_type="test", object_id="3")
    assert (plain.principal, behalf.principal, after.principal) == (None, principal, None)
    assert b'"principal"' not in audit.canonical(plain)
    assert b'"principal"' in audit.canonical(behalf)
    assert audit.verify().ok


def test_changing_the_principal_breaks_the_chain(db):
    with transaction.atomic():
        audit.record(SYSTEM, "test.behalf", None, object_type="test", object_id="1",
                     principal={"type": "org.org", "id": 9, "name": "甲公司"})
    event = AuditEvent.objects.get()
    event.principal = {"type": "org.org", "id": 10, "name": "乙公司"}
    assert audit.compute_hash(event) != event.hash


@pytest.mark.parametrize("explicit", [True, False])
def test_explicit_principal_wins_over_the_block(db, explicit):
    with transaction.atomic(), audit.acting_for({"type": "org.org", "id": 1, "name": "甲"}):
        event = audit.record(SYSTEM, "test.x", None, object_type="test", object_id="1",
                             principal={"type": "org.org", "id": 2, "name": "乙"} if explicit else None)
    assert event.principal["id"] == (2 if explicit else 1)
