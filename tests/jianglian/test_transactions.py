"""on_commit_collect: work queued many times in one transaction is sent once, after commit, or never."""
import pytest
from django.db import transaction

from jianglian.transactions import on_commit_collect

pytestmark = pytest.mark.django_db(transaction=True)


def test_items_collected_in_one_transaction_are_sent_once_after_commit():
    sent = []
    with transaction.atomic():
        on_commit_collect("demo", [1, 2], sent.append)
        on_commit_collect("demo", [2, 3], sent.append)
        on_commit_collect("other", [9], sent.append)
        assert sent == []
    assert sorted(map(sorted, sent)) == [[1, 2, 3], [9]]


def test_a_rolled_back_transaction_sends_nothing():
    sent = []
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            on_commit_collect("demo", [1], sent.append)
            raise RuntimeError("roll back")
    assert sent == []


def test_outside_a_transaction_items_are_sent_at_once():
    sent = []
    on_commit_collect("demo", [5], sent.append)
    assert sent == [{5}]


def test_items_queued_after_a_rolled_back_savepoint_are_still_sent():
    sent = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                on_commit_collect("demo", [1], sent.append)
                raise RuntimeError("inner")
        except RuntimeError:
            pass
        on_commit_collect("demo", [2], sent.append)
    assert sent == [{2}]


def test_items_of_a_rolled_back_savepoint_are_dropped_with_it():
    sent = []
    with transaction.atomic():
        on_commit_collect("demo", [1], sent.append)
        try:
            with transaction.atomic():
                on_commit_collect("demo", [2], sent.append)
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    assert sent == [{1}]


def test_items_of_released_savepoints_are_sent_once_with_the_rest():
    sent = []
    with transaction.atomic():
        for item in (1, 2, 3):
            with transaction.atomic():  # a service with its own savepoint, or get_or_create
                on_commit_collect("demo", [item], sent.append)
        on_commit_collect("demo", [4], sent.append)
    assert sent == [{1, 2, 3, 4}]


def test_a_later_rollback_still_drops_only_its_own_savepoint():
    sent = []
    with transaction.atomic():
        with transaction.atomic():
            on_commit_collect("demo", [1], sent.append)
        try:
            with transaction.atomic():
                on_commit_collect("demo", [2], sent.append)
                with transaction.atomic():
                    on_commit_collect("demo", [3], sent.append)
                raise RuntimeError("roll back 2 and 3")
        except RuntimeError:
            pass
        with transaction.atomic():
            on_commit_collect("demo", [4], sent.append)
    assert sorted(item for batch in sent for item in batch) == [1, 4]  # each sent once, 2 and 3 never


def test_an_outer_rollback_drops_the_merged_items_too():
    sent = []
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            with transaction.atomic():
                on_commit_collect("demo", [1], sent.append)
            on_commit_collect("demo", [2], sent.append)
            raise RuntimeError("roll back everything")
    assert sent == []
