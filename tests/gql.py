"""Calling the GraphQL API in tests the way a client does: HTTP POST to /graphql/api/ with a DRF token."""
import json

from django.test import Client
from graphql_relay import to_global_id


class GQLResult:
    def __init__(self, response):
        self.status_code = response.status_code
        self.body = json.loads(response.content or b"{}")
        self.data = self.body.get("data")
        self.errors = self.body.get("errors") or []

    @property
    def codes(self):
        return [e.get("extensions", {}).get("code") for e in self.errors]

    @property
    def code(self):
        assert len(self.errors) == 1, self.errors
        return self.codes[0]

    def ok(self):
        assert not self.errors, self.errors
        return self.data

    def __repr__(self):
        return f"<GQLResult {self.status_code} {self.body}>"


def run(query, variables=None, *, user=None, path="/graphql/api/", client=None):
    """POST `query` as `user` (None: anonymous) with a token, and return a GQLResult."""
    client = client or Client()
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {token_for(user)}"
    payload = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    response = client.post(path, data=json.dumps(payload), content_type="application/json", **headers)
    return GQLResult(response)


def token_for(user) -> str:
    """The user's DRF token key, created once and remembered on the user object (no query after)."""
    key = getattr(user, "_test_token_key", None)
    if key is None:
        from rest_framework.authtoken.models import Token

        key = Token.objects.get_or_create(user=user)[0].key
        user._test_token_key = key
    return key


def gid(type_name, obj_or_pk):
    return to_global_id(type_name, getattr(obj_or_pk, "pk", obj_or_pk))
