"""What the schools module brings: schools, guards, equipment, devices, compliance, ledger import."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, MenuEntry, Module

SCHOOL_VIEW = (
    "schools.view_school",
    "schools.view_guard",
    "schools.view_device",
    "schools.view_equipmentstock",
)

SCHOOL_LEDGERS = (
    "schools.add_guard",
    "schools.change_guard",
    "schools.delete_guard",
    "schools.add_device",
    "schools.change_device",
    "schools.delete_device",
    "schools.add_equipmentstock",
    "schools.change_equipmentstock",
)

SCHOOL_ADMIN = ("schools.add_school", "schools.change_school", *SCHOOL_LEDGERS)

MODULE = Module(
    label="schools",
    name=_("学校与三防"),
    urls="huxiao.schools.urls",
    url_prefix="schools/",
    api=("huxiao.schools.api.router",),
    # Every page of the module: schools, their ledgers, compliance, import.
    menu=(
        MenuEntry(_("学校"), "schools:school_list", "backpack2", "schools.view_school", order=100),
    ),
    permissions={
        "sysadmin": (*SCHOOL_VIEW, *SCHOOL_ADMIN),
        "commander": SCHOOL_VIEW,
        "officer": (*SCHOOL_VIEW, *SCHOOL_ADMIN),
        "community_officer": SCHOOL_VIEW,
        "legal_vice_principal": ("schools.view_school",),
        "education_officer": SCHOOL_VIEW,
        "school_security_chief": (*SCHOOL_VIEW, "schools.change_school", *SCHOOL_LEDGERS),
        "gate_guard": ("schools.view_school",),
    },
    demo=(DemoStep("schools", "huxiao.demo.schools.step_schools", after=("users",)),),
)
