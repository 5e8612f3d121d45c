"""Helpers every app's services share."""
from django.core.exceptions import ValidationError


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
