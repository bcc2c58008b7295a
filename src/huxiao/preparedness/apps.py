from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparednessConfig(AppConfig):
    name = "huxiao.preparedness"
    label = "preparedness"
    verbose_name = _("应急准备")
    default_auto_field = "django.db.models.BigAutoField"
