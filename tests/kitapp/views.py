from kaifaqu.core.web.views import ScopedDetailView

from .models import Ticket


class TicketDetailView(ScopedDetailView):
    model = Ticket
    perm = "kitapp.view"
    template_name = "kitapp/ticket_detail.html"
