from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from huxiao.core.rowloader import JoinedRowLoader


@cache
def _user_with_role():
    """Every signed-in request reads its user, the role (its permissions) and the organisation
    (where its scope starts): one statement, built once (core.rowloader)."""
    return JoinedRowLoader(get_user_model(), ["role", "organization"], by="id")


class RoleBackend(ModelBackend):
    """Django's password backend; permissions come from the user's role.

    Roles carry every permission the platform grants (SPEC 1; roles are edited in the admin,
    users are never given permissions one by one and no page assigns Django groups), so for
    everyone but a superuser Django's per-user and per-group permission tables are not read:
    that saves two queries on every request that checks a permission (docs/decisions.md).
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except Exception:  # noqa: BLE001 — a session naming no valid id signs no one in
            return None
        user = _user_with_role().get(pk)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        if not getattr(user_obj, "is_superuser", False):
            return set()
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if not getattr(user_obj, "is_superuser", False):
            return set()
        return super().get_group_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not user_obj.is_superuser:
            return set(user_obj.role_permissions)
        return set(super().get_all_permissions(user_obj, obj)) | set(user_obj.role_permissions)
