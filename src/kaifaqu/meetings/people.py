"""Who is told: the zone's leaders, a unit's head (``Org.head``)."""

from django.contrib.auth import get_user_model


def zone_leaders(zone_id):
    return list(get_user_model().objects.filter(role="zone_leader", org__zone_id=zone_id, is_active=True))


def heads_of(org):
    return [org.head] if getattr(org, "head_id", None) else []
