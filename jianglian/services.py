"""Helpers every app's services share."""
from django.core.exceptions import ValidationError


def required_text(value, field: str, message) -> str:
    """`value` stripped; a ValidationError on `field` with `message` when it is empty (a reason, a summary)."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def apply_fields(instance, fields: dict, *, allowed: set, exclude_from_validation=()) -> list[str]:
    """Set the allowed attributes of `fields` on `instance`, validate it, and return the changed names.

    Anything not in `allowed` is refused with a field error (no silent mass assignment).
    """
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError({name: "不可修改此字段 / This field cannot be changed." for name in unknown})
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    instance.full_clean(exclude=list(exclude_from_validation))
    return changed


def account_deactivate(*, user, account, reason: str = ""):
    """The secretariat closes an account: it can no longer sign in (password or token), and everything it did
    stays — its agreements, applications and audit entries. Accounts are deactivated, never deleted."""
    return _set_active(user, account, False, "deactivate", reason)


def account_reactivate(*, user, account, reason: str = ""):
    """The secretariat opens a deactivated account again."""
    return _set_active(user, account, True, "reactivate", reason)


def _set_active(user, account, active: bool, action: str, reason: str):
    from django.db import transaction

    from .audit import audit_record
    from .errors import NotAllowed
    from .roles import is_secretariat

    if not is_secretariat(user):
        raise NotAllowed("只有秘书处可以停用或恢复账号 / Only the secretariat may deactivate or reactivate accounts.")
    if account.pk == user.pk and not active:
        raise ValidationError({"account": "不能停用自己的账号 / You cannot deactivate your own account."})
    if account.is_active == active:
        return account
    with transaction.atomic():
        previous = "active" if account.is_active else "inactive"
        account.is_active = active
        account.save(update_fields=["is_active"])
        audit_record(actor=user, subject=account, action=action, from_state=previous,
                     to_state="active" if active else "inactive", note=reason)
    return account
