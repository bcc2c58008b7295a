from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Django's password backend; permissions come from the user's role.

    Roles carry every permission the platform grants (SPEC 1; roles are edited in the admin,
    users are never given permissions one by one and no page assigns Django groups), so for
    everyone but a superuser Django's per-user and per-group permission tables are not read:
    that saves two queries on every request that checks a permission (docs/decisions.md).
    """

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
