"""A user's notification preferences: the language, the channels besides the inbox (always on), the mobile number.
One service for the profile page, REST (/api/v1/notifications/preferences/) and GraphQL."""
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .errors import NotAllowed
from .models import UserPreference
from .services import apply_fields

PREFERENCE_FIELDS = {"language", "email_enabled", "sms_enabled", "phone"}
MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


def preference_of(user) -> UserPreference:
    """The stored preferences, or the defaults (unsaved) for a user who never changed them."""
    return UserPreference.objects.filter(user=user).first() or UserPreference(user=user)


def normalize_mobile(value: str) -> str:
    """A mainland mobile number as 11 digits ("+86 138-0013-8000" → "13800138000"); "" stays ""."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if not digits:
        return ""
    if not MOBILE.match(digits):
        raise ValidationError({"phone": _("请填写有效的手机号码（11 位）。")})
    return digits[-11:]


@transaction.atomic
def preference_update(*, user, **fields) -> UserPreference:
    """The signed-in user changes their own preferences (only the fields given)."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"))
    if "phone" in fields:
        fields["phone"] = normalize_mobile(fields["phone"])
    pref, _created = UserPreference.objects.select_for_update().get_or_create(user=user)
    changed = apply_fields(pref, fields, allowed=PREFERENCE_FIELDS)
    if changed:
        pref.save(update_fields=changed)
    return pref
