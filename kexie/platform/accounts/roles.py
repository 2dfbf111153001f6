"""What each role may do in the admin, decided in one place.

Association staff hold every permission. Organisation managers hold the
permissions the apps grant them (``grant_managers``, called from each app's
``AppConfig.ready``); which *rows* they see is decided by
``members.admin_scoping.OrgScopedAdminMixin``.
"""

from django.contrib.auth.backends import BaseBackend

_manager_permissions: set[str] = set()


def grant_managers(*permissions: str) -> None:
    """Let organisation managers hold these permissions ("app_label.codename")."""
    _manager_permissions.update(permissions)


def manager_permissions() -> frozenset[str]:
    return frozenset(_manager_permissions)


class RolePermissionBackend(BaseBackend):
    """Grants permissions by role; authenticates no one."""

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if user_obj.is_association_staff:
            return True
        if user_obj.is_org_manager:
            return perm in _manager_permissions
        return False

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        if user_obj.is_association_staff:
            return True
        if user_obj.is_org_manager:
            return any(perm.startswith(f"{app_label}.") for perm in _manager_permissions)
        return False
