"""A strict checker of request bodies against Elastic's own API specification (schema.json).

Built from ../shared/es-spec/README.md. Unlike the OpenAPI file it rejects
unknown keys (a misspelled `mulit_match` or `analyser` fails) unless a
behavior of the spec allows extra keys. `check_analysis_names` adds what the
spec cannot know: every analyzer, tokenizer and filter named must be defined
in the index settings or be one Elasticsearch ships.

    spec = EsSpec.load(directory)
    spec.check("search", body)                # -> list of error strings, empty when valid
    spec.check_bulk(ndjson_lines)
"""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

BUILTIN_ANALYZERS = {
    "standard", "simple", "whitespace", "stop", "keyword", "pattern", "fingerprint", "cjk", "english", "chinese",
}
BUILTIN_TOKENIZERS = {
    "standard", "letter", "lowercase", "whitespace", "uax_url_email", "classic", "thai", "ngram", "edge_ngram",
    "keyword", "pattern", "simple_pattern", "simple_pattern_split", "char_group", "path_hierarchy",
}
BUILTIN_TOKEN_FILTERS = {
    "lowercase", "uppercase", "asciifolding", "cjk_bigram", "cjk_width", "stop", "trim", "unique", "length",
    "truncate", "word_delimiter_graph", "shingle", "edge_ngram", "ngram", "reverse", "porter_stem", "kstem",
    "stemmer", "synonym", "synonym_graph", "decimal_digit", "elision", "apostrophe", "classic", "keyword_marker",
}
BUILTIN_CHAR_FILTERS = {"html_strip", "mapping", "pattern_replace"}

_SCALARS = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
    "binary": lambda v: isinstance(v, str),
    "void": lambda v: True,
}


def spec_directory() -> Path:
    """ES_SPEC_DIR, default ../shared/es-spec relative to the repository root."""
    root = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("ES_SPEC_DIR", root.parent / "shared" / "es-spec"))


