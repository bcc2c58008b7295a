"""The audit chain cannot be rewritten by someone with write access to the database.

Issue 13, item 4: deleting a record and recomputing the SHA-256 chain used to pass
``huxiao audit verify``. The chain is now an HMAC under a key outside the database, and its
head is anchored in signed checkpoints outside it; verify names the first forged or missing
record even after a recomputation.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from huxiao.core import audit, services
from huxiao.core.choices import OrgKind
from huxiao.core.models import AuditChainHead, AuditRecord


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


@pytest.fixture
def chain(db, checkpoints):
    for i in range(6):
        services.organization_create(
            kind=OrgKind.STATION, name=f"站{i}", code=f"K-{i}", division_code="530111"
        )
    return list(AuditRecord.objects.order_by("seq"))


def _legacy_sha(record) -> str:
    """The chain's old, unkeyed hash: what anyone with the database could recompute."""
    fields = {
        name: getattr(record, name)
        for name in (
            "seq", "kind", "action", "actor_id", "actor_name", "object_type", "object_id",
            "object_repr", "before", "after", "request_id", "ip", "source", "prev_hash",
        )
    }  # fmt: skip
    fields["ts"] = audit._json_value(record.ts)
    return hashlib.sha256(audit.canonical(fields).encode()).hexdigest()


def _delete_and_recompute(victim, sign) -> None:
    """Delete ``victim``, renumber the later records and recompute every link with ``sign``,
    as an attacker with write access to the database would."""
    AuditRecord.objects.filter(pk=victim.pk).delete()
    before = AuditRecord.objects.filter(seq__lt=victim.seq).order_by("-seq").first()
    prev, seq = before.hash, before.seq
    for record in AuditRecord.objects.filter(seq__gt=victim.seq).order_by("seq"):
        seq += 1
        record.seq, record.prev_hash = seq, prev
        record.hash = sign(record)
        record.save(update_fields=["seq", "prev_hash", "hash"])
        prev = record.hash
    AuditChainHead.objects.update(last_seq=seq, last_hash=prev)


def test_a_recomputed_sha256_chain_is_named_at_its_first_forged_record(chain):
    victim = chain[2]
    _delete_and_recompute(victim, _legacy_sha)
    result = audit.verify_chain()
    assert not result.ok
    # The first record recomputed is the one now numbered like the deleted one.
    assert result.first_bad_seq == victim.seq and "签名不符" in result.problem
    assert result.first_bad_id == chain[3].pk


def test_a_chain_recomputed_under_another_key_is_refused(chain):
    forged_key = b"an attacker's own key"

    def sign(record):
        return hmac.new(forged_key, str(record.seq).encode(), hashlib.sha256).hexdigest()

    _delete_and_recompute(chain[1], sign)
    result = audit.verify_chain()
    assert not result.ok and result.first_bad_seq == chain[1].seq


def test_a_rewrite_made_with_the_key_is_caught_by_the_outside_checkpoint(chain):
    checkpoint = audit.write_checkpoint()
    assert checkpoint.seq == chain[-1].seq
    # Someone who also stole the key recomputes a valid chain after deleting a record...
    _delete_and_recompute(chain[3], audit.compute_hash)
    assert audit._walk_chain(AuditChainHead.objects.get(), 100).ok
    # ...and the checkpoint kept outside the database still names what was rewritten.
    result = audit.verify_chain()
    assert not result.ok and result.first_bad_seq == chain[0].seq
    assert f"序号 {checkpoint.seq} 已不存在" in result.problem and "外部锚点" in result.problem


def test_checkpoints_narrow_the_rewritten_span(chain):
    audit.write_checkpoint()  # at chain[-1]
    for i in range(2):
        services.organization_create(
            kind=OrgKind.STATION, name=f"后{i}", code=f"L-{i}", division_code="530111"
        )
    later = audit.write_checkpoint()
    record = AuditRecord.objects.get(seq=later.seq)
    record.actor_name = "改名"
    record.hash = audit.compute_hash(record)
    record.save(update_fields=["actor_name", "hash"])
    AuditChainHead.objects.update(last_hash=record.hash)
    result = audit.verify_chain()
    assert not result.ok and result.first_bad_seq == chain[-1].seq + 1
    assert f"序号 {chain[-1].seq + 1}–{later.seq}" in result.problem


def test_an_edited_checkpoint_file_is_reported(chain, checkpoints):
    audit.write_checkpoint()
    line = json.loads(checkpoints.read_text())
    line["seq"] -= 1
    checkpoints.write_text(json.dumps(line) + "\n")
    result = audit.verify_chain()
    assert not result.ok and "签名不符" in result.problem and "锚点文件第 1 行" in result.problem


def test_the_key_rotates_and_old_records_still_verify(chain, settings):
    old = settings.AUDIT_KEY
    settings.AUDIT_KEY, settings.AUDIT_KEYS_OLD = "a-new-audit-key-" + "x" * 32, [old]
    services.organization_create(
        kind=OrgKind.STATION, name="新", code="K-new", division_code="530111"
    )
    newest = AuditRecord.objects.order_by("-seq").first()
    assert newest.key_id == audit.key_id(settings.AUDIT_KEY) != chain[0].key_id
    assert audit.verify_chain().ok
    # Without the old key, the records it signed can no longer be vouched for.
    settings.AUDIT_KEYS_OLD = []
    result = audit.verify_chain()
    assert not result.ok and result.first_bad_seq == chain[0].seq and "密钥未知" in result.problem


def test_the_cli_writes_a_checkpoint_and_verifies_against_it(chain, capsys):
    call_command("audit", "checkpoint")
    assert f"序号 {chain[-1].seq}" in capsys.readouterr().out
    call_command("audit", "verify")
    assert "与 1 个外部锚点相符" in capsys.readouterr().out


def _to_legacy_chain() -> None:
    prev = AuditChainHead.objects.get().anchor_hash
    for record in AuditRecord.objects.order_by("seq"):  # back to the unkeyed chain
        record.prev_hash, record.key_id = prev, ""
        record.hash = _legacy_sha(record)
        record.save(update_fields=["prev_hash", "key_id", "hash"])
        prev = record.hash
    AuditChainHead.objects.update(last_hash=prev)


def test_the_migration_reseals_an_intact_legacy_chain_and_refuses_a_broken_one(chain):
    migration = importlib.import_module("huxiao.core.migrations.0004_audit_chain_keyed")
    _to_legacy_chain()
    AuditRecord.objects.filter(pk=chain[2].pk).update(actor_name="篡改")
    with pytest.raises(RuntimeError, match=f"序号 {chain[2].seq}"):
        migration.reseal(apps, None)

    AuditRecord.objects.filter(pk=chain[2].pk).update(actor_name=chain[2].actor_name)
    _to_legacy_chain()
    assert not audit.verify_chain().ok
    migration.reseal(apps, None)
    assert audit.verify_chain().ok
    assert set(AuditRecord.objects.values_list("key_id", flat=True)) == {
        audit.key_id(settings.AUDIT_KEY)
    }
