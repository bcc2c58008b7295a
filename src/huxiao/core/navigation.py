"""Navigation by role: each entry names the permission that shows it.

Modules that land later append their entries to ``NAV_ITEMS``; ``icon`` is a
Bootstrap Icons name (without the ``bi-`` prefix) and ``also_active`` lists the
url names of the item's sub-pages, so the entry stays highlighted on them (a name
ending in "*" stands for every url name with that prefix).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str | None = None
    also_active: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_active(self, url_name: str | None) -> bool:
        if url_name is None:
            return False
        return url_name == self.url_name or any(
            url_name.startswith(name[:-1]) if name.endswith("*") else url_name == name
            for name in self.also_active
        )


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("首页"), "home", "house-door"),
    NavItem(_("我的待办"), "my_tasks", "list-check"),
    # school_detail, school_guard_list, school_import_… : every page of the schools module.
    NavItem(_("学校"), "school_list", "backpack2", "schools.view_school", ("school_*",)),
    # campaign_*, checklist_*, inspection_*: every page of the inspection side.
    NavItem(
        _("检查"),
        "campaign_list",
        "clipboard-check",
        "inspections.view_campaign",
        ("campaign_*", "checklist_*", "inspection_*"),
    ),
    NavItem(
        _("隐患整改"),
        "hazard_list",
        "exclamation-triangle",
        "inspections.view_hazard",
        ("hazard_*", "notice_*", "escalation_*"),
    ),
    # 护学岗 and rosters (post_*, shift_*); the phone check-in page (checkin*).
    NavItem(_("打卡"), "checkin", "geo-alt", "patrols.add_checkin", ("checkin_*",)),
    NavItem(
        _("护学岗"),
        "post_list",
        "sign-stop",
        "patrols.view_guardpost",
        ("post_*", "shift_*"),
    ),
    NavItem(
        _("巡逻统计"),
        "patrol_stats",
        "graph-up",
        "patrols.view_stats",
        ("patrol_*", "route_*", "video_patrol_*"),
    ),
    # Police only: the pages answer 404 to everyone else, so only police roles hold these.
    NavItem(
        _("重点人员"),
        "key_person_list",
        "person-exclamation",
        "persons.view_keyperson",
        ("key_person_*", "screening_*"),
    ),
    NavItem(_("矛盾纠纷"), "dispute_list", "people-fill", "persons.view_dispute", ("dispute_*",)),
    NavItem(
        _("单位"),
        "organization_list",
        "diagram-3",
        "core.view_organization",
        ("organization_detail",),
    ),
    NavItem(_("用户"), "user_list", "people", "core.view_user"),
    NavItem(_("审计日志"), "audit_list", "journal-text", "core.view_audit"),
    NavItem(_("通知"), "notification_list", "bell"),
)


def navigation_for(user) -> list[NavItem]:
    perms = user.get_all_permissions()
    return [
        item
        for item in NAV_ITEMS
        if item.permission is None or item.permission in perms or user.is_superuser
    ]
