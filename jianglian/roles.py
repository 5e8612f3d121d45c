"""Who a user is on the platform. The one permission vocabulary REST, GraphQL and pages share.

- secretariat (秘书处): superusers and members of the `secretariat` group;
- enterprise staff: users in `Enterprise.staff` of one or more enterprises;
- expert: the user linked to one `Expert` (`Expert.user`).
A user may hold several roles. Results are cached on the user object for one request.

The ground imports no app: the apps' relations are read through the user's reverse accessors
(`user.enterprises`, `user.expert`), which the apps' models declare.
"""
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist

SECRETARIAT_GROUP = "secretariat"
# What REST (403) and GraphQL (FORBIDDEN) answer when an operation declared for the secretariat is called by another role.
SECRETARIAT_ONLY = "只有秘书处可以执行此操作 / Only the secretariat may do this."


def is_secretariat(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_cached_is_secretariat", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._cached_is_secretariat = cached
    return cached


def enterprise_ids(user) -> frozenset:
    """Ids of the enterprises this user works for."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cached_enterprise_ids", None)
    if cached is None:
        cached = frozenset(user.enterprises.values_list("id", flat=True))  # Enterprise.staff's reverse accessor
        user._cached_enterprise_ids = cached
    return cached


def expert_of(user):
    """The Expert this user is, or None: `Expert.user`'s reverse accessor, which Django caches on the user
    (a missing expert too), so a request asks once."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.expert
    except ObjectDoesNotExist:
        return None


def anonymous():
    return AnonymousUser()
