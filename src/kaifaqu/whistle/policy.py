"""The zone's limits by kind and its scoring weights (with the platform defaults), and which units may be
addressed: read by the services, the process and the figures alike."""

from kaifaqu.core.errors import InvalidInput
from kaifaqu.core.tenancy import org_model

from .models import UNIT_KINDS, WhistleKind, WhistlePolicy, WhistleScoring

POLICY_DEFAULTS = {
    WhistleKind.EMERGENCY: {"report_in_limit": 30, "plan_limit": None, "solve_limit": 24, "supervise_after": 1,
                            "escalate_after": 2},
    WhistleKind.KEY_TASK: {"report_in_limit": 1, "plan_limit": 3, "solve_limit": 30, "supervise_after": 2,
                           "escalate_after": 3},
}
POLICY_BOUNDS = {  # field: (kind → (min, max)), in the kind's unit
    "report_in_limit": {WhistleKind.EMERGENCY: (5, 1440), WhistleKind.KEY_TASK: (1, 10)},
    "plan_limit": {WhistleKind.KEY_TASK: (1, 30)},
    "solve_limit": {WhistleKind.EMERGENCY: (1, 240), WhistleKind.KEY_TASK: (1, 250)},
    "supervise_after": {WhistleKind.EMERGENCY: (1, 30), WhistleKind.KEY_TASK: (1, 30)},
    "escalate_after": {WhistleKind.EMERGENCY: (1, 30), WhistleKind.KEY_TASK: (1, 30)},
}


def policy_for(zone_id, kind) -> WhistlePolicy:
    """The zone's row, or the platform defaults (unsaved) when the zone has not set its own."""
    found = WhistlePolicy.objects.filter(zone_id=zone_id, kind=kind).first()
    return found or WhistlePolicy(zone_id=zone_id, kind=kind, **POLICY_DEFAULTS[WhistleKind(kind)])


def scoring_for(zone_id) -> WhistleScoring:
    return WhistleScoring.objects.filter(zone_id=zone_id).first() or WhistleScoring(zone_id=zone_id)


def unit_of_zone(zone_id, org, *, field):
    """An addressable unit (department, institution, stationed agency, street, city department, platform company)
    of this zone, in being; anything else is refused naming the field (another zone's unit reads as unknown)."""
    Org = org_model()
    pk = getattr(org, "pk", org)
    found = Org.objects.filter(pk=pk, zone_id=zone_id).first() if isinstance(pk, int) else None
    if found is None:
        raise InvalidInput("承办单位不存在或不属于本开发区。", fields={field: ["承办单位不存在或不属于本开发区。"]})
    if found.kind not in UNIT_KINDS or not found.is_active:
        raise InvalidInput(f"“{found}”不能作为承办单位。", fields={field: [f"“{found}”不能作为承办单位（须为在存续的部门、"
                                                                    "街道、派驻机构或市直部门）。"]})
    return found
