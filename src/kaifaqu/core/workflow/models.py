"""The process-event base: one append-only row per action performed on a case (who, when, from → to, note, payload).

A module subclasses :class:`ProcessEvent`, declares the foreign key to its case and names it in ``owner_field``::

    class TicketEvent(ProcessEvent):
        owner_field = "ticket"
        ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")

The subclass gets the composite index ``(zone_id, <owner>, created_at)`` (ARCHITECTURE rule 0) added when its class
is prepared, so its migration carries it without the module writing it out. Rows are never changed or removed, as
for the audit table: ``save()`` of an existing row, ``delete()`` and the queryset's ``update()``/``delete()`` refuse.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import class_prepared
from django.dispatch import receiver


class ProcessEventQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused; reads follow the owner's scope."""

    def update(self, **kwargs):
        raise PermissionError("办理记录不可修改。")

    def delete(self):
        raise PermissionError("办理记录不可删除。")

    def visible_to(self, user):
        """Events of the cases the user may see (the owner's ``visible_to`` decides)."""
        owner = self.model._meta.get_field(self.model.owner_field).related_model
        return self.filter(**{f"{self.model.owner_field}__in": owner.objects.visible_to(user).values("pk")})


class ProcessEvent(models.Model):
    owner_field: str = ""  # the subclass's foreign key to its case

    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    created_at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("办理人姓名", max_length=150, blank=True)
    actor_org_id = models.BigIntegerField("办理人单位ID", null=True, blank=True)
    action = models.CharField("操作", max_length=64)
    from_state = models.CharField("原状态", max_length=32)
    to_state = models.CharField("新状态", max_length=32)
    note = models.TextField("原因/说明", blank=True)
    payload = models.JSONField("办理数据", default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = ProcessEventQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("办理记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("办理记录不可删除。")

    @property
    def owner(self):
        return getattr(self, self.owner_field)

    @property
    def workflow(self):
        from .engine import get

        return get(self._meta.get_field(self.owner_field).related_model._meta.label_lower)

    @property
    def action_label(self) -> str:
        return self.workflow.action_label(self.action)

    @property
    def from_label(self) -> str:
        return self.workflow.state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return self.workflow.state_label(self.to_state)


def owner_index_name(model) -> str:
    # Index names are limited to 30 characters (Django's check models.E034).
    return f"{model._meta.db_table[:21]}_zone_own"


@receiver(class_prepared)
def _add_owner_index(sender, **kwargs):
    """Every concrete ProcessEvent gets ``(zone_id, owner, created_at)``, zone first."""
    if not issubclass(sender, ProcessEvent) or sender._meta.abstract or sender._meta.proxy:
        return
    owner = sender.owner_field
    try:
        field = sender._meta.get_field(owner) if owner else None
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends: named below
        field = None
    if field is None or not field.is_relation or not field.many_to_one:
        raise ImproperlyConfigured(f"{sender.__name__}.owner_field must name its foreign key to the case")
    fields = ["zone_id", owner, "created_at"]
    if any(list(index.fields) == fields for index in sender._meta.indexes):
        return
    sender._meta.indexes = [*sender._meta.indexes, models.Index(fields=fields, name=owner_index_name(sender))]
    # Migrations read the options a model declared (original_attrs), so the index is recorded there too.
    sender._meta.original_attrs["indexes"] = sender._meta.indexes
