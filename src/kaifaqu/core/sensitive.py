"""Sensitive fields (ARCHITECTURE rule 10): pay, personal phone numbers, ID numbers need their own permission.

A module declares them in its ``AppConfig`` (``sensitive_fields = {"org.staff": {"actual_pay": "staff.view_pay"}}``).
Without the permission a field is masked in the API (numbers become null, phone numbers keep their first three and
last four digits), shown as 无权查看 on pages, left out of exports and forms, and refused on writes.

A module may also name who holds a row's sensitive fields without the permission (``register_holder``: a unit's
own head sees their unit's pay and phones). That is per row: the API and detail pages show the row's fields to
the holder; list tables and exports keep the column for a user who holds some rows (``holds_any``) and fill it
row by row: the value where the user holds the row, 无权查看 in a table and an empty cell in an export elsewhere.
"""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from kaifaqu.core.access import is_system, scope_of
from kaifaqu.core.errors import Forbidden

SENSITIVE: dict[str, dict[str, str]] = {}
HOLDERS: dict[str, list] = {}
HOLDS_ANY: dict[str, list] = {}
HIDDEN_TEXT = "无权查看"


def register(model_label: str, fields: dict[str, str]) -> None:
    SENSITIVE.setdefault(model_label.lower(), {}).update(fields)


def register_holder(model_label: str, holds, holds_any=None) -> None:
    """``holds(scope, obj) -> bool``: whether this user sees ``obj``'s sensitive fields without the permission;
    ``holds_any(scope) -> bool`` (one query at most): whether they may hold any row at all, so that list tables and
    exports keep the columns for them."""
    found = HOLDERS.setdefault(model_label.lower(), [])
    if holds not in found:
        found.append(holds)
    if holds_any is not None:
        anys = HOLDS_ANY.setdefault(model_label.lower(), [])
        if holds_any not in anys:
            anys.append(holds_any)


def fields_of(model) -> dict[str, str]:
    return SENSITIVE.get(model._meta.label_lower, {})


def hidden_fields(user_or_scope, model, obj=None) -> frozenset:
    """The sensitive fields of ``model`` (of the row ``obj``, when given) that this user may not see."""
    if is_system(user_or_scope):
        return frozenset()
    scope = user_or_scope if hasattr(user_or_scope, "perms") else scope_of(user_or_scope)
    hidden = frozenset(f for f, perm in fields_of(model).items() if not scope.has(perm))
    if hidden and obj is not None and scope.is_authenticated and any(
            holds(scope, obj) for holds in HOLDERS.get(model._meta.label_lower, ())):
        return frozenset()
    return hidden


def mask(model, field: str, value):
    if value in (None, ""):
        return value
    try:
        is_text = isinstance(model._meta.get_field(field), models.CharField)
    except FieldDoesNotExist:
        is_text = isinstance(value, str)
    if not is_text:
        return None
    text = str(value)
    return text[:3] + "*" * max(len(text) - 7, 4) + text[-4:] if len(text) >= 8 else "*" * len(text)


def check_write(actor, model, fields) -> None:
    """Refuse (403) a write that gives a sensitive field a value the actor may not see."""
    hidden = hidden_fields(actor, model) & {f for f, v in dict(fields).items() if v not in (None, "")}
    if hidden:
        names = "、".join(str(model._meta.get_field(f).verbose_name) for f in sorted(hidden))
        raise Forbidden(f"您没有维护{names}的权限。", fields={f: ["无权维护。"] for f in sorted(hidden)})


def layout_for(layout, model, user, placeholder=None):
    """``layout`` for this user (exports and list tables): the columns of the fields they may not see are left out,
    or, when they hold some rows (a unit's head), kept and filled with ``placeholder`` on the rows they do not hold."""
    hidden = hidden_fields(user, model) if model is not None else frozenset()
    if not hidden:
        return layout
    from dataclasses import replace

    scope = scope_of(user)
    label = model._meta.label_lower
    holds = HOLDERS.get(label, ())
    if scope.is_authenticated and holds and any(holds_any(scope) for holds_any in HOLDS_ANY.get(label, ())):
        def per_row(column):
            def value(obj):
                return column.value(obj) if any(h(scope, obj) for h in holds) else placeholder
            return replace(column, getter=value, importable=False)

        return replace(layout, columns=tuple(per_row(c) if c.field in hidden else c for c in layout.columns))
    return replace(layout, columns=tuple(c for c in layout.columns if c.field not in hidden))


class SensitiveFieldsMixin:
    """For a model serializer: masks the sensitive fields the requesting user may not see."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        model = self.Meta.model
        for field in hidden_fields(getattr(request, "user", None), model, instance):
            if field in data:
                data[field] = mask(model, field, data[field])
        return data


# Sealed at rest ------------------------------------------------------------------------------------------------------
# Pay and personal phones are stored sealed like the other secrets (core.crypto: SM4-CTR + HMAC-SM3 under
# KAIFAQU_FIELD_KEY, a key pair of its own per model field). The column is text; Python sees the plain value. Such a
# column cannot be filtered, ordered or constrained by value in SQL: range rules live in validators. A value stored
# before the column was sealed (no "v1:" prefix) still reads, and the data migration that introduced the field seals
# it (``reseal``).

def _purpose(field) -> str:
    return f"sealed-field/{field.model._meta.label_lower}.{field.name}"


class SealedMixin:
    def get_internal_type(self):
        return "TextField"

    def seal_text(self, text: str) -> str:
        from kaifaqu.core import crypto

        return crypto.seal(text.encode(), purpose=_purpose(self))

    def unseal_text(self, stored: str) -> str:
        from kaifaqu.core import crypto

        if not stored.startswith("v1:"):
            return stored  # written before the column was sealed (see reseal)
        return crypto.unseal(stored, purpose=_purpose(self)).decode()

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.to_python(value)
        if value is None:
            return None
        text = self.plain_text(value)
        return "" if text == "" else self.seal_text(text)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.to_python(self.unseal_text(value))


class SealedDecimalField(SealedMixin, models.DecimalField):
    """A Decimal stored sealed (pay)."""

    def plain_text(self, value) -> str:
        return format(value.quantize(Decimal(1).scaleb(-self.decimal_places)), "f")


class SealedCharField(SealedMixin, models.CharField):
    """A short text stored sealed (a personal phone number); ``max_length`` bounds the plain value."""

    def plain_text(self, value) -> str:
        return str(value)


def reseal(apps, schema_editor, model_label: str, fields) -> None:
    """Data migration step: seal every stored plain value of ``fields`` (idempotent: sealed ones are rewritten)."""
    model = apps.get_model(model_label)
    names = list(fields)
    for obj in model.objects.only("pk", *names).iterator():
        model.objects.filter(pk=obj.pk).update(**{n: getattr(obj, n) for n in names})
