"""The audit chain becomes keyed: each record's hash is an HMAC under settings.AUDIT_KEY.

Existing records were sealed with plain SHA-256. The migration checks that chain link by link
and refuses to go on if it is already broken (``huxiao audit verify`` on the previous version
names the record); otherwise it re-seals every record under the audit key, keeping the order,
the content and the pruning anchor.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

FIELDS = (
    "seq", "ts", "kind", "action", "actor_id", "actor_name", "object_type", "object_id",
    "object_repr", "before", "after", "request_id", "ip", "source", "prev_hash",
)  # fmt: skip


def _ts(value):
    import datetime as dt

    return value.astimezone(dt.UTC).isoformat()


def _canonical(record, extra: dict) -> bytes:
    fields = {name: getattr(record, name) for name in FIELDS}
    fields["ts"] = _ts(record.ts)
    fields.update(extra)
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def reseal(apps, schema_editor):
    AuditRecord = apps.get_model("core", "AuditRecord")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    if not AuditRecord.objects.exists():
        return
    key = settings.AUDIT_KEY.encode("utf-8")
    key_id = hashlib.sha256(b"huxiao-audit-key:" + key).hexdigest()[:12]
    head = AuditChainHead.objects.get(pk=1)
    old_prev = new_prev = head.anchor_hash
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        if record.prev_hash != old_prev or (
            hashlib.sha256(_canonical(record, {})).hexdigest() != record.hash
        ):
            raise RuntimeError(
                f"审计链在升级前已损坏（序号 {record.seq}）：请先用上一版本的 huxiao audit verify 查明"
            )
        old_prev = record.hash
        record.prev_hash = new_prev
        record.key_id = key_id
        record.hash = hmac.new(
            key, _canonical(record, {"key_id": key_id}), hashlib.sha256
        ).hexdigest()
        record.save(update_fields=["prev_hash", "key_id", "hash"])
        new_prev = record.hash
    head.last_hash = new_prev
    head.save(update_fields=["last_hash"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendarday_attachment")]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="key_id",
            field=models.CharField(default="", max_length=16),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
