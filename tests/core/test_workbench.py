"""The 工作台: each module's entries for one user, in a fixed number of queries, on the home page and in the API."""

import datetime

import pytest
from django.utils import timezone

from kaifaqu.core.imports.models import ImportJob, ImportState
from kaifaqu.core.notify.models import Notification
from kaifaqu.core.workbench import entries_for
from kaifaqu.org.models import Secondment
from tests.factories import StaffFactory

TODAY = datetime.date(2026, 6, 10)



@pytest.fixture(autouse=True)
def _platform_entries_only(monkeypatch):
    """These tests pin the entries of core and org; the business modules test their own entries."""
    from kaifaqu.core import registry

    monkeypatch.setattr(registry, "_workbench",
                        {k: v for k, v in registry._workbench.items() if k in ("core", "accounts", "org")})


def job(user, state=ImportState.VALIDATED, name="人员.xlsx", zone=None):
    return ImportJob.objects.create(zone=zone, layout="staff", uploaded_by=user, file_name=name, file_kind="xlsx",
                                    sm3="0" * 64, size=10, state=state, new_rows=3, changed_rows=1)


def note(user, title="请审核", read=False):
    now = timezone.now()
    return Notification.objects.create(recipient=user, kind="test", title=title, created_at=now,
                                       read_at=now if read else None)


def secondment(staff, end, ended_early_on=None):
    return Secondment.objects.create(zone=staff.zone, staff=staff, host_name="市发改委", post="副处长",
                                     start=end - datetime.timedelta(days=365), end=end, ended_early_on=ended_early_on)


def by_key(user, today=TODAY):
    return {e.key: e for e in entries_for(user, today)}


def fill(world, user, n):
    for i in range(n):
        job(user, name=f"人员{i}.xlsx", zone=world.zone)
        note(user, f"通知{i}")
        secondment(StaffFactory(org=world.committee), TODAY + datetime.timedelta(days=1 + i))


def test_a_fixed_number_of_queries_whatever_the_amount_of_data(world, django_assert_num_queries):
    fill(world, world.hr, 8)  # more than the short lists show
    quiet = world.outsider  # the same permissions in another zone: nothing waits for them
    for user in (world.hr, quiet):
        user.scope  # noqa: B018  (the user's scope is built once per request, before the workbench)
        with django_assert_num_queries(6):  # a count and a short list for each of the three entries
            found = by_key(user)
        assert set(found) == {"imports-confirm", "notify-unread", "org-secondments-ending"}
    busy = by_key(world.hr)
    assert [busy[k].count for k in ("imports-confirm", "notify-unread", "org-secondments-ending")] == [8, 8, 8]
    assert all(len(busy[k].items) == 5 for k in busy)
    assert [e.count for e in by_key(quiet).values()] == [0, 0, 0]


def test_imports_waiting_for_confirmation_are_the_users_own_validated_ones(world):
    mine = job(world.hr, name="本处人员.xlsx", zone=world.zone)
    job(world.hr, state=ImportState.CONFIRMED, zone=world.zone)
    job(world.hr, state=ImportState.FAILED, zone=world.zone)
    job(world.leader, name="他人的.xlsx", zone=world.zone)
    entry = by_key(world.hr)["imports-confirm"]
    assert entry.count == 1 and entry.title == "待确认的导入"
    assert [(i.label, i.url, i.note) for i in entry.items] == [
        ("人员：本处人员.xlsx", f"/core/imports/{mine.pk}/", "新增 3 行，修改 1 行")]
    assert entry.url == "/core/imports/?state=validated"
    assert "imports-confirm" not in by_key(world.enterprise)  # a role that cannot import has nothing to confirm


def test_unread_notifications_are_the_users_own(world):
    mine = note(world.street, "东城街道：请报送")
    note(world.street, "已读的", read=True)
    note(world.hr, "别人的")
    entry = by_key(world.street)["notify-unread"]
    assert entry.count == 1 and [i.label for i in entry.items] == ["东城街道：请报送"]
    assert entry.items[0].url == f"/core/notifications/{mine.pk}/"
    assert entry.url == "/core/notifications/?status=unread"
    assert by_key(world.enterprise)["notify-unread"].count == 0


