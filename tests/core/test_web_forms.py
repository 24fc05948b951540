"""Form and filter conventions every page shares."""

import datetime

from django import forms

from kaifaqu.core.web.forms import StyledForm


class _DateForm(StyledForm):
    day = forms.DateField(widget=forms.DateInput)


def test_dates_are_written_and_shown_as_yyyy_mm_dd_whatever_the_browser_locale():
    html = str(_DateForm(initial={"day": datetime.date(2026, 1, 5)})["day"])
    assert 'type="text"' in html and 'value="2026-01-05"' in html and 'placeholder="yyyy-mm-dd"' in html
    form = _DateForm({"day": "2026-1-5"})
    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 1, 5)


def test_filter_lists_offer_empty_only_where_a_field_may_be_empty(world, client_for):
    page = client_for(world.leader).get("/org/orgs/").content.decode()
    kind = page[page.index('name="kind"'):page.index("</select>", page.index('name="kind"'))]
    park = page[page.index('name="park"'):page.index("</select>", page.index('name="park"'))]
    assert "（空）" not in kind and ">全部<" in kind
    assert "（空）" in park
    secondments = client_for(world.leader).get("/org/secondments/").content.decode()
    early = secondments[secondments.index('name="ended_early"'):]
    early = early[:early.index("</select>")]
    assert ">全部<" in early and "未知" not in early


def test_list_tables_keep_dates_and_numbers_on_one_line_and_truncate_long_text(world, client_for):
    from kaifaqu.org import services

    services.do_update_org(world.hr, world.committee, name="中共示范经济开发区工作委员会、示范经济开发区管理委员会",
                           short_name="管委会")
    page = client_for(world.leader).get("/org/orgs/").content.decode()
    table = page[page.index("<tbody"):page.index("</tbody>")]
    # the parent by its short name, not the committee's long name on every row
    # (the committee's own row holds it twice: its text and the hover title)
    assert table.count("中共示范经济开发区工作委员会") == 2 and table.count(">管委会<") >= 1
    assert 'class="text-nowrap text-end"' in table and 'class="cell-truncate"' in table
    audit = client_for(world.auditadmin).get("/core/audit/").content.decode()
    assert 'class="text-nowrap"' in audit[audit.index("<tbody"):]
