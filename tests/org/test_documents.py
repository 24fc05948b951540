import io

from docx import Document

from kaifaqu.org.documents import profile_sheet


def test_profile_sheet(world):
    content = profile_sheet(world.department, include_staff=True)
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "经济发展处概况" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "内设机构" in cells and "李经济" in cells
    without = Document(io.BytesIO(profile_sheet(world.department, include_staff=False)))
    assert "李经济" not in [c.text for t in without.tables for row in t.rows for c in row.cells]


def test_profile_sheet_download(world, client_for):
    response = client_for(world.hr).get(f"/org/orgs/{world.department.pk}/profile.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(response.content))
    assert "李经济" in [c.text for t in doc.tables for row in t.rows for c in row.cells]
    # An enterprise user sees no internal unit of the zone, its profile sheet included.
    assert client_for(world.enterprise).get(f"/org/orgs/{world.department.pk}/profile.docx").status_code in (403, 404)
    assert client_for(world.outsider).get(f"/org/orgs/{world.department.pk}/profile.docx").status_code == 404
