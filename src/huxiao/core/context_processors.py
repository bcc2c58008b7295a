from django.conf import settings
from django.utils.functional import SimpleLazyObject, new_method_proxy


class LazyCount(SimpleLazyObject):
    """A lazy integer that filters such as ``add`` and ``floatformat`` accept."""

    __int__ = new_method_proxy(int)
    __index__ = new_method_proxy(int)
    __float__ = new_method_proxy(float)


def shell(request):
    """What every page of the shell needs: the unread count, the newest urgent message still to
    be shown as a toast (``urgent_alert``, its id, from the same query) and the user's
    navigation.

    All are lazy: an error page that does not show the shell (a 500 while the
    database is down) never queries for them.
    """
    user = getattr(request, "user", None)

    def nav_items():
        if user is None or not user.is_authenticated:
            return []
        from huxiao.core.modules import menu_for

        return menu_for(user)

    def inbox():
        if user is None or not user.is_authenticated:
            return {"unread": 0, "urgent": None}
        from huxiao.core.selectors import inbox_counts

        return inbox_counts(user=user)

    counts = SimpleLazyObject(inbox)

    match = getattr(request, "resolver_match", None)
    return {
        "huxiao_profile": settings.PROFILE,
        "nav_items": SimpleLazyObject(nav_items),
        "unread_count": LazyCount(lambda: counts["unread"]),
        "urgent_alert": SimpleLazyObject(lambda: counts["urgent"] or ""),
        "current_view": match.view_name if match else None,
    }
