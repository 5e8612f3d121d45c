"""Celery tasks of the search index. They take ids, read the rows themselves, and are idempotent."""
from celery import shared_task

from search import sync


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def update_documents(self, index_name: str, ids: list[int]) -> int:
    """Make the documents of `ids` equal to their rows now (index, replace or delete)."""
    sync.apply_update(index_name, ids)
    return len(ids)


@shared_task(acks_late=True)
def reconcile(index_names: list[str] | None = None) -> list[dict]:
    """Find and repair drift between the database and every index (Celery beat runs it)."""
    return [drift.summary() for drift in sync.reconcile(index_names)]
