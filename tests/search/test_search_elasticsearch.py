"""The Elasticsearch backend: the shared behaviour suite against a live server (when ELASTICSEARCH_URL
is set), and what happens when the server cannot be reached (always, with a real refused connection)."""
import os
import uuid

import pytest
from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.embedded import EmbeddedBackend
from search.errors import SearchUnavailable
from search.index import get_definition
from tests import factories

from .backend_behaviour import BackendBehaviour, index_all

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


class RefreshingElasticsearchBackend(ElasticsearchBackend):
    """Makes every write visible at once, as the shared suite expects; production waits for the refresh interval."""

    def index_documents(self, definition, documents, version=None):
        super().index_documents(definition, documents, version)
        self.refresh(definition)

    def delete_documents(self, definition, ids, version=None):
        super().delete_documents(definition, ids, version)
        if self.client.indices.exists_alias(name=self.alias(definition)):
            self.refresh(definition)


@pytest.mark.skipif(not ELASTICSEARCH_URL, reason="no Elasticsearch server: set ELASTICSEARCH_URL to run this suite")
class TestElasticsearchBackend(BackendBehaviour):
    @pytest.fixture
    def backend(self):
        client = Elasticsearch(ELASTICSEARCH_URL, request_timeout=30)
        prefix = f"jl-test-{uuid.uuid4().hex[:8]}"
        yield RefreshingElasticsearchBackend(client=client, prefix=prefix)
        # By name: servers refuse wildcard deletes by default (action.destructive_requires_name).
        for name in client.indices.get(index=f"{prefix}-*", allow_no_indices=True).body:
            client.indices.delete(index=name, ignore_unavailable=True)


def unreachable_client():
    # Port 9 on loopback refuses connections: a real transport failure, not a simulated one.
    return Elasticsearch("http://127.0.0.1:9", request_timeout=1, max_retries=0)


@pytest.mark.django_db
def test_an_unreachable_server_is_answered_from_the_embedded_index(tmp_path):
    embedded = EmbeddedBackend(tmp_path)
    expert = factories.make_expert(name="邵工", bio="硫酸装置")
    index_all(embedded, "expert")
    backend = ElasticsearchBackend(client=unreachable_client(), prefix="jl", fallback=embedded)

    result = backend.search("expert", "硫酸", highlight=True)

    assert result.ids == [expert.pk]
    assert "<em>硫酸</em>" in result.hits[0].highlights["bio"]


def test_an_unreachable_server_without_fallback_is_a_clear_unavailable_error():
    backend = ElasticsearchBackend(client=unreachable_client(), prefix="jl")

    with pytest.raises(SearchUnavailable):
        backend.search(get_definition("expert"), "精馏")


def test_writes_to_an_unreachable_server_raise_so_the_task_retries():
    backend = ElasticsearchBackend(client=unreachable_client(), prefix="jl")

    with pytest.raises(Exception) as failure:
        backend.index_documents(get_definition("expert"), [{"id": 1, "name": "x"}])

    assert not isinstance(failure.value, SearchUnavailable)
