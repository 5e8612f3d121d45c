"""Retried creates are safe: a client names its request with a key, and the second time gets the first answer.

REST creates read the key from the `Idempotency-Key` header (jianglian.api.views.ServiceViewSet.create),
GraphQL creates from their `clientMutationId` (jianglian.graphql.idempotency). Both call `run_once`:

- the key is stored per user (an anonymous caller has no key space: the key is ignored), with a fingerprint
  of the operation and its input;
- the first request inserts the key, then performs the create, then stores its answer — in one transaction,
  so a create that fails (bad input, a refusal) stores no key and may be tried again as it is;
- a request with a stored key and the same fingerprint performs nothing and returns the stored answer;
  two such requests at once take turns on the key's unique index (the second waits, then replays);
- the same key with another operation or input is refused: IdempotencyKeyReused (REST 422, GraphQL
  BAD_REQUEST with reason `idempotency_key_reused`);
- keys are kept IDEMPOTENCY_KEY_KEEP_HOURS (a retry comes within minutes; a day covers a client that was offline),
  then the beat task `jianglian.purge_idempotency_keys` deletes them: the same key later is a new request.
"""
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import IdempotencyKey

logger = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as an HTTP header carries it


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"


@dataclass
class Answer:
    """What a create answered: the REST status and body, and the object it created."""

    status_code: int | None = None
    body: object = None
    object_type: str = ""
    object_id: int | None = None


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:  # an enum member, a model instance: its text stands for it
            return str(getattr(o, "pk", None) or getattr(o, "value", None) or o)


def fingerprint(operation: str, payload) -> str:
    text = json.dumps([operation, payload], sort_keys=True, cls=_Encoder, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_key(key: str, field: str = "idempotency_key") -> str:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValidationError({field: _("幂等键须为 1 至 255 个可见 ASCII 字符。")})
    return key


def run_once(*, user, key: str, operation: str, payload, perform, field: str = "idempotency_key") -> tuple[Answer, bool]:
    """(answer, replayed): `perform()` → Answer once per (user, key); later calls replay the stored Answer."""
    check_key(key, field)
    digest = fingerprint(operation, payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, operation=operation, fingerprint=digest)
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=user, key=key)
            if record.operation != operation or record.fingerprint != digest:
                raise IdempotencyKeyReused(
                    _("该幂等键已用于另一个请求，请为新的请求换一个键。"), code=IdempotencyKeyReused.code) from None
            return Answer(record.status_code, record.response, record.object_type, record.object_id), True
        answer = perform()
        record.status_code = answer.status_code
        record.response = json.loads(json.dumps(answer.body, cls=DjangoJSONEncoder))
        record.object_type, record.object_id = answer.object_type, answer.object_id
        record.save(update_fields=["status_code", "response", "object_type", "object_id"])
    return answer, False


def replayed_object(answer: Answer):
    """The object a stored answer created, as it is now (None when it is gone)."""
    from django.apps import apps

    if not answer.object_type or answer.object_id is None:
        return None
    model = apps.get_model(answer.object_type)
    return model._default_manager.filter(pk=answer.object_id).first()


def purge_expired(*, now=None) -> int:
    """Delete the keys older than IDEMPOTENCY_KEY_KEEP_HOURS; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_KEY_KEEP_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("purged %d idempotency keys older than %s", deleted, cutoff.isoformat())
    return deleted
