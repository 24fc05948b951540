"""Declarative scoping rules (core.access.Rule on ZoneScopedQuerySet): OR-ed, each within the user's zones."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kaifaqu.core.access import Rule, Scope, ZoneScopedQuerySet
from kaifaqu.core.clock.models import DeadlineClock
from kaifaqu.core.webhooks.models import Webhook
from kaifaqu.org.models import Secondment, Staff
from tests.factories import StaffFactory


def scope(*perms, org=None, zones=()):
    return Scope(user_id=1, role="test", org_id=org.pk if org else None, zone_ids=frozenset(zones),
                 perms=frozenset(perms))


def ids(qs):
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def people(world):
    """Staff in two units of the demo zone and one in the other zone; secondments out of and into the street."""
    street_staff = StaffFactory(org=world.street_org, name="赵街道")
    out = Secondment.objects.create(zone=world.zone, staff=street_staff, host_name="省发改委", post="副处长",
                                    start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1))
    hosted = Secondment.objects.create(zone=world.zone, staff=world.staff, host_org=world.street_org, post="副主任",
                                       start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1))
    unrelated = Secondment.objects.create(zone=world.zone, staff=world.staff, host_name="市商务局", post="科员",
                                          start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1))
    return street_staff, out, hosted, unrelated


@pytest.mark.django_db
def test_whole_zone_rule_sees_every_unit_of_the_users_zones_only(world, people):
    street_staff, *_ = people
    visible = ids(Staff.objects.scope_filter(scope("staff.view_all", zones=[world.zone.pk])))
    assert visible == {world.staff.pk, street_staff.pk}


@pytest.mark.django_db
def test_own_org_rule_sees_the_own_unit_only(world, people):
    street_staff, *_ = people
    assert ids(Staff.objects.scope_filter(scope("staff.view_own", org=world.street_org, zones=[world.zone.pk]))) \
        == {street_staff.pk}


@pytest.mark.django_db
def test_own_org_and_addressed_rules_are_ored(world, people):
    _, out, hosted, _unrelated = people
    s = scope("staff.view_own", org=world.street_org, zones=[world.zone.pk])
    assert ids(Secondment.objects.scope_filter(s)) == {out.pk, hosted.pk}


@pytest.mark.django_db
def test_every_rule_stays_within_the_users_zones(world, people):
    # The street's own rows, asked for by a scope whose zones do not include the street's zone.
    s = scope("staff.view_own", "staff.view_all", org=world.street_org, zones=[world.other_zone.pk])
    assert ids(Staff.objects.scope_filter(s)) == {world.other_staff.pk}
    assert not Secondment.objects.scope_filter(s).exists()
    s = scope("staff.view_own", org=world.street_org, zones=[world.other_zone.pk])
    assert not Staff.objects.scope_filter(s).exists()


@pytest.mark.django_db
def test_no_zones_see_nothing_even_with_every_permission(world, people):
    s = scope("staff.view_own", "staff.view_all", "org.change", org=world.street_org)
    assert not Staff.objects.scope_filter(s).exists()
    assert not Secondment.objects.scope_filter(s).exists()


@pytest.mark.django_db
def test_no_rule_applies_gives_none(world, people):
    assert not Staff.objects.scope_filter(scope("org.view", org=world.street_org, zones=[world.zone.pk])).exists()
    # An own-organisation rule needs an organisation.
    assert not Staff.objects.scope_filter(scope("staff.view_own", zones=[world.zone.pk])).exists()


@pytest.mark.django_db
def test_rule_without_permission_and_rows_without_zone(world):
    kind = ContentType.objects.get_for_model(Staff)
    now = timezone.now()
    here = DeadlineClock.objects.create(zone_id=world.zone.pk, content_type=kind, object_id="1", kind="t",
                                        unit="days", limit=3, started_at=now)
    DeadlineClock.objects.create(zone_id=None, content_type=kind, object_id="2", kind="t", unit="days", limit=3,
                                 started_at=now)
    # Rule.zone() needs no permission, but a row without a zone matches no zone.
    assert ids(DeadlineClock.objects.scope_filter(scope(zones=[world.zone.pk, world.other_zone.pk]))) == {here.pk}


@pytest.mark.django_db
def test_webhooks_whole_zone_with_webhooks_manage_else_own_unit(world):
    now = timezone.now()
    mine = Webhook.objects.create(zone_id=world.zone.pk, org_id=world.street_org.pk, org_name="东城街道",
                                  url="https://a.example/h", secret_sealed="x", created_at=now)
    theirs = Webhook.objects.create(zone_id=world.zone.pk, org_id=world.department.pk, org_name="经济发展处",
                                    url="https://b.example/h", secret_sealed="x", created_at=now)
    assert ids(Webhook.objects.scope_filter(scope(org=world.street_org, zones=[world.zone.pk]))) == {mine.pk}
    assert ids(Webhook.objects.scope_filter(scope("webhooks.manage", org=world.street_org, zones=[world.zone.pk]))) \
        == {mine.pk, theirs.pk}


@pytest.mark.django_db
def test_visible_to_refuses_anonymous_and_scope_filter_stays_overridable(world, people):
    from django.contrib.auth.models import AnonymousUser

    assert not Staff.objects.visible_to(AnonymousUser()).exists()
    assert not Staff.objects.visible_to(None).exists()

    class OnlyLeft(ZoneScopedQuerySet):
        rules = (Rule.zone("staff.view_all"),)

        def scope_filter(self, scope):
            return super().scope_filter(scope).filter(status="left")

    qs = OnlyLeft(model=Staff)
    Staff.objects.filter(pk=world.staff.pk).update(status="left")
    assert ids(qs.visible_to(world.leader)) == {world.staff.pk}
    assert not qs.visible_to(world.street).exists()


def test_rule_conditions():
    s = Scope(user_id=1, org_id=7, zone_ids=frozenset({1}), perms=frozenset({"a"}))
    assert Rule.zone("b").condition(s) is None
    assert not Rule.zone("a").condition(s)  # Q(): the whole zone
    assert Rule.own_org("a", field="org_id").condition(s).children == [("org_id", 7)]
    assert Rule.addressed(field="assignee_org_id").condition(s).children == [("assignee_org_id", 7)]
    assert Rule.own_org("a").condition(Scope(user_id=1, perms=frozenset({"a"}))) is None


def test_a_queryset_without_rules_or_with_the_old_view_perm_fails_at_definition():
    with pytest.raises(TypeError, match="view_perm is gone"):
        type("OldStyle", (ZoneScopedQuerySet,), {"view_perm": "org.view", "rules": (Rule.zone("org.view"),)})
    with pytest.raises(TypeError, match="declares no scoping rules"):
        type("Forgotten", (ZoneScopedQuerySet,), {})
    type("Custom", (ZoneScopedQuerySet,), {"scope_filter": lambda self, scope: self.none()})
    type("Declared", (ZoneScopedQuerySet,), {"rules": (Rule.zone("org.view"),)})
