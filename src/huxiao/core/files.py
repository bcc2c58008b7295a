"""Uploads: photos and evidence attached to business records.

A file is accepted by what it is, not by what it is called: the first bytes must be those of
a JPEG, PNG, WebP or PDF, and it must be under ``HUXIAO_UPLOAD_MAX_MB``. The stored name is
the SHA-256 of the content, the original name is kept for display, and the file is served
only through ``/files/<id>/`` after the same scope check as its record.
"""

from __future__ import annotations

import hashlib
import io

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from huxiao.core import parameters
from huxiao.core.models import Attachment, Organization

# (magic bytes at offset 0, MIME type, extension)
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
ALLOWED_LABEL = "JPG、PNG、WebP、PDF"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) from a file's first bytes, or None for anything else."""
    for magic, mime, ext in _SIGNATURES:
        if head.startswith(magic):
            return mime, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def validate_upload(upload, *, images_only: bool = False) -> tuple[str, str]:
    """Check one uploaded file; return its (MIME type, extension) or raise ValidationError."""
    name = getattr(upload, "name", "") or _("（未命名）")
    mb = parameters.get("UPLOAD_MAX_MB")
    limit = mb * 1024 * 1024
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("文件“%(name)s”为空。") % {"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)d MB 的大小限制。") % {"name": name, "mb": mb}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None or (images_only and kind[0] not in IMAGE_TYPES):
        allowed = "JPG、PNG、WebP" if images_only else ALLOWED_LABEL
        raise ValidationError(
            _("文件“%(name)s”的类型不受支持，请上传 %(allowed)s 文件。")
            % {"name": name, "allowed": allowed}
        )
    if kind[0] in IMAGE_TYPES:
        upload.seek(0)
        reencode_image(upload.read(), kind[0], name)
        upload.seek(0)
    return kind


_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def reencode_image(content: bytes, mime: str, name: str) -> bytes:
    """The picture decoded and encoded again (Pillow): only pixels are kept.

    Whatever rides along in the file — a script after a PNG's end, a polyglot, EXIF with the
    phone's GPS position — is dropped; a file that does not decode completely as the image its
    header claims is refused. Decompression bombs are refused by Pillow's pixel limit.
    """
    from PIL import Image, UnidentifiedImageError

    refused = ValidationError(
        _("文件“%(name)s”不是完整有效的图片，请重新拍摄或导出后上传。") % {"name": name}
    )
    fmt = _PIL_FORMATS[mime]
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as probe:
            probe.verify()
        with Image.open(io.BytesIO(content), formats=[fmt]) as image:
            image.load()
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, fmt, **options)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    return out.getvalue()


@transaction.atomic
def attachment_add(
    *,
    owner,
    organization: Organization,
    upload,
    purpose: str = "",
    actor=None,
    images_only: bool = False,
) -> Attachment:
    """Store ``upload`` and attach it to ``owner`` (validated first; nothing kept on refusal)."""
    mime, ext = validate_upload(upload, images_only=images_only)
    content = b"".join(upload.chunks())
    if mime in IMAGE_TYPES:  # stored as re-encoded pixels only
        content = reencode_image(content, mime, getattr(upload, "name", "") or "")
    digest = hashlib.sha256(content)
    attachment = Attachment(
        organization=organization,
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        purpose=purpose,
        original_name=(getattr(upload, "name", "") or "file")[-200:],
        mime_type=mime,
        extension=ext,
        size=len(content),
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(attachment.sha256 + ext, ContentFile(content), save=False)
    attachment.save()
    return attachment


def attachments_add(*, owner, organization, uploads, purpose="", actor=None, images_only=False):
    """Validate every upload before storing any: one bad file refuses them all."""
    for upload in uploads:
        validate_upload(upload, images_only=images_only)
    return [
        attachment_add(
            owner=owner,
            organization=organization,
            upload=u,
            purpose=purpose,
            actor=actor,
            images_only=images_only,
        )
        for u in uploads
    ]


def attachments_of(owner, purpose: str | None = None):
    qs = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    )
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs


def attachment_get(*, user, pk: int) -> Attachment:
    """The attachment, if ``user`` may read the record it belongs to (404 otherwise, exactly as
    for a missing id): in the scope of the file's organisation, holding the view permission of
    the owning record (or of the record it declares it is read through, e.g. a rectification
    report's hazard), with that record in the user's scope."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    attachment = get_object_or_404(
        Attachment.objects.visible_to(user).select_related("content_type"), pk=pk
    )
    if not owner_readable(user, attachment):
        raise Http404
    return attachment


def owner_readable(user, attachment: Attachment) -> bool:
    model = attachment.content_type.model_class()
    if model is None:
        return False
    owner_id = attachment.object_id
    through = getattr(model, "attachment_read_through", None)
    if through:
        owner_id = model._base_manager.filter(pk=owner_id).values_list(through, flat=True).first()
        model = model._meta.get_field(through).related_model
        if owner_id is None:
            return False
    if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return False
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user).filter(pk=owner_id).exists()
    return manager.filter(pk=owner_id).exists()


# ---- the store itself --------------------------------------------------------------------


def shared_bucket() -> str:
    """The S3-compatible bucket the default storage writes to (HUXIAO_S3_BUCKET), or "" when
    files are kept under MEDIA_ROOT on this machine."""
    from django.core.files.storage import default_storage

    return getattr(default_storage, "bucket_name", "") or ""


def shared_bucket_check() -> None:
    """Raise unless the bucket answers and these credentials may use it (one HEAD request):
    the readiness probe and the health page's check."""
    from django.core.files.storage import default_storage

    default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
