"""Organisation list and detail: scope, filters, breadcrumbs, 404 for out of scope."""

from django.urls import reverse


def names_on(response):
    return [o.name for o in response.context["page_obj"].object_list]


def test_it_lists_only_the_organisations_in_scope(client_for):
    response = client_for("officer_a").get(reverse("core:organization_list"))
    assert response.status_code == 200
    assert sorted(names_on(response)) == sorted(["甲派出所", "甲小学"])
    assert "乙中学" not in response.content.decode()


def test_it_filters_by_kind_and_text(client_for):
    client = client_for("commander")
    assert sorted(names_on(client.get(reverse("core:organization_list"), {"kind": "school"}))) == [
        "乙中学",
        "甲小学",
    ]
    assert names_on(client.get(reverse("core:organization_list"), {"q": "T-STA-B"})) == ["乙派出所"]
    assert names_on(client.get(reverse("core:organization_list"), {"q": "甲"})) == [
        "甲派出所",
        "甲小学",
    ]


def test_it_filters_by_parent(client_for, city):
    response = client_for("commander").get(
        reverse("core:organization_list"), {"parent": city.sub_bureau.pk}
    )
    assert names_on(response) == ["甲派出所", "乙派出所"]


def test_it_shows_nothing_for_a_parent_outside_the_scope(client_for, city):
    # An out-of-scope id in the filter must not fall back to the unfiltered list.
    response = client_for("officer_a").get(
        reverse("core:organization_list"), {"parent": city.station_b.pk}
    )
    assert response.status_code == 200
    assert names_on(response) == []


def test_it_paginates_by_fifty(client_for, city):
    from huxiao.core import services

    for i in range(55):
        services.organization_create(
            kind="school",
            name=f"分页学校{i:02d}",
            code=f"T-PG-{i:02d}",
            division_code="530111",
            parent=city.station_a,
        )
    client = client_for("officer_a")
    first = client.get(reverse("core:organization_list"))
    assert len(first.context["page_obj"].object_list) == 50
    assert first.context["page_obj"].paginator.count == 57
    second = client.get(reverse("core:organization_list"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 7
    assert "?page=2" in first.content.decode()


def test_it_shows_the_detail_with_breadcrumbs_and_children(client_for, city):
    response = client_for("commander").get(
        reverse("core:organization_detail", args=[city.sub_bureau.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert [a.name for a in response.context["ancestors"]] == ["测试市公安局"]
    assert [c.name for c in response.context["children"]] == ["甲派出所", "乙派出所"]
    assert reverse("core:organization_detail", args=[city.station_a.pk]) in body
    assert reverse("core:organization_detail", args=[city.city.pk]) in body


def test_it_links_only_ancestors_in_scope(client_for, city):
    response = client_for("officer_a").get(
        reverse("core:organization_detail", args=[city.school_a.pk])
    )
    assert response.status_code == 200
    assert [a.name for a in response.context["ancestors"]] == ["甲派出所"]
    body = response.content.decode()
    assert reverse("core:organization_detail", args=[city.sub_bureau.pk]) not in body
    assert reverse("core:organization_detail", args=[city.edu_a.pk]) not in body


def test_it_answers_404_for_out_of_scope_exactly_as_for_a_missing_id(client_for, city):
    client = client_for("officer_a")
    out_of_scope = client.get(reverse("core:organization_detail", args=[city.school_b.pk]))
    missing = client.get(reverse("core:organization_detail", args=[999_999]))
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.context["message"] == missing.context["message"]
    assert "乙中学" not in out_of_scope.content.decode()


def test_it_hides_the_police_tree_from_an_outsider(client_for, city):
    client = client_for("outsider")
    assert names_on(client.get(reverse("core:organization_list"))) == ["某保安公司"]
    assert (
        client.get(reverse("core:organization_detail", args=[city.station_a.pk])).status_code == 404
    )


def test_it_shows_an_education_officer_the_schools_of_the_bureau(client_for, city):
    response = client_for("edu_officer").get(reverse("core:organization_list"))
    assert sorted(names_on(response)) == sorted(["甲区教育局", "甲小学"])
    assert (
        client_for("edu_officer")
        .get(reverse("core:organization_detail", args=[city.school_a.pk]))
        .status_code
        == 200
    )
