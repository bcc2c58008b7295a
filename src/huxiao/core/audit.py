"""The tamper-evident audit trail (SPEC 3; 网络安全法 art. 21; 等保2.0 level 3, 安全审计).

Each record's hash is an HMAC-SHA256, under the audit key (``settings.AUDIT_KEY``, never in
the database), of its content and the previous record's hash: an edit or a deletion anywhere
breaks the chain at that record, and someone who can write the database but not read the key
cannot recompute it. ``verify_chain`` names the first broken link.

The head of the chain is also anchored outside the database: ``write_checkpoint`` appends a
signed line (sequence number, hash, time) to ``settings.AUDIT_CHECKPOINT_FILE`` and to the
log, hourly. Verification compares the chain with every checkpoint, so even a rewrite made
with the key is caught up to the newest checkpoint.

Records are chained under a lock on the chain head (``select_for_update`` on PostgreSQL, an
IMMEDIATE transaction on SQLite). A record appended inside a transaction waits in the
connection until that transaction commits (``huxiao.core.db``), so the head is locked only
from then to the commit, not for the whole transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from huxiao.core import context
from huxiao.core.choices import AuditAction, AuditKind

HIDDEN = "[已隐藏]"

log = logging.getLogger("huxiao.audit")


def key_id(key: str) -> str:
    """A short public name of an audit key (it reveals nothing of the key)."""
    return hashlib.sha256(b"huxiao-audit-key:" + key.encode("utf-8")).hexdigest()[:12]


def _keys() -> dict[str, bytes]:
    """Every audit key that verifies, by key id; the current one signs."""
    keys = [settings.AUDIT_KEY, *settings.AUDIT_KEYS_OLD]
    return {key_id(k): k.encode("utf-8") for k in keys if k}


class UnknownAuditKey(LookupError):
    pass


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


def comparable(instance: models.Model) -> dict:
    """The instance's fields as JSON values, to tell what a save changed. It holds encrypted
    fields in clear: it stays in memory and is never stored (``redact`` makes what is)."""
    excluded = getattr(instance, "audit_exclude_fields", frozenset())
    return {
        f.attname: _json_value(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in excluded
    }


def redact(model, data: dict) -> dict:
    """What the audit trail keeps of ``data`` (a ``comparable`` of a ``model`` instance).

    The auditor reads the trail, and must learn who changed which record when and which
    fields, never content that rebuilds an identity: an encrypted field is never written, not
    even masked (a masked ID beside a clear birth date gives the number back), and a record
    whose every field is police-only (``audit_content_hidden``: key persons, disputes) keeps
    its field names and nothing of their values.
    """
    if getattr(model, "audit_content_hidden", False):
        return {k: (v if k == "id" else HIDDEN) for k, v in data.items()}
    encrypted = {f.attname for f in model._meta.concrete_fields if getattr(f, "encrypted", False)}
    return {k: (HIDDEN if k in encrypted and v else v) for k, v in data.items()}


def snapshot(instance: models.Model) -> dict:
    """The instance's fields as the audit trail keeps them (see ``redact``)."""
    return redact(type(instance), comparable(instance))


def object_repr_of(obj: models.Model) -> str:
    """How the trail names a record: police-only records by their kind and number only."""
    if getattr(obj, "audit_content_hidden", False):
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return str(obj)[:200]


def canonical(fields: dict) -> str:
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def compute_hash(record) -> str:
    """The record's HMAC under the audit key its ``key_id`` names (UnknownAuditKey if none)."""
    key = _keys().get(record.key_id)
    if key is None:
        raise UnknownAuditKey(record.key_id)
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
        "key_id": record.key_id,
    }
    return hmac.new(key, canonical(fields).encode("utf-8"), hashlib.sha256).hexdigest()


def seal(record) -> None:
    """Sign ``record`` under the current audit key."""
    record.key_id = key_id(settings.AUDIT_KEY)
    record.hash = compute_hash(record)


def _head(using: str = "default"):
    from huxiao.core.models import AuditChainHead

    heads = AuditChainHead.objects.using(using)
    head = heads.select_for_update().filter(pk=1).first()
    if head is None:
        heads.get_or_create(pk=1)
        head = heads.select_for_update().get(pk=1)
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
        object_repr = object_repr or object_repr_of(obj)
    record = AuditRecord(
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
    )
    connection = transaction.get_connection()
    if getattr(connection, "audit_buffering", None) is not None and connection.audit_buffering():
        # Chained just before the transaction commits (huxiao.core.db.AuditBufferMixin).
        connection.audit_hold(record)
    else:
        with transaction.atomic():
            flush([record])
    return record


