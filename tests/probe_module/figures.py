from django.urls import reverse

from huxiao.core.models import Organization


def organizations(user, period, org=None) -> int:
    return Organization.objects.visible_to(user).count()


def organizations_url(period, org=None) -> str:
    return reverse("core:organization_list")
