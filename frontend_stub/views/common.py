"""What every page view shares: role checks and turning service errors into page responses."""
from __future__ import annotations

import functools
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from jianglian.errors import DomainError, NotAllowed
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

PAGE_SIZE = 20


def _role_required(check):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


signed_in = _role_required(lambda user: True)
enterprise_required = _role_required(lambda user: bool(enterprise_ids(user)))
expert_required = _role_required(lambda user: expert_of(user) is not None)
secretariat_required = _role_required(is_secretariat)


def back(request, fallback: str):
    """Redirect to the `next` field when it is a safe local URL, else to `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@contextmanager
def service_call(request):
    """Run a service for a POST action: NotAllowed becomes 403, any other rule break a message on the page.

        with service_call(request) as ok:
            pairing_accept(...)
        if ok: messages.success(...)
    """
    outcome = _Outcome()
    try:
        yield outcome
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        outcome.failed = True
        messages.error(request, str(exc))
    except ValidationError as exc:
        outcome.failed = True
        for message in exc.messages:
            messages.error(request, message)


class _Outcome:
    failed = False

    def __bool__(self):
        return not self.failed


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def call_for_form(form, service, *, field_map=None, **arguments):
    """Call a service for a form page: its ValidationError lands on the form's fields, any other rule
    break on top of the form, NotAllowed is a 403. Returns the service's result, or None when it refused."""
    from ..forms import add_service_errors

    try:
        return service(**arguments)
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        form.add_error(None, str(exc))
    return None
