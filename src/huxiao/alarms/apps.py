from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "huxiao.alarms"
    verbose_name = _("一键报警")
    default_auto_field = "django.db.models.BigAutoField"
