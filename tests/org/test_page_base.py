"""The page base (core.web.views) as org uses it: the list's row hook for the page and the export, page sizes as
the API's, and form pages that check the permission before they look anything up."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.core.web.views import ServiceFormView
from kaifaqu.org.models import OrgKind
from kaifaqu.org.views import OrgListView
from tests.factories import OrgFactory, StaffFactory

MISSING = 987654321


@pytest.fixture
def leader(world, client_for):
    return client_for(world.hr)


def test_export_holds_every_filtered_row_with_the_row_hooks_figures(world, leader, monkeypatch):
    for i in range(23):
        org = OrgFactory(zone=world.zone, kind=OrgKind.INSTITUTION, name=f"事业单位{i:02d}", parent=world.committee)
        StaffFactory.create_batch(i % 3, org=org)
    monkeypatch.setattr(OrgListView, "export_chunk", 4)  # several chunks, each through rows()
    url = reverse("org:org-list")
    page = leader.get(url, {"kind": "institution", "page_size": 5})
    assert len(page.context["object_list"]) == 5 and page.context["paginator"].count == 23
    assert all(hasattr(org, "totals") for org in page.context["object_list"])  # the page went through rows()
    export = leader.get(url, {"kind": "institution", "page_size": 5, "page": 2, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    actual = {r[0]: r[header.index("实有人数")] for r in rows[1:]}
    assert set(actual) == {f"事业单位{i:02d}" for i in range(23)}  # all filtered rows, not the page
    assert actual == {f"事业单位{i:02d}": i % 3 for i in range(23)}


def test_page_size_is_bounded_as_the_apis(world, leader):
    url = reverse("org:org-list")
    assert leader.get(url, {"page_size": 200}).context["paginator"].per_page == 200
    for refused in ("201", "0", "²", "abc"):  # out of the API's bounds or not a number: the page's default
        response = leader.get(url, {"page_size": refused})
        assert response.status_code == 200 and response.context["paginator"].per_page == 20, refused


def test_a_role_without_the_permission_gets_403_whether_or_not_the_object_exists(world, client_for):
    client = client_for(world.enterprise)  # may see organisations, may not change them
    for pk in (world.department.pk, world.other_org.pk, MISSING):
        response = client.get(reverse("org:org-edit", args=[pk]))
        assert response.status_code == 403 and "您没有执行此操作的权限" in response.content.decode()


def test_an_object_outside_the_scope_answers_as_a_missing_one(world, client_for):
    client = client_for(world.outsider)  # may change organisations, of the other zone
    outside = client.get(reverse("org:org-edit", args=[world.department.pk]))
    missing = client.get(reverse("org:org-edit", args=[MISSING]))
    assert outside.status_code == missing.status_code == 404
    assert outside.context["message"] == missing.context["message"] == "未找到该对象，或您无权查看。"


def test_service_form_base_checks_the_permission_before_the_lookup(world):
    looked_up = []

    class Probe(ServiceFormView):
        perm = "org.change"

        def get_object(self):
            looked_up.append(self.kwargs["pk"])
            return None

    request = RequestFactory().get("/probe/")
    request.user = world.enterprise
    with pytest.raises(PermissionDenied):
        Probe.as_view()(request, pk=1)
    assert looked_up == []
    request.user = world.hr
    Probe.as_view(form_class=_EmptyForm)(request, pk=2)
    assert looked_up == [2]


class _EmptyForm:
    def __init__(self, *args, **kwargs):
        pass
