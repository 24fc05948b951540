from django.db import transaction

from kaifaqu.core import audit

from .models import Ticket
from .workflow import start_clock


def create_ticket(actor, org, title: str) -> Ticket:
    with transaction.atomic():
        ticket = Ticket.objects.create(zone_id=org.zone_id, org=org, title=title)
        audit.record(actor, "kitapp.create", ticket, after=audit.snapshot(ticket))
        start_clock(actor, ticket)
    return ticket
