"""DRF permission classes speaking the one role vocabulary of `jianglian.roles`.

They only give the early, coarse answer (401 for anonymous, 403 for a role that can never do
this); the per-object rule stays in the service, which raises `NotAllowed` (→ 403).
"""
from rest_framework import permissions

from jianglian.roles import SECRETARIAT_ONLY, is_secretariat


class IsSecretariat(permissions.BasePermission):
    message = SECRETARIAT_ONLY

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and is_secretariat(request.user))


class IsSecretariatOrReadOnly(permissions.BasePermission):
    message = IsSecretariat.message

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return IsSecretariat().has_permission(request, view)


class ReadOnlyOrAuthenticated(permissions.IsAuthenticatedOrReadOnly):
    """Anyone reads public data; writes need a signed-in user (the service decides the rest)."""