class EsSpec:
    def __init__(self, schema: dict):
        self.types = {(t["name"]["namespace"], t["name"]["name"]): t for t in schema["types"]}
        self.endpoints = {e["name"]: e for e in schema["endpoints"]}

    @classmethod
    def load(cls, directory: Path) -> "EsSpec":
        with gzip.open(Path(directory) / "schema-8.18.json.gz", "rt", encoding="utf-8") as handle:
            return cls(json.load(handle))

    # --- entry points ----------------------------------------------------------

    def check(self, endpoint: str, body) -> list[str]:
        request = self.endpoints[endpoint]["request"]
        request_type = self.types[(request["namespace"], request["name"])]
        shape = request_type["body"]
        if shape["kind"] == "no_body":
            return [] if body in (None, {}) else [f"{endpoint}: takes no body"]
        if shape["kind"] == "value":
            return self._value(body, shape["value"], endpoint)
        return self._properties(body, shape["properties"], endpoint, extra=None)

    def check_bulk(self, lines: list[dict]) -> list[str]:
        """Action lines against OperationContainer; the line after index/create must be an object."""
        errors, expect_document = [], False
        for number, line in enumerate(lines):
            path = f"bulk[{number}]"
            if expect_document:
                errors += [] if isinstance(line, dict) else [f"{path}: a document must be an object"]
                expect_document = False
                continue
            errors += self._value(line, _ref("_global.bulk", "OperationContainer"), path)
            action = next(iter(line), None) if isinstance(line, dict) else None
            expect_document = action in ("index", "create", "update")
            if action == "update":
                errors += []  # the next line is checked as a document object; UpdateAction is looser
        return errors

    # --- walking -----------------------------------------------------------------

    def _value(self, value, descriptor: dict, path: str) -> list[str]:
        kind = descriptor["kind"]
        if kind == "instance_of":
            return self._instance(value, descriptor["type"], path)
        if kind == "array_of":
            if not isinstance(value, list):
                return [f"{path}: expected an array, got {type(value).__name__}"]
            return [e for i, item in enumerate(value) for e in self._value(item, descriptor["value"], f"{path}[{i}]")]
        if kind == "union_of":
            return self._any_of(value, descriptor["items"], path)
        if kind == "dictionary_of":
            if not isinstance(value, dict):
                return [f"{path}: expected an object, got {type(value).__name__}"]
            if descriptor.get("singleKey") and len(value) != 1:
                return [f"{path}: expected exactly one key, got {sorted(value)}"]
            return [e for k, item in value.items() for e in self._value(item, descriptor["value"], f"{path}.{k}")]
        if kind == "literal_value":
            return [] if value == descriptor["value"] else [f"{path}: expected {descriptor['value']!r}, got {value!r}"]
        if kind == "user_defined_value":
            return []
        return [f"{path}: unknown descriptor kind {kind}"]

    def _any_of(self, value, items, path) -> list[str]:
        best = None
        for item in items:
            errors = self._value(value, item, path)
            if not errors:
                return []
            if best is None or len(errors) < len(best):
                best = errors
        return best or [f"{path}: matches no alternative"]

    def _instance(self, value, ref: dict, path: str) -> list[str]:
        namespace, name = ref["namespace"], ref["name"]
        if namespace == "_builtins":
            ok = _SCALARS[name](value)
            return [] if ok else [f"{path}: expected {name}, got {type(value).__name__} {value!r}"]
        definition = self.types.get((namespace, name))
        if definition is None:  # a generic parameter (TDocument …): anything
            return []
        kind = definition["kind"]
        if kind == "interface":
            return self._interface(value, definition, path)
        if kind == "type_alias":
            return self._alias(value, definition, path)
        if kind == "enum":
            return self._enum(value, definition, path)
        return [f"{path}: cannot check a {kind}"]

    def _enum(self, value, definition, path) -> list[str]:
        if isinstance(value, bool) and definition["name"]["name"] == "DynamicMapping":
            return []
        if not isinstance(value, str):
            return [f"{path}: expected one of {definition['name']['name']}, got {value!r}"]
        if definition.get("isOpen"):
            return []
        names = {m["name"] for m in definition["members"]} | {a for m in definition["members"] for a in m.get("aliases", [])}
        return [] if value in names else [f"{path}: {value!r} is not a {definition['name']['name']} ({sorted(names)})"]

    def _alias(self, value, definition, path) -> list[str]:
        variants = definition.get("variants")
        target = definition["type"]
        if variants and variants["kind"] == "internal_tag" and target["kind"] == "union_of":
            if not isinstance(value, dict):
                return [f"{path}: expected an object"]
            tag = value.get(variants["tag"], variants.get("defaultTag"))
            for item in target["items"]:
                member = self.types.get((item["type"]["namespace"], item["type"]["name"]))
                if member and self._tag_of(member, variants["tag"]) == tag:
                    return self._value(value, item, path)
            return [f"{path}: unknown {variants['tag']} {tag!r}"]
        return self._value(value, target, path)

    def _tag_of(self, member, tag):
        for prop in self._all_properties(member):
            if prop["name"] == tag and prop["type"]["kind"] == "literal_value":
                return prop["type"]["value"]
        return None

    def _all_properties(self, definition) -> list[dict]:
        properties = list(definition.get("properties", []))
        parent = definition.get("inherits")
        while parent:
            parent_type = self.types.get((parent["type"]["namespace"], parent["type"]["name"]))
            if parent_type is None:
                break
            properties += parent_type.get("properties", [])
            parent = parent_type.get("inherits")
        return properties

    def _behavior(self, definition):
        for behavior in definition.get("behaviors", []):
            if behavior["type"]["name"] in ("AdditionalProperty", "AdditionalProperties"):
                return behavior["type"]["name"], behavior["generics"][1]
        return None

    def _interface(self, value, definition, path) -> list[str]:
        properties = self._all_properties(definition)
        shortcut = definition.get("shortcutProperty")
        if not isinstance(value, dict):
            if shortcut:
                prop = next(p for p in properties if p["name"] == shortcut)
                return self._value(value, prop["type"], path)
            return [f"{path}: expected an object ({definition['name']['name']}), got {type(value).__name__}"]
        if definition.get("variants", {}).get("kind") == "container":
            container_props = [p for p in properties if p.get("containerProperty")]
            variant_props = [p for p in properties if not p.get("containerProperty")]
            errors = self._properties({k: v for k, v in value.items() if k in _names(container_props)},
                                      container_props, path, extra=None, check_required=False)
            variant_keys = [k for k in value if k not in _names(container_props)]
            if len(variant_keys) != 1:
                return errors + [f"{path}: expected exactly one of {definition['name']['name']}, got {variant_keys}"]
            # A container may also take one key its behavior allows (SortOptions: a field name).
            return errors + self._properties({variant_keys[0]: value[variant_keys[0]]}, variant_props, path,
                                             extra=self._behavior(definition), check_required=False)
        return self._properties(value, properties, path, extra=self._behavior(definition))

    def _properties(self, value, properties, path, extra, check_required=True) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        by_name = {}
        for prop in properties:
            by_name[prop["name"]] = prop
            for alias in prop.get("aliases", []):
                by_name[alias] = prop
        errors, extras = [], []
        for key, item in value.items():
            if key in by_name:
                errors += self._value(item, by_name[key]["type"], f"{path}.{key}")
            else:
                extras.append(key)
        if extras:
            if extra is None:
                errors.append(f"{path}: unknown key(s) {extras}")
            elif extra[0] == "AdditionalProperty" and len(extras) > 1:
                errors.append(f"{path}: only one extra key allowed, got {extras}")
            else:
                for key in extras:
                    errors += self._value(value[key], extra[1], f"{path}.{key}")
        if check_required:
            present = set(value)
            for prop in properties:
                if prop.get("required") and not ({prop["name"], *prop.get("aliases", [])} & present):
                    errors.append(f"{path}: missing required {prop['name']!r}")
        return errors


