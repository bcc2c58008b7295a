from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_checklist(sender, **kwargs):
    from huxiao.inspections.checklist_data import ensure_default_checklist

    ensure_default_checklist()


class InspectionsConfig(AppConfig):
    name = "huxiao.inspections"
    verbose_name = _("隐患排查整改")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_seed_checklist, sender=self)
