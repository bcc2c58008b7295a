from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "huxiao.patrols"
    verbose_name = _("护学岗与巡逻")
    default_auto_field = "django.db.models.BigAutoField"
