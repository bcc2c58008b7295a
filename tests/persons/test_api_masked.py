"""A masked value read from the API and sent back is refused (issue 13, item 7)."""

import json

import pytest

from huxiao.persons.models import KeyPerson


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "138****1234", "打码"),
        ("id_number", "510402********1234", "身份证号"),
        ("phone", "1381234", "手机号"),
    ],
)
def test_a_patch_with_a_masked_or_malformed_value_keeps_the_real_one(
    client_for, person_a, field, value, message
):
    before = getattr(KeyPerson.objects.get(pk=person_a.pk), field)
    response = client_for("officer_a").patch(
        f"/api/v1/key-persons/{person_a.pk}",
        data=json.dumps({field: value}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert getattr(KeyPerson.objects.get(pk=person_a.pk), field) == before


def test_a_patch_with_a_full_phone_number_is_stored(client_for, person_a):
    response = client_for("officer_a").patch(
        f"/api/v1/key-persons/{person_a.pk}",
        data=json.dumps({"phone": "0812-3334455"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert KeyPerson.objects.get(pk=person_a.pk).phone == "0812-3334455"


@pytest.mark.parametrize("field", ["categories", "control_measures", "name"])
def test_a_patch_that_nulls_a_required_field_is_a_400_naming_it(client_for, person_a, field):
    response = client_for("officer_a").patch(
        f"/api/v1/key-persons/{person_a.pk}",
        data=json.dumps({field: None}),
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert field in response.content.decode()
