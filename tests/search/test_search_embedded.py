"""The shared behaviour suite on the embedded (tantivy) backend, plus what only it does."""
import os
import threading

import pytest

from search.backends.embedded import EmbeddedBackend
from search.index import get_definition

from .backend_behaviour import BackendBehaviour, index_all


class TestEmbeddedBackend(BackendBehaviour):
    @pytest.fixture
    def backend(self, tmp_path):
        return EmbeddedBackend(tmp_path / "index")


@pytest.mark.django_db
def test_searches_see_the_old_index_until_a_rebuild_is_complete(tmp_path):
    from tests import factories

    backend = EmbeddedBackend(tmp_path)
    expert = factories.make_expert(name="钱工", bio="精馏")
    index_all(backend, "expert")
    definition = get_definition("expert")
    seen_during_rebuild = []

    def documents():
        yield from definition.iter_documents()
        seen_during_rebuild.append(backend.search("expert", "精馏").ids)
        yield {"id": 999_999, "name": "新文档", "bio": "精馏"}

    backend.rebuild(definition, documents())

    assert seen_during_rebuild == [[expert.pk]]
    assert set(backend.search("expert", "精馏").ids) == {expert.pk, 999_999}
    assert [p.name for p in (tmp_path / "expert").glob("gen-*")] == [os.readlink(tmp_path / "expert" / "current")]


@pytest.mark.django_db
def test_a_second_process_handle_sees_new_commits(tmp_path):
    from search import sync
    from tests import factories

    writer, reader = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    expert = factories.make_expert(name="孙工", bio="催化裂化")
    assert reader.search("expert", "催化").ids == []

    sync.apply_update("expert", [expert.pk], backends=[writer])

    assert reader.search("expert", "催化").ids == [expert.pk]


def test_the_write_lock_excludes_other_writers_and_is_reentrant(tmp_path):
    backend, other = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    definition = get_definition("expert")
    order = []

    def contender():
        with other.write_lock(definition):
            order.append("other")

    with backend.write_lock(definition):
        with backend.write_lock(definition):
            thread = threading.Thread(target=contender)
            thread.start()
            thread.join(0.3)
            order.append("first")
    thread.join(5)

    assert order == ["first", "other"]


def test_searching_an_index_never_built_finds_nothing(tmp_path):
    result = EmbeddedBackend(tmp_path).search("studio", "精馏", facets=["province"], highlight=True)

    assert (result.total, result.hits, result.facets) == (0, [], {"province": []})


def test_parallel_preparation_gives_the_same_documents_in_order():
    from search.backends.base import prepare, prepare_all

    definition = get_definition("expert")
    documents = [{"id": n, "name": f"专家{n}", "bio": f"第{n}号精馏塔节能改造", "province": ["sichuan"]}
                 for n in range(1, 1301)]

    parallel = list(prepare_all(definition, iter(documents), workers=2))

    assert parallel == [prepare(definition, d) for d in documents]
