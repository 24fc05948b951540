"""Writes on users and tokens. 三员 separation: the system administrator creates, disables and resets users;
the security administrator assigns roles and unlocks accounts; nobody else does either."""

import datetime

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kaifaqu.core import audit
from kaifaqu.core.access import is_system, require, scope_of
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, RuleViolation

from . import locks
from . import roles as role_table
from .models import ApiToken, RoleDefinition, User, hash_token
from .roles import ADMIN_ROLES, BUSINESS_ROLES, MULTI_ZONE_ROLES, Role

# Field names (not attnames): audit.snapshot matches on ``field.name``.
USER_FIELDS = ("username", "name", "org", "role", "roles", "phone", "email", "is_active", "must_change_password")
ADMIN_ACCOUNT_REFUSAL = "三员账号（系统管理员、安全管理员、审计管理员）不能由系统管理员修改或重置密码。"


def _check_password(password, user):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("密码不符合要求。", fields={"password": exc.messages}) from None


def _check_role_org(role, org):
    if role and role not in Role.values:
        raise InvalidInput("角色无效。", fields={"role": ["角色无效。"]})
    if role and role not in ADMIN_ROLES and org is None:
        raise InvalidInput("业务用户必须属于一个单位。", fields={"org": ["请选择所在单位。"]})


def _check_roles(role, roles):
    """三员 exclusivity: 422 naming the conflict."""
    errors = role_table.role_conflicts(role, roles)
    if errors:
        raise RuleViolation("；".join(errors) + "。", fields={"roles": errors})


def _clean_roles(role, roles) -> list[str]:
    roles = [str(r) for r in (roles or ())]
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise InvalidInput("兼任角色无效。", fields={"roles": [f"未知角色 {'、'.join(unknown)}。"]})
    _check_roles(role, roles)
    return sorted({r for r in roles if r != role})


def _check_version(obj, version):
    if version is not None and int(version) != obj.version:
        raise Conflict("该记录已被他人修改，请刷新后重试。", code="stale")


def _check_org_in_scope(actor, org):
    """A zone's administrator places users only in organisations of their zones (the platform may place anywhere)."""
    if is_system(actor):
        return
    scope = scope_of(actor)
    if org is not None and org.zone_id not in scope.zone_ids:
        raise InvalidInput("所选单位不在您的管理范围内。", fields={"org": ["所选单位不在您的管理范围内。"]})
    if org is None and actor.org_id:
        raise InvalidInput("请选择所在单位。", fields={"org": ["请选择所在单位。"]})


def _check_org_active(org):
    if org is not None and not org.is_active:
        raise InvalidInput("所选单位已撤销。", fields={"org": ["所选单位已撤销，不能再安置用户。"]})


def _check_not_admin_account(actor, user):
    """三员 separation: were the system administrator able to reset the audit administrator's password, they could
    read the audit log as that account. Administrator accounts are kept by the platform itself (SYSTEM: the demo
    loader, the command line, Django's ``changepassword``)."""
    if not is_system(actor) and user.role in ADMIN_ROLES and user.pk != actor.pk:
        raise Forbidden(ADMIN_ACCOUNT_REFUSAL)


def _full_clean(user):
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise InvalidInput("提交的数据有误，请检查。", fields=exc.message_dict) from None


def _zone_of(user):
    return user.org.zone_id if user.org_id else None


def _require_reason(actor, reason):
    if not is_system(actor) and not (reason or "").strip():
        raise InvalidInput("请填写原因。", fields={"reason": ["请填写原因。"]})


def do_create_user(actor, *, username, password, name="", org=None, role="", roles=(), phone="", email="",
                   must_change_password=True, extra_zones=()) -> User:
    """System administrator (or the platform itself). The role may only be set by the platform (demo/CLI);
    through the pages a new user gets no role until the security administrator assigns one."""
    require(actor, "user.manage")
    if (role or roles) and not is_system(actor):
        raise Forbidden("角色由安全管理员分配。")
    roles = _clean_roles(role, roles)
    username = (username or "").strip()
    if not username:
        raise InvalidInput("请填写用户名。", fields={"username": ["请填写用户名。"]})
    # Case-insensitive: "T_Leader" next to "t_leader" would be a look-alike account.
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("用户名已存在。", fields={"username": ["用户名已存在。"]})
    _check_org_in_scope(actor, org)
    _check_org_active(org)
    _check_role_org(role, org)
    user = User(username=username, name=name, org=org, role=role, roles=roles, phone=phone, email=email,
                must_change_password=must_change_password)
    _full_clean(user)
    _check_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
            if extra_zones:
                user.extra_zones.set(extra_zones)
            audit.record(actor, "user.create", user, zone_id=org.zone_id if org else None,
                         after=audit.snapshot(user, USER_FIELDS))
    except IntegrityError:
        raise Conflict("用户名已存在。", fields={"username": ["用户名已存在。"]}) from None
    return user


