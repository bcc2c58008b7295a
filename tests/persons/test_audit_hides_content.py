"""Masks that cannot be undone (issue 13, item 1).

The auditor reads the whole audit trail. It must tell who changed which key person when, and
which fields, without a name, category, risk level or any part of an identity; and nothing a
role sees together (a masked ID number and a birth date) may rebuild an ID number.
"""

from __future__ import annotations

import json

from huxiao.core import crypto
from huxiao.core.models import AuditRecord
from tests.persons.conftest import ADDRESS_A, ID_A, PHONE_A

SECRETS = (
    "测试甲某", '"mental"', "revenge", '"high"', "stabilise", ID_A, PHONE_A, ADDRESS_A,
)  # fmt: skip


def _trail(client, object_type: str) -> str:
    rows = client.get(f"/api/v1/audit/records?object_type={object_type}&limit=200").json()
    return json.dumps(rows["items"], ensure_ascii=False)


def test_the_auditor_sees_which_fields_changed_not_what_they_hold(client_for, person_a):
    client_for("officer_a").patch(
        f"/api/v1/key-persons/{person_a.pk}",
        data=json.dumps({"risk_level": "medium", "name": "测试甲某改"}),
        content_type="application/json",
    )
    auditor = client_for("auditor")
    trail = _trail(auditor, "persons.keyperson") + _trail(auditor, "persons.keypersonschool")
    for secret in (*SECRETS, '"medium"', "测试甲某改", ID_A[:6] + "*"):
        assert secret not in trail, secret
    update = AuditRecord.objects.filter(object_type="persons.keyperson", action="update").latest(
        "seq"
    )
    assert set(update.after) >= {"risk_level", "name"}
    assert set(update.after.values()) == {"[已隐藏]"}
    assert update.object_repr == f"重点人员 #{person_a.pk}"
    assert update.actor_name == "officer_a"


def test_a_short_address_keeps_its_road_not_its_house_number():
    assert crypto.mask_address("演示路023号") == "演示路****"
    long = "四川省攀枝花市东区炳草岗大街5号"
    assert crypto.mask_address(long) == "四川省攀枝花" + "*" * (len(long) - 6)
    assert not any(ch.isdigit() for ch in crypto.mask_address("12号院3单元"))
