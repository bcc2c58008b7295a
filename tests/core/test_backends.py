"""Permissions come from the role: Django's per-user and per-group tables are neither read nor
honoured for anyone but a superuser (docs/decisions.md), so a permission check costs no query."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huxiao.core.models import User

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.select_related("role").get(pk=user.pk)


def test_a_role_grants_its_permissions_without_a_query(people):
    guard = fresh(people.guard)
    with CaptureQueriesContext(connection) as queries:
        assert guard.has_perm("patrols.add_checkin")
        assert not guard.has_perm("patrols.view_checkin")
        assert not guard.has_perm("persons.view_keyperson")
    assert queries.captured_queries == []


def test_django_user_and_group_permissions_grant_nothing(people):
    perm = Permission.objects.get(content_type__app_label="persons", codename="view_keyperson")
    group = Group.objects.create(name="旁路授权")
    group.permissions.add(perm)
    people.guard.groups.add(group)
    people.guard.user_permissions.add(perm)
    guard = fresh(people.guard)
    assert not guard.has_perm("persons.view_keyperson")
    assert "persons.view_keyperson" not in guard.get_all_permissions()
    assert guard.get_user_permissions() == set() and guard.get_group_permissions() == set()


def test_an_inactive_user_has_no_permission(people):
    people.officer_a.is_active = False
    people.officer_a.save(update_fields=["is_active"])
    officer = fresh(people.officer_a)
    assert not officer.has_perm("patrols.add_checkin")
    assert officer.get_all_permissions() == set()


def test_a_superuser_keeps_every_permission(people):
    root = User.objects.create_superuser("root", password="Root#2026pw-x")
    assert root.has_perm("persons.view_keyperson") and root.has_perm("patrols.add_checkin")
