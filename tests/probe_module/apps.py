from django.apps import AppConfig


class ProbeConfig(AppConfig):
    name = "tests.probe_module"
    label = "probe"
    verbose_name = "测试模块"
