"""The anonymous persona of the scoping walk: every public route (the pages under /gongkai/ and /api/v1/public/),
walked without login with every filter the page offers, never shows a draft's items or changes, nor what is
internal to a published version (its 备注, the author and reviewer, staff phones)."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from kaifaqu.powers.models import ListState, ListVersion
from tests.portal.conftest import DRAFT_MARKERS, INTERNAL_MARKERS


def public_routes():
    """Every page of the portal's URLconf and every public API view, as (name, path)."""
    found = []
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "gongkai":
            found += [(f"gongkai:{q.name}", "/gongkai/" + str(q.pattern)) for q in p.url_patterns]
        elif isinstance(p, URLResolver) and str(p.pattern) == "api/v1/":
            found += [(q.name, "/api/v1/" + str(q.pattern)) for q in p.url_patterns
                      if str(q.pattern).startswith("public/")]
    return found


def text_of(response):
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)
    return response.content.decode()


QUERIES = ("", "&q=草稿", "&q=KFQ-DRAFT-009", "&body=草稿里改过的实施主体", "&kind=licensing", "&code=KFQ-DRAFT-009",
           "&code=KFQ-XK-001", "&seq=1", "&seq=2", "&seq=2&export=xlsx", "&page_size=200")


@pytest.mark.django_db
def test_no_public_route_shows_a_draft_or_anything_internal(world, published, draft, settings):
    settings.PUBLIC_RATE = "10000/min"  # the walk is one client; a throttled answer would show nothing
    draft.refresh_from_db()
    assert draft.state == ListState.DRAFT and draft.items.filter(code="KFQ-DRAFT-009").exists()
    routes = public_routes()
    assert {name for name, _ in routes} >= {"gongkai:home", "gongkai:powers", "gongkai:powers-export",
                                             "gongkai:item", "gongkai:catalogues", "gongkai:history",
                                             "gongkai:diff", "api-public-powers", "api-public-catalogues"}
    anonymous, problems, requests = Client(), [], 0
    for _name, path in routes:
        for extra in QUERIES:
            response = anonymous.get(f"{path}?zone=demo{extra}")
            requests += 1
            if response.status_code >= 500 or response.status_code in (401, 403, 302, 429):
                problems.append(f"{path}?zone=demo{extra}: {response.status_code}")
                continue
            body = text_of(response)
            if "&q=" in extra:  # the search box shows what was asked; that is not the draft showing
                body = body.replace(f'value="{extra.removeprefix("&q=")}"', "")
            problems += [f"{path}?zone=demo{extra}: shows {m!r}" for m in DRAFT_MARKERS + INTERNAL_MARKERS
                         if m in body]
    print(f"{len(routes)} public routes, {requests} anonymous requests")
    assert not problems, "\n".join(problems)
    # the draft item is simply not there; the published item shows its published value
    assert Client().get("/gongkai/powers/item/?zone=demo&code=KFQ-DRAFT-009").status_code == 404
    published_item = Client().get("/gongkai/powers/item/?zone=demo&code=KFQ-XK-001").content.decode()
    assert "示范经济开发区管理委员会" in published_item


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ListState.SUBMITTED, ListState.APPROVED])
def test_a_version_in_review_is_not_public_either(world, published, draft, state):
    from kaifaqu.powers.workflow import LIST

    version = LIST.perform(world.clerk, draft, "submit")
    if state == ListState.APPROVED:
        version = LIST.perform(world.leader, version, "approve")
    assert ListVersion.objects.get(pk=version.pk).state == state
    api = Client().get("/api/v1/public/powers/?zone=demo&page_size=200").json()
    assert api["version"]["seq"] == 1 and "KFQ-DRAFT-009" not in {i["code"] for i in api["results"]}
    assert "第 2 版" not in Client().get("/gongkai/versions/?zone=demo").content.decode()
    assert Client().get("/gongkai/versions/diff/?zone=demo&seq=2").status_code == 404


@pytest.mark.django_db
def test_nothing_is_public_before_the_first_publish(world):
    from kaifaqu.core.access import SYSTEM
    from tests.portal.conftest import own_item

    own_item(SYSTEM, world.zone, "KFQ-DRAFT-009", "草稿新增的保密事项")
    for url in ("/gongkai/?zone=demo", "/gongkai/powers/?zone=demo", "/gongkai/versions/?zone=demo",
                "/api/v1/public/powers/?zone=demo"):
        response = Client().get(url)
        assert response.status_code == 200 and "草稿新增的保密事项" not in response.content.decode(), url
    assert Client().get("/api/v1/public/powers/?zone=demo").json()["version"] is None
    assert Client().get("/gongkai/powers/export.xlsx?zone=demo").status_code == 404
