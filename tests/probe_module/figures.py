from django.urls import reverse

from huxiao.core.models import Organization


def organizations(user, period) -> int:
    return Organization.objects.visible_to(user).count()


def organizations_url(period) -> str:
    return reverse("core:organization_list")
