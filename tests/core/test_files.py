"""Uploads: accepted by content, stored under their hash, served only within scope."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from huxiao.core import files
from huxiao.core.models import Attachment
from tests.inspections.conftest import png_bytes


@pytest.fixture
def owner(city):
    return city.school_a  # any model instance will do as the owner


def test_it_accepts_a_real_image_and_names_it_by_hash(owner, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/现场.png", png_bytes(), content_type="image/png")
    a = files.attachment_add(owner=owner, organization=owner, upload=upload, actor=people.officer_a)
    assert a.mime_type == "image/png" and a.extension == ".png"
    assert a.file.name == f"attachments/{a.sha256[:2]}/{a.sha256}.png"
    assert a.original_name.endswith("现场.png")
    assert list(files.attachments_of(owner)) == [a]


@pytest.mark.parametrize(
    "content, name",
    [
        (b"<html><script>alert(1)</script>", "photo.jpg"),  # an HTML file named like a photo
        (b"MZ\x90\x00 not an image", "photo.png"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims(owner, tmp_path, settings, content, name):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="类型不受支持"):
        files.attachment_add(owner=owner, organization=owner, upload=upload)
    assert not Attachment.objects.exists()


def test_it_refuses_a_pdf_where_only_images_are_allowed(owner, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    with pytest.raises(ValidationError, match="JPG、PNG、WebP"):
        files.attachment_add(owner=owner, organization=owner, upload=upload, images_only=True)
    assert files.attachment_add(owner=owner, organization=owner, upload=upload).mime_type == (
        "application/pdf"
    )


@override_settings(UPLOAD_MAX_MB=1)
def test_it_refuses_a_file_over_the_size_limit(owner, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile(
        "big.png", png_bytes() + b"\0" * (1024 * 1024), content_type="image/png"
    )
    with pytest.raises(ValidationError, match="超过 1 MB"):
        files.attachment_add(owner=owner, organization=owner, upload=big)


def test_it_refuses_all_when_one_of_several_is_bad(owner, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    bad = SimpleUploadedFile("b.png", b"text", content_type="image/png")
    with pytest.raises(ValidationError):
        files.attachments_add(owner=owner, organization=owner, uploads=[good, bad])
    assert not Attachment.objects.exists()


def test_it_serves_a_file_only_within_scope(owner, city, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("gate.png", png_bytes(), content_type="image/png")
    a = files.attachment_add(owner=owner, organization=city.school_a, upload=upload)
    url = f"/files/{a.pk}/"
    ok = client_for("officer_a").get(url)
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    served = b"".join(ok.streaming_content)
    assert _pixels(served) == _pixels(png_bytes())  # re-encoded: the same picture
    assert client_for("edu_officer").get(url).status_code == 200  # bureau A supervises school_a
    assert client_for("officer_b").get(url).status_code == 404
    assert client_for("officer_b").get("/files/999999/").status_code == 404
    assert client_for("outsider").get(url).status_code == 404


def _pixels(content: bytes):
    import io

    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        return image.convert("RGB").tobytes()


def test_an_image_is_stored_as_its_pixels_only(owner, tmp_path, settings):
    """Issue 13, item 8: a PNG header followed by script is not stored as an image."""
    settings.MEDIA_ROOT = tmp_path
    payload = b"<script>alert(document.cookie)</script>"
    upload = SimpleUploadedFile("tail.png", png_bytes() + payload, content_type="image/png")
    a = files.attachment_add(owner=owner, organization=owner, upload=upload)
    stored = a.file.open("rb").read()
    assert payload not in stored and _pixels(stored) == _pixels(png_bytes())
    assert a.size == len(stored)


@pytest.mark.parametrize(
    "content",
    [
        png_bytes()[:40],  # a PNG cut short
        b"\x89PNG\r\n\x1a\n<script>alert(1)</script>" + b"x" * 64,  # a header, then script
    ],
)
def test_an_image_that_does_not_decode_is_refused(owner, tmp_path, settings, content):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bad.png", content, content_type="image/png")
    with pytest.raises(ValidationError, match="不是完整有效的图片"):
        files.attachment_add(owner=owner, organization=owner, upload=upload)
    assert not Attachment.objects.exists()


def test_an_api_client_reads_a_file_with_its_token_within_the_same_scope(
    owner, city, people, tmp_path, settings
):
    """The API answers attachments as /files/<id>/: a Bearer token opens them (issue 23), with
    the scope of the token's user; a wrong token is a 401 in Chinese, not a login page."""
    from django.test import Client

    from huxiao.core import services

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("gate.png", png_bytes(), content_type="image/png")
    a = files.attachment_add(owner=owner, organization=city.school_a, upload=upload)
    url = f"/files/{a.pk}/"
    _token, mine = services.token_create(user=people.officer_a, name="集成")
    _token, theirs = services.token_create(user=people.officer_b, name="集成")

    def get(token):
        return Client().get(url, headers={"Authorization": f"Bearer {token}"})

    ok = get(mine)
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert _pixels(b"".join(ok.streaming_content)) == _pixels(png_bytes())
    assert get(theirs).status_code == 404  # out of scope answers like missing
    wrong = get("not-a-token")
    assert wrong.status_code == 401 and wrong.json()["detail"] == "令牌无效、已过期或已撤销。"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
