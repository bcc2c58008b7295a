"""Files on shared, S3-compatible storage (issue 23, item 1): a photo uploaded through one
process is served by another, an import previewed on one is committed on another, nothing
lands on the local disk, the deployment's objects stay under its prefix, and /readyz and the
health page say whether the bucket answers.

Against a real S3 server: moto's, started on loopback for this module (HTTP, signed requests,
the same API a MinIO or a cloud bucket answers); boto3 talks to it as to any other. A "second
process" is the storage built afresh from the settings, with no state shared but the bucket.
"""

from __future__ import annotations

import socket
import uuid
from types import SimpleNamespace

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty

from huxiao.core import files
from huxiao.s3 import storage_settings
from huxiao.schools.models import Guard
from huxiao.system import health
from tests.inspections.conftest import png_bytes
from tests.schools import test_import_fixtures as fx

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms

PREFIX = "deployment-a"
KEYS = {"access_key": "huxiao-test", "secret_key": "huxiao-test-secret", "region": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region"],
    )


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    """A fresh bucket as the default storage; MEDIA_ROOT an empty folder nothing may reach."""
    name = f"huxiao-{uuid.uuid4().hex[:12]}"
    client = _client(s3_endpoint)
    client.create_bucket(Bucket=name)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_settings(bucket=name, endpoint_url=s3_endpoint, prefix=PREFIX, **KEYS),
    }
    return SimpleNamespace(name=name, client=client, media=tmp_path / "media")


def _objects(bucket) -> list[str]:
    found = bucket.client.list_objects_v2(Bucket=bucket.name)
    return sorted(o["Key"] for o in found.get("Contents", []))


def _another_process() -> None:
    """Forget the storage objects this process built: the next use builds them from the
    settings again, as a second process on another machine does."""
    storages._storages.clear()
    default_storage._wrapped = empty


def test_a_photo_stored_by_one_process_is_served_by_another(bucket, city, client_for):
    assert files.shared_bucket() == bucket.name
    upload = SimpleUploadedFile("校门.png", png_bytes(), content_type="image/png")
    attachment = files.attachment_add(
        owner=city.school_a, organization=city.school_a, upload=upload
    )
    key = f"{PREFIX}/attachments/{attachment.sha256[:2]}/{attachment.sha256}.png"
    assert _objects(bucket) == [key]
    assert not bucket.media.exists()  # nothing on this machine's disk

    _another_process()
    served = client_for("officer_a").get(f"/files/{attachment.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    body = b"".join(served.streaming_content)
    assert body == bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"].read()
    # the same permission check as on disk: out of scope answers 404 like a missing file
    assert client_for("officer_b").get(f"/files/{attachment.pk}/").status_code == 404


def test_an_import_previewed_on_one_process_is_committed_on_another(
    bucket, import_perms, client_for, schools_ab
):
    client = client_for("officer_a")
    data = fx.xlsx_bytes(fx.GUARD_HEADERS, [fx.guard_row(i) for i in range(3)])
    response = client.post(
        "/schools/import/",
        {"ledger": "guards", "file": SimpleUploadedFile("保安员台账.xlsx", data)},
    )
    assert response.status_code == 302
    token = response["Location"].rstrip("/").split("/")[-1]
    stored = _objects(bucket)
    assert f"{PREFIX}/imports/{token}/meta.json" in stored
    assert f"{PREFIX}/imports/{token}/source.xlsx" in stored

    _another_process()
    assert client.post(f"/schools/import/{token}/commit/").status_code == 302
    assert Guard.objects.count() == 3
    # the source goes after the commit; the preview's record stays for its result page
    assert f"{PREFIX}/imports/{token}/source.xlsx" not in _objects(bucket)
    assert not bucket.media.exists()


def test_two_deployments_on_one_bucket_keep_apart(bucket, city, settings, s3_endpoint):
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    attachment = files.attachment_add(
        owner=city.school_a, organization=city.school_a, upload=upload
    )
    name = attachment.file.name
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_settings(
            bucket=bucket.name, endpoint_url=s3_endpoint, prefix="deployment-b", **KEYS
        ),
    }
    assert not default_storage.exists(name)  # deployment B does not see A's file


def test_readiness_and_health_ask_the_bucket(bucket, client, settings, s3_endpoint):
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] in {"ok", "degraded"}
    ok, detail = health._disk()
    assert ok and bucket.name in detail

    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_settings(
            bucket="no-such-bucket-" + uuid.uuid4().hex[:8], endpoint_url=s3_endpoint, **KEYS
        ),
    }
    down = client.get("/readyz")
    assert down.status_code == 503 and down.json() == {
        "status": "unavailable",
        "failed": ["storage"],
    }
    checks = {c.key: c for c in health.run_checks()}
    assert not checks["disk"].ok
