"""Department submissions: tasks due on the working-day clock, the workbook through the import engine (errors by
row and column, nothing imported), resubmission replacing the period's values in one transaction, late flags."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kaifaqu.core import calendar, imports
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.clock.models import DeadlineClock
from kaifaqu.core.errors import Conflict, RuleViolation
from kaifaqu.core.imports.models import ImportState
from kaifaqu.economy import services
from kaifaqu.economy.models import IndicatorValue, Submission, SubmissionTask, TaskState
from tests.economy.helpers import code, enterprise, indicator, task

HEADERS = ["统一社会信用代码", "企业名称", "指标代码", "年度", "期别", "数值"]
NOW = datetime.datetime(2026, 11, 4, 10, tzinfo=datetime.UTC)


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(user, content):
    return imports.upload(user, "indicator_values", SimpleUploadedFile("税收.xlsx", content))


@pytest.fixture
def setup(world):
    with time_machine.travel(NOW, tick=False):
        a, b = enterprise(world.zone, 1, name="甲"), enterprise(world.zone, 2, name="乙")
        tax = indicator(world.zone)
        t = task(tax, world.stationed_org, period=10, issued_on=datetime.date(2026, 11, 2), workdays=5)
    return a, b, tax, t


def test_the_due_date_is_on_the_working_day_clock(world, setup):
    *_, t = setup
    assert t.due_on == calendar.add_workdays(datetime.date(2026, 11, 2), 5, world.zone.pk) == datetime.date(2026, 11, 9)
    assert DeadlineClock.objects.filter(object_id=str(t.pk), kind=services.CLOCK_KIND).exists()
    with pytest.raises(Conflict):
        task(t.indicator, world.stationed_org, period=10, year=2027)  # helper finds none: a new one is made
        services.do_issue_task(SYSTEM, t.indicator, org=world.stationed_org, year=2026, period=10, workdays=3)


def test_a_workbook_with_errors_reports_row_and_column_and_imports_nothing(world, setup):
    a, b, tax, t = setup
    rows = [
        [a.uscc, "甲", "tax", 2026, 10, 12.5],
        [code(77), "不在库中", "tax", 2026, 10, 3],        # row 3: unknown credit code
        [b.uscc, "乙", "tax", 2026, 10, "十二"],            # row 4: not a number
        [a.uscc, "甲", "tax", 2026, 10, 1],                 # row 5: duplicate of row 2
        [b.uscc, "乙", "tax", 2026, 9, 4],                  # row 6: period outside the task
    ]
    before = AuditEvent.objects.count()
    with time_machine.travel(NOW, tick=False):
        job = upload(world.stationed, xlsx(rows))
    assert job.state == ImportState.FAILED
    found = {(e["row"], e["column"]) for e in job.errors}
    assert {(3, "统一社会信用代码"), (4, "数值"), (5, "统一社会信用代码"), (6, "期别")} <= found, job.errors
    assert not IndicatorValue.objects.exists() and not Submission.objects.exists()
    t.refresh_from_db()
    assert t.state == TaskState.OPEN and AuditEvent.objects.filter(action="indicator_value.import").count() == 0
    assert AuditEvent.objects.count() >= before


def test_a_clean_workbook_submits_then_a_resubmission_replaces_the_period(world, setup):
    a, b, tax, t = setup
    with time_machine.travel(NOW, tick=False):
        job = upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 12.5], [b.uscc, "乙", "tax", 2026, 10, 3]]))
        assert job.state == ImportState.VALIDATED, job.errors
        imports.confirm(world.stationed, job)
    t.refresh_from_db()
    assert t.state == TaskState.SUBMITTED and not t.late
    assert dict(IndicatorValue.objects.values_list("enterprise__name", "value")) == {"甲": Decimal("12.5"),
                                                                                     "乙": Decimal(3)}
    assert not DeadlineClock.objects.filter(object_id=str(t.pk), state__in=("running", "paused")).exists()
    late = datetime.datetime(2026, 11, 12, 10, tzinfo=datetime.UTC)
    with time_machine.travel(late, tick=False):
        job = upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 13], [b.uscc, "乙", "tax", 2026, 10, 3]]))
        assert (job.changed_rows, job.unchanged_rows) == (1, 1)
        imports.confirm(world.stationed, job)
    assert IndicatorValue.objects.get(enterprise=a).value == Decimal(13)
    subs = list(Submission.objects.filter(task=t).order_by("submitted_at"))
    assert [(s.created, s.changed, s.late) for s in subs] == [(2, 0, False), (0, 1, True)]
    t.refresh_from_db()
    assert not t.late  # the first submission was on time
    event = AuditEvent.objects.filter(action="indicator_value.import").order_by("-seq").first()
    assert event.before["changed"][0]["value"] in ("12.5000", "12.5") and event.after["changed"][0]["value"] in (
        "13", "13.0000", 13)
    assert AuditEvent.objects.filter(action="submission_task.resubmit", object_id=str(t.pk)).exists()


def totals(tax):
    from kaifaqu.economy.models import IndicatorTotal

    return {(t.year, t.period): (t.value, t.count) for t in IndicatorTotal.objects.filter(indicator=tax)}


def test_a_resubmission_replaces_the_whole_period_and_records_the_removed_values(world, setup):
    a, b, tax, t = setup
    c = enterprise(world.zone, 3, name="丙")
    with time_machine.travel(NOW, tick=False):
        imports.confirm(world.stationed, upload(world.stationed, xlsx([
            [a.uscc, "甲", "tax", 2026, 10, 12.5], [b.uscc, "乙", "tax", 2026, 10, 3], [c.uscc, "丙", "tax", 2026, 10, 4]])))
    assert totals(tax) == {(2026, 10): (Decimal("19.5"), 3)}
    # A value of another period (not this task's) stays whatever the file holds.
    services.do_bulk_values(SYSTEM, tax, [(b.pk, 2026, 9, Decimal(7))])
    with time_machine.travel(NOW, tick=False):
        job = upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 12.5], [c.uscc, "丙", "tax", 2026, 10, 5]]))
        assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 1, 1), job.errors
        imports.confirm(world.stationed, job)
    assert dict(IndicatorValue.objects.filter(period=10).values_list("enterprise__name", "value")) == {
        "甲": Decimal("12.5"), "丙": Decimal(5)}
    assert IndicatorValue.objects.get(enterprise=b, period=9).value == Decimal(7)
    assert totals(tax) == {(2026, 9): (Decimal(7), 1), (2026, 10): (Decimal("17.5"), 2)}
    sub = Submission.objects.filter(task=t).order_by("-submitted_at", "-id").first()
    assert (sub.created, sub.changed, sub.removed) == (0, 1, 1)
    event = AuditEvent.objects.filter(action="indicator_value.import").order_by("-seq").first()
    gone = [(x["enterprise_id"], x["value"]) for x in event.after["changed"] if x["value"] is None]
    assert gone == [(b.pk, None)]
    assert any(x["enterprise_id"] == b.pk and Decimal(str(x["value"])) == 3 for x in event.before["changed"])
    resubmitted = AuditEvent.objects.filter(action="submission_task.resubmit", object_id=str(t.pk)).get()
    assert resubmitted.after["removed"] == 1
    # A file that only leaves an enterprise out still replaces the period (nothing new or changed).
    with time_machine.travel(NOW, tick=False):
        job = upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 12.5]]))
        assert (job.new_rows, job.changed_rows, job.unchanged_rows) == (0, 0, 1)
        imports.confirm(world.stationed, job)
    assert list(IndicatorValue.objects.filter(period=10).values_list("enterprise__name", flat=True)) == ["甲"]
    assert totals(tax)[(2026, 10)] == (Decimal("12.5"), 1)
    assert Submission.objects.filter(task=t).count() == 3


def test_a_failed_removal_leaves_the_period_as_it_was(world, setup, monkeypatch):
    a, b, tax, t = setup
    with time_machine.travel(NOW, tick=False):
        imports.confirm(world.stationed, upload(world.stationed, xlsx([
            [a.uscc, "甲", "tax", 2026, 10, 1], [b.uscc, "乙", "tax", 2026, 10, 2]])))

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.rollup, "refresh", boom)
    with time_machine.travel(NOW, tick=False):
        job = upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 9]]))
        with pytest.raises(RuntimeError):
            imports.confirm(world.stationed, job)
    assert dict(IndicatorValue.objects.values_list("enterprise__name", "value")) == {"甲": Decimal(1), "乙": Decimal(2)}
    assert Submission.objects.filter(task=t).count() == 1


def test_a_first_submission_after_the_due_date_is_late(world, setup):
    a, _, _, t = setup
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC), tick=False):
        imports.confirm(world.stationed, upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 1]])))
    t.refresh_from_db()
    assert t.late and t.state == TaskState.SUBMITTED


def test_an_open_task_is_reminded_then_urged_by_the_ladder_and_flagged_late(world, setup, client_for):
    from kaifaqu.core import clock
    from kaifaqu.core.notify.models import Notification

    *_, t = setup  # due 2026-11-09 (a Monday)

    def urges():
        return list(Notification.objects.filter(recipient=world.stationed, kind=services.URGE_KIND,
                                                title__startswith="报送催办").values_list("created_at", flat=True))

    for day, expected in ((datetime.datetime(2026, 11, 6, 10, tzinfo=datetime.UTC), 0),   # two working days left
                          (datetime.datetime(2026, 11, 9, 10, tzinfo=datetime.UTC), 1),   # the due day: remind
                          (datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC), 2),  # a working day after: urge
                          (datetime.datetime(2026, 11, 10, 11, tzinfo=datetime.UTC), 2)):  # each step once
        with time_machine.travel(day, tick=False):
            clock.run_due(day)
            clock.run_ladder(day)
        assert len(urges()) == expected, day
    with time_machine.travel(datetime.datetime(2026, 11, 10, 11, tzinfo=datetime.UTC), tick=False):
        page = client_for(world.leader).get("/economy/tasks/?late=true")
    assert page.status_code == 200 and "逾期未报" in page.content.decode()


def test_a_failure_while_applying_rolls_everything_back(world, setup, monkeypatch):
    a, b, _, t = setup

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.clock, "finish", boom)
    with time_machine.travel(NOW, tick=False):
        job = upload(world.stationed, xlsx([[a.uscc, "甲", "tax", 2026, 10, 1], [b.uscc, "乙", "tax", 2026, 10, 2]]))
        with pytest.raises(RuntimeError):
            imports.confirm(world.stationed, job)
    assert not IndicatorValue.objects.exists() and not Submission.objects.exists()
    t.refresh_from_db()
    assert t.state == TaskState.OPEN


def test_another_unit_cannot_submit_for_the_task(world, setup):
    a, *_ = setup
    with time_machine.travel(NOW, tick=False):
        job = upload(world.clerk, xlsx([[a.uscc, "甲", "tax", 2026, 10, 1]]))
    assert job.state == ImportState.FAILED and job.errors[0]["column"] == "指标代码"


def test_task_rules(world, setup):
    _, _, tax, _ = setup
    with pytest.raises(RuleViolation):
        services.do_issue_task(SYSTEM, tax, org=world.department, year=2026, period=13, workdays=3)
    assert SubmissionTask.objects.count() == 1
