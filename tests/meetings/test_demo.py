"""The demo's meetings, loaded on the demo zone with the invest demo (stuck projects) and one escalated whistle in
place of the whole whistle demo (a year of history, loaded by tests/demo): two joint and two pairing meetings held
with decisions, some overdue (urged and supervised), the escalated whistle on the latest joint meeting's agenda,
every held meeting's minutes readable, and one joint meeting in preparation."""

import datetime
import io
import types

import pytest
from django.utils import timezone
from docx import Document

from kaifaqu.core.files.services import attachment_path
from kaifaqu.meetings import demo
from kaifaqu.meetings.models import AgendaItem, Decision, Meeting
from kaifaqu.org.models import Zone


def _escalated_whistle(zone, neighbour):
    from kaifaqu.org.models import Org
    from kaifaqu.whistle import services
    from kaifaqu.whistle.models import Whistle

    w = services.do_blow(demo.ACTOR, zone, kind="key_task", title="三期地块拆迁户阻工", description="影响项目开工",
                         matter="征地拆迁", lead=Org.objects.get(zone=zone, code="xinqiao"),
                         now=timezone.now() - datetime.timedelta(days=20))
    Whistle.objects.filter(pk=w.pk).update(escalated_at=timezone.now() - datetime.timedelta(days=8))


@pytest.mark.django_db
def test_demo_meetings(monkeypatch):
    from kaifaqu.core import registry
    from kaifaqu.demo.loader import load_demo
    from kaifaqu.invest import demo as invest_demo

    modules = [invest_demo, types.SimpleNamespace(load=_escalated_whistle, figures=lambda zone: {}), demo]
    monkeypatch.setattr(registry, "demo_modules", lambda: modules)
    load_demo()
    zone = Zone.objects.get(code="demo")
    held = Meeting.objects.filter(zone=zone, state="minuted")
    assert sorted(held.values_list("kind", flat=True)) == ["joint", "joint", "pairing", "pairing"]
    assert Meeting.objects.filter(zone=zone, state="planned", kind="joint").count() == 1
    item = AgendaItem.objects.get(zone=zone, source="whistle")
    assert item.added_automatically and item.meeting.kind == "joint" and item.decisions.exists()
    assert AgendaItem.objects.filter(zone=zone, source="project", meeting__kind="pairing").count() >= 2
    assert Decision.objects.filter(zone=zone, state="open", urge_count=1, supervise_count=1).exists()
    assert Decision.objects.filter(zone=zone, state="accepted").exists()
    assert Decision.objects.filter(zone=zone, state="reported").exists()
    for m in held:
        doc = Document(io.BytesIO(attachment_path(m.minutes.sm3).read_bytes()))
        assert doc.paragraphs[1].text.startswith("会议纪要〔") and any(
            p.text == f"{m.title}纪要" for p in doc.paragraphs)
    figures = demo.figures(zone)
    late = Decision.objects.filter(zone=zone, state="open", clock__due_at__lt=timezone.now()).count()
    assert figures["会议（个）"] == 5 and figures["已印发纪要"] == 4 and figures["议定事项逾期"] == late >= 1
