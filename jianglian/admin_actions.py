"""Admin actions run services, one object at a time, and report each refusal: the admin holds no rule."""
from django.contrib import messages
from django.core.exceptions import ValidationError

from .errors import DomainError


def run_service(modeladmin, request, queryset, service, *, done: str):
    """Call `service(obj)` for each selected object; DomainError and ValidationError become error messages."""
    succeeded = 0
    for obj in queryset:
        try:
            service(obj)
        except (DomainError, ValidationError) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            modeladmin.message_user(request, f"{obj}: {text}", level=messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{done}: {succeeded}", level=messages.SUCCESS)
    return succeeded
