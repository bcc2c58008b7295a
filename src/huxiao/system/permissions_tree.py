"""The permissions a role may hold, as the role editor shows them: module → page → action.

Only the platform's own modules (``huxiao.core.modules.installed()``) are listed, never Django's
or a library's (auth, contenttypes, sessions, admin, axes, otp …): their permissions mean
nothing to a role, since every page checks one of the modules' own.

Names come from the code, in Chinese: a module's ``name``, a model's ``verbose_name`` and
查看/新增/修改/删除 for the four default permissions. A module names its own permissions (the
``Meta.permissions`` of its models, and the few checked without a model row such as
``core.reset_second_factor``) in ``Module.permission_labels`` ("app.codename" → label). The
same mapping may name a model whose ``verbose_name`` is not translated ("app.model_name" →
label): internal tables such as a document counter. ``missing_labels()`` lists what is
unnamed; a test keeps it empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from huxiao.core import modules

ACTIONS = {"view": _("查看"), "add": _("新增"), "change": _("修改"), "delete": _("删除")}
OTHER = _("其他权限")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Leaf:
    key: str  # "app.codename", what Role.permissions holds
    label: Any  # the action: 查看, or a custom permission's own name


@dataclass(frozen=True)
class Group:
    key: str  # "app.model_name", or "app._other"
    label: Any
    leaves: tuple[Leaf, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(leaf.key for leaf in self.leaves)


@dataclass(frozen=True)
class Branch:
    key: str  # the app label
    label: Any  # the module's name
    groups: tuple[Group, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for group in self.groups for key in group.keys)


def has_chinese(text) -> bool:
    return bool(_CHINESE.search(str(text)))


def _model_label(module: modules.Module, opts):
    named = module.permission_labels.get(f"{opts.app_label}.{opts.model_name}")
    return named if named is not None else opts.verbose_name


def _leaves(module: modules.Module, opts) -> list[Leaf]:
    labels = module.permission_labels
    leaves = []
    for action in ("view", "add", "change", "delete"):
        if action in opts.default_permissions:
            key = f"{opts.app_label}.{action}_{opts.model_name}"
            leaves.append(Leaf(key, labels.get(key, ACTIONS[action])))
    for codename, fallback in opts.permissions:
        key = f"{opts.app_label}.{codename}"
        leaves.append(Leaf(key, labels.get(key, fallback)))
    return leaves


@cache
def tree() -> tuple[Branch, ...]:
    """Every project permission, grouped by module, then by page (model), then action."""
    branches = []
    for module in modules.installed():
        try:
            config = apps.get_app_config(module.label)
        except LookupError:  # pragma: no cover - a registry always belongs to an app
            continue
        groups = []
        seen: set[str] = set()
        for model in config.get_models():
            opts = model._meta
            leaves = _leaves(module, opts)
            if leaves:
                groups.append(
                    Group(
                        f"{opts.app_label}.{opts.model_name}",
                        _model_label(module, opts),
                        tuple(leaves),
                    )
                )
                seen.update(leaf.key for leaf in leaves)
        models = {f"{module.label}.{m._meta.model_name}" for m in config.get_models()}
        # Permissions checked without a model row of their own (core.reset_second_factor): those
        # the module names, and those it grants the default roles.
        granted = (p for perms in module.permissions.values() for p in perms)
        extra = tuple(
            Leaf(key, module.permission_labels.get(key, key))
            for key in dict.fromkeys((*module.permission_labels, *granted))
            if key not in seen and key not in models and key.startswith(f"{module.label}.")
        )
        if extra:
            groups.append(Group(f"{module.label}._other", OTHER, extra))
        if groups:
            branches.append(Branch(module.label, module.name, tuple(groups)))
    return tuple(branches)


@cache
def known() -> frozenset[str]:
    """Every "app.codename" a role may hold."""
    return frozenset(key for branch in tree() for key in branch.keys)


def labels() -> dict[str, str]:
    """ "app.codename" → "模块 · 页面 · 操作", in the active language."""
    return {
        leaf.key: f"{branch.label} · {group.label} · {leaf.label}"
        for branch in tree()
        for group in branch.groups
        for leaf in group.leaves
    }


def held(permissions) -> list[dict]:
    """The part of the tree ``permissions`` covers, for a role's page; what the tree does not
    know (a module since removed) is listed apart under ``unknown``."""
    chosen = set(permissions)
    shown = []
    for branch in tree():
        groups = [
            {"label": group.label, "leaves": [leaf for leaf in group.leaves if leaf.key in chosen]}
            for group in branch.groups
        ]
        groups = [g for g in groups if g["leaves"]]
        if groups:
            shown.append({"label": branch.label, "groups": groups})
    return shown


def unknown(permissions) -> list[str]:
    return sorted(set(permissions) - known())


def missing_labels() -> list[str]:
    """What the editor would show without a Chinese name (module, page or action)."""
    missing = []
    for branch in tree():
        if not has_chinese(branch.label):
            missing.append(branch.key)
        for group in branch.groups:
            if not has_chinese(group.label):
                missing.append(group.key)
            missing.extend(leaf.key for leaf in group.leaves if not has_chinese(leaf.label))
    return missing
