from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_roles(sender, **kwargs):
    from huxiao.core.roles import ensure_default_roles

    ensure_default_roles()


def _sync_dictionaries(sender, **kwargs):
    from huxiao.core import dictionaries

    dictionaries.sync()


class CoreConfig(AppConfig):
    name = "huxiao.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from huxiao.core import modules, signals  # noqa: F401

        # Periodic tasks of every module (``Module.tasks``), so the huey consumer knows them.
        modules.import_tasks()

        post_migrate.connect(_seed_roles, sender=self)
        post_migrate.connect(_sync_dictionaries, sender=self)
