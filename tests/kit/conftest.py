"""Permissions of the test app, granted by extending each user's scope (core only reads ``user.scope``), so the
central role table stays as it is."""

import dataclasses

import pytest
from django.utils.functional import cached_property

KIT_PERMS = {
    "zone_staff": {"kitapp.view", "kitapp.close", "kitapp.reopen"},
    "zone_leader": {"kitapp.view", "kitapp.close", "kitapp.reopen"},
    "street_staff": {"kitapp.view"},
    "audit_admin": {"kitapp.view"},
}


@pytest.fixture(autouse=True)
def kit_perms(monkeypatch):
    from kaifaqu.accounts.models import User

    original = User.__dict__["scope"].real_func

    def scope(self):
        base = original(self)
        if not self.is_active:
            return base
        return dataclasses.replace(base, perms=base.perms | KIT_PERMS.get(self.role, set()))

    prop = cached_property(scope)
    prop.__set_name__(User, "scope")
    monkeypatch.setattr(User, "scope", prop)
    return KIT_PERMS


@pytest.fixture
def ticket(world):
    from tests.kitapp.services import create_ticket

    return create_ticket(world.clerk, world.department, "路灯不亮")
