"""Every body the Elasticsearch backend sends is valid for Elastic's own 8.18 specification.

The bodies are captured from the real backend code (tests/search/es_capture.py)
and checked with a strict walker of schema.json (tests/search/es_spec_checker.py).
"""
import copy

import pytest

from search.backends.elasticsearch import ElasticsearchBackend, index_body
from search.index import definitions, get_definition
from search.query import COVERAGE_SCORE, Need, ReadQuery

from .es_capture import capturing_client
from .es_spec_checker import EsSpec, check_analysis_names, check_analyzers_used, defined_analysis, query_analyzers, spec_directory

INDEXES = ["expert", "studio", "challenge"]


@pytest.fixture(scope="module")
def spec():
    directory = spec_directory()
    if not (directory / "schema-8.18.json.gz").exists():
        pytest.skip(f"Elastic's specification not found in {directory} (set ES_SPEC_DIR to the es-spec folder)")
    return EsSpec.load(directory)


@pytest.fixture
def captured():
    client, cluster = capturing_client()
    return ElasticsearchBackend(client=client, prefix="jl-test"), cluster


def sample_document(definition, pk=1):
    document = {"id": pk}
    for name in definition.search_field_names:
        document[name] = "精馏塔节能改造，PLC/DCS 升级"
    for name in definition.filter_field_names:
        document[name] = ["sichuan"]
    return document


def search_variants(definition):
    facets = definition.facet_field_names
    some_filter = {definition.filter_field_names[0]: ["a", "b"], definition.filter_field_names[-1]: "c"}
    return [
        dict(query="精馏塔 节能"),
        dict(query=""),
        dict(query="", filters=some_filter, facets=facets),
        dict(query="C++ O&M", filters=some_filter, facets=facets, highlight=True, limit=50, offset=20),
        dict(query={"精馏": 2.0, "节能": 0.5}, limit=200),
        dict(query=["plc", "dcs"], highlight=True),
        dict(query='"(((* a:b', limit=10**9, offset=-3),
        dict(query=READ, filters=some_filter, facets=facets, highlight=True),
    ]


# A catalog query as search.query.read_query makes it: weighted tokens and two needs, one met by its own word,
# by what the word stands for or by a part of it.
READ = ReadQuery(
    text="污水处理 COD",
    weights={"污水处理": 1.0, "处理": 1.0, "cod": 1.0, "废水处理": 0.3, "污水站": 0.3},
    needs=(Need("污水处理", {"污水处理": 1.0, "废水处理": 0.75, "污水站": 0.75, "处理": 0.5}),
           Need("cod", {"cod": 1.0, "废水处理": 0.75})),
)


# --- the checker itself ----------------------------------------------------------------


def test_the_checker_accepts_a_valid_body_and_rejects_misspellings(spec):
    valid = {"query": {"bool": {"must": [{"multi_match": {"query": "x", "fields": ["a^2"], "type": "most_fields"}}],
                                "filter": [{"terms": {"province": ["sichuan"]}}]}},
             "aggs": {"province": {"terms": {"field": "province", "size": 10}}}, "size": 10, "from": 0}
    assert spec.check("search", valid) == []

    broken = copy.deepcopy(valid)
    broken["query"]["bool"]["must"][0] = {"mulit_match": valid["query"]["bool"]["must"][0]["multi_match"]}
    assert spec.check("search", broken)
    for mutate in (
        lambda b: b["query"]["bool"]["must"][0]["multi_match"].update(fuzzyness="AUTO"),
        lambda b: b["query"]["bool"]["must"][0]["multi_match"].update(analyser="x"),
        lambda b: b["query"]["bool"].update(filters=b["query"]["bool"].pop("filter")),
        lambda b: b["aggs"]["province"]["terms"].update(sise=3),
        lambda b: b.update(szie=3),
        lambda b: b["query"]["bool"]["must"][0]["multi_match"].update(type="most_field"),
        lambda b: b.update(size="ten"),
    ):
        body = copy.deepcopy(valid)
        mutate(body)
        assert spec.check("search", body), body


def test_the_checker_rejects_undefined_analysis_names_and_bad_mappings(spec):
    body = index_body(get_definition("expert"))
    assert spec.check("indices.create", body) == [] and check_analysis_names(body) == []

    undefined_tokenizer = copy.deepcopy(body)
    undefined_tokenizer["settings"]["analysis"]["analyzer"]["jl_whitespace"]["tokenizer"] = "whitespac"
    undefined_analyzer = copy.deepcopy(body)
    undefined_analyzer["mappings"]["properties"]["bio"]["analyzer"] = "jl_whitspace"
    misspelled_mapping = copy.deepcopy(body)
    misspelled_mapping["mappings"]["properties"]["bio"]["analyser"] = "jl_whitespace"
    misspelled_type = copy.deepcopy(body)
    misspelled_type["mappings"]["properties"]["province"]["type"] = "keywrd"
    misspelled_analyzer_key = copy.deepcopy(body)
    misspelled_analyzer_key["settings"]["analysis"]["analyzer"]["jl_whitespace"]["tokenzer"] = "whitespace"

    assert check_analysis_names(undefined_tokenizer)
    assert check_analysis_names(undefined_analyzer)
    assert spec.check("indices.create", misspelled_mapping)
    assert spec.check("indices.create", misspelled_type)
    assert spec.check("indices.create", misspelled_analyzer_key)


