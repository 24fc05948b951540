"""The agenda's sources: escalated whistles (``whistle.queries``) and stuck investment projects (``invest.queries``),
each read only when its app is installed, and putting them on a meeting's agenda (services and the meeting's
process both call these)."""

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kaifaqu.core import audit, notify
from kaifaqu.core.errors import Conflict

from .models import AgendaItem, AgendaSource, MeetingState
from .people import zone_leaders


def _live_sources(zone_id, source):
    """Ids already on an agenda: a whistle on any (not withdrawn), a project on a meeting still in preparation (a
    stuck project is reviewed again at the next month's meeting)."""
    qs = AgendaItem.objects.filter(zone_id=zone_id, source=source, withdrawn=False, source_id__isnull=False)
    if source == AgendaSource.PROJECT:
        qs = qs.filter(meeting__state=MeetingState.PLANNED)
    return set(qs.values_list("source_id", flat=True))


def pending_whistles(zone_id) -> list:
    """Escalated whistles of the zone (``whistle.queries.escalated_whistles``) not yet on a live agenda and not
    closed since; [] without the whistle module."""
    if not apps.is_installed("kaifaqu.whistle"):
        return []
    from importlib import import_module

    queries = import_module("kaifaqu.whistle.queries")
    taken = _live_sources(zone_id, AgendaSource.WHISTLE)
    return [w for w in queries.escalated_whistles(zone_id) if w.pk not in taken and w.state != "closed"]


def stuck_projects(zone_id, today=None) -> list:
    """The zone's stuck investment projects (``invest.queries.stuck``) not on the agenda of a meeting in
    preparation; [] without the invest module."""
    if not apps.is_installed("kaifaqu.invest"):
        return []
    from importlib import import_module

    queries = import_module("kaifaqu.invest.queries")
    project = apps.get_model("invest", "Project")
    taken = _live_sources(zone_id, AgendaSource.PROJECT)
    found = queries.stuck(project.objects.filter(zone_id=zone_id), today or timezone.localdate())
    return [p for p in found.select_related("responsible_org").order_by("stage_on", "id") if p.pk not in taken]


def next_seq(meeting):
    return (meeting.agenda.aggregate(m=Max("seq"))["m"] or 0) + 1


def whistle_item(meeting, w, at, seq, automatically):
    lead = next((a.org for a in w.assignments.all() if a.role == "lead" and a.state != "returned"), None)
    return AgendaItem(
        zone_id=meeting.zone_id, meeting=meeting, seq=seq, source=AgendaSource.WHISTLE, source_id=w.pk,
        source_ref=w.number, title=f"{w.title}（吹哨升级）",
        description=(f"{w.get_kind_display()}，{timezone.localtime(w.blown_at):%Y-%m-%d}吹哨，"
                     f"经催办、督办仍未解决，{timezone.localtime(w.escalated_at):%Y-%m-%d}提交联席会议。"
                     f"{w.description[:300]}"),
        presenter=lead, added_automatically=automatically, created_at=at)


def project_item(meeting, p, at, seq, automatically):
    return AgendaItem(
        zone_id=meeting.zone_id, meeting=meeting, seq=seq, source=AgendaSource.PROJECT, source_id=p.pk,
        source_ref=p.get_state_display(), title=f"{p.name}推进情况（停滞项目）",
        description=(f"{p.get_state_display()}阶段，自 {p.stage_on:%Y-%m-%d} 起无阶段变化。"
                     + (f"结对领导：{p.paired_leader}。" if p.paired_leader else "")
                     + (f"责任单位：{p.responsible_org.name}。" if p.responsible_org_id else "")),
        presenter=p.responsible_org, added_automatically=automatically, created_at=at)


def record_items(actor, meeting, items):
    for item in items:
        item.save()
        audit.record(actor, "meetings.add_agenda_item", meeting,
                     after={"item": item.pk, "source": item.source, "source_id": item.source_id, "title": item.title})


def pull_whistles(actor, meeting, at) -> int:
    """Put every escalated whistle waiting for a joint meeting on this one's agenda (when it is scheduled, and again
    when it is held); returns how many."""
    waiting = pending_whistles(meeting.zone_id)
    if not waiting:
        return 0
    seq = next_seq(meeting)
    items = [whistle_item(meeting, w, at, seq + i, True) for i, w in enumerate(waiting)]
    try:
        with transaction.atomic():
            record_items(actor, meeting, items)
    except IntegrityError as exc:  # another meeting took them at the same moment
        raise Conflict("升级吹哨刚被列入另一会议的议题，请刷新后重试。") from exc
    users = zone_leaders(meeting.zone_id)
    notify.send("meetings.agenda", f"{len(items)} 件升级吹哨列入{meeting.title}议题", users=users,
                body="、".join(i.source_ref for i in items), obj=meeting, url=meeting.get_absolute_url())
    return len(items)


def pull_projects(actor, meeting, at) -> int:
    waiting = stuck_projects(meeting.zone_id, timezone.localtime(at).date())
    if not waiting:
        return 0
    seq = next_seq(meeting)
    record_items(actor, meeting, [project_item(meeting, p, at, seq + i, True) for i, p in enumerate(waiting)])
    return len(waiting)
