from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "huxiao.persons"
    label = "persons"
    verbose_name = _("重点人员与矛盾纠纷")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The "my tasks" provider and the key-person ledger of ``huxiao import``.
        from huxiao.persons import worklist  # noqa: F401
        from huxiao.persons.imports import register

        register()