def test_the_checker_rejects_a_bad_bulk_action(spec):
    assert spec.check_bulk([{"index": {"_index": "a", "_id": "1"}}, {"x": 1}]) == []
    assert spec.check_bulk([{"indx": {"_index": "a", "_id": "1"}}, {"x": 1}])
    assert spec.check_bulk([{"index": {"_index": "a", "_id": "1", "version_typ": "external"}}, {"x": 1}])
    assert spec.check_bulk([{"delete": {"_index": "a", "_id": "1", "version_type": "externall"}}])


# --- what the backend sends ----------------------------------------------------------------


@pytest.mark.parametrize("name", INDEXES)
def test_index_creation_is_valid_and_names_only_defined_analysis(spec, name):
    body = index_body(get_definition(name))

    assert spec.check("indices.create", body) == []
    assert check_analysis_names(body) == []
    assert body["mappings"]["dynamic"] == "strict"


def test_every_registered_index_is_covered():
    assert sorted(d.name for d in definitions()) == sorted(INDEXES)


@pytest.mark.parametrize("name", INDEXES)
def test_a_rebuild_creates_fills_and_swaps_the_alias_with_valid_bodies(spec, captured, name):
    backend, cluster = captured
    definition = get_definition(name)

    backend.rebuild(definition, iter([sample_document(definition, 1), sample_document(definition, 2)]))
    backend.rebuild(definition, iter([sample_document(definition, 3)]))

    creates = cluster.of("PUT", rf"/jl-test-{name}-\d+")
    assert len(creates) == 2
    for request in creates:
        assert spec.check("indices.create", request.json) == []
    for request in cluster.of("POST", r"/_aliases"):
        assert spec.check("indices.update_aliases", request.json) == []
    swap = cluster.of("POST", r"/_aliases")[-1].json["actions"]
    assert [next(iter(a)) for a in swap] == ["remove", "add"]
    bulks = cluster.of("PUT", r".*/_bulk") + cluster.of("POST", r".*/_bulk")
    assert bulks and all(spec.check_bulk(request.ndjson) == [] for request in bulks)
    assert cluster.aliases[f"jl-test-{name}"] == {creates[-1].path.strip("/")}
    assert cluster.indices == {creates[-1].path.strip("/")}


@pytest.mark.parametrize("name", INDEXES)
def test_updates_and_deletes_send_valid_versioned_bulk_lines(spec, captured, name):
    backend, cluster = captured
    definition = get_definition(name)

    backend.index_documents(definition, [sample_document(definition, 7)], version=123)
    backend.delete_documents(definition, [8, 9], version=124)

    lines = [line for request in cluster.of("PUT", r".*/_bulk") + cluster.of("POST", r".*/_bulk")
             for line in request.ndjson]
    assert spec.check_bulk(lines) == []
    actions = [line for line in lines if next(iter(line)) in ("index", "delete")]
    assert {(next(iter(a)), a[next(iter(a))]["version"]) for a in actions} >= {("index", 123), ("delete", 124)}
    assert all(a[next(iter(a))]["version_type"] == "external_gte" for a in actions)


@pytest.mark.parametrize("name", INDEXES)
def test_every_search_shape_is_valid(spec, captured, name):
    backend, cluster = captured
    definition = get_definition(name)
    defined = defined_analysis(index_body(definition))

    for variant in search_variants(definition):
        query = variant.pop("query")
        backend.search(definition, query, **variant)

    searches = cluster.of("POST", rf"/jl-test-{name}/_search")
    assert len(searches) == len(search_variants(definition))
    for request in searches:
        assert spec.check("search", request.json) == [], request.json
        assert check_analyzers_used(query_analyzers(request.json), defined, "search") == []


def test_reading_fingerprints_scrolls_with_valid_bodies(spec, captured):
    backend, cluster = captured
    definition = get_definition("expert")
    backend.rebuild(definition, iter([sample_document(definition)]))

    assert backend.fingerprints(definition) == {}

    scans = cluster.of("POST", r"/jl-test-expert/_search")
    assert scans and all(spec.check("search", r.json) == [] for r in scans)
    for request in cluster.of("DELETE", r"/_search/scroll"):
        assert spec.check("clear_scroll", request.json) == []


def test_a_read_query_adds_one_coverage_clause_per_need_scored_as_tantivy_scores_it(spec, captured):
    backend, cluster = captured
    definition = get_definition("expert")

    backend.search(definition, READ)

    body = cluster.of("POST", r"/jl-test-expert/_search")[-1].json
    assert spec.check("search", body) == []
    coverage = body["query"]["bool"]["should"]
    assert len(coverage) == len(READ.needs)
    first = coverage[0]["dis_max"]["queries"]
    assert [q["constant_score"]["boost"] for q in first] == [COVERAGE_SCORE, COVERAGE_SCORE * 0.75, COVERAGE_SCORE * 0.5]
    assert first[0]["constant_score"]["filter"]["bool"]["should"] == [
        {"terms": {name: ["污水处理"]}} for name in definition.search_field_names
    ]


def test_a_plain_query_sends_no_coverage_clause(captured):
    backend, cluster = captured

    backend.search(get_definition("expert"), "污水处理 COD")

    assert "should" not in cluster.of("POST", r"/jl-test-expert/_search")[-1].json["query"]["bool"]
