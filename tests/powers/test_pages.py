"""Pages of the power list: lists, the version page, claiming and editing through forms."""

from kaifaqu.powers.models import PowerItem

from .conftest import claim


def test_pages_render_for_the_clerk(world, catalogue, batch, client_for):
    item = claim(world.clerk, catalogue["370XK0001"], batch=batch, holding="authorised",
                 holding_doc_no=batch.document_no)
    c = client_for(world.clerk)
    for url in ("/powers/items/", "/powers/standards/", "/powers/batches/", "/powers/versions/",
                f"/powers/items/{item.pk}/", f"/powers/standards/{catalogue['370XK0001'].pk}/",
                f"/powers/batches/{batch.pk}/", f"/powers/versions/{item.list_version_id}/",
                f"/powers/items/{item.pk}/edit/", f"/powers/standards/{catalogue['370XK0002'].pk}/claim/",
                "/powers/items/new/", "/powers/batches/new/"):
        response = c.get(url)
        assert response.status_code == 200, url
    assert c.get("/powers/").status_code == 302  # to the current version
    page = c.get(f"/powers/versions/{item.list_version_id}/").content.decode()
    assert "建设工程规划许可证核发" in page and "提交审核" in page


def test_claim_form_and_errors(world, catalogue, client_for):
    c = client_for(world.clerk)
    url = f"/powers/standards/{catalogue['370XK0002'].pk}/claim/"
    response = c.post(url, {"holding": "entrusted", "implementing_body": "管委会"})
    assert response.status_code == 400 and "须填写授权文号" in response.content.decode()
    response = c.post(url, {"holding": "entrusted", "holding_doc_no": "X政发〔2022〕12号", "implementing_body": "管委会",
                            "duties": "受理\n审查"})
    assert response.status_code == 302
    assert PowerItem.objects.get().duty_list == ["受理", "审查"]


def test_edit_form_keeps_standard_fields(world, catalogue, client_for):
    item = claim(world.clerk, catalogue["370XK0001"])
    response = client_for(world.clerk).post(f"/powers/items/{item.pk}/edit/", {
        "code": "X", "name": "改名", "holding": "own", "undertaking_unit": "规划国土处", "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "建设工程规划许可证核发" and item.code == "370XK0001" and item.undertaking_unit == "规划国土处"


def test_the_street_reads_but_cannot_edit(world, catalogue, client_for):
    item = claim(world.clerk, catalogue["370XK0001"])
    c = client_for(world.street)
    assert c.get(f"/powers/items/{item.pk}/").status_code == 200
    assert c.get(f"/powers/items/{item.pk}/edit/").status_code == 403
    assert client_for(world.outsider).get(f"/powers/items/{item.pk}/").status_code == 404
