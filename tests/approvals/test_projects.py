"""APPROVE-3/6: stages with parallel items, combined items, regional assessments, project working days (pauses
excluded, parallel items once), before/after and the bottleneck report; all computed by hand here."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.approvals import queries, services
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.errors import InvalidInput, RuleViolation

from . import factories

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def pdf():
    return SimpleUploadedFile("f.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def catalogue(world):
    w = factories.window(world.zone, staff=[world.users["clerk"]])
    make = lambda code, stage, limit: factories.item(world.zone, world.department, code=code, name=f"事项{code}",  # noqa: E731
                                                     window_=w, stage=stage, promised=limit, legal=limit + 10)
    return {"A": make("A", "land", 10), "B": make("B", "land", 10), "E1": make("E1", "land", 10),
            "E2": make("E2", "land", 10), "R": make("R", "land", 5), "P": make("P", "permit", 10)}


@pytest.fixture
def project(world, catalogue):
    p = services.do_create_project(SYSTEM, world.zone, code="XM1", name="一般工业项目", park=world.park,
                                   enterprise=world.users["enterprise"].org)
    for code in ("A", "B", "E1", "E2", "R", "P"):
        services.do_add_project_item(SYSTEM, p, catalogue[code])
    return p


def run(world, item, project, accept, decide=None, pause=None, covers=()):
    files = {m: pdf() for m in item.materials.all() if m.required}
    case, _ = services.do_apply(world.users["enterprise"], item, title="x", project=project, files=files,
                                at=accept - datetime.timedelta(hours=1))
    case = services.act(SYSTEM, case, "accept", at=accept)
    if covers:
        services.do_combine(world.users["clerk"], case, covers)
    if pause:
        case = services.act(SYSTEM, case, "request_supplement", note="补正", at=pause[0])
        case = services.act(SYSTEM, case, "supply", at=pause[1])
    if decide:
        services.do_upload_decision(SYSTEM, case, pdf())
        case = services.act(SYSTEM, case, "approve", payload={"decision_no": "文号"}, at=decide)
    return case


def test_parallel_items_combined_items_and_regional_assessment_complete_a_stage(world, catalogue, project):
    """Land stage: A (3/2 → 3/6: 4 working days) and B (3/2 → 3/11: 7) run in parallel, so the stage uses 7;
    E1 is decided as a combined case that also satisfies E2 (多评合一); R is satisfied by the park's regional
    assessment. The stage completes only once B is decided."""
    run(world, catalogue["A"], project, at(2026, 3, 2), at(2026, 3, 6, 16))
    b = run(world, catalogue["B"], project, at(2026, 3, 2))
    e1 = run(world, catalogue["E1"], project, at(2026, 3, 3), at(2026, 3, 5, 16), covers=[catalogue["E2"]])
    services.do_record_assessment(SYSTEM, world.zone, park=world.park, item=catalogue["R"], title="区域评估",
                                  done_on=datetime.date(2026, 1, 5))
    t = queries.project_timeline(project, today=datetime.date(2026, 3, 9))
    land = t["stages"][0]
    assert not land["complete"]
    rows = {r["item"].code: r for r in land["rows"]}
    assert rows["E2"]["via"] == "combined" and rows["E2"]["case"] == e1 and rows["E2"]["done"]
    assert rows["R"]["via"] == "assessed" and rows["R"]["done"]
    services.do_upload_decision(SYSTEM, b, pdf())
    services.act(SYSTEM, b, "approve", payload={"decision_no": "文号"}, at=at(2026, 3, 11, 16))
    t = queries.project_timeline(project, today=datetime.date(2026, 3, 12))
    land = t["stages"][0]
    assert land["complete"] and land["used"] == 7 and t["used"] == 7
    assert {r["item"].code: r["used"] for r in land["rows"]}["A"] == 4
    assert t["current"] == "工程建设许可" and not t["complete"]


def test_project_days_leave_pauses_out_across_the_spring_festival(world, catalogue, project):
    """A accepted Monday 2026-02-09, 补正 2/12 → 2/25 (2/13, 2/14, 2/24, 2/25 paused), decided 3/3: 2/10, 2/11,
    2/12, 2/26, 2/27, 2/28 (Saturday, 调休), 3/2, 3/3 → 8 working days."""
    run(world, catalogue["A"], project, at(2026, 2, 9), at(2026, 3, 3, 16),
        pause=(at(2026, 2, 12), at(2026, 2, 25, 15)))
    t = queries.project_timeline(project, today=datetime.date(2026, 3, 4))
    assert t["used"] == 8


def test_combining_needs_other_items_of_the_project(world, catalogue, project):
    case = run(world, catalogue["A"], project, at(2026, 3, 2))
    with pytest.raises(InvalidInput):
        services.do_combine(SYSTEM, case, [catalogue["A"]])
    other = factories.item(world.zone, world.department, code="Z", name="项目外事项", stage="land")
    with pytest.raises(InvalidInput):
        services.do_combine(SYSTEM, case, [other])


def test_fast_start_items_only_for_fast_start_projects(world, catalogue, project):
    later = factories.item(world.zone, world.department, code="PX", name="施工许可", stage="construction")
    with pytest.raises(RuleViolation):
        services.do_add_project_item(SYSTEM, project, later, early_start=True)
    fast = services.do_create_project(SYSTEM, world.zone, code="XM2", name="拿地即开工项目", fast_start=True,
                                      enterprise=world.users["enterprise"].org)
    assert services.do_add_project_item(SYSTEM, fast, later, early_start=True).early_start


def test_before_after_and_bottleneck(world, catalogue):
    """Three completed general industrial projects using 20, 25 and 30 working days → median 25 against a baseline
    of 87: saving (87 − 25) / 87 = 71 %."""
    from kaifaqu.core import calendar as cal

    services.do_record_baseline(SYSTEM, world.zone, kind="general_industrial", working_days=87)
    for n, days in enumerate((20, 25, 30)):
        p = services.do_create_project(SYSTEM, world.zone, code=f"F{n}", name=f"项目{n}",
                                       enterprise=world.users["enterprise"].org)
        services.do_add_project_item(SYSTEM, p, catalogue["A"])
        start = datetime.date(2026, 4, 1)
        end = cal.add_workdays(start, days, zone_id=world.zone.pk)
        run(world, catalogue["A"], p, at(2026, 4, 1), at(end.year, end.month, end.day, 16))
    ba = queries.before_after(world.zone, "general_industrial", 2026)
    assert ba == {"baseline": 87, "median": 25, "projects": 3, "saving": 71}
    report = queries.bottleneck(world.zone, 2026)
    row = report["items"][0]
    assert row["key"] == catalogue["A"] and row["cases"] == 3 and row["median"] == 25 and row["p90"] == 30
    assert row["overdue_rate"] == 100.0  # all three used more than A's 10 working days
    assert report["departments"][0]["key"] == world.department


def test_project_pages_and_api(world, catalogue, project, client_for, api_for):
    run(world, catalogue["A"], project, at(2026, 3, 2), at(2026, 3, 6, 16))
    page = client_for(world.users["enterprise"]).get(project.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "立项用地规划许可" in text and "timeline-data" in text and "echarts.min.js" in text
    body = api_for(world.users["leader"]).get(f"/api/v1/approval-projects/{project.pk}/timeline/").json()
    assert body["stages"][0]["rows"][0]["used"] == 4
    assert client_for(world.users["outsider"]).get(project.get_absolute_url()).status_code == 404
    assert client_for(world.users["leader"]).get("/approvals/figures/").status_code == 200
    assert client_for(world.users["enterprise"]).get("/approvals/figures/").status_code == 403
