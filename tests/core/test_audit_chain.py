"""The audit trail is a hash chain; verify names the first altered or deleted record."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from huxiao.core import audit, services
from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.models import AuditChainHead, AuditRecord


@pytest.fixture
def chain(db):
    for i in range(5):
        services.organization_create(
            kind=OrgKind.STATION, name=f"站{i}", code=f"C-{i}", division_code="530111"
        )
    return list(AuditRecord.objects.order_by("seq"))


def test_it_verifies_an_intact_chain(chain):
    result = audit.verify_chain()
    assert result.ok and result.checked == len(chain) >= 5


def test_it_names_the_row_whose_json_was_changed_in_the_database(chain):
    target = chain[2]
    with connection.cursor() as cursor:
        # Edit the stored JSON directly, as someone with database access would.
        cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
        cursor.execute(
            f"UPDATE core_auditrecord SET after = {cast} WHERE id = %s",  # noqa: S608
            ['{"name": "篡改", "code": "C-1"}', target.pk],
        )
    result = audit.verify_chain()
    assert not result.ok
    assert result.first_bad_seq == target.seq and result.first_bad_id == target.pk
    assert "修改" in result.problem


def test_it_detects_a_deleted_record_in_the_middle(chain):
    AuditRecord.objects.filter(pk=chain[1].pk).delete()
    result = audit.verify_chain()
    assert not result.ok and result.first_bad_seq == chain[1].seq


def test_it_detects_the_newest_record_deleted(chain):
    AuditRecord.objects.filter(pk=chain[-1].pk).delete()
    result = audit.verify_chain()
    assert not result.ok and result.first_bad_seq == chain[-1].seq


def test_the_cli_exits_non_zero_and_names_the_row(chain, capsys):
    AuditRecord.objects.filter(pk=chain[3].pk).update(actor_name="someone-else")
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"序号 {chain[3].seq}" in err and f"id {chain[3].pk}" in err


def test_the_cli_reports_an_intact_chain(chain, capsys):
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out


def test_prune_refuses_records_younger_than_180_days(chain):
    with pytest.raises(audit.PruneRefused):
        audit.prune_before(cutoff=timezone.now() - dt.timedelta(days=179))
    assert AuditRecord.objects.count() == len(chain)


def test_prune_keeps_the_chain_verifiable_from_its_new_anchor(chain):
    old = timezone.now() - dt.timedelta(days=400)
    AuditRecord.objects.filter(seq__lte=chain[2].seq).update(ts=old)
    # Re-seal the aged records so that the test starts from a valid chain.
    prev = AuditChainHead.objects.get().anchor_hash
    for record in AuditRecord.objects.order_by("seq"):
        record.prev_hash = prev
        record.hash = audit.compute_hash(record)
        record.save(update_fields=["prev_hash", "hash"])
        prev = record.hash
    AuditChainHead.objects.update(last_hash=prev)
    assert audit.verify_chain().ok

    deleted = audit.prune_before(cutoff=timezone.now() - dt.timedelta(days=200))
    assert deleted == 3
    assert not AuditRecord.objects.filter(seq__lte=chain[2].seq).exists()
    assert AuditRecord.objects.filter(action=AuditAction.PRUNE).exists()
    assert audit.verify_chain().ok


def test_the_prune_cli_refuses_with_a_chinese_message(chain):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不少于180天"):
        call_command("audit", "prune", "--before", timezone.localdate().isoformat())


def test_access_records_join_the_chain(chain, people):
    audit.record_access(obj=people.officer_a, actor=people.auditor, reason="核查")
    record = AuditRecord.objects.order_by("-seq").first()
    assert record.kind == AuditKind.ACCESS and record.actor == people.auditor
    assert audit.verify_chain().ok
