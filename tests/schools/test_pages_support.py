"""Shared by the schools page tests (test_pages_*.py): the roles' permissions they rely on.

No tests here; each page test module calls ``grant_school_permissions`` from its fixture.

The permissions are set here, not taken from core.roles, so the page tests say what they
assume: officers and the school's security chief edit, commanders and education officers
only read, the gate guard sees the school but not its ledgers, volunteers and auditors
see no school page at all.
"""

from huxiao.core.models import Role

VIEW = (
    "schools.view_school",
    "schools.view_guard",
    "schools.view_device",
    "schools.view_equipmentstock",
)
LEDGERS = (
    "schools.add_guard",
    "schools.change_guard",
    "schools.delete_guard",
    "schools.add_device",
    "schools.change_device",
    "schools.delete_device",
    "schools.add_equipmentstock",
    "schools.change_equipmentstock",
)
SCHOOL_PERMISSIONS = {
    "sysadmin": (*VIEW, "schools.change_school", *LEDGERS),
    "commander": VIEW,
    "officer": (*VIEW, "schools.change_school", *LEDGERS),
    "education_officer": VIEW,
    "school_security_chief": (*VIEW, "schools.change_school", *LEDGERS),
    "gate_guard": ("schools.view_school",),
    "volunteer": (),
    "auditor": (),
}


def grant_school_permissions() -> None:
    """Each harness role holds exactly its core permissions plus the ones above."""
    for code, perms in SCHOOL_PERMISSIONS.items():
        role = Role.objects.get(code=code)
        kept = [p for p in role.permissions if not p.startswith("schools.")]
        role.permissions = sorted({*kept, *perms})
        role.save(update_fields=["permissions"])
