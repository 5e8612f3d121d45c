"""What every page view shares: role checks and turning service errors into page responses."""
from __future__ import annotations

import functools
import unicodedata
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from jianglian.errors import DomainError, NotAllowed
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from ..forms import add_service_errors

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
# The two sides of a pairing agreement: enterprise staff and experts.
party_required = _role_required(lambda user: bool(enterprise_ids(user)) or expert_of(user) is not None)


def workspace_url(user) -> str:
    """Where a role works: the secretariat's dashboard, an enterprise's challenges, an expert's invitations;
    the home page for anyone else (anonymous, or signed in without a role)."""
    if is_secretariat(user):
        return reverse("web:secretariat")
    if enterprise_ids(user):
        return reverse("web:my_challenges")
    if expert_of(user) is not None:
        return reverse("web:my_invitations")
    return reverse("web:home")


def is_local_path(value, request) -> bool:
    """True when `value` is a path on this site ("/me/agreements/?page=2"): it starts with one slash, holds no
    control character (browsers drop a raw tab or newline, so "/\t/evil" would become "//evil"), and Django's
    `url_has_allowed_host_and_scheme` finds neither another host nor a scheme in it ("//evil", "/\\evil",
    "javascript:…", "https://evil/" all fail)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith(("//", "/\\")):
        return False
    if any(unicodedata.category(char)[0] == "C" for char in value):
        return False
    return url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def next_url(request, default: str | None = None) -> str:
    """The one reading of a `next` parameter (POST, then GET) for every page that redirects after its work.

    A local path is followed as given; it is never read as a URL name (`redirect("foo")` would look one up
    and fail after the action ran). Without a `next`, `default` (else the role's workspace); with one that is
    not a local path, the role's workspace."""
    target = request.POST.get("next") or request.GET.get("next")
    if not target:
        return default or workspace_url(request.user)
    if is_local_path(target, request):
        return target
    return workspace_url(request.user)


def back(request, default: str) -> HttpResponseRedirect:
    """Redirect after a page's action: to its `next` when that is a local path (see `next_url`)."""
    return HttpResponseRedirect(next_url(request, default))


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


def cleaned(form, name: str, default=""):
    """The value the field `name` of a posted form cleans to, or `default` when the form is not valid: an action
    passes what was typed and the service refuses an empty reason, summary or choice with its own message."""
    return form.cleaned_data.get(name, default) if form.is_valid() else default


def call_for_form(form, service, *, field_map=None, **arguments):
    """Call a service for a form page: its ValidationError lands on the form's fields, any other rule
    break on top of the form, NotAllowed is a 403. Returns the service's result, or None when it refused."""
    try:
        return service(**arguments)
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        form.add_error(None, str(exc))
    return None
