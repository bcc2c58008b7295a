"""The permission tree of the role editor: every project permission named in Chinese, grouped by
module and page, and nothing of Django or the libraries (system:role_create shows it)."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse

from huxiao.core import modules, roles
from huxiao.system import permissions_tree
from tests.system.roles_support import admin_user, client_of

FRAMEWORK = ("auth.", "contenttypes.", "sessions.", "admin.", "axes.", "otp_", "django_", "huey")


def _ours(key: str) -> bool:
    # The test settings add a module of their own (see tests/settings.py) that names nothing.
    return apps.get_app_config(key.split(".")[0]).name.startswith("huxiao.")


def test_it_names_every_project_permission_in_chinese():
    assert [key for key in permissions_tree.missing_labels() if _ours(key)] == []
    for branch in filter(lambda b: _ours(b.key), permissions_tree.tree()):
        for group in branch.groups:
            for leaf in group.leaves:
                assert permissions_tree.has_chinese(leaf.label), leaf.key
                assert permissions_tree.has_chinese(group.label), group.key


def test_it_lists_every_permission_of_every_module_model():
    labels = {m.label for m in modules.installed()}
    expected = set()
    for model in apps.get_models():
        opts = model._meta
        if opts.app_label not in labels:
            continue
        expected |= {f"{opts.app_label}.{a}_{opts.model_name}" for a in opts.default_permissions}
        expected |= {f"{opts.app_label}.{codename}" for codename, _ in opts.permissions}
    assert expected <= permissions_tree.known()
    assert "inspections.supervise_hazard" in permissions_tree.known()


def test_it_knows_every_permission_the_default_roles_hold():
    granted = {p for spec in roles.DEFAULT_ROLES for p in roles.permissions_for(spec)}
    assert granted <= permissions_tree.known()  # editing a built-in role loses nothing
    assert "core.reset_second_factor" in permissions_tree.known()


def test_it_shows_no_framework_internals():
    for key in permissions_tree.known():
        assert not key.startswith(FRAMEWORK), key
    assert {b.key for b in permissions_tree.tree()} <= {m.label for m in modules.installed()}


def test_it_groups_by_module_then_page_then_action():
    branch = next(b for b in permissions_tree.tree() if b.key == "inspections")
    assert str(branch.label) == "隐患排查整改"
    hazard = next(g for g in branch.groups if g.key == "inspections.hazard")
    assert str(hazard.label) == "隐患"
    assert [str(leaf.label) for leaf in hazard.leaves][:4] == ["查看", "新增", "修改", "删除"]
    assert "挂牌督办" in [str(leaf.label) for leaf in hazard.leaves]


def test_the_editor_renders_the_tree_in_chinese_with_group_select_all(city):
    secadmin = admin_user("secadmin_a", city.city)
    page = client_of(secadmin).get(reverse("system:role_create"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "重点人员与矛盾纠纷" in body and "挂牌督办" in body and "data-check-all" in body
    assert 'value="persons.reveal_keyperson"' in body
    assert 'value="auth.' not in body and 'value="axes.' not in body
    assert "role_tree.js" in body and "<script>" not in body  # CSP: no inline script
