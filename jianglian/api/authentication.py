"""Token authentication for the REST API and GraphQL's token endpoint.

DRF's tokens are 40 hexadecimal characters. Anything else in `Authorization: Token …` is refused as an
invalid token (401) before the database is asked: a NUL in the key is a server error on PostgreSQL
("A string literal cannot contain NUL"), and an overlong one is a lookup for nothing.
"""
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        if not isinstance(key, str) or not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
