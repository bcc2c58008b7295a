"""The demo logins of README.md: who they are, where they sit, what they see."""

import pytest

from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization, User
from huxiao.demo import data
from huxiao.demo.generator import DEFAULT_PASSWORD
from tests.demo.conftest import sign_in

# username → (role code, organisation code), as in README.md's table.
README_LOGINS = {
    "admin": ("sysadmin", "PZH-PSB"),
    "commander": ("commander", "PZH-PSB"),
    "officer01": ("officer", "PZH-PS-01"),
    "officer02": ("officer", "PZH-PS-02"),
    "edu01": ("education_officer", "PZH-EDU-DQ"),
    "school01": ("school_security_chief", "SCH-01"),
    "guard01": ("gate_guard", "SCH-01"),
    "volunteer01": ("volunteer", "PZH-PS-01"),
    "auditor": ("auditor", "PZH-PSB"),
    "secadmin": ("secadmin", "PZH-PSB"),
}


def visible(user):
    return set(Organization.objects.visible_to(user).values_list("code", flat=True))


def test_it_creates_the_logins_of_the_readme(demo):
    users = User.objects.select_related("role", "organization").filter(is_demo=True)
    # The patrols step's duty accounts (值守账号) are demo data too, but cannot sign in.
    users = [u for u in users if u.has_usable_password()]
    assert {u.username: (u.role.code, u.organization.code) for u in users} == README_LOGINS
    for user in users:
        assert user.full_name and not user.full_name.isascii()
        assert not user.must_change_password and not user.is_superuser
        # The system and the security administrator may open /admin/.
        assert user.is_staff == (user.username in ("admin", "secadmin"))
        assert user.phone.isdigit() and len(user.phone) == 11


@pytest.mark.parametrize("username", sorted(README_LOGINS))
def test_it_signs_in_with_the_demo_password(demo, username):
    assert sign_in(username, DEFAULT_PASSWORD) == demo.user(username)


def test_it_shows_officer01_only_station_01s_subtree(demo):
    assert visible(demo.user("officer01")) == {"PZH-PS-01"} | {f"SCH-{n:02d}" for n in range(1, 7)}


def test_it_shows_officer02_only_station_02s_subtree(demo):
    codes = visible(demo.user("officer02"))
    assert codes == {"PZH-PS-02"} | {f"SCH-{n:02d}" for n in range(7, 12)}


def test_it_shows_edu01_the_schools_of_the_east_district_and_no_police(demo):
    codes = visible(demo.user("edu01"))
    east = set(
        Organization.objects.filter(kind=OrgKind.SCHOOL, division_code="510402").values_list(
            "code", flat=True
        )
    )
    assert "SCH-01" in codes
    assert codes == {"PZH-EDU-DQ"} | east
    assert len(east) == 35 == sum(len(s.schools) for s in data.STATIONS if s.district == "DQ")


def test_it_limits_school01_and_guard01_to_school_01(demo):
    assert visible(demo.user("school01")) == {"SCH-01"}
    assert visible(demo.user("guard01")) == {"SCH-01"}


def test_it_shows_the_commander_the_police_tree_only(demo):
    codes = visible(demo.user("commander"))
    kinds = set(Organization.objects.filter(code__in=codes).values_list("kind", flat=True))
    assert len(codes) == 1 + 3 + 3 + 26 + 81
    assert OrgKind.EDUCATION_BUREAU not in kinds and OrgKind.SECURITY_COMPANY not in kinds


def test_it_shows_the_volunteer_no_organisations(demo):
    assert visible(demo.user("volunteer01")) == set()


def test_it_lets_admin_see_everything(demo):
    assert len(visible(demo.user("admin"))) == Organization.objects.count() == 120
