"""SPEC 1 acceptance on the demo city: officer01's API sees station 01's subtree only."""

from huxiao.core.models import Organization


def test_it_lists_only_station_01s_subtree_to_officer01(demo):
    data = demo.client("officer01").get("/api/v1/organizations?limit=200").json()
    station = demo.org("PZH-PS-01")
    expected = set(
        Organization.objects.filter(path__startswith=station.path).values_list("pk", flat=True)
    )
    assert data["count"] == len(expected) == 7
    assert {o["id"] for o in data["items"]} == expected
    assert {o["code"] for o in data["items"]} == {"PZH-PS-01"} | {
        f"SCH-{n:02d}" for n in range(1, 7)
    }


def test_it_answers_404_for_a_school_of_station_02_exactly_as_for_a_missing_id(demo):
    client = demo.client("officer01")
    other = Organization.objects.filter(parent=demo.org("PZH-PS-02"), kind="school").first()
    missing_id = Organization.objects.order_by("-pk").first().pk + 1000
    out_of_scope = client.get(f"/api/v1/organizations/{other.pk}")
    missing = client.get(f"/api/v1/organizations/{missing_id}")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()
    assert out_of_scope.content == missing.content
    assert out_of_scope["Content-Type"] == missing["Content-Type"]


def test_it_answers_200_for_school_01_to_officer01(demo):
    response = demo.client("officer01").get(f"/api/v1/organizations/{demo.org('SCH-01').pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "攀枝花市炳草岗小学"
