"""The audit trail moved from alliance to the ground package (jianglian) without touching its table:
rows written before the move are read after it, with their actor, and the content type (which permissions
and admin log entries hang on) is the same row, renamed."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

MOVED_APPS = ("alliance", "jianglian")
BEFORE = [("alliance", "0002_initial"), ("jianglian", "0001_initial")]
AFTER = [("alliance", "0003_auditentry_to_jianglian"), ("jianglian", "0002_auditentry")]


def migrate(nodes):
    """Alliance and jianglian at `nodes`, every other app at its latest migration that does not need more of them
    (matching's 0007 needs alliance's 0006: matching stays before it); the apps then."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    allowed = {node for target in nodes for node in graph.forwards_plan(target)}

    def fits(node):
        return all(needed[0] not in MOVED_APPS or needed in allowed for needed in graph.forwards_plan(node))

    targets = list(nodes)
    for leaf in graph.leaf_nodes():
        if leaf[0] in MOVED_APPS:
            continue
        node = leaf
        while node is not None and not fits(node):
            earlier = [parent.key for parent in graph.node_map[node].parents if parent.key[0] == node[0]]
            node = earlier[0] if earlier else None
        targets.append(node or (leaf[0], None))
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_after():
    """Every app back at its latest migration afterwards: later migrations (jianglian's 0003 …) are tables the
    tests that run after this one need."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_after_it(latest_after):
    old = migrate(BEFORE)
    actor = old.get_model("auth", "User").objects.create(username="auditor")
    old.get_model("alliance", "AuditEntry").objects.create(
        actor_id=actor.pk, subject_type="alliance.studio", subject_id=7, action="suspend",
        from_state="member", to_state="suspended", note="年度考核未通过",
    )
    ContentType.objects.clear_cache()
    content_type = ContentType.objects.get(app_label="alliance", model="auditentry")

    new = migrate(AFTER)

    entry = new.get_model("jianglian", "AuditEntry").objects.get()
    assert (entry.actor_id, entry.subject_type, entry.subject_id, entry.action, entry.from_state, entry.to_state,
            entry.note) == (actor.pk, "alliance.studio", 7, "suspend", "member", "suspended", "年度考核未通过")
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("jianglian", "auditentry")
    assert "alliance_auditentry" in connection.introspection.table_names()
    ContentType.objects.clear_cache()
