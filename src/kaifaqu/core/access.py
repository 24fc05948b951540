"""Scoping: who may see what (ARCHITECTURE rule 1).

Every model a user reaches has a manager whose queryset offers ``visible_to(user)``. The user object
exposes ``scope`` (a :class:`Scope`), built by the accounts module; core only knows this interface.
Objects outside the scope answer 404, so their existence is not leaked.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.http import Http404

from kaifaqu.core.errors import Forbidden


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    role: str = ""
    org_id: int | None = None
    zone_ids: frozenset = field(default_factory=frozenset)
    perms: frozenset = field(default_factory=frozenset)

    def has(self, perm: str) -> bool:
        return perm in self.perms

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None


NO_SCOPE = Scope()


def scope_of(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    return user.scope


class SystemActor:
    """The platform itself acting (demo loader, CLI, tick). Services skip role checks for it; the audit
    trail names it by ``label``."""

    is_authenticated = False
    is_system = True

    def __init__(self, label: str = "system"):
        self.label = label

    def get_username(self):
        return self.label


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def require(user, perm: str) -> Scope:
    """Refuse (403) a user whose role lacks ``perm`` entirely; object-level checks still go through scoping."""
    if is_system(user):
        return Scope(role="system", perms=frozenset({perm}))
    scope = scope_of(user)
    if not scope.has(perm):
        raise Forbidden("您没有执行此操作的权限。")
    return scope


@dataclass(frozen=True)
class Rule:
    """One way to see a zone's rows; a queryset's ``rules`` are OR-ed, each within the user's zones.

    ``perm`` empty means any signed-in user of the zone. ``field`` names the organisation a row belongs to
    (``own_org``) or is addressed to (``addressed``), compared with the user's own organisation (``scope.org_id``)
    exactly: no model needs the organisation's descendants today.
    """

    kind: str
    perm: str = ""
    field: str = ""

    ZONE = "zone"
    OWN_ORG = "own_org"
    ADDRESSED = "addressed"

    @classmethod
    def zone(cls, perm: str = "") -> "Rule":
        """The whole zone with ``perm``."""
        return cls(cls.ZONE, perm)

    @classmethod
    def own_org(cls, perm: str = "", *, field: str = "org_id") -> "Rule":
        """Rows of the user's own organisation (``field`` = the user's org) with ``perm``."""
        return cls(cls.OWN_ORG, perm, field)

    @classmethod
    def addressed(cls, perm: str = "", *, field: str) -> "Rule":
        """Rows addressed to the user's organisation (``field`` = the user's org, e.g. an assignee) with ``perm``."""
        return cls(cls.ADDRESSED, perm, field)

    def condition(self, scope: Scope) -> Q | None:
        """The rows this rule lets ``scope`` see besides the zone restriction: Q() for all, None when it does not
        apply (permission missing, or no organisation for an organisation rule)."""
        if self.perm and not scope.has(self.perm):
            return None
        if self.kind == self.ZONE:
            return Q()
        if scope.org_id is None:
            return None
        return Q(**{self.field: scope.org_id})


class ZoneScopedQuerySet(models.QuerySet):
    """The one scoping path for zone data: ``visible_to(user)`` applies the queryset's declared ``rules``.

    Example: ``rules = (Rule.zone("staff.view_all"), Rule.own_org("staff.view_own", field="org_id"))``. A row is
    visible when any rule applies to it, and only within the user's zones (``zone_field__in=scope.zone_ids``):
    a user with no zones, and a row with no zone, match nothing. No rule applies → ``none()``.
    Override ``scope_filter`` only where a rule cannot say it (and say why in a comment).
    """

    rules: tuple = ()
    zone_field = "zone_id"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The rules replaced ``view_perm``: a queryset still naming it would silently show nothing.
        if "view_perm" in cls.__dict__:
            raise TypeError(f"{cls.__name__}.view_perm is gone: declare rules = (Rule.zone({cls.view_perm!r}),)")
        if not cls.rules and "scope_filter" not in cls.__dict__ and not any(
                "scope_filter" in base.__dict__ for base in cls.__mro__[1:] if base is not ZoneScopedQuerySet):
            raise TypeError(f"{cls.__name__} declares no scoping rules (rules = (...)) and no scope_filter")

    def visible_to(self, user):
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        return self.scope_filter(scope)

    def rule_condition(self, scope: Scope) -> Q | None:
        """The OR of the rules that apply to ``scope``, within its zones; None when none applies."""
        conditions = [c for c in (rule.condition(scope) for rule in self.rules) if c is not None]
        if not conditions or not scope.zone_ids:
            return None
        zone = Q(**{f"{self.zone_field}__in": scope.zone_ids})
        if any(not c for c in conditions):  # a whole-zone rule applies: the others add nothing
            return zone
        either = conditions[0]
        for c in conditions[1:]:
            either |= c
        return zone & either

    def scope_filter(self, scope: Scope):
        condition = self.rule_condition(scope)
        if condition is None:
            return self.none()
        return self.filter(condition)


def get_visible_or_404(queryset, user, **lookup):
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该对象，或您无权查看。") from exc
