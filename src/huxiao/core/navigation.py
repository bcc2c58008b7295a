"""Navigation by role: each entry names the permission that shows it."""

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

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("首页"), "home", "house"),
    NavItem(_("单位"), "organization_list", "diagram", "core.view_organization"),
    NavItem(_("用户"), "user_list", "people", "core.view_user"),
    NavItem(_("审计日志"), "audit_list", "journal", "core.view_audit"),
    NavItem(_("通知"), "notification_list", "bell"),
)


def navigation_for(user) -> list[NavItem]:
    perms = user.get_all_permissions()
    return [item for item in NAV_ITEMS if item.permission is None or item.permission in perms or user.is_superuser]
