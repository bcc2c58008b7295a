from django.conf import settings


def shell(request):
    """What every page of the shell needs: the unread count and the user's navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"huxiao_profile": settings.PROFILE}
    from huxiao.core.navigation import navigation_for
    from huxiao.core.selectors import unread_count

    return {
        "huxiao_profile": settings.PROFILE,
        "nav_items": navigation_for(user),
        "unread_count": unread_count(user=user),
    }
