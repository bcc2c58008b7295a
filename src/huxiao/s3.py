"""The default storage on an S3-compatible bucket (issue 23): the settings read the
environment (HUXIAO_S3_*) and call ``storage_settings``; tests call it with a server of
their own. Pure: no Django import, so the settings module can use it."""

from __future__ import annotations


def storage_settings(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    prefix: str = "",
    addressing_style: str = "path",
) -> dict:
    """``STORAGES["default"]`` for django-storages' S3Storage. Objects are private (no ACL,
    signed URLs only) and never overwritten (a name taken gets a suffix, as on disk); the
    client gives up within seconds when the store does not answer."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "client_config": Config(
                s3={"addressing_style": addressing_style or "path"},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
