"""The tamper-evident audit trail (SPEC 3; 网络安全法 art. 21).

Each record's hash covers its content and the previous record's hash, so an
edit or a deletion anywhere breaks the chain at that record; ``verify_chain``
names the first broken link. Records are appended one at a time under a lock on
the chain head (``select_for_update`` on PostgreSQL, an IMMEDIATE transaction on
SQLite).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from huxiao.core import context
from huxiao.core.choices import AuditAction, AuditKind

HIDDEN = "[已隐藏]"


def _json_value(value):
    if isinstance(value, dt.datetime):
        return (
            value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return HIDDEN
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's fields as JSON, with encrypted fields masked and secrets hidden."""
    excluded = getattr(instance, "audit_exclude_fields", frozenset())
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in excluded:
            continue
        value = getattr(instance, f.attname)
        if getattr(f, "encrypted", False):
            value = f.mask(value) if value else value
        data[f.attname] = _json_value(value)
    return data


def canonical(fields: dict) -> str:
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def compute_hash(record) -> str:
    fields = {
        "seq": record.seq,
        "ts": _json_value(record.ts),
        "kind": record.kind,
        "action": record.action,
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "before": record.before,
        "after": record.after,
        "request_id": record.request_id,
        "ip": record.ip,
        "source": record.source,
        "prev_hash": record.prev_hash,
    }
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def _head():
    from huxiao.core.models import AuditChainHead

    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def append(
    *,
    kind: str,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor=None,
    actor_name: str = "",
):
    """Append one record to the chain, attributed from the current action context."""
    from huxiao.core.models import AuditRecord

    ctx = context.current()
    actor = actor if actor is not None else ctx.resolve_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        head = _head()
        record = AuditRecord(
            seq=head.last_seq + 1,
            ts=timezone.now(),
            kind=kind,
            action=action,
            actor=actor,
            actor_name=actor_name or (actor.get_username() if actor is not None else ""),
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            before=_json_value(before) if before is not None else None,
            after=_json_value(after) if after is not None else None,
            request_id=ctx.request_id,
            ip=ctx.ip,
            source=ctx.source,
            prev_hash=head.last_hash,
        )
        record.hash = compute_hash(record)
        record.save(force_insert=True)
        head.last_seq, head.last_hash = record.seq, record.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return record


def record_access(*, obj: models.Model, actor=None, reason: str = "") -> None:
    """Log a sensitive read (e.g. a key person's detail page) in the access log."""
    append(
        kind=AuditKind.ACCESS,
        action=AuditAction.VIEW,
        obj=obj,
        actor=actor,
        after={"reason": reason} if reason else None,
    )


def record_export(*, object_type: str, count: int, filters: dict | None = None, actor=None) -> None:
    append(
        kind=AuditKind.ACCESS,
        action=AuditAction.EXPORT,
        object_type=object_type,
        object_repr=f"{count}",
        after={"count": count, "filters": filters or {}},
        actor=actor,
    )


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    problem: str = ""


def verify_chain(*, chunk_size: int = 2000) -> VerifyResult:
    """Walk the chain from the pruning anchor; report the first altered or missing record."""
    from huxiao.core.models import AuditChainHead, AuditRecord

    head = AuditChainHead.objects.filter(pk=1).first()
    expected_prev = head.anchor_hash if head else ""
    expected_seq = (head.anchor_seq if head else 0) + 1
    checked = 0
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if record.seq < expected_seq:
            return VerifyResult(
                False, checked, record.seq, record.pk, "记录序号早于清理锚点，链头被改动"
            )
        if record.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                expected_seq,
                None,
                f"缺少序号 {expected_seq}–{record.seq - 1} 的记录（已被删除）",
            )
        if record.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, record.seq, record.pk, "前一记录的哈希不符（前一记录被修改或删除）"
            )
        if compute_hash(record) != record.hash:
            return VerifyResult(
                False, checked, record.seq, record.pk, "记录内容与哈希不符（记录被修改）"
            )
        expected_prev = record.hash
        expected_seq += 1
        checked += 1
    last_seq = head.last_seq if head else 0
    if last_seq != expected_seq - 1 or (head and head.last_hash != expected_prev):
        return VerifyResult(
            False,
            checked,
            expected_seq,
            None,
            f"链尾不完整：应有记录至序号 {last_seq}，实际至 {expected_seq - 1}（最新记录被删除或修改）",
        )
    return VerifyResult(True, checked)


class PruneRefused(ValueError):
    pass


def prune_before(*, cutoff: dt.datetime, actor=None) -> int:
    """Delete records older than ``cutoff``, keeping the chain verifiable from a new anchor.

    Refuses a cutoff newer than the legal minimum retention (180 days).
    """
    from huxiao.core.models import AuditRecord

    oldest_allowed = timezone.now() - dt.timedelta(days=settings.AUDIT_MIN_RETENTION_DAYS)
    if cutoff > oldest_allowed:
        raise PruneRefused(
            f"拒绝清理：审计日志须保存不少于{settings.AUDIT_MIN_RETENTION_DAYS}天，"
            f"清理截止时间不得晚于 {oldest_allowed:%Y-%m-%d %H:%M}"
        )
    with transaction.atomic():
        head = _head()
        first_kept = (
            AuditRecord.objects.filter(ts__gte=cutoff)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        boundary = first_kept if first_kept is not None else head.last_seq + 1
        last_deleted = AuditRecord.objects.filter(seq__lt=boundary).order_by("-seq").first()
        if last_deleted is None:
            return 0
        deleted, _ = AuditRecord.objects.filter(seq__lt=boundary).delete()
        head.anchor_seq, head.anchor_hash = last_deleted.seq, last_deleted.hash
        head.save(update_fields=["anchor_seq", "anchor_hash"])
    append(
        kind=AuditKind.SYSTEM,
        action=AuditAction.PRUNE,
        object_type="core.auditrecord",
        object_repr=f"seq < {boundary}",
        after={"deleted": deleted, "cutoff": cutoff},
        actor=actor,
    )
    return deleted
