"""Attachments: stored under KAIFAQU_MEDIA_ROOT by SM3 content hash, type sniffed from the content.

No path from the user ever reaches the filesystem: the stored path is derived from the hash alone, and the
original name is kept (sanitised) only for display and the download header. A download is allowed only to a
user who can see the owning object (404 otherwise).
"""

import re
import unicodedata
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from kaifaqu.core import audit
from kaifaqu.core.access import get_visible_or_404, is_system, scope_of
from kaifaqu.core.errors import Forbidden, InvalidInput, TooLarge, UnsupportedMediaType
from kaifaqu.core.files.kinds import ATTACHABLE, attachable_kinds, register_attachable  # noqa: F401
from kaifaqu.core.files.models import Attachment

# type code -> (Chinese label, MIME type)
TYPES = {
    "pdf": ("PDF 文档", "application/pdf"),
    "ofd": ("OFD 版式文档", "application/ofd"),
    "png": ("PNG 图片", "image/png"),
    "jpg": ("JPEG 图片", "image/jpeg"),
    "docx": ("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("PowerPoint 演示文稿", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("OpenDocument 文本", "application/vnd.oasis.opendocument.text"),
    "ods": ("OpenDocument 表格", "application/vnd.oasis.opendocument.spreadsheet"),
    "ole": ("Office 97-2003 文档", "application/x-ole-storage"),
    "zip": ("ZIP 压缩包", "application/zip"),
    "txt": ("文本", "text/plain"),
}


DEFAULT_ALLOWED = ("pdf", "ofd", "png", "jpg", "docx", "xlsx", "pptx", "odt", "ods", "ole", "zip", "txt")


def allowed_types():
    return tuple(getattr(settings, "UPLOAD_ALLOWED_TYPES", DEFAULT_ALLOWED))


def max_bytes():
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 50 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    """The type code from the first bytes of the content; None when unknown."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return "ods"
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200]:
            return "odt"
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
        if b"ppt/" in head:
            return "pptx"
        if b"OFD.xml" in head:
            return "ofd"
        return "zip"
    if b"\x00" not in head[:4096]:
        for encoding in ("utf-8", "gb18030"):
            try:
                head[:4096].decode(encoding)
            except UnicodeDecodeError as exc:
                # A multi-byte character cut at the end of the sample is still text.
                if exc.start >= len(head[:4096]) - 4:
                    return "txt"
                continue
            return "txt"
    return None


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    return (name or "附件")[:200]


def attachment_path(digest: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments" / digest[:2] / digest[2:4] / digest


def _sm3(chunks) -> tuple[str, int, bytes]:
    h = hashes.Hash(hashes.SM3())
    size = 0
    head = b""
    for chunk in chunks:
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        size += len(chunk)
        h.update(chunk)
    return h.finalize().hex(), size, head


def measure(uploaded) -> tuple[str, int, bytes]:
    """(SM3, size, first bytes) of an upload, after the size checks every upload gets (400 empty, 413 too large)."""
    if uploaded.size > max_bytes():
        raise TooLarge(f"文件过大：上限为 {max_bytes() // (1024 * 1024)} MB。", fields={"file": ["文件过大。"]})
    if uploaded.size == 0:
        raise InvalidInput("文件为空。", fields={"file": ["文件为空。"]})
    return _sm3(uploaded.chunks())


def write_once(uploaded, path: Path) -> None:
    """Content-addressed: a file already stored under its hash is not written again; a new one appears whole."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as fh:
        for chunk in uploaded.chunks():
            fh.write(chunk)
    tmp.replace(path)


def attach(actor, owner, uploaded, *, note: str = "", perm: str = "") -> Attachment:
    """Store ``uploaded`` (a Django UploadedFile) for ``owner``. The caller passes the permission that editing
    the owner needs; the owner must be visible to the actor (404 otherwise)."""
    if not is_system(actor):
        if perm and not scope_of(actor).has(perm):
            raise Forbidden("您没有为该对象上传附件的权限。")
        get_visible_or_404(type(owner).objects.all(), actor, pk=owner.pk)
    digest, size, head = measure(uploaded)
    kind = sniff(head)
    if kind not in allowed_types():
        labels = "、".join(TYPES[t][0] for t in allowed_types())
        raise UnsupportedMediaType(f"不支持的文件类型（按文件内容识别）。允许的类型：{labels}。",
                                   fields={"file": ["不支持的文件类型。"]})
    write_once(uploaded, attachment_path(digest))
    with transaction.atomic():
        attachment = Attachment.objects.create(
            zone_id=getattr(owner, "zone_id", None), content_type=ContentType.objects.get_for_model(owner),
            object_id=str(owner.pk), sm3=digest, name=safe_name(uploaded.name), size=size, mime=TYPES[kind][1],
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            uploaded_at=timezone.now(), note=note[:200],
        )
        audit.record(actor, "attachment.upload", owner, after={"attachment": attachment.pk, "name": attachment.name,
                                                               "sm3": digest, "size": size, "mime": attachment.mime})
    return attachment


def withdraw(actor, attachment, *, reason: str, perm: str = "") -> Attachment:
    """Attachments are withdrawn, never deleted: the file stays for the audit trail."""
    if perm and not is_system(actor) and not scope_of(actor).has(perm):
        raise Forbidden("您没有撤回该附件的权限。")
    if not reason:
        raise InvalidInput("请填写撤回原因。", fields={"reason": ["请填写撤回原因。"]})
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).update(withdrawn_at=timezone.now())
        audit.record(actor, "attachment.withdraw", attachment.owner, reason=reason,
                     before={"attachment": attachment.pk, "name": attachment.name})
    return attachment


def for_object(user, owner):
    return Attachment.objects.visible_to(user).filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=str(owner.pk)).select_related("uploaded_by")


def resolve_owner(user, object_type: str, object_id):
    """The owning object named by an API caller, visible to them (404 otherwise), and the permission to edit it."""
    perm = ATTACHABLE.get(object_type)
    if perm is None:
        raise InvalidInput("该类对象不支持附件。", fields={"object_type": ["该类对象不支持附件。"]})
    app_label, model_name = object_type.split(".", 1)
    model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    return get_visible_or_404(model.objects.all(), user, pk=object_id), perm


def download(request, pk):
    # visible_to already requires the owning object to be visible to the user (AttachmentQuerySet)
    attachment = get_visible_or_404(Attachment.objects.all(), request.user, pk=pk)
    path = attachment_path(attachment.sm3)
    if not path.exists():
        raise Http404("附件文件缺失，请联系系统管理员。")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=attachment.name,  # noqa: SIM115
                        content_type=attachment.mime)


download.model = Attachment  # for the route walker in tests/test_scoping.py