def do_update_user(actor, user, *, version=None, **changes) -> User:
    """System administrator: name, organisation, phone, email, active flag. Not the role (security administrator),
    not another 三员 account, not their own active flag. Records ``user.update`` with the fields changed."""
    require(actor, "user.manage")
    allowed = {"name", "org", "phone", "email", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise Forbidden("系统管理员不能修改角色或权限。")
    if "org" in changes:
        _check_org_in_scope(actor, changes["org"])
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_version(user, version)
        _check_not_admin_account(actor, user)
        if changes.get("is_active") is False and not is_system(actor) and user.pk == actor.pk:
            raise RuleViolation("不能停用自己的账号。")
        if "org" in changes and getattr(changes["org"], "pk", None) != user.org_id:
            _check_org_active(changes["org"])
        before = audit.snapshot(user, USER_FIELDS)
        for key, value in changes.items():
            setattr(user, key, value)
        _check_role_org(user.role, user.org)
        _full_clean(user)
        user.version += 1
        user.save()
        if before["is_active"] and not user.is_active:
            # A disabled account keeps no working API token.
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        b, a = audit.diff(before, audit.snapshot(user, USER_FIELDS))
        audit.record(actor, "user.update", user, before=b, after=a, zone_id=_zone_of(user))
    return user


def do_reset_password(actor, user, *, password) -> User:
    """System administrator: sets a temporary password the user must change at next login, revokes the user's API
    tokens. Not for 三员 accounts (see ``_check_not_admin_account``) nor one's own (use 修改密码)."""
    require(actor, "user.manage")
    _check_not_admin_account(actor, user)
    if not is_system(actor) and user.pk == actor.pk:
        raise RuleViolation("不能重置自己的密码，请使用“修改密码”。")
    _check_password(password, user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        user.version += 1
        user.save(update_fields=["password", "must_change_password", "password_changed_at", "version"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record(actor, "user.reset_password", user, reason="管理员重置密码，须在下次登录时修改",
                     zone_id=_zone_of(user))
    return user


def do_assign_role(actor, user, *, role, roles=None, extra_zones=None, reason="", version=None) -> User:
    """Security administrator: assigns the user's main role, the further business roles held (``roles``; None keeps
    them, as far as the new main role allows) and the extra zones a city/province user sees. An administrator role
    (三员) excludes every other role (422). A security administrator cannot change their own role."""
    scope = require(actor, "security.manage")
    if not is_system(actor) and user.pk == actor.pk:
        raise RuleViolation("不能修改自己的角色。")
    if not role:
        raise InvalidInput("请选择角色。", fields={"role": ["请选择角色。"]})
    if role not in Role.values:
        raise InvalidInput("角色无效。", fields={"role": ["角色无效。"]})
    if roles is not None:
        roles = _clean_roles(role, roles)
    _require_reason(actor, reason)
    zone_ids = None if extra_zones is None else sorted({getattr(z, "pk", z) for z in extra_zones})
    if zone_ids and role not in MULTI_ZONE_ROLES:
        labels = "、".join(Role(r).label for r in sorted(MULTI_ZONE_ROLES))
        raise InvalidInput("只有市级用户可以查看其他开发区。",
                           fields={"extra_zones": [f"只有{labels}可以查看其他开发区。"]})
    if zone_ids and not is_system(actor) and not set(zone_ids) <= set(scope.zone_ids):
        raise InvalidInput("所选开发区不在您的管理范围内。", fields={"extra_zones": ["所选开发区不在您的管理范围内。"]})
    if role not in MULTI_ZONE_ROLES:
        zone_ids = []  # a role that sees one zone keeps no extra zones from a former role
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_version(user, version)
        _check_role_org(role, user.org)
        before = {"role": user.role, "roles": list(user.roles or []),
                  "extra_zones": sorted(user.extra_zones.values_list("pk", flat=True))}
        if roles is None:
            roles = [r for r in (user.roles or []) if r != role]
        _check_roles(role, roles)
        user.role = role
        user.roles = sorted(set(roles))
        user.version += 1
        user.save(update_fields=["role", "roles", "version"])
        if zone_ids is not None:
            user.extra_zones.set(zone_ids)
        after = {"role": user.role, "roles": list(user.roles),
                 "extra_zones": sorted(user.extra_zones.values_list("pk", flat=True))}
        audit.record(actor, "user.assign_role", user, before=before, after=after, reason=reason,
                     zone_id=_zone_of(user))
    return user


def do_unlock(actor, user, *, reason="") -> User:
    """Security administrator: lifts a login lock before the cool-off is over (clears axes' attempts for the
    username). Records ``user.unlock`` with the failures that were cleared."""
    require(actor, "security.manage")
    _require_reason(actor, reason)
    state = locks.lock_state(user)
    if not state.locked and not locks.is_locked(user.username):
        raise RuleViolation("该账号当前未被锁定。")
    with transaction.atomic():
        axes_reset(username=user.username)
        audit.record(actor, "user.unlock", user, reason=reason, before={"failures": state.failures, "locked": True},
                     after={"failures": 0, "locked": False}, zone_id=_zone_of(user))
    return user


def do_change_own_password(user, *, old_password, new_password) -> User:
    if not user.check_password(old_password):
        raise InvalidInput("原密码不正确。", fields={"old_password": ["原密码不正确。"]})
    if old_password == new_password:
        raise InvalidInput("新密码不能与原密码相同。", fields={"new_password1": ["新密码不能与原密码相同。"]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidInput("新密码不符合要求。", fields={"new_password1": exc.messages}) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        # Tokens issued under the old password stop working with it.
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record(user, "user.change_password", user)
    return user


def do_issue_token(user, *, two_factor=False) -> tuple[ApiToken, str]:
    """The user, after authenticating with username and password (and, with ``two_factor``, a second factor the
    caller has verified: the token is marked so). Returns the token and its raw value."""
    if user.must_change_password:
        raise Forbidden("首次登录须先在网页上修改密码。", code="password_change_required")
    raw = ApiToken.new_raw()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=hash_token(raw), prefix=raw[:8], created_at=now,
            expires_at=now + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS), two_factor=two_factor,
        )
        audit.record(user, "auth.token_issue", user, object_label=f"{user.username} 令牌 {token.prefix}…",
                     after={"two_factor": two_factor})
    return token, raw


def do_revoke_token(user, token) -> ApiToken:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit.record(user, "auth.token_revoke", user, object_label=f"{user.username} 令牌 {token.prefix}…")
    return token


# 角色权限（安全管理员） ------------------------------------------------------------------------------------------

def seed_role_definitions(actor=None) -> list[RoleDefinition]:
    """Every business role gets its stored permission set, seeded from the modules' default grants; a row that has
    not been offered a module's newer default gains it (audited ``role.seed``). Idempotent; run after migrations."""
    from kaifaqu.core.access import SYSTEM

    actor = actor or SYSTEM
    changed = []
    with transaction.atomic():
        existing = {r.role: r for r in RoleDefinition.objects.select_for_update()}
        for role in sorted(BUSINESS_ROLES):
            defaults = set(role_table.default_perms(role))
            row = existing.get(role)
            if row is None:
                # The platform's defaults as they stand: not a change anybody made, so not an audit event.
                row = RoleDefinition.objects.create(role=role, permissions=sorted(defaults), offered=sorted(defaults),
                                                    reason="平台默认权限")
                changed.append(row)
                continue
            new = defaults - set(row.offered)
            if not new:
                continue
            before = sorted(row.permissions)
            row.permissions = sorted(set(row.permissions) | new)
            row.offered = sorted(set(row.offered) | new)
            row.reason = "新增模块的默认权限"
            row.version += 1
            row.changed_at = timezone.now()
            row.save()
            audit.record(actor, "role.seed", row, before={"permissions": before},
                         after={"permissions": row.permissions}, reason=row.reason)
            changed.append(row)
    role_table.invalidate()
    return changed


def do_update_role(actor, role, *, permissions, reason="", version=None) -> RoleDefinition:
    """Security administrator of the platform: the permission set of one business role, with a reason (audited
    ``role.update`` with the codes before and after). Administrator roles (三员) keep their fixed duty; a business
    role never gains an administrator's permission (422)."""
    scope = require(actor, "security.manage")
    if not is_system(actor) and scope.org_id is not None:
        raise Forbidden("角色权限为全平台设置，只有平台安全管理员可以修改。")
    if role not in Role.values:
        raise InvalidInput("角色无效。", fields={"role": ["角色无效。"]})
    if role in ADMIN_ROLES:
        raise RuleViolation(f"{Role(role).label}是三员角色，其权限由职责固定，不能修改。")
    _require_reason(actor, reason)
    codes = {str(c) for c in (permissions or ())}
    unknown = sorted(codes - set(role_table.PERMISSIONS))
    if unknown:
        raise InvalidInput("权限无效。", fields={"permissions": [f"未知权限 {'、'.join(unknown)}。"]})
    duty = sorted(codes & role_table.ADMIN_ONLY_PERMS)
    if duty:
        raise RuleViolation(f"业务角色不能包含三员权限：{'、'.join(role_table.PERMISSIONS[c] for c in duty)}。",
                            fields={"permissions": duty})
    with transaction.atomic():
        row = RoleDefinition.objects.select_for_update().filter(role=role).first()
        if row is None:
            defaults = sorted(role_table.default_perms(role))
            row = RoleDefinition.objects.create(role=role, permissions=defaults, offered=defaults)
        _check_version(row, version)
        before = sorted(role_table.perms_for(role))
        row.permissions = sorted(codes)
        row.offered = sorted(set(row.offered) | role_table.default_perms(role))
        row.reason = reason
        row.changed_by = actor if getattr(actor, "is_authenticated", False) else None
        row.changed_at = timezone.now()
        row.version += 1
        row.save()
        audit.record(actor, "role.update", row, reason=reason,
                     before={"permissions": sorted(set(before) - codes)},
                     after={"permissions": sorted(codes - set(before))})
    role_table.invalidate()
    return row
