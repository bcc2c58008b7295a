from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GateConfig(AppConfig):
    name = "huxiao.gate"
    verbose_name = _("门卫管理")
    default_auto_field = "django.db.models.BigAutoField"
