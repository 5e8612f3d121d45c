"""Who a user is on the platform. The one permission vocabulary REST, GraphQL and pages share.

- secretariat (秘书处): superusers and members of the `secretariat` group;
- enterprise staff: users in `Enterprise.staff` of one or more enterprises;
- expert: the user linked to one `Expert` (`Expert.user`).
A user may hold several roles. Results are cached on the user object for one request.
"""
from django.contrib.auth.models import AnonymousUser

SECRETARIAT_GROUP = "secretariat"


def is_secretariat(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_jl_is_secretariat", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._jl_is_secretariat = cached
    return cached


def enterprise_ids(user) -> frozenset:
    """Ids of the enterprises this user works for."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_jl_enterprise_ids", None)
    if cached is None:
        cached = frozenset(user.enterprises.values_list("id", flat=True))
        user._jl_enterprise_ids = cached
    return cached


def expert_of(user):
    """The Expert this user is, or None."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_jl_expert"):
        from experts.models import Expert

        user._jl_expert = Expert.objects.filter(user=user).first()
    return user._jl_expert


def anonymous():
    return AnonymousUser()
