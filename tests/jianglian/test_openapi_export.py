"""The OpenAPI document fits client generators (issue 15), and docs/openapi.json is the current one.

Regenerate docs/openapi.json and docs/schema.graphql with: python manage.py export_schemas
"""
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from jianglian.management.commands.export_schemas import OPENAPI_PATH, write_openapi

COMMITTED = Path(settings.BASE_DIR) / OPENAPI_PATH
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    write_openapi(path)  # fails on any generation warning and validates the document
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spec(document):
    return json.loads(document)


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_the_committed_openapi_document_is_the_current_one(document):
    """Regenerate with: python manage.py export_schemas"""
    assert COMMITTED.read_text(encoding="utf-8") == document


def test_the_title_is_ascii_and_names_the_generated_package(spec):
    title = spec["info"]["title"]
    assert title.isascii() and re.fullmatch(r"[A-Za-z][A-Za-z0-9 ]*", title)
    assert "匠联" in spec["info"]["description"]


def test_request_bodies_are_json_only_or_multipart_for_a_file(spec):
    schemas = spec["components"]["schemas"]
    uploads = []
    for name, operation in operations(spec):
        if "requestBody" not in operation:
            continue
        (media_type, body), = operation["requestBody"]["content"].items()
        schema = schemas[body["schema"]["$ref"].rsplit("/", 1)[1]]
        sends_file = any(field.get("format") == "binary" for field in schema.get("properties", {}).values())
        assert media_type == ("multipart/form-data" if sends_file else "application/json"), name
        if sends_file:
            uploads.append(name)
    assert uploads == ["POST /api/v1/events/{id}/photos/", "POST /api/v1/imports/{kind}/",
                       "POST /api/v1/pairings/{id}/paper-agreement/"]


def test_operation_ids_read_as_names(spec):
    ids = [operation["operationId"] for _, operation in operations(spec)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", operation_id), operation_id
        assert not re.search(r"(^|_)(v1|retrieve|partial_update)(_|$)|_create$", operation_id), operation_id
    assert {"list_challenges", "get_challenge", "create_challenge", "update_challenge", "publish_challenge",
            "list_challenge_matches", "create_pairing", "accept_pairing", "sign_pairing", "get_pairing",
            "get_pairing_document", "obtain_token", "search"} <= set(ids)


def test_every_choice_set_is_one_named_component(spec):
    schemas = spec["components"]["schemas"]
    inline = []

    def walk(node, where):
        if isinstance(node, dict):
            if "enum" in node and not (len(where) == 3 and where[:2] == ["components", "schemas"]):
                inline.append("/".join(where))
            for key, value in node.items():
                walk(value, [*where, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, [*where, str(index)])

    walk(spec, [])
    assert inline == []
    choice_sets = {}
    for name, component in schemas.items():
        if "enum" in component and component["enum"] != [""]:
            assert name.endswith("Enum"), name
            values = frozenset(component["enum"])
            assert values not in choice_sets, f"{name} and {choice_sets.get(values)} are one choice set"
            choice_sets[values] = name
    # query parameters refer to the components too
    challenges = spec["paths"]["/api/v1/challenges/"]["get"]["parameters"]
    status = next(parameter for parameter in challenges if parameter["name"] == "status")
    assert status["schema"] == {"$ref": "#/components/schemas/ChallengeStatusEnum"}


def test_every_operation_documents_the_error_shape(spec):
    for name, operation in operations(spec):
        errors = {code: answer for code, answer in operation["responses"].items() if code[0] in "45"}
        assert {"400", "401", "403", "404"} <= set(errors), name
        for code, answer in errors.items():
            refs = [body["schema"].get("$ref") for body in answer.get("content", {}).values()]
            assert refs and set(refs) == {ERROR_REF}, (name, code, answer)


def test_security_says_which_operations_anyone_may_call(spec):
    by_id = {operation["operationId"]: operation for _, operation in operations(spec)}
    assert "security" not in by_id["obtain_token"]  # a generated client gets a token without one
    for public in ("list_challenges", "get_expert", "list_skills", "search"):
        assert {} in by_id[public]["security"], public
    for private in ("create_challenge", "list_pairings", "sign_pairing", "list_challenge_matches"):
        assert {} not in by_id[private]["security"], private
