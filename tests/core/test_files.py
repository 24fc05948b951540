import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from kaifaqu.core import files
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Forbidden, TooLarge, UnsupportedMediaType
from kaifaqu.core.files.models import Attachment

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def docx_bytes():
    buffer = io.BytesIO()
    doc = Document()
    doc.add_paragraph("三定规定")
    doc.save(buffer)
    return buffer.getvalue()


def test_attach_stores_by_sm3_and_sanitises_the_name(world):
    upload = SimpleUploadedFile("../../etc/三定规定<1>.pdf", PDF, content_type="text/html")
    attachment = files.attach(world.hr, world.department, upload, perm="org.change")
    assert attachment.name == "三定规定_1_.pdf"
    assert attachment.mime == "application/pdf"  # sniffed, not the claimed type
    assert len(attachment.sm3) == 64
    assert files.attachment_path(attachment.sm3).read_bytes() == PDF
    assert AuditEvent.objects.filter(action="attachment.upload", object_id=str(world.department.pk)).exists()


def test_sniffing():
    assert files.sniff(PDF) == "pdf"
    assert files.sniff(PNG) == "png"
    assert files.sniff(docx_bytes()[:8192]) == "docx"
    assert files.sniff("统一社会信用代码,名称\n".encode("gb18030")) == "txt"
    assert files.sniff(b"MZ\x90\x00\x03\x00\x00\x00") is None


def test_renamed_executable_is_refused_415(world):
    with pytest.raises(UnsupportedMediaType):
        files.attach(world.hr, world.department, SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100))


def test_too_large_is_refused_413(world, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(TooLarge):
        files.attach(world.hr, world.department, SimpleUploadedFile("a.pdf", PDF))


def test_permission_and_scope(world):
    with pytest.raises(Forbidden):
        files.attach(world.enterprise, world.department, SimpleUploadedFile("a.pdf", PDF), perm="org.change")
    from django.http import Http404

    with pytest.raises(Http404):
        files.attach(world.outsider, world.department, SimpleUploadedFile("a.pdf", PDF), perm="org.change")
    assert Attachment.objects.count() == 0


def test_api_upload_download_and_withdraw(world, api_for, client_for):
    api = api_for(world.hr)
    response = api.post("/api/v1/attachments/", {"object_type": "org.org", "object_id": world.department.pk,
                                                 "file": SimpleUploadedFile("机构职能.docx", docx_bytes())},
                        format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mime"].endswith("wordprocessingml.document")
    listed = api.get("/api/v1/attachments/", {"object_type": "org.org", "object_id": world.department.pk}).json()
    assert [a["id"] for a in listed["results"]] == [body["id"]]
    download = client_for(world.hr).get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert client_for(world.outsider).get(body["download_url"]).status_code == 404
    bad = api.post("/api/v1/attachments/", {"object_type": "org.org", "object_id": world.department.pk,
                                            "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 10)},
                   format="multipart")
    assert bad.status_code == 415 and bad.json()["code"] == "unsupported_media_type"
    assert api.post("/api/v1/attachments/", {"object_type": "accounts.user", "object_id": 1,
                                             "file": SimpleUploadedFile("a.pdf", PDF)},
                    format="multipart").status_code == 400
    withdrawn = api.post(f"/api/v1/attachments/{body['id']}/withdraw/", {"reason": "上传错了"}, format="json")
    assert withdrawn.status_code == 200
    assert client_for(world.hr).get(body["download_url"]).status_code == 404


def test_attachments_list_only_what_the_owner_lets_the_user_see(world, api_for):
    """A department clerk sees his own unit's staff only when he lacks staff.view_all; the attachments of other
    units' staff must not show in the list either (before, attachments were scoped by zone alone)."""
    from kaifaqu.org.models import Staff

    own = Staff.objects.filter(org=world.department).first()
    others = Staff.objects.create(zone=world.zone, org=world.committee, staff_no="X9", name="别处人员",
                                  post_kind="administrative")
    for staff in (own, others):
        files.attach(world.hr, staff, SimpleUploadedFile("a.pdf", PDF), perm="staff.change")
    files.attach(world.hr, world.department, SimpleUploadedFile("b.pdf", PDF), perm="org.change")

    def listed(user):
        return {(a.content_type.model, a.object_id) for a in Attachment.objects.visible_to(user)}

    everything = {("staff", str(own.pk)), ("staff", str(others.pk)), ("org", str(world.department.pk))}
    assert listed(world.hr) == everything
    street = world.street  # sees his own unit's staff only (staff.view_own), none of these
    assert Staff.objects.visible_to(street).filter(pk__in=[own.pk, others.pk]).count() == 0
    assert listed(street) == {("org", str(world.department.pk))}
    assert listed(world.outsider) == set()
    api = api_for(street)
    ids = {row["object_id"] for row in api.get("/api/v1/attachments/").json()["results"]}
    assert ids == {str(world.department.pk)}
