"""The calendar knows how far it reaches; administrators are warned 60 days before it runs out."""

import datetime

import chinese_calendar
from django.utils import timezone

from kaifaqu.core import calendar
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.calendar.services import do_set_override

D = datetime.date


def last_library_year() -> int:
    """The last year the installed chinesecalendar knows (the tests follow the library when it is upgraded)."""
    year = 2026
    while True:
        try:
            chinese_calendar.is_workday(D(year + 1, 6, 1))
        except NotImplementedError:
            return year
        year += 1


def test_known_until_and_the_sixty_day_warning(db):
    last = last_library_year()
    assert calendar.known_until(D(last, 3, 1)) == D(last, 12, 31)
    assert calendar.expiry_warning(D(last, 10, 31)) == ""  # 61 days left: not yet
    assert "还剩 60 天" in calendar.expiry_warning(D(last, 11, 1))
    warning = calendar.expiry_warning(D(last, 11, 3))  # 58 days left
    assert f"{last}年12月31日" in warning and "还剩 58 天" in warning and f"{last + 1} 年" in warning
    assert "尚未正式录入" in calendar.expiry_warning(D(last + 1, 1, 5))
    assert calendar.known_until(D(last + 1, 1, 5)) == D(last + 1, 1, 4)


def test_a_confirmed_notice_for_next_year_extends_the_official_calendar(world):
    from kaifaqu.core.calendar.services import do_confirm_year

    last = last_library_year()
    do_set_override(SYSTEM, date=D(last + 1, 1, 1), is_workday=False, reason="元旦")
    assert calendar.known_until(D(last, 12, 1)) == D(last, 12, 31)  # one platform row is not the whole notice
    assert "还剩 30 天" in calendar.expiry_warning(D(last, 12, 1))
    do_confirm_year(world.sysadmin, year=last + 1, notice_no="国办发明电〔2026〕9号")
    assert calendar.known_until(D(last, 12, 1)) == D(last + 1, 12, 31)
    assert calendar.expiry_warning(D(last, 12, 1)) == ""


def test_a_zone_day_off_does_not_make_a_year_known(world):
    last = last_library_year()
    do_set_override(SYSTEM, date=D(last + 1, 3, 2), is_workday=False, reason="本区防汛停工", zone=world.zone)
    assert calendar.known_until(D(last, 12, 1)) == D(last, 12, 31)


def test_home_page_warns_the_calendar_maintainer_only(world, client_for, time_machine):
    last = last_library_year()
    time_machine.move_to(datetime.datetime(last, 12, 1, 9, 0, tzinfo=timezone.get_current_timezone()), tick=False)
    page = client_for(world.sysadmin).get("/").content.decode()
    assert 'data-testid="calendar-expiry"' in page and "还剩 30 天" in page
    assert 'data-testid="calendar-expiry"' not in client_for(world.leader).get("/").content.decode()
    listing = client_for(world.sysadmin).get("/core/calendar/").content.decode()
    assert f"{last}年12月31日" in listing
    time_machine.move_to(datetime.datetime(last, 9, 1, 9, 0, tzinfo=timezone.get_current_timezone()), tick=False)
    assert 'data-testid="calendar-expiry"' not in client_for(world.sysadmin).get("/").content.decode()
