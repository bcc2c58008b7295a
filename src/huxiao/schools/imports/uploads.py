"""Uploaded files between preview and commit, kept in the default file storage.

``imports/<uuid>/source.<ext>`` is the file as uploaded, ``meta.json`` says whose it is
and what the preview found, ``errors.json`` the error list. The default storage is the
local MEDIA_ROOT in the embedded deployment and shared (S3-compatible) storage at scale,
so the commit may land on another app process than the preview. The source is deleted
after a successful commit; everything older than a day is swept on the next upload.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

ROOT = "imports"
KEEP = dt.timedelta(days=1)
MAX_STORED_ERRORS = 100_000


@dataclass
class Upload:
    token: str
    meta: dict

    @property
    def folder(self) -> str:
        return f"{ROOT}/{self.token}"

    @property
    def source(self) -> str:
        return f"{self.folder}/source.{self.meta['kind']}"

    def read_source(self) -> bytes | None:
        if not default_storage.exists(self.source):
            return None
        with default_storage.open(self.source, "rb") as handle:
            return handle.read()

    def errors(self) -> list[dict]:
        name = f"{self.folder}/errors.json"
        if not default_storage.exists(name):
            return []
        with default_storage.open(name, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))

    def save_meta(self) -> None:
        _write(f"{self.folder}/meta.json", self.meta)

    def save_errors(self, errors: list[dict]) -> None:
        _write(f"{self.folder}/errors.json", errors[:MAX_STORED_ERRORS])

    def discard_source(self) -> None:
        if default_storage.exists(self.source):
            default_storage.delete(self.source)


def _write(name: str, value) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    payload = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    default_storage.save(name, ContentFile(payload))


def plan_summary(plan) -> dict:
    table = plan.table
    return {
        "total": plan.total,
        "creates": plan.creates,
        "updates": plan.updates,
        "bad_rows": plan.bad_rows,
        "error_count": len(plan.errors),
        "extra_headers": list(table.extra_headers) if table else [],
        "encoding": table.encoding if table else "",
        "sheet": table.sheet if table else "",
    }


def create(
    *, data: bytes, kind: str, filename: str, ledger: str, gcj02: bool, user, plan
) -> Upload:
    sweep()
    upload = Upload(
        token=str(uuid.uuid4()),
        meta={
            "ledger": ledger,
            "filename": filename[:200],
            "kind": kind,
            "gcj02": gcj02,
            "user_id": user.pk,
            "created": timezone.now().isoformat(),
            "state": "preview",
            "result": None,
            **plan_summary(plan),
        },
    )
    default_storage.save(upload.source, ContentFile(data))
    upload.save_errors([e.as_dict() for e in plan.sorted_errors()])
    upload.save_meta()
    return upload


def load(token: str, user) -> Upload | None:
    """The upload, only for the user who made it (anyone else gets None → 404)."""
    try:
        token = str(uuid.UUID(str(token)))
    except ValueError:
        return None
    name = f"{ROOT}/{token}/meta.json"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        meta = json.loads(handle.read().decode("utf-8"))
    if meta.get("user_id") != user.pk:
        return None
    return Upload(token=token, meta=meta)


def _created(meta: str) -> dt.datetime | None:
    try:
        with default_storage.open(meta, "rb") as handle:
            stamp = json.loads(handle.read().decode("utf-8")).get("created")
        if stamp:
            created = dt.datetime.fromisoformat(stamp)
            if timezone.is_aware(created):
                return created
    except (FileNotFoundError, OSError, ValueError, AttributeError):
        pass
    try:
        return default_storage.get_modified_time(meta)
    except (FileNotFoundError, OSError, NotImplementedError):
        return None


def sweep(now=None) -> int:
    """Delete uploads older than KEEP; returns how many folders went.

    An upload's age counts from the ``created`` time in its meta.json, which was read from the
    same clock as ``now``; the file's modification time is the fallback for a meta.json that
    does not say (the file system's clock is not the one the rest of the code reads).
    """
    now = now or timezone.now()
    removed = 0
    try:
        folders, _files = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return 0
    for folder in folders:
        created = _created(f"{ROOT}/{folder}/meta.json")
        if created is not None and now - created > KEEP:
            _files_in = default_storage.listdir(f"{ROOT}/{folder}")[1]
            for name in _files_in:
                default_storage.delete(f"{ROOT}/{folder}/{name}")
            removed += 1
            try:  # FileSystemStorage leaves the empty folder behind
                import os

                os.rmdir(default_storage.path(f"{ROOT}/{folder}"))
            except (NotImplementedError, OSError):
                pass
    return removed
