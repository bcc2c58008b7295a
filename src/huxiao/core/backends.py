from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Django's password backend plus the permissions of the user's role."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perms = set(super().get_all_permissions(user_obj, obj))
        return perms | set(user_obj.role_permissions)