def _ref(namespace, name) -> dict:
    return {"kind": "instance_of", "type": {"namespace": namespace, "name": name}}


def _names(properties) -> set[str]:
    return {p["name"] for p in properties} | {a for p in properties for a in p.get("aliases", [])}


# --- names the spec sees only as strings ------------------------------------------


def defined_analysis(index_body: dict) -> dict[str, set[str]]:
    settings = index_body.get("settings", {})
    analysis = settings.get("analysis") or settings.get("index", {}).get("analysis") or {}
    return {kind: set(analysis.get(kind, {})) for kind in ("analyzer", "tokenizer", "filter", "char_filter")}


def check_analysis_names(index_body: dict) -> list[str]:
    """Every analyzer a mapping or custom analyzer names is defined or built in."""
    defined = defined_analysis(index_body)
    errors = []
    settings = index_body.get("settings", {})
    analysis = settings.get("analysis") or settings.get("index", {}).get("analysis") or {}
    for name, analyzer in analysis.get("analyzer", {}).items():
        if analyzer.get("type", "custom") != "custom":
            continue
        tokenizer = analyzer.get("tokenizer")
        if tokenizer not in defined["tokenizer"] | BUILTIN_TOKENIZERS:
            errors.append(f"analyzer {name}: undefined tokenizer {tokenizer!r}")
        for token_filter in analyzer.get("filter", []):
            if token_filter not in defined["filter"] | BUILTIN_TOKEN_FILTERS:
                errors.append(f"analyzer {name}: undefined filter {token_filter!r}")
        for char_filter in analyzer.get("char_filter", []):
            if char_filter not in defined["char_filter"] | BUILTIN_CHAR_FILTERS:
                errors.append(f"analyzer {name}: undefined char_filter {char_filter!r}")
    errors += check_analyzers_used(_mapping_analyzers(index_body.get("mappings", {})), defined, "mapping")
    return errors


def check_analyzers_used(names, defined, where) -> list[str]:
    return [f"{where}: undefined analyzer {n!r}" for n in names if n not in defined["analyzer"] | BUILTIN_ANALYZERS]


def _mapping_analyzers(mapping: dict) -> list[str]:
    names = []
    for field in mapping.get("properties", {}).values():
        names += [field[key] for key in ("analyzer", "search_analyzer", "search_quote_analyzer") if key in field]
        names += _mapping_analyzers(field)
        for sub in field.get("fields", {}).values():
            names += [sub[key] for key in ("analyzer", "search_analyzer") if key in sub]
    return names


def query_analyzers(body) -> list[str]:
    """Every `analyzer` named anywhere in a search body."""
    if isinstance(body, dict):
        found = [body["analyzer"]] if isinstance(body.get("analyzer"), str) else []
        return found + [n for value in body.values() for n in query_analyzers(value)]
    if isinstance(body, list):
        return [n for value in body for n in query_analyzers(value)]
    return []
