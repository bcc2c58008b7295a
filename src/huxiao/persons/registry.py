"""What the persons module brings: key persons, screening, disputes (police only)."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, MenuEntry, Module

# Police only. Education, school, guard, volunteer, auditor and system-administrator roles get
# nothing that shows an identity (SPEC 2.3); gate guards and security chiefs may only ask the
# watchlist "is this visitor listed?".
PERSONS_VIEW = (
    "persons.view_keyperson",
    "persons.view_keypersonschool",
    "persons.view_followup",
    "persons.view_screeningbatch",
    "persons.view_dispute",
    "persons.view_mediationrecord",
)

PERSONS_WORK = (
    "persons.add_keyperson",
    "persons.change_keyperson",
    "persons.reveal_keyperson",
    "persons.add_followup",
    "persons.add_screeningbatch",
    "persons.add_dispute",
    "persons.change_dispute",
    "persons.add_mediationrecord",
    "persons.match_watchlist",
)

PERSONS_MATCH = ("persons.match_watchlist",)

MODULE = Module(
    label="persons",
    name=_("重点人员与矛盾纠纷"),
    urls="huxiao.persons.urls",
    url_prefix="persons/",
    api=("huxiao.persons.api.router",),
    # The pages answer 404 to everyone but police, so only police roles hold these.
    menu=(
        MenuEntry(
            _("重点人员"),
            "persons:key_person_list",
            "person-exclamation",
            "persons.view_keyperson",
            covers=("persons:key_person_*", "persons:screening_*"),
            order=400,
        ),
        MenuEntry(
            _("矛盾纠纷"),
            "persons:dispute_list",
            "people-fill",
            "persons.view_dispute",
            covers=("persons:dispute_*",),
            order=410,
        ),
    ),
    permissions={
        "commander": (
            *PERSONS_VIEW,
            "persons.reveal_keyperson",
            # 撤销列管 is the commander's approval, given on the person's edit page.
            "persons.change_keyperson",
            "persons.revoke_keyperson",
            *PERSONS_MATCH,
        ),
        "officer": (*PERSONS_VIEW, *PERSONS_WORK),
        "community_officer": (*PERSONS_VIEW, *PERSONS_WORK),
        "school_security_chief": PERSONS_MATCH,
        "gate_guard": PERSONS_MATCH,
    },
    demo=(DemoStep("persons", "huxiao.demo.persons.step_persons", after=("schools",)),),
    worklist=("huxiao.persons.worklist.review_items",),
)
