"""Every transition of both state tables is walked (the events written are compared with the tables), and the
module doc shows the diagrams the tables print."""

from pathlib import Path

from kaifaqu.core.access import SYSTEM
from kaifaqu.whistle.models import AssignmentEvent, Urge, WhistleEvent
from kaifaqu.whistle.services import act
from kaifaqu.whistle.workflow import ASSIGNMENT, WHISTLE

DOC = Path(__file__).resolve().parents[2] / "docs" / "modules" / "whistle.md"


def ladder(a):
    """urge → supervise → escalate on the assignment's current clock, as tick's handlers do."""
    a.refresh_from_db()
    main = a.current_clock
    act(SYSTEM, a, "urge", payload={"clock": main.pk})
    urge = Urge.objects.get(clock=main, level="urge")
    act(SYSTEM, a, "supervise", payload={"clock": urge.next_clock_id})
    supervise = Urge.objects.get(clock=main, level="supervise")
    act(SYSTEM, a, "escalate", payload={"clock": supervise.next_clock_id})


def test_every_transition_of_both_tables(world, blow):
    # dispatched: the ladder, then return; a second whistle: report in, ladder, extension, plan, ladder,
    # extension, progress, solve; a third: report in, return; a fourth: report in, solve at once.
    w1 = blow()
    a = w1.assignments.get()
    ladder(a)
    act(world.city_clerk, a, "return", note="错派")
    act(world.leader, w1, "redispatch", payload={"assignment": a.pk, "org": world.street_org.pk})
    b = w1.assignments.get(org=world.street_org)
    act(world.street, b, "report_in")
    ladder(b)
    act(world.street, b, "request_extension", note="需时间", payload={"amount": 1})
    act(world.leader, w1, "grant_extension", payload={"assignment": b.pk})
    act(world.street, b, "plan", payload={"plan": "p", "committed_date": _later()})
    ladder(b)
    act(world.street, b, "request_extension", note="再需时间", payload={"amount": 1})
    act(world.leader, w1, "refuse_extension", note="不予", payload={"assignment": b.pk})
    act(world.street, b, "progress", note="进展")
    act(world.street, b, "solve", payload={"result": "ok"})
    act(world.leader, w1, "visit", note="回访")
    act(world.leader, w1, "rate", payload={"rating": "unsatisfied", "comment": "未解决"})  # → rework
    w2 = blow()
    c = w2.assignments.get()
    act(world.city_clerk, c, "report_in")
    act(world.city_clerk, c, "return", note="错派")
    w3 = blow()
    d = w3.assignments.get()
    act(world.city_clerk, d, "report_in")
    act(world.city_clerk, d, "solve", payload={"result": "ok"})
    for flow, events in ((ASSIGNMENT, AssignmentEvent), (WHISTLE, WhistleEvent)):
        table = {(s, action, t) for s, moves in flow.table.items() for action, t in moves.items()}
        walked = set(events.objects.values_list("from_state", "action", "to_state"))
        assert walked == table, (flow.label, table - walked, walked - table)


def _later():
    from django.utils import timezone

    from kaifaqu.core import calendar as cal

    return cal.add_workdays(timezone.localdate(), 5).isoformat()


def test_the_module_doc_shows_the_diagrams():
    text = DOC.read_text(encoding="utf-8")
    for flow in (ASSIGNMENT, WHISTLE):
        assert flow.mermaid() in text, f"docs/modules/whistle.md: the diagram of {flow.label} is out of date"
