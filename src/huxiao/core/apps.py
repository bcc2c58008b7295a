from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_roles(sender, **kwargs):
    from huxiao.core.roles import ensure_default_roles

    ensure_default_roles()


class CoreConfig(AppConfig):
    name = "huxiao.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from huxiao.core import signals  # noqa: F401

        post_migrate.connect(_seed_roles, sender=self)
