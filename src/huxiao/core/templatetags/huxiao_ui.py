"""Template helpers of the shell: masking, audit diffs, icons and colours."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django import template
from django.utils.translation import pgettext_lazy

from huxiao.core import crypto
from huxiao.core.choices import NotificationLevel, OrgKind

register = template.Library()

_MISSING = object()
_SHORT = 40

ORG_KIND_ICONS = {
    OrgKind.CITY_BUREAU: "building-fill-check",
    OrgKind.SUB_BUREAU: "building-check",
    OrgKind.STATION: "shield-shaded",
    OrgKind.POLICE_UNIT: "person-badge",
    OrgKind.EDUCATION_BUREAU: "mortarboard",
    OrgKind.COORDINATION_OFFICE: "diagram-2",
    OrgKind.SECURITY_COMPANY: "person-vcard",
    OrgKind.SCHOOL: "backpack2",
}

LEVEL_CLASSES = {
    NotificationLevel.INFO: "info",
    NotificationLevel.WARNING: "warning",
    NotificationLevel.URGENT: "danger",
}


@register.filter
def masked_phone(value: str) -> str:
    return crypto.mask_phone(value or "")


@register.filter
def org_kind_icon(kind: str) -> str:
    return ORG_KIND_ICONS.get(kind, "building")


@register.filter
def level_class(level: str) -> str:
    return LEVEL_CLASSES.get(level, "secondary")


# "通知" is both the inbox's name and the lowest level; a context tells them apart in English.
LEVEL_LABELS = {
    NotificationLevel.INFO: pgettext_lazy("notification level", "通知"),
    NotificationLevel.WARNING: pgettext_lazy("notification level", "提醒"),
    NotificationLevel.URGENT: pgettext_lazy("notification level", "紧急"),
}


@register.filter
def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


@register.filter
def badge_count(count) -> str:
    count = int(count or 0)
    return "99+" if count > 99 else str(count)


@register.simple_tag
def lockout_minutes() -> int:
    """The lockout period of django-axes, in minutes (a parameter)."""
    from huxiao.core import parameters

    return int(parameters.get("LOCKOUT_MINUTES"))


def _short(value) -> str:
    if value is _MISSING:
        return "—"
    if value is None or value == "":
        return "∅"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@register.simple_tag
def audit_changes(record, limit: int = 5) -> dict:
    """The fields a record changed, shortened for a table cell.

    Returns ``{"shown": [...], "more": n}``: for an update only the fields whose
    value differs; for a create or a delete, the fields present.
    """
    before = record.before if isinstance(record.before, dict) else {}
    after = record.after if isinstance(record.after, dict) else {}
    keys = list(dict.fromkeys([*after, *before]))
    changes = []
    for key in keys:
        b, a = before.get(key, _MISSING), after.get(key, _MISSING)
        if b == a:
            continue
        changes.append(Change(key, _short(b), _short(a)))
    return {"shown": changes[:limit], "more": max(0, len(changes) - limit)}


@register.filter
def pretty_json(value) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


@register.filter
def nav_active(item, view_name) -> bool:
    return item.is_active(view_name)


@register.filter
def local_link(link: str) -> str:
    """A notification's link, only when it points inside the platform."""
    link = (link or "").strip()
    return link if link.startswith("/") and not link.startswith("//") and "\\" not in link else ""


@register.filter
def add_class(bound_field, css: str):
    """Render a form field's widget with extra CSS classes (and is-invalid on errors)."""
    classes = [bound_field.field.widget.attrs.get("class", ""), css]
    if bound_field.errors:
        classes.append("is-invalid")
    return bound_field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


@register.filter
def translated(value) -> str:
    """Seeded data whose text is a msgid (a default role's name) shown in the active language."""
    from django.utils.translation import gettext

    return gettext(str(value)) if value else ""
