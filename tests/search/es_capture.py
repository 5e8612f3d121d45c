"""An Elasticsearch client whose transport records every request instead of sending it.

Its node answers like a small single-node server (indices, aliases, bulk,
empty searches) so the backend runs its real code paths; the recorded bodies
are then checked against Elastic's specification. Nothing here decides what
the backend sends: it only captures it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch


@dataclass
class Captured:
    method: str
    path: str
    body: bytes | None

    @property
    def json(self):
        return json.loads(self.body) if self.body else None

    @property
    def ndjson(self) -> list[dict]:
        return [json.loads(line) for line in self.body.splitlines() if line.strip()]


@dataclass
class FakeCluster:
    requests: list[Captured] = field(default_factory=list)
    indices: set[str] = field(default_factory=set)
    aliases: dict[str, set[str]] = field(default_factory=dict)

    def answer(self, method: str, path: str, body: bytes | None):
        def found(payload):
            return 200, payload

        if path == "/_aliases" and method == "POST":
            for action in json.loads(body)["actions"]:
                (kind, spec), = action.items()
                targets = self.aliases.setdefault(spec["alias"], set())
                (targets.add if kind == "add" else targets.discard)(spec["index"])
            return found({"acknowledged": True})
        if match := re.fullmatch(r"/_alias/([^/]+)", path):
            alias = match.group(1)
            if not self.aliases.get(alias):
                return 404, {"error": "alias missing", "status": 404}
            return found({index: {"aliases": {alias: {}}} for index in self.aliases[alias]})
        if path.endswith("/_bulk"):
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            items = [{next(iter(line)): {"status": 201}} for line in lines if next(iter(line)) in
                     ("index", "create", "update", "delete")]
            return found({"took": 1, "errors": False, "items": items})
        if path.endswith("/_search") or path.startswith("/_search/scroll"):
            if method == "DELETE":
                return found({"succeeded": True, "num_freed": 1})
            request = json.loads(body) if body else {}
            aggregations = {name: {"buckets": []} for name in request.get("aggs", {})}
            return found({"took": 1, "timed_out": False, "_scroll_id": "scroll-1",
                          "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                          "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
                          "aggregations": aggregations})
        if path.endswith("/_refresh"):
            return found({"_shards": {"total": 1, "successful": 1, "failed": 0}})
        if path.endswith("/_count"):
            return found({"count": 0})
        if match := re.fullmatch(r"/([^/_][^/]*)", path):
            index = match.group(1)
            if method == "PUT":
                self.indices.add(index)
                return found({"acknowledged": True, "shards_acknowledged": True, "index": index})
            if method == "DELETE":
                self.indices.discard(index)
                return found({"acknowledged": True})
        return found({})

    def of(self, method: str, pattern: str) -> list[Captured]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]


def capturing_client() -> tuple[Elasticsearch, FakeCluster]:
    cluster = FakeCluster()

    class CapturingNode(BaseNode):
        _CLIENT_META_HTTP_CLIENT = ("capture", "1.0")

        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            path = urlsplit(target).path
            cluster.requests.append(Captured(method, path, body))
            status, payload = cluster.answer(method, path, body)
            meta = ApiResponseMeta(
                status=status, http_version="1.1", duration=0.0, node=self.config,
                headers=HttpHeaders({"content-type": "application/json", "x-elastic-product": "Elasticsearch"}),
            )
            return NodeApiResponse(meta, b"" if method == "HEAD" else json.dumps(payload).encode())

    client = Elasticsearch("http://capture.invalid:9200", node_class=CapturingNode)
    return client, cluster