def flush(records: list, *, using: str = "default") -> None:
    """Chain ``records`` (unsaved, in the order they happened) after the head and store them,
    in the caller's transaction: the head stays locked until it commits."""
    from huxiao.core.models import AuditRecord

    head = _head(using)
    for record in records:
        record.seq = head.last_seq + 1
        record.prev_hash = head.last_hash
        seal(record)
        head.last_seq, head.last_hash = record.seq, record.hash
    AuditRecord.objects.using(using).bulk_create(records)
    head.save(using=using, update_fields=["last_seq", "last_hash"])


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
    checkpoints: int = 0  # outside anchors compared


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    ts: str
    key_id: str
    sig: str

    def payload(self) -> bytes:
        return f"huxiao-audit-checkpoint:{self.seq}:{self.hash}:{self.ts}:{self.key_id}".encode()

    def signed(self) -> bool:
        key = _keys().get(self.key_id)
        if key is None:
            return False
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.sig)


def write_checkpoint(path=None) -> Checkpoint | None:
    """Append the chain's head, signed, to the checkpoint file and to the log (None: empty)."""
    from huxiao.core.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_seq == 0:
        return None
    kid = key_id(settings.AUDIT_KEY)
    ts = _json_value(timezone.now())
    unsigned = Checkpoint(head.last_seq, head.last_hash, ts, kid, "")
    sig = hmac.new(settings.AUDIT_KEY.encode("utf-8"), unsigned.payload(), hashlib.sha256)
    checkpoint = Checkpoint(head.last_seq, head.last_hash, ts, kid, sig.hexdigest())
    line = json.dumps(checkpoint.__dict__, ensure_ascii=False, sort_keys=True)
    target = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    log.info("audit checkpoint %s", line)
    return checkpoint


def read_checkpoints(path=None) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints of the file, and a problem for each line that is not one we signed."""
    target = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    if not target.exists():
        return [], []
    found, problems = [], []
    for number, line in enumerate(target.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            checkpoint = Checkpoint(
                int(data["seq"]), str(data["hash"]), str(data["ts"]), str(data["key_id"]),
                str(data["sig"]),
            )  # fmt: skip
        except (ValueError, KeyError, TypeError):
            problems.append(f"锚点文件第 {number} 行无法识别")
            continue
        if not checkpoint.signed():
            problems.append(f"锚点文件第 {number} 行的签名不符（被改动，或密钥未配置）")
            continue
        found.append(checkpoint)
    return found, problems


def _walk_chain(head, chunk_size: int) -> VerifyResult:
    from huxiao.core.models import AuditRecord

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
        try:
            sealed = hmac.compare_digest(compute_hash(record), record.hash)
        except UnknownAuditKey:
            return VerifyResult(
                False,
                checked,
                record.seq,
                record.pk,
                "记录签名所用的密钥未知（记录被伪造，或旧密钥未配置）",
            )
        if not sealed:
            return VerifyResult(
                False, checked, record.seq, record.pk, "记录内容与签名不符（记录被修改或伪造）"
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


def _against_checkpoints(head, checkpoints: list[Checkpoint]) -> VerifyResult | None:
    """The first checkpoint the chain no longer matches, naming the span rewritten since the
    last one it matches."""
    from huxiao.core.models import AuditRecord

    anchor = head.anchor_seq if head else 0
    kept = sorted((c for c in checkpoints if c.seq > anchor), key=lambda c: c.seq)
    hashes = dict(
        AuditRecord.objects.filter(seq__in=[c.seq for c in kept]).values_list("seq", "hash")
    )
    matched = anchor
    for checkpoint in kept:
        stored = hashes.get(checkpoint.seq)
        if stored == checkpoint.hash:
            matched = checkpoint.seq
            continue
        record_id = AuditRecord.objects.filter(seq=matched + 1).values_list("pk", flat=True).first()
        what = "已不存在" if stored is None else "的哈希已不同"
        return VerifyResult(
            False,
            0,
            matched + 1,
            record_id,
            f"与外部锚点不符：{checkpoint.ts} 记下的序号 {checkpoint.seq} {what}，"
            f"序号 {matched + 1}–{checkpoint.seq} 之间的记录被改写、删除或重算",
        )
    return None


def verify_chain(*, chunk_size: int = 2000, checkpoints_path=None) -> VerifyResult:
    """Walk the chain from the pruning anchor and compare it with the outside checkpoints;
    report the first altered, forged or missing record."""
    from huxiao.core.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    checkpoints, problems = read_checkpoints(checkpoints_path)
    walked = _walk_chain(head, chunk_size)
    anchored = _against_checkpoints(head, checkpoints)
    candidates = [r for r in (walked, anchored) if r is not None and not r.ok]
    if candidates:
        first = min(candidates, key=lambda r: r.first_bad_seq or 0)
        first.checked = walked.checked
        first.checkpoints = len(checkpoints)
        return first
    if problems:
        return VerifyResult(
            False, walked.checked, None, None, "；".join(problems), len(checkpoints)
        )
    walked.checkpoints = len(checkpoints)
    return walked


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
