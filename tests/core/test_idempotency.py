"""Idempotency-Key on the API's creates (issue 23): a client that lost the answer sends the
same request again and gets the first answer, not a second record."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from huxiao.core import services
from huxiao.core.models import IdempotencyRecord
from huxiao.core.tasks import idempotency_sweep
from huxiao.persons.models import Dispute
from tests.schools.conftest import id_number, schools  # noqa: F401  (fixtures)

BODY = {
    "kind": "teacher_student",
    "parties": "教师某与学生家长某",
    "summary": "体罚争议",
    "responsible_kind": "education_bureau",
}


@pytest.fixture
def api(people):
    _token, secret = services.token_create(user=people.officer_a, name="集成")

    def post(body, key=None, token=secret):
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return Client().post(
            "/api/v1/disputes", json.dumps(body), content_type="application/json", headers=headers
        )

    return post


def test_a_repeat_gets_the_first_answer_and_makes_nothing(api, schools):  # noqa: F811
    body = BODY | {"school_id": schools[0].pk}
    first = api(body, key="retry-0001")
    assert first.status_code == 201
    again = api(body, key="retry-0001")
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dispute.objects.count() == 1
    # Without a key, the same request is another record, as before.
    assert api(body).status_code == 201
    assert Dispute.objects.count() == 2


def test_the_same_key_for_another_request_is_refused(api, schools):  # noqa: F811
    assert api(BODY | {"school_id": schools[0].pk}, key="k-1").status_code == 201
    other = api(BODY | {"school_id": schools[0].pk, "summary": "另一事项"}, key="k-1")
    assert other.status_code == 422
    assert other.json()["detail"] == "该 Idempotency-Key 已用于另一个请求，请换一个键。"
    assert Dispute.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(api, schools):  # noqa: F811
    refused = api(BODY | {"school_id": schools[0].pk, "threat_of_revenge": True}, key="k-2")
    assert refused.status_code == 400  # a threat without a key person
    assert not IdempotencyRecord.objects.exists()
    # The client corrects the body and resends under the same key: a new request.
    # (422 would mean the refusal was kept as the answer.)
    assert api(BODY | {"school_id": schools[0].pk}, key="k-2").status_code == 201


def test_keys_belong_to_their_caller(api, schools, people):  # noqa: F811
    _token, other = services.token_create(user=people.officer_a, name="另一集成")
    body = BODY | {"school_id": schools[0].pk}
    assert api(body, key="shared").status_code == 201
    assert api(body, key="shared", token=other).status_code == 201
    assert Dispute.objects.count() == 2


def test_a_malformed_key_is_bad_input(api, schools):  # noqa: F811
    response = api(BODY | {"school_id": schools[0].pk}, key="x" * 129)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Dispute.objects.exists()


def test_records_are_kept_a_day(api, schools):  # noqa: F811
    api(BODY | {"school_id": schools[0].pk}, key="old")
    api(BODY | {"school_id": schools[0].pk}, key="new")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - dt.timedelta(days=1, minutes=1)
    )
    assert idempotency_sweep.call_local() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