def test_secondments_ending_within_30_days_of_staff_the_user_may_see(world):
    due = secondment(world.staff, TODAY + datetime.timedelta(days=30))
    secondment(StaffFactory(org=world.department), TODAY)
    secondment(StaffFactory(org=world.department), TODAY + datetime.timedelta(days=31))  # later
    secondment(StaffFactory(org=world.department), TODAY - datetime.timedelta(days=1))  # already over
    secondment(StaffFactory(org=world.department), TODAY + datetime.timedelta(days=5),
               ended_early_on=TODAY - datetime.timedelta(days=3))  # ended early
    secondment(world.other_staff, TODAY + datetime.timedelta(days=3))  # another zone
    entry = by_key(world.hr)["org-secondments-ending"]  # the zone's staff office: the whole zone's people
    assert entry.count == 2 and entry.url == "/org/secondments/"
    assert entry.items[0].note.endswith("（今天）")
    assert (entry.items[1].label, entry.items[1].url, entry.items[1].note) == (
        "李经济 · 副处长", f"/org/secondments/{due.pk}/", "2026-07-10 结束（还剩 30 天）")
    assert by_key(world.hr)["org-secondments-ending"].count == 2
    assert by_key(world.street)["org-secondments-ending"].count == 0  # another unit's people
    own = secondment(StaffFactory(org=world.street_org, name="赵街道"), TODAY + datetime.timedelta(days=9))
    assert [i.url for i in by_key(world.street)["org-secondments-ending"].items] == [own.get_absolute_url()]
    assert by_key(world.outsider)["org-secondments-ending"].count == 1  # its own zone's
    assert "org-secondments-ending" not in by_key(world.enterprise)
    assert "org-secondments-ending" not in by_key(world.sysadmin)


def test_the_calendar_warning_is_for_the_system_administrator(world):
    from tests.core.test_calendar_coverage import last_library_year

    year_end = datetime.date(last_library_year(), 12, 31)
    warning = by_key(world.sysadmin, year_end - datetime.timedelta(days=20))["calendar-expiry"]
    assert warning.kind == "alert" and "还剩 20 天" in warning.message and warning.url == "/core/calendar/"
    assert "calendar-expiry" not in by_key(world.sysadmin, year_end - datetime.timedelta(days=90))
    assert "calendar-expiry" not in by_key(world.hr, year_end - datetime.timedelta(days=20))


def test_the_api_answers_the_same_entries(world, api_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 10, 9, tzinfo=timezone.get_current_timezone()), tick=False)
    fill(world, world.hr, 2)
    body = api_for(world.hr).get("/api/v1/workbench/").json()
    entries = {e["key"]: e for e in body["entries"]}
    assert set(entries) == {"imports-confirm", "notify-unread", "org-secondments-ending"}
    ending = entries["org-secondments-ending"]
    assert ending["title"] == "30 天内结束的挂职" and ending["count"] == 2 and ending["kind"] == "todo"
    assert ending["items"][0]["due"] == "2026-06-11" and ending["link_label"] == "查看全部"
    assert entries["notify-unread"]["items"][0]["due"].startswith("2026-06-10T")
    assert api_for(world.enterprise).get("/api/v1/workbench/").json()["entries"][0]["key"] == "notify-unread"


@pytest.mark.usefixtures("db")
def test_the_api_needs_a_login(client):
    response = client.get("/api/v1/workbench/")
    assert response.status_code in (401, 403) and set(response.json()) >= {"code", "detail"}


def test_the_home_page_shows_the_workbench_and_keeps_the_tiles(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 10, 9, tzinfo=timezone.get_current_timezone()), tick=False)
    fill(world, world.hr, 7)
    page = client_for(world.hr).get("/").content.decode()
    assert 'data-testid="workbench"' in page
    for title in ("待确认的导入", "未读通知", "30 天内结束的挂职"):
        assert title in page
    assert "/core/imports/?state=validated" in page and "（共 7 件）" in page and "还剩 1 天" in page
    assert 'href="/org/staff/"' in page  # the menu tiles stay
    quiet = client_for(world.outsider).get("/").content.decode()
    assert "暂无" in quiet and "（共" not in quiet


def test_the_schema_documents_the_workbench(tmp_path, db):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "  /api/v1/workbench/:" in text and "工作台：当前用户的待办与提醒" in text
    assert "    Workbench:" in text and "    WorkbenchEntry:" in text and "最多 5 件" in text


def test_a_to_do_shows_its_clock(world, client_for, api_for, monkeypatch):
    from kaifaqu.core import clock, registry
    from kaifaqu.core.access import SYSTEM
    from kaifaqu.core.clock.models import DeadlineClock
    from kaifaqu.core.workbench import Entry, Item

    c = clock.start(SYSTEM, world.department, kind="test", unit="days", limit=10)

    def reviews(user, scope, today):
        found = DeadlineClock.objects.with_status(timezone.now()).filter(pk=c.pk)
        return Entry("test-reviews", "待审核事项", "/org/orgs/",
                     count=1, items=[Item("经济发展处年报", "/org/orgs/", clock=found.get())])

    monkeypatch.setitem(registry._workbench, "org", [*registry._workbench["org"], reviews])
    page = client_for(world.hr).get("/").content.decode()
    assert "待审核事项" in page and 'data-clock-status="normal"' in page
    body = api_for(world.hr).get("/api/v1/workbench/").json()
    item = next(e for e in body["entries"] if e["key"] == "test-reviews")["items"][0]
    assert item["clock"]["status_label"] == "正常" and item["clock"]["limit"] == 10 and item["due"] is None
    other = next(e for e in body["entries"] if e["key"] == "notify-unread")
    assert other["items"] == [] and other["count"] == 0
