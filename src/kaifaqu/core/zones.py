"""Which zone a request works in: one answer for pages, the API and imports.

"The user's zones" are ``scope.zone_ids`` (their organisation's zone, extra zones a security administrator gave
them, every zone for a platform administrator); the platform itself (``SYSTEM``) may name any existing zone.
A zone that is asked for must be one of them; when none is asked for, the user's only zone is taken, and where the
caller allows it the zone of the user's own organisation. Otherwise the caller is asked to choose.

The API and imports answer 400 with the field named (``ZoneInvalid``, ``ZoneNotChosen``); pages answer 404 like for
any object outside the scope (``zone_for_page``).
"""

from django.http import Http404

from kaifaqu.core.access import is_system, scope_of
from kaifaqu.core.errors import InvalidInput
from kaifaqu.core.tenancy import tenant_model

INVALID = "开发区无效。"
CHOOSE = "请选择开发区。"


class ZoneInvalid(InvalidInput):
    """The zone asked for is not an id of one of the user's zones."""


class ZoneNotChosen(InvalidInput):
    """The user works in several zones and did not say which."""


def zone_model():
    """The tenant model (``settings.KAIFAQU_TENANT_MODEL``)."""
    return tenant_model()


def user_zones(user):
    """The zones a user works in, by code: the choices of a zone field."""
    return zone_model().objects.filter(pk__in=scope_of(user).zone_ids).order_by("code")


def _zone_id(value) -> int | None:
    """An id as written by a person or a client: a positive integer or its ASCII digits (a bool is not one)."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, int):
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            return None
        value = int(text)
    return value if 0 < value < 2**63 else None


def resolve_zone(user, requested=None, *, required=True, own_org_zone=False, field="zone",
                 choose_message=CHOOSE) -> int | None:
    """The id of the zone a request of ``user`` works in.

    ``requested`` (an id, as given: a query parameter, a body field, a form value): must be one of the user's zones,
    else ``ZoneInvalid``. Not given: ``None`` when not ``required`` (platform-wide, or nothing zoned); the user's
    only zone; with ``own_org_zone`` the zone of the user's organisation; else ``ZoneNotChosen`` (``choose_message``).
    """
    if requested not in (None, ""):
        zone_id = _zone_id(requested)
        if is_system(user):
            valid = zone_id is not None and zone_model().objects.filter(pk=zone_id).exists()
        else:
            valid = zone_id in scope_of(user).zone_ids
        if not valid:
            raise ZoneInvalid(INVALID, fields={field: [INVALID]})
        return zone_id
    if not required:
        return None
    zone_ids = scope_of(user).zone_ids
    if len(zone_ids) == 1:
        return next(iter(zone_ids))
    org = getattr(user, "org", None) if own_org_zone else None
    if org is not None and org.zone_id in zone_ids:
        return org.zone_id
    raise ZoneNotChosen(choose_message, fields={field: [CHOOSE]})


def resolve_zone_object(user, requested=None, **options):
    """As ``resolve_zone``, the zone itself (None where ``resolve_zone`` gives None)."""
    zone_id = resolve_zone(user, requested, **options)
    if zone_id is None:
        return None
    zone = zone_model().objects.filter(pk=zone_id).first()
    if zone is None:
        field = options.get("field", "zone")
        raise ZoneInvalid(INVALID, fields={field: [INVALID]})
    return zone


def zone_for_page(user, requested=None):
    """The zone a page's form works in (``?zone=`` or the user's own): 404 for a zone outside the user's, and 404
    asking to choose when the user works in several zones and the page did not say which."""
    try:
        return resolve_zone_object(user, requested, own_org_zone=True)
    except ZoneNotChosen:
        raise Http404("请先选择开发区。") from None
    except ZoneInvalid:
        raise Http404("未找到该对象，或您无权查看。") from None
