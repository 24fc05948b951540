"""Helpers services use for plain create/update: validation, optimistic version check, audit in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kaifaqu.core import audit
from kaifaqu.core.errors import Conflict, InvalidInput


def _validate(obj, exclude=None):
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        codes = {e.code for errors in exc.error_dict.values() for e in errors} if hasattr(exc, "error_dict") else set()
        if codes and codes <= {"unique", "unique_together"}:  # a key already used: 409, like the database's refusal
            raise Conflict("与已有记录重复：" + "；".join(m for ms in exc.message_dict.values() for m in ms),
                           fields=exc.message_dict) from None
        raise InvalidInput("提交的数据有误，请检查。", fields=exc.message_dict) from None


def create(actor, obj, action: str, *, reason: str = "", after_save=None):
    """Validate and insert ``obj``; record ``action`` with the full snapshot as 'after'."""
    _validate(obj)
    try:
        with transaction.atomic():
            obj.save()
            if after_save:
                after_save(obj)
            audit.record(actor, action, obj, after=audit.snapshot(obj), reason=reason)
    except IntegrityError as exc:
        raise Conflict("与已有记录重复（名称或代码已被使用）。") from exc
    return obj


def update(actor, obj, changes: dict, action: str, *, version=None, reason: str = "", after_save=None):
    """Apply ``changes`` to a locked fresh copy of ``obj``; a stale ``version`` answers 409."""
    model = type(obj)
    try:
        with transaction.atomic():
            current = model._base_manager.select_for_update().get(pk=obj.pk)
            has_version = hasattr(current, "version")
            if version is not None and has_version and int(version) != current.version:
                raise Conflict("该记录已被他人修改，请刷新后重试。", code="stale")
            before = audit.snapshot(current)
            for key, value in changes.items():
                setattr(current, key, value)
            _validate(current)
            if has_version:
                current.version += 1
            current.save()
            if after_save:
                after_save(current)
            b, a = audit.diff(before, audit.snapshot(current))
            audit.record(actor, action, current, before=b, after=a, reason=reason)
    except IntegrityError as exc:
        raise Conflict("与已有记录重复（名称或代码已被使用）。") from exc
    return current
