from django.db import models
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.workflow.models import ProcessEvent


class TicketState(models.TextChoices):
    OPEN = "open", "处理中"
    CLOSED = "closed", "已办结"


class TicketQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("kitapp.view"),)


class Ticket(models.Model):
    zone_id = models.BigIntegerField("所属开发区")
    org = models.ForeignKey("org.Org", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    state = models.CharField("状态", max_length=16, choices=TicketState.choices, default=TicketState.OPEN)
    version = models.PositiveIntegerField(default=1)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = "测试工单"
        verbose_name_plural = "测试工单"
        ordering = ["id"]
        indexes = [models.Index(fields=["zone_id", "state"], name="kitapp_ticket_zone_state")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kitapp:ticket-detail", args=[self.pk])


class TicketEvent(ProcessEvent):
    owner_field = "ticket"
    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "工单办理记录"
        verbose_name_plural = "工单办理记录"
