"""Scoping: who may see what (ARCHITECTURE rule 1).

Every model a user reaches has a manager whose queryset offers ``visible_to(user)``. The user object
exposes ``scope`` (a :class:`Scope`), built by the accounts module; core only knows this interface.
Objects outside the scope answer 404, so their existence is not leaked.
"""

from dataclasses import dataclass, field

from django.db import models
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


class ZoneScopedQuerySet(models.QuerySet):
    """Default scoping for zone data: visible when the model's view permission is held, within the user's zones.

    Models override ``scope_filter`` on their queryset for finer rules (own organisation only, …).
    """

    view_perm: str = ""
    zone_field = "zone_id"

    def visible_to(self, user):
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        return self.scope_filter(scope)

    def scope_filter(self, scope: Scope):
        if self.view_perm and not scope.has(self.view_perm):
            return self.none()
        return self.filter(**{f"{self.zone_field}__in": scope.zone_ids})


def get_visible_or_404(queryset, user, **lookup):
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该对象，或您无权查看。") from exc
