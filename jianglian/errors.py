"""Domain errors raised by services; REST and GraphQL each translate them once.

- DomainError: the request breaks a business rule (HTTP 400, GraphQL code BAD_REQUEST).
- NotAllowed: the caller may not do this to this object (403, FORBIDDEN).
- Conflict: the object changed under us or a one-of rule was already taken (409, CONFLICT).
- Unavailable: a backing service cannot answer now; retry after `retry_after` seconds (503 with Retry-After;
  GraphQL code = the error's code in capitals, e.g. SEARCH_UNAVAILABLE, with `extensions.retryAfter`).
- TooManyRequests: the caller sent too many of these lately; retry after `retry_after` seconds (429 with
  Retry-After; GraphQL code TOO_MANY_REQUESTS with `extensions.retryAfter`).
- Django's ValidationError: bad field values (400 with field messages, BAD_USER_INPUT).
"""


class DomainError(Exception):
    code = "bad_request"

    def __init__(self, message, code=None):
        super().__init__(message)
        if code:
            self.code = code


class NotAllowed(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class Unavailable(DomainError):
    code = "unavailable"
    # Seconds a client is asked to wait before trying again (REST's Retry-After header, GraphQL's retryAfter).
    retry_after = 30


class TooManyRequests(DomainError):
    code = "too_many_requests"

    def __init__(self, message, code=None, retry_after: int = 3600):
        super().__init__(message, code)
        self.retry_after = retry_after


# PostgreSQL's answers to two transactions that collided (deadlock detected, serialization failure, lock not
# available): nothing was written, the client may retry. Answered as a conflict (409 / CONFLICT), not a 500.
TRANSIENT_CONFLICT_SQLSTATES = {"40P01", "40001", "55P03"}


def is_transient_conflict(exc: BaseException) -> bool:
    """A database error raised because this transaction lost against a concurrent one."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in TRANSIENT_CONFLICT_SQLSTATES
