from huxiao.core.modules import Figure, MenuEntry, Module

VIEW = "probe.view_probe"

MODULE = Module(
    label="probe",
    name="测试模块",
    urls="tests.probe_module.urls",
    url_prefix="probe/",
    api=("tests.probe_module.api.router",),
    menu=(MenuEntry("测试模块", "probe:index", "bug", VIEW, order=450),),
    permissions={"officer": (VIEW,)},
    figures=(
        Figure(
            code="probe.organizations",
            label="可见单位数",
            definition="用户数据范围内的单位数（测试模块）。",
            compute="tests.probe_module.figures.organizations",
            records_url="tests.probe_module.figures.organizations_url",
            unit="个",
            permission=VIEW,
            periodic=False,
        ),
    ),
)
