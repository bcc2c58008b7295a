from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city's generator and ``huxiao seed``: the top layer, above the API assembly.

    An app (no models) so that its management command lives with it rather than in core.
    """

    name = "huxiao.demo"
    label = "demo"
    verbose_name = "演示数据"
