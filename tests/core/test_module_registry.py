"""The module registry: a module declared only in its own folder appears everywhere it should.

tests/probe_module exists only in the test settings (tests/settings.py). Nothing outside its
folder names it, yet its menu entry, permission, page, API operation, figure and its rows of
the permission matrix must all be found.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from huxiao.core import modules
from huxiao.core.models import Organization
from huxiao.core.modules import DemoStep, MenuEntry, Module, Period
from tests.permission_matrix import walk
from tests.permission_matrix.api import API
from tests.permission_matrix.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
PERIOD = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def test_nothing_outside_the_probe_folder_names_it_but_the_test_settings():
    mentions = [
        path.relative_to(ROOT).as_posix()
        for folder in ("src", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "probe_module" in path.read_text(encoding="utf-8")
        and "tests/probe_module/" not in path.as_posix()
    ]
    assert sorted(mentions) == ["tests/core/test_module_registry.py", "tests/settings.py"]


def test_it_finds_every_installed_module_in_installed_apps_order():
    labels = [m.label for m in modules.installed()]
    assert labels == [
        "core",
        "schools",
        "inspections",
        "persons",
        "patrols",
        "alarms",
        "gate",
        "preparedness",
        "system",
        "reports",
        "probe",
    ]


def test_the_probes_menu_entry_shows_to_a_permitted_user_only(client_for):
    home = client_for("officer_a").get(reverse("core:home")).content.decode()
    assert 'href="/probe/"' in home and "测试模块" in home
    refused = client_for("edu_officer").get(reverse("core:home")).content.decode()
    assert 'href="/probe/"' not in refused


def test_the_probes_permission_is_granted_to_the_role_it_names(people):
    assert people.officer_a.has_perm("probe.view_probe")
    assert "probe.view_probe" in people.officer_a.role.permissions
    assert not people.edu_officer.has_perm("probe.view_probe")


def test_the_probes_page_and_api_answer_by_permission(client_for):
    assert client_for("officer_a").get("/probe/").status_code == 200
    assert client_for("edu_officer").get("/probe/").status_code == 403
    assert client_for("officer_a").get("/api/v1/probe").json() == {"module": "probe"}
    assert client_for("edu_officer").get("/api/v1/probe").status_code == 403


def test_the_probes_operation_is_in_the_openapi_schema(client_for):
    schema = client_for("officer_a").get("/api/v1/openapi.json").json()
    assert "get" in schema["paths"]["/api/v1/probe"]


def test_the_probes_routes_are_walked_and_declared_in_the_permission_matrix():
    assert "probe:index" in walk.page_routes()
    assert ("GET", "/api/v1/probe") in walk.api_operations()
    assert "probe:index" in PAGES and ("GET", "/api/v1/probe") in API


def test_the_probes_figure_counts_what_the_user_may_see(people):
    figure = modules.figure("probe.organizations")
    assert figure in modules.figures()
    officer = people.officer_a
    assert figure.visible_to(officer) and not figure.visible_to(people.edu_officer)
    assert figure.value(officer, PERIOD) == Organization.objects.visible_to(officer).count()
    assert figure.value(officer, PERIOD) < figure.value(people.commander, PERIOD)
    assert figure.url(PERIOD) == reverse("core:organization_list")


def test_a_menu_entry_is_highlighted_on_the_pages_it_covers():
    whole = MenuEntry("学校", "schools:school_list", "x")
    assert whole.is_active("schools:school_detail") and whole.is_active("schools:school_list")
    assert not whole.is_active("patrols:post_list") and not whole.is_active(None)
    # A gate module's post_* pages are not the patrols module's post_* pages.
    posts = MenuEntry("护学岗", "patrols:post_list", "x", covers=("patrols:post_*",))
    assert posts.is_active("patrols:post_detail")
    assert not posts.is_active("gate:post_list")
    hazards = MenuEntry("隐患", "inspections:hazard_list", "x", covers=("inspections:hazard_*",))
    assert not hazards.is_active("inspections:campaign_list")


def test_the_menu_follows_the_declared_order():
    labels = [str(entry.label) for entry in modules.menu()]
    assert labels[:2] == ["首页", "我的待办"] and labels[-1] == "通知"
    assert labels.index("学校") < labels.index("检查") < labels.index("打卡")
    assert labels.index("矛盾纠纷") < labels.index("测试模块") < labels.index("单位")


def _with(monkeypatch, *declared: Module) -> None:
    monkeypatch.setattr(modules, "installed", lambda: declared)


def test_demo_steps_run_after_the_steps_they_name(monkeypatch):
    _with(
        monkeypatch,
        Module("a", demo=(DemoStep("late", "x.y", after=("early",)),)),
        Module("b", demo=(DemoStep("early", "x.y"), DemoStep("other", "x.y"))),
    )
    assert [s.name for s in modules.demo_steps()] == ["early", "late", "other"]
    assert [s.name for s in modules.demo_steps()] == ["early", "late", "other"]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ((DemoStep("a", "x.y", after=("nowhere",)),), "unknown steps"),
        ((DemoStep("a", "x.y", after=("b",)), DemoStep("b", "x.y", after=("a",))), "wait on"),
    ],
)
def test_demo_steps_that_cannot_be_ordered_are_refused(monkeypatch, steps, message):
    _with(monkeypatch, Module("a", demo=steps))
    with pytest.raises(ValueError, match=message):
        modules.demo_steps()


def test_a_fact_must_have_exactly_one_provider(monkeypatch):
    _with(
        monkeypatch,
        Module("a", facts={"n": "a.n"}),
        Module("b", facts={"n": "b.n"}),
    )
    with pytest.raises(LookupError, match="2 modules"):
        modules.fact("n")
    assert not modules.has_fact("m")
