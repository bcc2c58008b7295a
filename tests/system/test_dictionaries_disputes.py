# ruff: noqa: F811  (the fixtures imported from another test package are parameters here)
"""Dispute types (persons.dispute_kind) as a dictionary: an added type is offered, used and
shown; disabled, it is refused for new disputes and kept by the old ones."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from huxiao.core import dictionaries
from huxiao.persons import services
from huxiao.persons.choices import DISPUTE_KIND
from huxiao.persons.models import Dispute
from huxiao.system.services import dictionaries as dictionary_services
from tests.schools.conftest import schools  # noqa: F401  (fixture)


@pytest.fixture
def neighbours(db):
    return dictionary_services.dictionary_item_create(
        spec=dictionaries.spec(DISPUTE_KIND), code="neighbours", label="邻里"
    )


def create(school, kind, actor):
    return services.dispute_create(
        school=school,
        kind=kind,
        parties="家长某",
        summary="噪音纠纷",
        responsible_kind="school",
        actor=actor,
    )


def test_an_added_type_is_offered_used_and_shown(neighbours, schools, people, client_for):
    officer = client_for("officer_a")
    form = officer.get(reverse("persons:dispute_create")).context["form"]
    assert dict(form.fields["kind"].choices)["neighbours"] == "邻里"
    dispute = create(schools[0], "neighbours", people.officer_a)
    assert dispute.kind_label == "邻里"
    listed = officer.get(reverse("persons:dispute_list"), {"kind": "neighbours"})
    assert [d.pk for d in listed.context["page_obj"]] == [dispute.pk]
    assert "邻里" in listed.content.decode()
    api = officer.get(f"/api/v1/disputes/{dispute.pk}").json()
    assert (api["kind"], api["kind_label"]) == ("neighbours", "邻里")


def test_a_disabled_type_is_refused_for_new_disputes_and_kept_by_old_ones(
    neighbours,
    schools,
    people,
    client_for,
):
    dispute = create(schools[0], "neighbours", people.officer_a)
    dictionary_services.dictionary_item_update(
        item=neighbours, label="邻里", sort_order=neighbours.sort_order, is_enabled=False
    )
    officer = client_for("officer_a")
    form = officer.get(reverse("persons:dispute_create")).context["form"]
    assert "neighbours" not in dict(form.fields["kind"].choices)
    with pytest.raises(ValidationError) as refused:
        create(schools[0], "neighbours", people.officer_a)
    assert refused.value.message_dict["kind"] == ["纠纷类型不存在或已停用，请重新选择。"]
    api = officer.post(
        "/api/v1/disputes",
        {
            "school_id": schools[0].pk,
            "kind": "neighbours",
            "parties": "某",
            "summary": "某事",
            "responsible_kind": "school",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "已停用" in api.content.decode("utf-8")
    assert Dispute.objects.count() == 1
    # The dispute keeps its type through an edit, and shows it.
    services.dispute_update(dispute=dispute, kind="neighbours", summary="已协调")
    dispute.refresh_from_db()
    assert (dispute.kind, dispute.kind_label, dispute.summary) == ("neighbours", "邻里", "已协调")
    with pytest.raises(ValidationError):
        services.dispute_update(dispute=dispute, kind="nope")
